// The admin area and the account page: credentials (a secret typed once and never shown again,
// which devices use the lab's credential, rotate, a delete refused while devices use it), users
// (the one-time password shown once, a first login that asks only for the new password and says
// the minimum length), API tokens (shown once, working as Bearer, revoked), and what other roles
// get: no Admin link, a "not allowed" page, and 403 from the server.
import { request, type Page } from '@playwright/test';
import { expect, logIn, test, type Seed } from './fixtures.ts';

/** Every value of every input on the page: a secret must not sit in one after saving. */
const inputValues = (page: Page) =>
  page.evaluate(() => [...document.querySelectorAll('input, textarea')].map((i) => (i as HTMLInputElement).value));

async function asAdmin(page: Page, seed: Seed) {
  await logIn(page, await seed.user('ADMIN'));
  await expect(page.getByRole('navigation', { name: 'Main' })).toBeVisible();
  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Admin' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Users' })).toBeVisible();
}

test('an admin adds a credential (its secret never shown again), sees who uses the lab one, rotates and deletes', async ({
  page,
  seed,
}) => {
  await asAdmin(page, seed);
  await page.getByRole('navigation', { name: 'Admin' }).getByRole('link', { name: 'Credentials' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Credentials' })).toBeVisible();

  // The lab's credential: its devices, each a link to its page, and all of them one click away.
  const lab = page.locator('tr[data-credential="lab"]');
  const { items } = await (await seed.admin.get('/api/v1/credentials')).json();
  const labDto = (items as { name: string; deviceCount: number; usedBy: { id: string; hostname: string }[] }[]).find(
    (c) => c.name === 'lab',
  )!;
  expect(labDto.deviceCount).toBeGreaterThan(3);
  await expect(lab).toContainText(`${labDto.deviceCount} devices:`);
  const first = labDto.usedBy[0]!;
  await expect(lab.getByRole('link', { name: first.hostname })).toHaveAttribute('href', `/devices/${first.id}`);
  await lab.getByRole('button', { name: /more$/ }).click();
  const all = page.getByRole('dialog', { name: 'Devices using lab' });
  await expect(all.getByRole('listitem')).toHaveCount(labDto.deviceCount);
  await all.getByRole('button', { name: 'Close' }).first().click();
  await lab.getByRole('button', { name: 'Delete lab' }).click();
  const refusal = page.getByRole('dialog', { name: 'Delete lab' });
  await expect(refusal).toContainText(`${labDto.deviceCount} devices log in with lab, so it cannot be deleted`);
  await expect(refusal.getByRole('button', { name: 'Delete credential' })).toHaveCount(0);
  await page.keyboard.press('Escape');

  // A new one: the secret is typed once; no page, input or response shows it after saving.
  const name = seed.unique('e2e-cred');
  const secret = `s3cret-${seed.unique('pw')}`;
  await page.getByRole('button', { name: 'Add credential' }).click();
  const add = page.getByRole('dialog', { name: 'Add credential' });
  await add.getByRole('textbox', { name: 'Name', exact: true }).fill(name);
  await add.getByRole('textbox', { name: 'Username', exact: true }).fill('netops');
  await add.getByLabel('Password or secret').fill(secret);
  await add.getByRole('button', { name: 'Add credential' }).click();
  await expect(page.getByRole('status').filter({ hasText: `Credential ${name} added` })).toBeVisible();
  const row = page.locator(`tr[data-credential="${name}"]`);
  await expect(row).toContainText('netops');
  await expect(row).toContainText('no device');
  await expect(row).toContainText('rotated never');
  expect(await inputValues(page)).not.toContain(secret);
  await expect(page.locator('body')).not.toContainText(secret);
  await row.getByRole('button', { name: `Edit ${name}` }).click();
  const edit = page.getByRole('dialog', { name: `Edit credential ${name}` });
  await expect(edit.getByRole('textbox', { name: 'Username', exact: true })).toHaveValue('netops');
  await expect(edit.locator('input[type="password"]')).toHaveCount(0);
  expect(await inputValues(page)).not.toContain(secret);
  await page.keyboard.press('Escape');
  expect(await (await seed.admin.get('/api/v1/credentials')).text()).not.toContain(secret);

  await row.getByRole('button', { name: `Rotate ${name}` }).click();
  const rotate = page.getByRole('dialog', { name: `Rotate ${name}` });
  await rotate.getByLabel('New password or secret').fill(`${secret}-2`);
  await rotate.getByRole('button', { name: 'Rotate secret' }).click();
  await expect(page.getByRole('status').filter({ hasText: `Secret of ${name} rotated` })).toBeVisible();
  await expect(row).not.toContainText('rotated never');
  await expect(row).toContainText(/rotated (?!never)\S/);
  expect(await inputValues(page)).not.toContain(`${secret}-2`);

  await row.getByRole('button', { name: `Delete ${name}` }).click();
  await page
    .getByRole('dialog', { name: `Delete ${name}` })
    .getByRole('button', { name: 'Delete credential' })
    .click();
  await expect(row).toHaveCount(0);
});

test('an admin adds a user whose one-time password is shown once; their first login asks only for a new password', async ({
  page,
  seed,
}) => {
  await asAdmin(page, seed);
  const username = seed.unique('e2e-user');
  await page.getByRole('button', { name: 'Add user' }).click();
  const add = page.getByRole('dialog', { name: 'Add user' });
  await add.getByRole('textbox', { name: 'Username', exact: true }).fill(username);
  await add.getByLabel('Role').selectOption('OPERATOR');
  const generated = await add.getByLabel('One-time password').inputValue();
  expect(generated.length).toBeGreaterThanOrEqual(12);
  await add.getByRole('button', { name: 'Add user' }).click();
  const handover = page.getByRole('dialog', { name: `${username} added` });
  await expect(handover.getByLabel(`One-time password of ${username}`)).toHaveValue(generated);
  await expect(handover).toContainText('You will not see it again.');
  await handover.getByRole('button', { name: 'Done' }).click();
  await expect(handover).toHaveCount(0);
  expect(await inputValues(page)).not.toContain(generated);
  const row = page.locator(`tr[data-username="${username}"]`);
  await expect(row).toContainText('one-time password');
  await expect(row.getByLabel(`Role of ${username}`)).toHaveValue('OPERATOR');

  await page.getByRole('button', { name: 'Log out' }).click();
  await logIn(page, { username, password: generated });
  const form = page.getByRole('form', { name: 'Change password' });
  await expect(form.getByRole('heading', { name: 'Choose your password' })).toBeVisible();
  await expect(form.locator('input[autocomplete="current-password"]')).toHaveCount(0);
  // Carried over in memory only: nothing in the browser's storage holds it.
  const stored = await page.evaluate(() =>
    JSON.stringify([{ ...localStorage }, { ...sessionStorage }, document.cookie]),
  );
  expect(stored).not.toContain(generated);
  // The minimum length is said before anything is submitted, and it is the one the form applies.
  const hint = (await form.getByText(/^At least \d+ characters/).textContent())!;
  const min = Number(/At least (\d+)/.exec(hint)![1]);
  expect(min).toBeGreaterThanOrEqual(8);
  await form.getByLabel('New password', { exact: true }).fill('x'.repeat(min - 1));
  await form.getByRole('button', { name: 'Change password' }).click();
  await expect(form.getByText(`must be at least ${min} characters`)).toBeVisible();
  const own = `${generated} but mine now`;
  await form.getByLabel('New password', { exact: true }).fill(own);
  await form.getByLabel('Repeat new password').fill(own);
  await form.getByRole('button', { name: 'Change password' }).click();
  await expect(page.getByRole('navigation', { name: 'Main' })).toBeVisible();
  const login = await request.newContext({ baseURL: seed.baseURL });
  expect((await login.post('/api/v1/auth/login', { data: { username, password: own } })).status()).toBe(200);
  await login.dispose();
});

test('a user creates an API token, sees it once, uses it as Bearer, and revokes it', async ({ page, seed }) => {
  await logIn(page, await seed.user('VIEWER'));
  await expect(page.getByRole('navigation', { name: 'Main' })).toBeVisible();
  await page.goto('/account');
  await expect(page.getByRole('heading', { level: 1, name: 'Your account' })).toBeVisible();
  const name = seed.unique('e2e-token');
  await page.getByRole('button', { name: 'Create token' }).click();
  const create = page.getByRole('dialog', { name: 'Create API token' });
  await create.getByRole('textbox', { name: 'Name', exact: true }).fill(name);
  await create.getByRole('button', { name: 'Create token' }).click();
  const shown = page.getByRole('dialog', { name: `Token ${name} created` });
  const token = await shown.getByLabel('Your new API token').inputValue();
  expect(token).toMatch(/^hlt_/);
  await expect(shown).toContainText('You will not see it again.');
  await expect(shown.getByRole('button', { name: 'Copy' })).toBeVisible();
  await shown.getByRole('button', { name: 'Done' }).click();
  expect(await inputValues(page)).not.toContain(token);
  await expect(page.locator('body')).not.toContainText(token);
  const row = page.locator(`tr[data-token="${name}"]`);
  await expect(row).toContainText('active');
  await expect(row.locator('td').nth(1)).toHaveText('never');

  const bot = await request.newContext({ baseURL: seed.baseURL });
  const bearer = { authorization: `Bearer ${token}` };
  expect((await bot.get('/api/v1/devices', { headers: bearer })).status()).toBe(200);
  await page.reload();
  await expect(row.locator('td').nth(1)).not.toHaveText('never');

  await row.getByRole('button', { name: `Revoke ${name}` }).click();
  await page
    .getByRole('dialog', { name: `Revoke ${name}` })
    .getByRole('button', { name: 'Revoke token' })
    .click();
  await expect(row).toContainText('revoked');
  const refused = await bot.get('/api/v1/devices', { headers: bearer });
  expect(refused.status()).toBe(401);
  expect((await refused.json()).message).toMatch(/revoked/);
  await bot.dispose();
});

for (const [role, who] of [
  ['OPERATOR', 'an operator'],
  ['VIEWER', 'a viewer'],
] as const) {
  test(`${who} has no Admin link, gets a "not allowed" page, and the server refuses`, async ({ page, seed }) => {
    await logIn(page, await seed.user(role));
    const nav = page.getByRole('navigation', { name: 'Main' });
    await expect(nav).toBeVisible();
    await expect(nav.getByRole('link', { name: 'Inventory' })).toBeVisible();
    await expect(nav.getByRole('link', { name: 'Admin' })).toHaveCount(0);
    for (const [path, title] of [
      ['/admin/users', 'Users'],
      ['/admin/credentials', 'Credentials'],
    ] as const) {
      await page.goto(path);
      await expect(page.getByRole('heading', { level: 1, name: title })).toBeVisible();
      await expect(page.getByText('Not allowed.')).toBeVisible();
      await expect(page.getByRole('button', { name: /^Add / })).toHaveCount(0);
    }
    const headers = { origin: new URL(seed.baseURL).origin };
    const user = await page.request.post('/api/v1/users', {
      headers,
      data: { username: seed.unique('nope'), role: 'ADMIN', password: 'a long enough password' },
    });
    expect(user.status()).toBe(403);
    const credential = await page.request.post('/api/v1/credentials', {
      headers,
      data: { name: seed.unique('nope'), username: 'u', secret: 'x' },
    });
    expect(credential.status()).toBe(403);
  });
}
