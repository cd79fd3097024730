// The audit page per role: everyone reads the trail and filters it (actor, action, target, time);
// roles with audit:verify (approver, admin) also see the chain's verification ("Chain verified:
// N entries, last checkpoint …") and download the CSV and JSON exports of the filtered set; the
// others are told so on the page, and the server refuses those to them anyway (403).
import { readFile } from 'node:fs/promises';
import AxeBuilder from '@axe-core/playwright';
import { request, type Page, type TestInfo } from '@playwright/test';
import { expect, logIn, test, type Seed } from './fixtures.ts';

const octet = () => 1 + Math.floor(Math.random() * 250);

/** A device created and edited by a new operator: three events of their own in the trail. */
async function someEvents(seed: Seed) {
  const operator = await seed.user('OPERATOR');
  const ctx = await request.newContext({
    baseURL: seed.baseURL,
    extraHTTPHeaders: { origin: new URL(seed.baseURL).origin },
  });
  expect((await ctx.post('/api/v1/auth/login', { data: operator })).status()).toBe(200);
  const hostname = `${seed.unique('audit')}.lab`;
  const created = await ctx.post('/api/v1/devices', {
    data: { hostname, mgmtAddress: `127.77.${octet()}.${octet()}`, vendor: 'JUNOS', platform: 'MX480', site: 'E2E' },
  });
  expect(created.status()).toBe(201);
  const device = (await created.json()) as { id: string };
  expect((await ctx.patch(`/api/v1/devices/${device.id}`, { data: { notes: 'audited' } })).status()).toBe(200);
  await ctx.dispose();
  return { operator, hostname, device };
}

const table = (page: Page) => page.getByRole('table', { name: 'Audit events' });

/** No serious or critical axe-core violation on the page as it is now. */
async function axeClean(page: Page) {
  const axe = await new AxeBuilder({ page }).analyze();
  const bad = axe.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
  expect(bad.map((v) => `${v.id} (${v.impact}): ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`)).toEqual([]);
}

async function shot(page: Page, testInfo: TestInfo, name: string) {
  const path = testInfo.outputPath(`${name}.png`);
  await page.screenshot({ path, fullPage: true });
  await testInfo.attach(`${name}.png`, { path, contentType: 'image/png' });
}

test('a viewer reads and filters the trail, and sees no verification or export', async ({ page, seed }, testInfo) => {
  const { operator, device } = await someEvents(seed);
  const viewer = await seed.user('VIEWER');
  await logIn(page, viewer);
  const nav = page.getByRole('navigation', { name: 'Main' });
  await expect(nav).toBeVisible();
  await nav.getByRole('link', { name: 'Audit', exact: true }).click();
  await expect(page.getByRole('heading', { name: 'Audit log' })).toBeVisible();
  await expect(table(page).locator('tbody tr').first()).toBeVisible();

  await page.getByLabel('Actor', { exact: true }).fill(operator.username);
  await expect(page).toHaveURL(new RegExp(`actor=${operator.username}`));
  const rows = table(page).locator('tbody tr');
  await expect(table(page)).toContainText('device.created');
  await expect(table(page)).toContainText('auth.login');
  await page.getByLabel('Action', { exact: true }).fill('device.');
  await expect(rows).toHaveCount(2);
  await expect(rows.nth(0)).toContainText('device.updated');
  await expect(rows.nth(1)).toContainText('device.created');
  // The target links to the device's page; details open in place.
  await expect(rows.nth(0).getByRole('link', { name: /Device/ })).toHaveAttribute('href', `/devices/${device.id}`);
  await rows
    .nth(0)
    .getByRole('button', { name: /Show details/ })
    .click();
  await expect(table(page).locator('.audit-details')).toContainText('notes');

  // A time range: nothing before the operator existed.
  await page.getByLabel('To', { exact: true }).fill('2001-01-01T00:00:00');
  await expect(table(page)).toContainText('No event matches these filters.');
  await page.getByRole('button', { name: 'Clear filters' }).click();
  await expect(page).not.toHaveURL(/actor=/);
  await expect(page.getByText(/^[\d,]+ events?, newest first/)).toBeVisible();
  await expect(rows.first()).not.toContainText('No event');

  await expect(page.getByRole('region', { name: 'Chain verification' })).toHaveCount(0);
  await expect(page.getByRole('link', { name: /Export/ })).toHaveCount(0);
  await expect(page.getByTestId('audit-no-verify')).toContainText(
    'The chain verification and the CSV / JSON exports are for approvers and admins; your role (VIEWER)',
  );
  await page.setViewportSize({ width: 1024, height: 900 });
  await shot(page, testInfo, 'audit-viewer-dark-1024');
  await axeClean(page);
  // The server refuses anyway.
  for (const path of ['/api/v1/audit/verify', '/api/v1/audit/export.csv', '/api/v1/audit/export']) {
    const res = await page.request.get(path);
    expect(res.status(), path).toBe(403);
    expect(await res.json()).toMatchObject({ code: 'FORBIDDEN' });
  }
});

