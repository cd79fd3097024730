// The spine end to end: an operator starts a Cisco ISSU on a lab chassis from the inventory,
// watches the steps and the device's CLI arrive live, sees the rollback timer count down after
// runversion, rides out a lost connection, accepts, and sees the run end COMPLETED — judged by
// the worker from the device, over real SSH, at the lab's `npm start` time scale.
import { expect, openUpgrade, test } from './fixtures.ts';

const TARGET = '12.2(33)SB9';

/** "44:59" or "1:02:03" → seconds. */
const seconds = (text: string) => text.split(':').reduce((acc, part) => acc * 60 + Number(part), 0);

test('an operator upgrades a Cisco 10000 from the inventory and accepts it on the run page', async ({ page, seed }) => {
  test.setTimeout(240_000);
  const { device, dialog } = await openUpgrade(page, seed, {
    tag: 'c10k',
    vendor: 'CISCO_IOS',
    family: 'c10k',
    target: TARGET,
  });
  await expect(
    dialog.getByText(`Compatibility matrix: ${TARGET} is compatible from ${device.currentVersion}.`),
  ).toBeVisible();
  await expect(dialog.getByLabel('Wait for an operator to accept after post-checks')).toBeChecked();
  await dialog.getByRole('button', { name: 'Start upgrade' }).click();

  // The run page, filling in live.
  await expect(page).toHaveURL(/\/runs\/[0-9a-f-]{36}$/);
  await expect(page.getByRole('heading', { name: `${device.hostname} → ${TARGET}` })).toBeVisible();
  const steps = page.getByRole('list', { name: 'Steps' });
  const transcript = page.getByRole('log', { name: 'Device transcript' });
  await expect(steps.locator('[data-step="pre-checks"][data-status="SUCCEEDED"]')).toBeVisible({ timeout: 30_000 });
  await expect(page.getByRole('list', { name: 'Pre-checks' })).toContainText('Compatibility');
  await expect(steps.locator('[data-step="loadversion"]')).toBeVisible({ timeout: 30_000 });
  await expect(transcript).toContainText(`issu loadversion A disk0:c10k3-p11-mz.122-33.SB9.bin`);

  // A lost connection: the page says so, and catches up (REST refetch, room rejoined) once back.
  await page.context().setOffline(true);
  await expect(page.getByRole('status', { name: /Live updates: (Reconnecting…|Offline)/ })).toBeVisible({
    timeout: 30_000,
  });
  await expect(page.locator('.run-page').getByRole('status').filter({ hasText: 'Reconnecting…' })).toBeVisible();
  await page.waitForTimeout(3000);
  await page.context().setOffline(false);
  await expect(page.getByRole('status', { name: 'Live updates: Live' })).toBeVisible({ timeout: 30_000 });
  await expect(page.locator('.run-page').getByRole('status').filter({ hasText: 'Reconnecting…' })).toHaveCount(0);

  // After runversion the device's rollback timer runs; the page counts it down.
  await expect(steps.locator('[data-step="runversion"][data-status="SUCCEEDED"]')).toBeVisible({ timeout: 90_000 });
  const timer = page.getByRole('timer', { name: 'Rollback timer' });
  await expect(timer).toBeVisible({ timeout: 60_000 });
  const first = seconds((await timer.textContent())!);
  expect(first).toBeGreaterThan(0);
  expect(first).toBeLessThanOrEqual(45 * 60);
  await expect.poll(async () => seconds((await timer.textContent())!), { timeout: 10_000 }).toBeLessThan(first);
  await expect(transcript).toContainText('issu runversion');

  // Post-checks pass; the run waits for an operator, who accepts.
  const accept = page.getByRole('button', { name: 'Accept', exact: true });
  await expect(accept).toBeVisible({ timeout: 60_000 });
  await expect(page.locator('.page-actions [data-status="WAITING_ACCEPT"]')).toBeVisible();
  await accept.click();
  const confirm = page.getByRole('dialog', { name: `Accept ${TARGET} on ${device.hostname}` });
  await confirm.getByLabel('Comment (audited)').fill('e2e: post-checks reviewed');
  await confirm.getByRole('button', { name: 'Accept new software' }).click();
  await expect(confirm).toBeHidden();
  // The accept and its audited comment, on the page with who and when.
  await expect(page.getByRole('region', { name: 'Operator actions' }).locator('[data-kind="accept"]')).toContainText(
    'e2e: post-checks reviewed',
  );

  await expect(page.locator('.page-actions [data-status="COMPLETED"]')).toBeVisible({ timeout: 120_000 });
  await expect(timer).toBeHidden();
  for (const name of ['acceptversion', 'commitversion', 'verify'])
    await expect(steps.locator(`[data-step="${name}"][data-status="SUCCEEDED"]`)).toBeVisible();
  await expect(transcript).toContainText('issu commitversion');
  await expect(page.getByRole('alert').or(page.getByRole('status')).filter({ hasText: TARGET }).first()).toBeVisible();

  // The inventory shows the device on its new release.
  await page.getByRole('link', { name: 'Inventory' }).click();
  await page.getByRole('searchbox', { name: 'Search devices' }).fill(device.hostname);
  await expect(page.getByRole('row').filter({ hasText: device.hostname })).toContainText(TARGET);
});
