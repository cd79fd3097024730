// The campaign builder and the decisions that need no device run: messages on their fields (the
// contracts' schema in the browser, the window's time-zone rules from the server), a draft by
// filter, an edit and a deletion; an approver's rejection with its required comment; an operator's
// abort of an approved campaign before its window. Only lab-bng003 is selected (no other spec
// touches it or its redundancy group).
import type { APIRequestContext, Page } from '@playwright/test';
import { expect, logIn, test } from './fixtures.ts';

const HOST = 'lab-bng003';
const GROUP = 'lab-c10k-2';
const TARGET = '12.2(33)SB9';

async function imageId(seed: { admin: APIRequestContext }) {
  const images = (await (await seed.admin.get('/api/v1/images?vendor=CISCO_IOS&platformFamily=c10k')).json()).items as {
    id: string;
    version: string;
  }[];
  return images.find((i) => i.version === TARGET)!.id;
}

/** Fills the builder for lab-bng003 by filter, with a window tomorrow in Europe/Berlin. */
async function fillBuilder(page: Page, o: { name: string; ticket: string; image: string; start: string; end: string }) {
  await page.getByLabel('Name', { exact: true }).fill(o.name);
  await page.getByLabel('Ticket').fill(o.ticket);
  await page.getByLabel('By filter').check();
  await page.getByLabel('Tag').selectOption('c10k');
  await page.getByLabel('Redundancy group').fill(GROUP);
  const matching = page.getByRole('table', { name: 'Matching devices' });
  await expect(matching.locator('tbody tr')).toHaveCount(1);
  await expect(matching).toContainText(HOST);
  await page.getByLabel('Target for c10k').selectOption(o.image);
  await page.getByLabel('Time zone').selectOption('Europe/Berlin');
  await page.getByLabel('Start (local)').fill(o.start);
  await page.getByLabel('End (local)').fill(o.end);
}

