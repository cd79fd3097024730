import { expect, logIn, test } from './fixtures.ts';

test('an operator adds a device and a second browser sees it appear live', async ({ browser, seed }) => {
  const operator = await seed.user('OPERATOR');
  const watcher = await seed.user('VIEWER');
  const hostname = seed.unique('live-pe');

  const watcherContext = await browser.newContext({ baseURL: seed.baseURL });
  const watcherPage = await watcherContext.newPage();
  await logIn(watcherPage, watcher);
  await expect(watcherPage.getByRole('heading', { name: 'Inventory' })).toBeVisible();
  await expect(watcherPage.getByRole('status', { name: 'Live updates: Live' })).toBeVisible();
  await expect(watcherPage.getByRole('button', { name: 'Add device' })).toHaveCount(0);

  const operatorContext = await browser.newContext({ baseURL: seed.baseURL });
  const page = await operatorContext.newPage();
  await logIn(page, operator);
  await page.getByRole('button', { name: 'Add device' }).click();
  const dialog = page.getByRole('dialog', { name: 'Add device' });
  await dialog.getByLabel('Hostname').fill(hostname);
  await dialog
    .getByLabel('Management address')
    .fill(`127.77.${Math.floor(Math.random() * 250)}.${Math.floor(Math.random() * 250) + 1}`);
  await dialog.getByLabel('Vendor').selectOption('JUNOS');
  await expect(dialog.getByLabel('Platform family')).toHaveValue('mx');
  await dialog.getByLabel('Site').fill('E2E');
  await dialog.getByLabel('Tags').fill('edge e2e');
  await dialog.getByRole('button', { name: 'Add device' }).click();
  await expect(dialog).toBeHidden();
  await expect(page.getByRole('status').filter({ hasText: `${hostname} added` })).toBeVisible();
  await expect(page.getByRole('row').filter({ hasText: hostname })).toContainText('Juniper Junos');

  // No reload in the watcher's browser: the row arrives over socket.io.
  const liveRow = watcherPage.getByRole('row').filter({ hasText: hostname });
  await expect(liveRow).toBeVisible();
  await expect(liveRow).toContainText('mx');
  await expect(liveRow).toContainText('E2E');

  await watcherContext.close();
  await operatorContext.close();
});

test('a wrong password is refused with a clear message', async ({ page, seed }) => {
  const u = await seed.user('VIEWER');
  await page.goto('/');
  await page.getByLabel('Username').fill(u.username);
  await page.getByLabel('Password').fill('not the password');
  await page.getByRole('button', { name: 'Log in' }).click();
  await expect(page.getByRole('alert')).toHaveText('invalid username or password');
  await expect(page.getByLabel('Password')).toHaveValue('');
});

test('a new user must replace the one-time password before seeing anything', async ({ page, seed }) => {
  const u = await seed.newUser('OPERATOR');
  await logIn(page, u);
  await expect(page.getByRole('heading', { name: 'Choose your password' })).toBeVisible();
  // The one-time password just typed is carried over: only the new one is asked for.
  await expect(page.getByLabel('Current password')).toHaveCount(0);
  await page.getByLabel('New password', { exact: true }).fill('short');
  await page.getByLabel('Repeat new password').fill('short');
  await page.getByRole('button', { name: 'Change password' }).click();
  await expect(page.getByText(/must be at least \d+ characters/)).toBeVisible();
  await page.getByLabel('New password', { exact: true }).fill('my brand new passphrase');
  await page.getByLabel('Repeat new password').fill('my brand new passphrase');
  await page.getByRole('button', { name: 'Change password' }).click();
  await expect(page.getByRole('heading', { name: 'Inventory' })).toBeVisible();
});

