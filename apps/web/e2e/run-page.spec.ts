// The run page as operators and viewers read it, and the upgrade dialog's words: picking a late
// step scrolls the transcript, not the page (the header with the status and Accept / Abort stays
// in view, not under the sticky top bar); a lost connection says "Reconnecting…" on the page; an
// abort's audited comment is shown with who and when; a rolled-back run names the release the
// device runs again, its end time and duration; a refused checksum pre-check shows the registered
// and the device's digest (a real lab run on lab-agg001, used by no other spec); a viewer gets no
// Accept / Abort / Upgrade and the API refuses its start with 403. The waiting run is written
// into PostgreSQL the way a worker writes it, with a lease a live worker would hold, so no worker
// touches it while the test reads it.
import type { Locator, Page } from '@playwright/test';
import { database, expect, logIn, test } from './fixtures.ts';
import { imageOf, labDevice, labFaults, offLabDevice, SB8, SB9, waitingRun } from './run-page-fixtures.ts';

const LAB_CISCO = 'lab-agg001';

/** Within the viewport, below the sticky top bar, and the element the browser would click there. */
async function expectUncovered(target: Locator) {
  const seen = await target.evaluate((el) => {
    const r = el.getBoundingClientRect();
    const hit = document.elementFromPoint(r.left + r.width / 2, r.top + r.height / 2);
    return { top: r.top, bottom: r.bottom, height: innerHeight, hit: hit !== null && (hit === el || el.contains(hit)) };
  });
  expect(seen.top).toBeGreaterThanOrEqual(0);
  expect(seen.bottom).toBeLessThanOrEqual(seen.height);
  expect(seen.hit, 'covered by something else (the sticky top bar?)').toBe(true);
}

async function shoot(page: Page, name: string, file: string) {
  for (const [width, height] of [
    [1440, 900],
    [1024, 768],
  ] as const) {
    for (const theme of ['dark', 'light'] as const) {
      await page.setViewportSize({ width, height });
      await page.evaluate((t) => localStorage.setItem('hitless:theme', t), theme);
      await page.reload();
      await expect(page.getByRole('heading', { level: 1 })).toBeVisible();
      await page.screenshot({ path: `${file}-${name}-${width}-${theme}.png` });
    }
  }
  await page.evaluate(() => localStorage.removeItem('hitless:theme'));
}

