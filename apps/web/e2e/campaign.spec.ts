// A fleet campaign end to end, two people in two browsers: an operator builds a campaign of three
// lab ASR 1000s in the builder (one of them with a post-check failure injected through the lab's
// fault API), previews and submits it; an approver finds it in the queue and approves the plan
// hash shown; the canary runs once the window opens; the approver opens the gate; the last wave
// runs (the faulted device rolls back, within the failure budget) and the campaign completes; the
// report shows the rolled-back device with the failed post-check's evidence. Real workers, real
// SSH to the lab, at `npm start`'s time scale.
import type { Page } from '@playwright/test';
import { expect, logIn, test } from './fixtures.ts';

const HOSTS = ['lab-pe001', 'lab-pe002', 'lab-pe003'] as const;
const FAULTED = 'lab-pe003';
const TARGET = '03.16.06.S';
/**
 * The window opens this long after the operator sets it (an edit once the preview is done): time to
 * submit and approve, since a request not approved before the window opens expires.
 */
const LEAD_MS = 15_000;

async function labFaults(hostname: string, faults: string[]) {
  const url = process.env.HITLESS_E2E_LAB_URL;
  const token = process.env.HITLESS_E2E_LAB_TOKEN;
  if (!url || !token) throw new Error('the launcher did not print the lab fault API (see e2e/global-setup.ts)');
  const res = await fetch(`${url.replace(/\/$/, '')}/api/devices/${hostname}/faults`, {
    method: 'PUT',
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    body: JSON.stringify({ faults }),
  });
  expect(res.status, await res.text()).toBe(200);
}

/** The window's local start and end in UTC with seconds (the form takes YYYY-MM-DDTHH:MM:SS). */
const utc = (ms: number) => new Date(ms).toISOString().slice(0, 19);

const status = (page: Page) => page.locator('.campaign-meta [data-status]').first();
const tile = (page: Page, hostname: string) =>
  page.getByLabel('Devices', { exact: true }).locator(`.tile[data-hostname="${hostname}"]`);

