// A Junos upgrade with an operator accept, end to end at `npm start`'s time scale: the run
// waits after post-checks on the new master, before the old master is rebooted; the Abort
// dialog says what an abort would do at that moment (mastership back, ROLLED_BACK); the operator
// accepts instead and the run completes with both REs on the new release.
import { expect, openUpgrade, test } from './fixtures.ts';

const TARGET = '10.3R2.11';

test('an operator accepts a Junos upgrade that waits before the old master leaves the old release', async ({
  page,
  seed,
}) => {
  test.setTimeout(300_000);
  const { device, dialog } = await openUpgrade(page, seed, {
    tag: 'mx',
    vendor: 'JUNOS',
    family: 'mx',
    target: TARGET,
  });
  await expect(dialog.getByLabel('Wait for an operator to accept after post-checks')).toBeChecked();
  await dialog.getByRole('button', { name: 'Start upgrade' }).click();
  await expect(page).toHaveURL(/\/runs\/[0-9a-f-]{36}$/);
  const runId = page.url().split('/').at(-1)!;

  const steps = page.getByRole('list', { name: 'Steps' });
  await expect(steps.locator('[data-step="post-checks"][data-status="SUCCEEDED"]')).toBeVisible({ timeout: 180_000 });
  const accept = page.getByRole('button', { name: 'Accept', exact: true });
  await expect(accept).toBeVisible({ timeout: 30_000 });
  await expect(page.locator('.page-actions [data-status="WAITING_ACCEPT"]')).toBeVisible();
  await expect(steps.locator('[data-step="reboot old master"]')).toHaveCount(0);

  // What an abort would do now: give mastership back and roll back; the run would end ROLLED_BACK.
  await page.getByRole('button', { name: 'Abort', exact: true }).click();
  const abort = page.getByRole('dialog', { name: `Abort the upgrade of ${device.hostname}` });
  await expect(abort).toContainText('Mastership switches back to the routing engine still on 10.1R1.8');
  await expect(abort).toContainText('The run ends ROLLED_BACK');
  await abort.getByRole('button', { name: 'Cancel' }).click();

  await accept.click();
  const confirm = page.getByRole('dialog', { name: `Accept ${TARGET} on ${device.hostname}` });
  await expect(confirm).toContainText(`The old master reboots onto ${TARGET}, the point of no return`);
  await confirm.getByRole('button', { name: 'Accept new software' }).click();
  await expect(page.locator('.page-actions [data-status="COMPLETED"]')).toBeVisible({ timeout: 180_000 });
  for (const name of ['reboot old master', 'restore mastership', 'verify']) {
    await expect(steps.locator(`[data-step="${name}"][data-status="SUCCEEDED"]`)).toBeVisible();
  }
  const run = await (await seed.admin.get(`/api/v1/runs/${runId}`)).json();
  const seconds = (Date.parse(run.endedAt) - Date.parse(run.createdAt)) / 1000;
  process.stdout.write(`Junos MANUAL run at npm start's time scale: ${seconds.toFixed(0)} s from start to COMPLETED\n`);
});