test('the run page keeps its header in view, says Reconnecting…, and shows what operators said and how it ended', async ({
  page,
  browser,
  seed,
}, testInfo) => {
  test.setTimeout(90_000);
  const db = await database();
  try {
    const operator = await seed.user('OPERATOR');
    const viewer = await seed.user('VIEWER');
    const like = await labDevice(seed, 'lab-bng001');
    const device = await offLabDevice(seed, like, SB8);
    const image = await imageOf(seed, like.vendor, 'c10k', SB9);
    const creator = (await db.query<{ id: string }>('SELECT id FROM "User" WHERE username = $1', [operator.username]))
      .rows[0]!.id;
    const id = await waitingRun(db, device, image.id, creator);

    await page.setViewportSize({ width: 1440, height: 900 });
    await logIn(page, operator);
    await expect(page.getByRole('navigation', { name: 'Main' })).toBeVisible();
    await page.goto(`/runs/${id}`);
    const heading = page.getByRole('heading', { level: 1, name: `${device.hostname} → ${SB9}` });
    await expect(heading).toBeVisible();
    await expect(heading.getByRole('link', { name: device.hostname })).toHaveAttribute('href', `/devices/${device.id}`);
    const accept = page.getByRole('button', { name: 'Accept', exact: true });
    const abort = page.getByRole('button', { name: 'Abort', exact: true });
    await expect(accept).toBeVisible();

    // A late step: the transcript scrolls to it, the page does not.
    const steps = page.getByRole('list', { name: 'Steps' });
    await steps.locator('[data-step="post-check pass 8"] .step-button').click();
    const transcript = page.getByRole('log', { name: 'Device transcript' });
    await expect
      .poll(() =>
        transcript.evaluate((el) => {
          const section = [...el.querySelectorAll('section')].at(-1)!;
          return Math.round(section.getBoundingClientRect().top - el.getBoundingClientRect().top);
        }),
      )
      .toBeLessThan(12);
    expect(await page.evaluate(() => scrollY)).toBe(0);
    await expectUncovered(accept);
    await expectUncovered(abort);
    await expectUncovered(heading);

    // A lost connection is said on the page, and goes once the socket is back.
    const reconnecting = page.locator('.run-page').getByRole('status').filter({ hasText: 'Reconnecting…' });
    await expect(reconnecting).toHaveCount(0);
    await page.context().setOffline(true);
    await expect(reconnecting).toBeVisible({ timeout: 30_000 });
    await page.context().setOffline(false);
    await expect(reconnecting).toBeHidden({ timeout: 30_000 });

    // The abort's audited comment is shown with who asked and when.
    await abort.click();
    const dialog = page.getByRole('dialog', { name: `Abort the upgrade of ${device.hostname}` });
    await dialog.getByLabel('Comment (audited)').fill('e2e: wrong maintenance window');
    await dialog.getByRole('button', { name: 'Abort upgrade' }).click();
    await expect(dialog).toBeHidden();
    const actions = page.getByRole('region', { name: 'Operator actions' });
    await expect(actions.locator('[data-kind="abort"]')).toContainText(`Abort requested by ${operator.username}`);
    await expect(actions).toContainText('e2e: wrong maintenance window');

    // A viewer reads the same page without Accept / Abort, and cannot start a run through the API either.
    const other = await browser.newContext({ baseURL: seed.baseURL });
    const viewerPage = await other.newPage();
    await logIn(viewerPage, viewer);
    await expect(viewerPage.getByRole('navigation', { name: 'Main' })).toBeVisible();
    await viewerPage.goto(`/runs/${id}`);
    await expect(viewerPage.getByRole('region', { name: 'Operator actions' })).toContainText(
      'wrong maintenance window',
    );
    await expect(viewerPage.locator('.page-actions [data-status="WAITING_ACCEPT"]')).toBeVisible();
    await expect(viewerPage.getByRole('button', { name: /^(Accept|Abort)$/ })).toHaveCount(0);
    const refused = await viewerPage.request.post('/api/v1/runs', {
      data: { deviceId: device.id, imageId: image.id },
      headers: { origin: new URL(seed.baseURL).origin },
    });
    expect(refused.status()).toBe(403);
    await viewerPage.goto('/inventory');
    await viewerPage.getByRole('searchbox', { name: 'Search devices' }).fill(device.hostname);
    await expect(viewerPage.getByRole('row').filter({ hasText: device.hostname })).toBeVisible();
    await expect(viewerPage.getByRole('button', { name: `Upgrade ${device.hostname}` })).toHaveCount(0);
    await other.close();

    // It ends rolled back, with a summary that does not name the release (as runs recorded before
    // the worker named it): the page names it, with the end time and the duration.
    await db.query(
      `UPDATE "DeviceRun" SET status = 'ROLLED_BACK', "endedAt" = "startedAt" + interval '5 minutes',
         summary = $2, "currentStep" = NULL, "workerId" = NULL, "heartbeatAt" = NULL WHERE id = $1`,
      [id, 'rolled back: operator'],
    );
    await page.reload();
    await expect(page.getByRole('alert').filter({ hasText: 'rolled back: operator' })).toContainText(
      `The device runs ${SB8} again, the release it had before this run.`,
    );
    await expect(page.getByTestId('run-ended')).not.toHaveText('not yet');
    await expect(page.getByTestId('run-duration')).toHaveText('5 min 0 s');
    await expect(page.getByRole('button', { name: /^(Accept|Abort)$/ })).toHaveCount(0);
    await shoot(page, 'rolled-back', testInfo.outputPath('run-page'));
  } finally {
    await db.end();
  }
});