test('an approver sees the chain verified and downloads the filtered CSV and JSON', async ({
  page,
  seed,
}, testInfo) => {
  const { operator } = await someEvents(seed);
  const approver = await seed.user('APPROVER');
  await logIn(page, approver);
  await expect(
    page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Audit', exact: true }),
  ).toBeVisible();
  await page.goto(`/audit?actor=${operator.username}&action=device.`);
  const verify = page.getByTestId('audit-verify');
  await expect(verify).toContainText(
    /Chain verified: [\d,]+ entries, (last checkpoint .+ at entry #\d+|no signed checkpoint yet)/,
  );
  await expect(table(page).locator('tbody tr')).toHaveCount(2);

  // How it looks, at a wall screen's width and a laptop's, with one event's details open.
  await table(page)
    .getByRole('button', { name: /Show details/ })
    .first()
    .click();
  for (const [theme, width] of [
    ['dark', 1440],
    ['dark', 1024],
    ['light', 1440],
    ['light', 1024],
  ] as const) {
    if (theme === 'light' && width === 1440) {
      await page.evaluate(() => localStorage.setItem('hitless:theme', 'light'));
      await page.reload();
      await expect(table(page).locator('tbody tr')).toHaveCount(2);
      await expect(verify).toContainText('Chain verified');
    }
    await page.setViewportSize({ width, height: 900 });
    // The page itself fits (the top bar is the layout's own concern).
    const overflow = await page
      .locator('.audit-page')
      .evaluate((el) =>
        Math.max(
          el.scrollWidth - el.clientWidth,
          ...[...el.querySelectorAll('.table-wrap')].map((t) => t.scrollWidth - t.clientWidth),
        ),
      );
    expect(overflow, `horizontal overflow at ${width} px`).toBeLessThanOrEqual(0);
    await shot(page, testInfo, `audit-${theme}-${width}`);
    if (width === 1024) await axeClean(page);
  }

  const csvLink = page.getByRole('link', { name: 'Export CSV (filtered, 2 events)' });
  const [download] = await Promise.all([page.waitForEvent('download'), csvLink.click()]);
  expect(download.suggestedFilename()).toMatch(/^hitless-audit-\d{4}-\d{2}-\d{2}\.csv$/);
  const lines = (await readFile((await download.path())!, 'utf8')).trim().split('\n');
  expect(lines[0]).toBe('id,at,actorName,actorId,action,targetType,targetId,requestId,ip,details,hash');
  expect(lines).toHaveLength(3);
  expect(lines[1]).toContain('device.created');
  expect(lines[2]).toContain('device.updated');
  for (const line of lines.slice(1)) expect(line).toContain(operator.username);

  const [json] = await Promise.all([
    page.waitForEvent('download'),
    page.getByRole('link', { name: 'Export JSON (filtered, 2 events)' }).click(),
  ]);
  expect(json.suggestedFilename()).toMatch(/^hitless-audit-\d{4}-\d{2}-\d{2}\.json$/);
  const exported = JSON.parse(await readFile((await json.path())!, 'utf8')) as {
    filter: Record<string, string>;
    events: { action: string; actorName: string; prevHash: string }[];
    checkpoint: unknown;
  };
  expect(exported.filter).toEqual({ actor: operator.username, action: 'device.' });
  expect(exported.events.map((e) => e.action)).toEqual(['device.created', 'device.updated']);
  expect(exported.events.every((e) => e.actorName === operator.username && e.prevHash)).toBe(true);
  expect(exported.checkpoint).not.toBeNull();
});