test('an operator builds and submits a campaign, an approver approves and opens the gate, the report shows the rollback', async ({
  browser,
  seed,
}) => {
  test.setTimeout(300_000);
  const t0 = Date.now();
  const phase = (what: string) =>
    process.stdout.write(`campaign e2e: ${what} at ${((Date.now() - t0) / 1000).toFixed(0)} s\n`);
  const [operator, approver] = await Promise.all([seed.user('OPERATOR'), seed.user('APPROVER')]);
  const images = (await (await seed.admin.get('/api/v1/images?vendor=CISCO_IOSXE&platformFamily=asr1000')).json())
    .items as { id: string; version: string }[];
  const image = images.find((i) => i.version === TARGET)!;
  await labFaults(FAULTED, ['post-check-failure']);
  const name = seed.unique('e2e campaign');
  const ticket = seed.unique('CHG');

  const opContext = await browser.newContext();
  const apContext = await browser.newContext();
  try {
    // The operator builds the campaign; the approver is logged in meanwhile.
    const [op, ap] = await Promise.all([opContext.newPage(), apContext.newPage()]);
    await Promise.all([logIn(op, operator), logIn(ap, approver)]);
    await op.getByRole('link', { name: 'Campaigns' }).click();
    await op.getByRole('link', { name: 'New campaign' }).click();
    await op.getByLabel('Name', { exact: true }).fill(name);
    await op.getByLabel('Ticket').fill(ticket);
    await op.getByLabel('Search devices to pick').fill('lab-pe00');
    for (const h of HOSTS) await op.getByLabel(`Pick ${h}`, { exact: true }).check();
    await expect(op.getByText('3 devices picked')).toBeVisible();
    const targets = op.getByRole('table', { name: 'Target images' });
    const noTarget = targets.locator('tr[data-family="asr1000"] .flag-warn');
    await expect(noTarget).toHaveText('no target');
    await op.getByLabel('Target for asr1000').selectOption(image.id);
    await expect(noTarget).toHaveCount(0);
    await op.getByLabel('Wave size').fill('2');
    await op.getByLabel('Failure budget', { exact: true }).fill('2');
    await op.getByRole('button', { name: 'Save and preview plan' }).click();

    // The preview: every device checked on the device, read-only; then submission freezes the plan.
    await expect(op).toHaveURL(/\/campaigns\/[0-9a-f-]{36}$/);
    const campaignUrl = op.url();
    await expect(op.getByRole('heading', { name })).toContainText(ticket);
    const plan = op.getByRole('table', { name: 'Devices in the plan' });
    for (const h of HOSTS)
      await expect(plan.locator(`tr[data-hostname="${h}"] [data-impact="ISSU_C"]`)).toBeVisible({ timeout: 45_000 });
    phase('preview done');

    // The window (tomorrow by default) moves to start in a few seconds; the predictions stay valid.
    await op.getByRole('link', { name: 'Edit' }).click();
    await op.getByLabel('Time zone').selectOption('UTC');
    const start = Date.now() + LEAD_MS;
    await op.getByLabel('Start (local)').fill(utc(start));
    await op.getByLabel('End (local)').fill(utc(start + 2 * 3600_000));
    await op.getByRole('button', { name: 'Save changes' }).click();
    await expect(op).toHaveURL(campaignUrl);
    await expect(op.locator('.campaign-meta')).toContainText(`${utc(start).slice(0, 10)} ${utc(start).slice(11, 16)}`);
    await expect(plan.locator('[data-impact="ISSU_C"]')).toHaveCount(3);
    await op.getByRole('button', { name: 'Submit for approval' }).click();
    await expect(status(op)).toHaveAttribute('data-status', 'PENDING_APPROVAL');
    await expect(op.locator('[data-fits="yes"]')).toBeVisible();
    await expect(op.getByRole('table', { name: 'Waves' }).locator('tr[data-wave]')).toHaveCount(2);
    await expect(op.getByRole('button', { name: 'Approve' })).toHaveCount(0);
    const planHash = (await op.locator('.plan-hash .mono').textContent())!;
    expect(planHash).toMatch(/^[0-9a-f]{64}$/);

    // The approver finds it in the queue and approves the plan as shown.
    await ap.getByRole('link', { name: 'Approvals' }).click();
    const card = ap.getByRole('article', { name });
    await expect(card.locator('tr[data-family="asr1000"]')).toContainText('Hitless ISSU (C): 3');
    await card.getByRole('link', { name: `Open ${name}` }).click();
    await expect(ap).toHaveURL(campaignUrl);
    await ap.getByRole('button', { name: 'Approve' }).click();
    const decide = ap.getByRole('dialog', { name: `Approve ${name}` });
    await expect(decide).toContainText(planHash);
    await decide.getByRole('button', { name: 'Approve plan' }).click();
    await expect(decide.getByText('a comment is required')).toBeVisible();
    await decide.getByLabel('Comment (required, audited)').fill('e2e: CAB approved, canary first');
    await decide.getByRole('button', { name: 'Approve plan' }).click();
    await expect(decide).toBeHidden();
    await expect(status(ap)).toHaveAttribute('data-status', /APPROVED|SCHEDULED|RUNNING/);
    phase('approved');

    // The window opens, the canary runs; the gate waits for the approver, who sees its result.
    const gate = ap.getByRole('region', { name: 'Gate' });
    await expect(gate).toContainText('Gate after Canary', { timeout: 180_000 });
    phase('canary done, gate waiting');
    await expect(gate.getByRole('table', { name: 'Results of Canary' })).toContainText('lab-pe001');
    await expect(gate.locator('[data-state="SUCCEEDED"]')).toBeVisible();
    await expect(op.getByRole('region', { name: 'Gate' })).toContainText('waits for an approver');
    await expect(op.getByRole('region', { name: 'Gate' }).getByRole('button', { name: 'Open gate' })).toHaveCount(0);
    await gate.getByRole('button', { name: 'Open gate' }).click();
    const open = ap.getByRole('dialog', { name: 'Open the gate after Canary' });
    await open.getByLabel('Comment (required, audited)').fill('e2e: canary clean');
    await open.getByRole('button', { name: 'Open gate' }).click();
    await expect(open).toBeHidden();

    // The last wave: the faulted device rolls back (within the budget of 2), the campaign completes.
    await expect(tile(op, 'lab-pe002')).toHaveAttribute('data-state', /RUNNING|SUCCEEDED/, { timeout: 60_000 });
    await expect(status(op)).toHaveAttribute('data-status', 'COMPLETED', { timeout: 180_000 });
    phase('completed');
    await expect(tile(op, 'lab-pe001')).toHaveAttribute('data-state', 'SUCCEEDED');
    await expect(tile(op, 'lab-pe002')).toHaveAttribute('data-state', 'SUCCEEDED');
    await expect(tile(op, FAULTED)).toHaveAttribute('data-state', 'ROLLED_BACK');
    await expect(op.getByTestId('failure-budget')).toHaveText('1 / 2');
    await expect(op.getByRole('region', { name: 'Timeline' }).locator('.gantt-bar')).toHaveCount(3);
    await expect(op.getByRole('table', { name: 'Approvals history' })).toContainText('e2e: canary clean');
    await expect(op.getByRole('button', { name: 'Retry failed in a follow-up' })).toBeVisible();

    // The report: who did what, and the rolled-back device with the failed post-check's evidence.
    await op.getByRole('link', { name: 'Report', exact: true }).click();
    await expect(op.getByRole('heading', { name: `Report: ${name}` })).toBeVisible();
    await expect(op.getByRole('table', { name: 'People' })).toContainText(approver.username);
    const faulted = op.locator(`.report-device[data-hostname="${FAULTED}"]`);
    await expect(faulted).toHaveAttribute('open', '');
    await expect(faulted.locator('[data-state="ROLLED_BACK"]')).toBeVisible();
    await expect(faulted.locator('.check-fail').first()).toBeVisible();
    await expect(op.locator(`.report-device[data-hostname="lab-pe001"] [data-state="SUCCEEDED"]`)).toBeVisible();
    await expect(op.getByRole('link', { name: 'Download CSV' })).toHaveAttribute('href', /format=csv/);
    phase('report checked');

    // A follow-up: a new draft of the device that rolled back, linked to this campaign.
    await op.goBack();
    await op.getByRole('button', { name: 'Retry failed in a follow-up' }).click();
    await expect(op).not.toHaveURL(campaignUrl);
    await expect(status(op)).toHaveAttribute('data-status', 'DRAFT');
    await expect(op.getByRole('link', { name: 'follow-up of an earlier campaign' })).toHaveAttribute(
      'href',
      new URL(campaignUrl).pathname,
    );
    await expect(op.getByText('Not previewed yet')).toContainText('1 device picked');
    await op.getByRole('button', { name: 'Preview plan' }).click();
    const retry = op.getByRole('table', { name: 'Devices in the plan' });
    await expect(retry.locator('tbody tr')).toHaveCount(1);
    await expect(retry.locator(`tr[data-hostname="${FAULTED}"]`)).toBeVisible();
  } finally {
    await labFaults(FAULTED, []);
    await opContext.close();
    await apContext.close();
  }
});