test('a refused checksum pre-check shows the registered and the device digest; a Cisco run keeps no Junos options', async ({
  page,
  seed,
}, testInfo) => {
  test.setTimeout(90_000);
  const device = await labDevice(seed, LAB_CISCO);
  const target = await imageOf(seed, device.vendor, 'cat4500', '03.06.00.E');
  await labFaults(LAB_CISCO, ['image-corrupt']);
  try {
    const res = await seed.admin.post('/api/v1/runs', {
      data: {
        deviceId: device.id,
        imageId: target.id,
        allowDisruptive: true,
        options: { rollbackTimerSeconds: 600, rebootOldMaster: false, restoreMastership: false },
      },
    });
    expect(res.status(), await res.text()).toBe(201);
    const run = await res.json();
    expect(run.options).toEqual({ rollbackTimerSeconds: 600 });

    await logIn(page, await seed.user('VIEWER'));
    await expect(page.getByRole('navigation', { name: 'Main' })).toBeVisible();
    await page.goto(`/runs/${run.id}`);
    await expect(page.locator('.page-actions [data-status="REFUSED"]')).toBeVisible({ timeout: 60_000 });
    const checks = page.getByRole('list', { name: 'Pre-checks' });
    const checksum = checks.locator('[data-rule^="checksum"].check-fail').first();
    await expect(checksum).toBeVisible();
    await expect(checksum).toContainText(`Registered${target.md5}`);
    const onDevice = await checksum.locator('dd').nth(1).textContent();
    expect(onDevice).toMatch(/^[0-9a-f]{32}$/);
    expect(onDevice).not.toBe(target.md5);
    await expect(page.getByRole('alert').filter({ hasText: 'refused by pre-checks' })).toContainText(
      `Nothing was changed: the device stays on ${device.currentVersion}.`,
    );
    await page.setViewportSize({ width: 1440, height: 900 });
    await page.screenshot({ path: testInfo.outputPath('run-page-refused-1440-dark.png') });
  } finally {
    await labFaults(LAB_CISCO, []);
  }
});

test('the upgrade dialog says each image’s compatibility in words and will not start an incompatible one without FSU', async ({
  page,
  seed,
}, testInfo) => {
  const c10k = await offLabDevice(seed, await labDevice(seed, 'lab-bng001'), SB8);
  const cat = await offLabDevice(seed, await labDevice(seed, LAB_CISCO), '03.05.01.E');
  await logIn(page, await seed.user('OPERATOR'));
  await expect(page.getByRole('navigation', { name: 'Main' })).toBeVisible();
  const open = async (hostname: string) => {
    await page.getByRole('searchbox', { name: 'Search devices' }).fill(hostname);
    await page.getByRole('button', { name: `Upgrade ${hostname}` }).click();
    return page.getByRole('dialog', { name: `Upgrade ${hostname}` });
  };

  // Before anything is picked, each image says what the matrix says, in words.
  let dialog = await open(c10k.hostname);
  const image = dialog.getByLabel('Target image');
  await expect(image.locator('option', { hasText: SB9 })).toHaveText(/^12\.2\(33\)SB9 — compatible \(ISSU\) — /);
  await expect(image.locator('option', { hasText: 'SB10' })).toHaveText(/— base-level: ISSU, some state lost —/);
  for (const text of await image.locator('option').allTextContents()) expect(text).not.toMatch(/\((B|C|I)\)/);
  // A Cisco dialog has Cisco's options only.
  await expect(dialog.getByLabel('Rollback timer (seconds)')).toBeVisible();
  await expect(dialog.getByText('Reboot the old master onto the new release')).toHaveCount(0);
  await dialog.getByRole('button', { name: 'Cancel' }).click();

  dialog = await open(cat.hostname);
  const start = dialog.getByRole('button', { name: 'Start upgrade' });
  const options = dialog.getByLabel('Target image').locator('option[data-level="I"]');
  await expect(options).toHaveCount(2);
  await expect(options.first()).toHaveText(/— incompatible: FSU only —/);
  await dialog.getByLabel('Target image').selectOption({ index: 1 });
  await expect(start).toBeDisabled();
  await expect(start).toHaveAccessibleDescription(/incompatible with 03\.05\.01\.E: only a disruptive Fast Software/);
  await expect(dialog.getByText(/only a disruptive Fast Software Upgrade is possible; tick/)).toBeVisible();
  await page.setViewportSize({ width: 1024, height: 768 });
  await page.screenshot({ path: testInfo.outputPath('upgrade-dialog-incompatible-1024-dark.png') });
  await dialog.getByLabel('Allow a disruptive Fast Software Upgrade when the images are incompatible').check();
  await expect(start).toBeEnabled();
  await dialog.getByRole('button', { name: 'Cancel' }).click();
});