/** Logged in once the dashboard shows its navigation (a navigation before that lands on the login form). */
async function loggedIn(page: Page, who: { username: string; password: string }) {
  await logIn(page, who);
  await expect(page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Campaigns' })).toBeVisible();
}

const tomorrow = (hhmm: string) => `${new Date(Date.now() + 86_400_000).toISOString().slice(0, 10)}T${hhmm}`;
const status = (page: Page) => page.locator('.campaign-meta [data-status]').first();

test('the builder shows messages on their fields, saves a draft by filter, edits it and deletes it', async ({
  page,
  seed,
}) => {
  const operator = await seed.user('OPERATOR');
  const image = await imageId(seed);
  const name = seed.unique('draft campaign');
  await loggedIn(page, operator);
  await page.goto('/campaigns/new');

  // The contracts' schema, in the browser: nothing is sent.
  await page.getByLabel('Wave size').fill('many');
  await page.getByRole('button', { name: 'Save as draft' }).click();
  await expect(page.getByRole('alert').filter({ hasText: 'Some fields need a change' })).toBeVisible();
  await expect(page.getByLabel('Name', { exact: true })).toHaveAccessibleDescription('is required');
  await expect(page.getByLabel('Wave size')).toHaveAccessibleDescription('must be a whole number');
  await expect(page.getByText('pick at least one device')).toBeVisible();
  await expect(page.getByText('pick at least one target image')).toBeVisible();
  await page.getByLabel('Wave size').fill('10');

  // The server's window rules: 02:30 does not exist in Berlin on the last Sunday of March 2027.
  await fillBuilder(page, { name, ticket: 'CHG-DRAFT-1', image, start: '2027-03-28T02:30', end: '2027-03-28T05:00' });
  await page.getByRole('button', { name: 'Save as draft' }).click();
  await expect(page.getByLabel('Start (local)')).toHaveAccessibleDescription(/does not exist in Europe\/Berlin/);
  await page.getByLabel('Start (local)').fill('2027-03-28T01:00');
  await page.getByRole('button', { name: 'Save as draft' }).click();

  await expect(page).toHaveURL(/\/campaigns\/[0-9a-f-]{36}$/);
  await expect(status(page)).toHaveAttribute('data-status', 'DRAFT');
  await expect(page.locator('.campaign-meta')).toContainText('2027-03-28 01:00 → 05:00 Europe/Berlin');
  await expect(page.getByText('Not previewed yet')).toBeVisible();
  await expect(page.getByRole('button', { name: 'Submit for approval' })).toBeDisabled();

  await page.getByRole('link', { name: 'Edit' }).click();
  await expect(page.getByLabel('Redundancy group')).toHaveValue(GROUP);
  await expect(page.getByLabel('Target for c10k')).toHaveValue(image);
  await page.getByLabel('Name', { exact: true }).fill(`${name} v2`);
  await page.getByRole('button', { name: 'Save changes' }).click();
  await expect(page.getByRole('heading', { name: `${name} v2` })).toBeVisible();

  page.once('dialog', (d) => void d.accept());
  await page.getByRole('button', { name: 'Delete draft' }).click();
  await expect(page).toHaveURL(/\/campaigns$/);
  await expect(page.getByRole('table', { name: 'Campaigns' })).not.toContainText(name);
});

test('an approver rejects a plan with a comment; an operator aborts an approved campaign before its window', async ({
  browser,
  seed,
}) => {
  test.setTimeout(150_000);
  const [operator, approver] = await Promise.all([seed.user('OPERATOR'), seed.user('APPROVER')]);
  const image = await imageId(seed);
  const op = await (await browser.newContext()).newPage();
  const ap = await (await browser.newContext()).newPage();
  await loggedIn(op, operator);
  await loggedIn(ap, approver);

  const submitted = async (name: string) => {
    await op.goto('/campaigns/new');
    await fillBuilder(op, { name, ticket: 'CHG-E2E-2', image, start: tomorrow('01:00'), end: tomorrow('05:00') });
    await op.getByRole('button', { name: 'Save and preview plan' }).click();
    await expect(op.locator(`tr[data-hostname="${HOST}"] [data-impact="ISSU_C"]`)).toBeVisible({ timeout: 45_000 });
    // Before submission the draft already shows the wave each device would be in.
    await expect(op.locator(`tr[data-hostname="${HOST}"] td.cell-wave`)).toHaveText(/^(Canary|Wave \d+)$/);
    await op.getByRole('button', { name: 'Submit for approval' }).click();
    await expect(status(op)).toHaveAttribute('data-status', 'PENDING_APPROVAL');
    return op.url();
  };

  const rejected = seed.unique('rejected campaign');
  await ap.goto(await submitted(rejected));
  await ap.getByRole('button', { name: 'Reject' }).click();
  const reject = ap.getByRole('dialog', { name: `Reject ${rejected}` });
  await reject.getByRole('button', { name: 'Reject plan' }).click();
  await expect(reject.getByLabel('Comment (required, audited)')).toHaveAccessibleDescription(/a comment is required/);
  await reject.getByLabel('Comment (required, audited)').fill('e2e: not in this change freeze');
  await reject.getByRole('button', { name: 'Reject plan' }).click();
  await expect(status(ap)).toHaveAttribute('data-status', 'REJECTED');
  await expect(status(op)).toHaveAttribute('data-status', 'REJECTED');
  await expect(op.getByRole('table', { name: 'Approvals history' })).toContainText('e2e: not in this change freeze');

  const approved = seed.unique('aborted campaign');
  await ap.goto(await submitted(approved));
  await ap.getByRole('button', { name: 'Approve' }).click();
  const approve = ap.getByRole('dialog', { name: `Approve ${approved}` });
  await approve.getByLabel('Comment (required, audited)').fill('e2e: approved');
  await approve.getByRole('button', { name: 'Approve plan' }).click();
  await expect(status(op)).toHaveAttribute('data-status', 'SCHEDULED');
  await expect(op.getByText('the first wave starts when the window opens')).toBeVisible();
  await op.getByRole('button', { name: 'Pause' }).click();
  const pause = op.getByRole('dialog', { name: `Pause ${approved}` });
  await pause.getByLabel('Comment (audited)').fill('e2e: hold');
  await pause.getByRole('button', { name: 'Pause campaign' }).click();
  await expect(status(op)).toHaveAttribute('data-status', 'PAUSED');
  await expect(op.getByRole('alert').or(op.getByRole('status')).filter({ hasText: 'e2e: hold' })).toBeVisible();
  await expect(op.getByRole('button', { name: 'Pause' })).toHaveCount(0);
  await op.getByRole('button', { name: 'Resume' }).click();
  await op
    .getByRole('dialog', { name: `Resume ${approved}` })
    .getByRole('button', { name: 'Resume campaign' })
    .click();
  await expect(status(op)).toHaveAttribute('data-status', /APPROVED|SCHEDULED/);
  await op.getByRole('button', { name: 'Abort' }).click();
  const abort = op.getByRole('dialog', { name: `Abort ${approved}` });
  await expect(abort).toContainText('this cannot be undone');
  await abort.getByLabel('Comment (audited)').fill('e2e: window moved');
  await abort.getByRole('button', { name: 'Abort campaign' }).click();
  await expect(status(op)).toHaveAttribute('data-status', 'ABORTED');
  await expect(op.getByRole('button', { name: 'Abort' })).toHaveCount(0);
  await op.getByRole('link', { name: 'Report', exact: true }).click();
  await expect(op.getByRole('table', { name: 'People' })).toContainText('e2e: window moved');
});