test('the device form shows the field at fault and the server’s conflicts; devices can be edited and deleted', async ({
  page,
  seed,
}) => {
  const operator = await seed.user('OPERATOR');
  const hostname = seed.unique('form-pe');
  const address = `127.78.${Math.floor(Math.random() * 250)}.${Math.floor(Math.random() * 250) + 1}`;
  await seed.admin.post('/api/v1/devices', {
    data: { hostname, mgmtAddress: address, vendor: 'CISCO_IOS', platform: 'c10k' },
  });
  await logIn(page, operator);

  await page.getByRole('button', { name: 'Add device' }).click();
  const dialog = page.getByRole('dialog', { name: 'Add device' });
  await dialog.getByLabel('Hostname').fill('has spaces');
  await dialog.getByLabel('Management address').fill('300.1.1.1');
  await expect(dialog.getByLabel('Platform family')).toHaveValue('c10k');
  await dialog.getByRole('button', { name: 'Add device' }).click();
  await expect(dialog.getByRole('alert').filter({ hasText: 'valid host name' })).toBeVisible();
  await expect(dialog.getByRole('alert').filter({ hasText: 'IPv4/IPv6 address' })).toBeVisible();

  await dialog.getByLabel('Hostname').fill(`${hostname}-2`);
  await dialog.getByLabel('Management address').fill(address);
  await dialog.getByRole('button', { name: 'Add device' }).click();
  await expect(dialog.getByRole('alert').first()).toContainText(`is already the management address of ${hostname}`);
  await dialog.getByRole('button', { name: 'Cancel' }).click();

  await page.getByLabel('Search devices').fill(hostname);
  await page.getByRole('button', { name: `Edit ${hostname}` }).click();
  const edit = page.getByRole('dialog', { name: `Edit ${hostname}` });
  await edit.getByLabel('Platform family').selectOption('cat4500');
  await edit.getByRole('button', { name: 'Save' }).click();
  await expect(page.getByRole('row').filter({ hasText: hostname })).toContainText('cat4500');

  await page.getByRole('button', { name: `Delete ${hostname}` }).click();
  await page
    .getByRole('dialog', { name: `Delete ${hostname}?` })
    .getByRole('button', { name: 'Delete device' })
    .click();
  await expect(page.getByRole('row').filter({ hasText: hostname })).toHaveCount(0);
  await expect(page.getByText(`${hostname} deleted`)).toBeVisible();
});

test('a CSV import lists every bad line, then imports the corrected file', async ({ page, seed }) => {
  const operator = await seed.user('OPERATOR');
  const a = seed.unique('csv-a');
  const b = seed.unique('csv-b');
  const n = Math.floor(Math.random() * 250);
  await logIn(page, operator);
  await page.getByRole('button', { name: 'Import CSV' }).click();
  const dialog = page.getByRole('dialog', { name: 'Import devices from CSV' });
  const paste = dialog.getByLabel('…or paste CSV');
  await paste.fill(
    `hostname,mgmt_address,vendor,platform,site\n${a},127.79.${n}.1,CISCO_IOSXE,ASR1006,CSV\n${b},127.79.${n}.2,arista,7280,CSV`,
  );
  await dialog.getByRole('button', { name: 'Import', exact: true }).click();
  const problems = dialog.getByRole('table', { name: 'Import problems' });
  await expect(problems).toContainText('unknown vendor "arista"');
  await expect(problems.getByRole('row').nth(1)).toContainText('3');

  await paste.fill(
    `hostname,mgmt_address,vendor,platform,site\n${a},127.79.${n}.1,CISCO_IOSXE,ASR1006,CSV\n${b},127.79.${n}.2,JUNOS,MX480,CSV`,
  );
  await dialog.getByRole('button', { name: 'Check' }).click();
  await expect(dialog.getByText('Ready to import 2 rows: 2 new')).toBeVisible();
  await dialog.getByRole('button', { name: 'Import', exact: true }).click();
  await expect(page.getByText('Imported: 2 added, 0 updated, 0 unchanged')).toBeVisible();
  await page.getByLabel('Search devices').fill('csv-');
  await expect(page.getByRole('row').filter({ hasText: a })).toBeVisible();
  await expect(page.getByRole('row').filter({ hasText: b })).toBeVisible();
});
