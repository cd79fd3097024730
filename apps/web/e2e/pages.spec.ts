// Every page of the dashboard, as each role sees it, in both themes: it renders (a heading, a
// body that is not empty, no error boundary), logs no console error and no uncaught exception,
// and has no serious or critical axe-core violation. A screenshot of each is kept with the test
// results (test-results/pages/…) for people to look at. lab-agg002 is used by no other spec: its
// run gives the run page something real to show.
import AxeBuilder from '@axe-core/playwright';
import type { Page, TestInfo } from '@playwright/test';
import { expect, logIn, test, type Seed } from './fixtures.ts';

type Role = 'VIEWER' | 'OPERATOR' | 'APPROVER' | 'ADMIN';
type Theme = 'dark' | 'light';

interface Ids {
  device: string;
  run: string;
  campaign: string;
}

/** The pages, by path; `:device`, `:run` and `:campaign` are replaced with seeded ids. */
const PAGES: { name: string; path: string }[] = [
  { name: 'inventory', path: '/inventory' },
  { name: 'device', path: '/devices/:device' },
  { name: 'runs', path: '/runs' },
  { name: 'run', path: '/runs/:run' },
  { name: 'campaigns', path: '/campaigns' },
  { name: 'campaign', path: '/campaigns/:campaign' },
  { name: 'campaign-report', path: '/campaigns/:campaign/report' },
  { name: 'campaign-new', path: '/campaigns/new' },
  { name: 'approvals', path: '/approvals' },
  { name: 'images', path: '/images' },
  { name: 'matrix', path: '/images/matrix' },
  { name: 'syslog', path: '/syslog' },
  { name: 'audit', path: '/audit' },
  { name: 'users', path: '/admin/users' },
  { name: 'credentials', path: '/admin/credentials' },
  { name: 'account', path: '/account' },
  { name: 'password', path: '/account/password' },
  { name: 'not-found', path: '/no/such/page' },
];

let ids: Ids | undefined;

async function seedIds(seed: Seed): Promise<Ids> {
  if (ids) return ids;
  const { items } = await (await seed.admin.get('/api/v1/devices?q=lab-agg002')).json();
  const device = (items as { id: string; hostname: string; currentVersion: string }[]).find(
    (d) => d.hostname === 'lab-agg002',
  )!;
  const images = (
    (await (await seed.admin.get('/api/v1/images?platformFamily=cat4500')).json()).items as {
      id: string;
      version: string;
    }[]
  ).filter((i) => i.version !== device.currentVersion);
  const runs = (await (await seed.admin.get(`/api/v1/runs?deviceId=${device.id}`)).json()).items as { id: string }[];
  let run = runs[0]?.id;
  if (!run) {
    const res = await seed.admin.post('/api/v1/runs', { data: { deviceId: device.id, imageId: images.at(-1)!.id } });
    // The other worker's first test may have started it a moment ago (one active run per device).
    const again = await (await seed.admin.get(`/api/v1/runs?deviceId=${device.id}`)).json();
    if (res.status() === 409 && again.items.length) {
      run = (again.items as { id: string }[])[0]!.id;
    } else {
      expect(res.status(), await res.text()).toBe(201);
      run = ((await res.json()) as { id: string }).id;
    }
  }
  const created = await seed.admin.post('/api/v1/campaigns', {
    data: {
      name: seed.unique('pages'),
      ticket: 'CHG-PAGES',
      targetImageIds: [images.at(-1)!.id],
      selection: { kind: 'ids', deviceIds: [device.id] },
      window: { start: '2030-01-05T01:00', end: '2030-01-05T05:00', timeZone: 'Europe/Berlin' },
    },
  });
  expect(created.status(), await created.text()).toBe(201);
  const campaign = ((await created.json()) as { id: string }).id;
  ids = { device: device.id, run: run!, campaign };
  return ids;
}

/** Console errors and uncaught exceptions of the page from now on. */
function watchErrors(page: Page): string[] {
  const errors: string[] = [];
  page.on('console', (m) => {
    // A refused request is the page's business (it shows its own error state); a 403 for a role is expected.
    if (m.type() === 'error' && !/Failed to load resource: the server responded with a status of 40[34]/.test(m.text()))
      errors.push(m.text());
  });
  page.on('pageerror', (e) => errors.push(`uncaught: ${e.message}`));
  return errors;
}

async function checkPage(page: Page, path: string, shot: string, testInfo: TestInfo) {
  const errors = watchErrors(page);
  await page.goto(path);
  await page.waitForLoadState('networkidle');
  await expect(page.locator('main h1').first()).toBeVisible();
  await expect(page.locator('main')).not.toContainText('Loading…');
  await expect(page.locator('[data-error-boundary]')).toHaveCount(0);
  expect((await page.locator('main').innerText()).trim().length).toBeGreaterThan(20);
  const file = testInfo.outputPath(`${shot}.png`);
  await page.screenshot({ path: file, fullPage: true });
  await testInfo.attach(shot, { path: file, contentType: 'image/png' });
  const axe = await new AxeBuilder({ page }).exclude('.transcript').analyze();
  const bad = axe.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
  expect
    .soft(
      bad.map((v) => `${v.id} (${v.impact}): ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`),
      `axe on ${path}`,
    )
    .toEqual([]);
  expect.soft(errors, `console errors on ${path}`).toEqual([]);
}

const CASES: { role: Role; theme: Theme }[] = [
  { role: 'ADMIN', theme: 'dark' },
  { role: 'ADMIN', theme: 'light' },
  { role: 'VIEWER', theme: 'dark' },
  { role: 'OPERATOR', theme: 'dark' },
  { role: 'APPROVER', theme: 'light' },
];

for (const { role, theme } of CASES) {
  test(`every page renders for ${role.toLowerCase()} in the ${theme} theme, axe-clean, without console errors`, async ({
    page,
    seed,
  }, testInfo) => {
    test.setTimeout(240_000);
    const pageIds = await seedIds(seed);
    await page.setViewportSize({ width: theme === 'dark' ? 1440 : 1024, height: 900 });
    await page.addInitScript((t) => localStorage.setItem('hitless:theme', t), theme);
    await logIn(page, await seed.user(role));
    await expect(page.getByRole('navigation', { name: 'Main' })).toBeVisible();
    for (const p of PAGES) {
      const path = p.path
        .replace(':device', pageIds.device)
        .replace(':run', pageIds.run)
        .replace(':campaign', pageIds.campaign);
      await test.step(p.name, () => checkPage(page, path, `${role.toLowerCase()}-${theme}-${p.name}`, testInfo));
    }
  });
}

test('an unknown URL shows the not-found page, not the inventory', async ({ page, seed }) => {
  await logIn(page, await seed.user('VIEWER'));
  await page.goto('/devices-typo/123');
  await expect(page.getByRole('heading', { name: 'Page not found' })).toBeVisible();
  await expect(page).toHaveURL(/\/devices-typo\/123$/);
  await page.getByRole('link', { name: 'Go to the inventory' }).click();
  await expect(page).toHaveURL(/\/inventory$/);
});

test('the theme switches to light and back, and is kept across a reload', async ({ page, seed }) => {
  await logIn(page, await seed.user('VIEWER'));
  const html = page.locator('html');
  await expect(html).toHaveAttribute('data-theme', 'dark');
  const dark = await page.evaluate(() => getComputedStyle(document.documentElement).backgroundColor);
  await page.getByRole('button', { name: 'Light theme' }).click();
  await expect(html).toHaveAttribute('data-theme', 'light');
  expect(await page.evaluate(() => getComputedStyle(document.documentElement).backgroundColor)).not.toBe(dark);
  await page.reload();
  await expect(html).toHaveAttribute('data-theme', 'light');
  await page.getByRole('button', { name: 'Dark theme' }).click();
  await expect(html).toHaveAttribute('data-theme', 'dark');
});

test('a dialog keeps the keyboard inside it, closes on Escape and gives focus back', async ({ page, seed }) => {
  await logIn(page, await seed.user('OPERATOR'));
  const add = page.getByRole('button', { name: 'Add device' });
  await add.focus();
  await page.keyboard.press('Enter');
  const dialog = page.getByRole('dialog');
  await expect(dialog).toBeVisible();
  for (let i = 0; i < 40; i++) {
    await page.keyboard.press(i % 2 ? 'Tab' : 'Shift+Tab');
    expect(await dialog.evaluate((d) => d.contains(document.activeElement))).toBe(true);
  }
  await page.keyboard.press('Escape');
  await expect(dialog).toHaveCount(0);
  await expect(add).toBeFocused();
});
