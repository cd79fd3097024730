// The device page per role (a viewer reads, an operator discovers; the server refuses a viewer's
// discovery anyway), the inventory's fit at 1024 px, and the device form's errors on their fields
// and its delete through the app's own dialog. lab-agg001 is read (discovered) by no other spec.
import type { Page, TestInfo } from '@playwright/test';
import { expect, logIn, test, type Seed } from './fixtures.ts';

const octet = () => 1 + Math.floor(Math.random() * 250);

async function labDevice(seed: Seed, hostname: string): Promise<{ id: string; hostname: string }> {
  const { items } = await (await seed.admin.get(`/api/v1/devices?q=${hostname}`)).json();
  return (items as { id: string; hostname: string }[]).find((d) => d.hostname === hostname)!;
}

async function newDevice(seed: Seed, prefix: string): Promise<{ id: string; hostname: string }> {
  const res = await seed.admin.post('/api/v1/devices', {
    data: {
      hostname: seed.unique(prefix),
      mgmtAddress: `127.76.${octet()}.${octet()}`,
      vendor: 'CISCO_IOSXE',
      platform: 'asr1000',
    },
  });
  expect(res.status(), await res.text()).toBe(201);
  return res.json();
}

async function shoot(page: Page, testInfo: TestInfo, name: string) {
  const file = testInfo.outputPath(`${name}.png`);
  await page.screenshot({ path: file, fullPage: true });
  await testInfo.attach(name, { path: file, contentType: 'image/png' });
}

test('a viewer reads a device page without its actions; the server refuses the discovery to a viewer', async ({
  page,
  seed,
}) => {
  const device = await labDevice(seed, 'lab-agg001');
  await logIn(page, await seed.user('VIEWER'));
  await expect(page.getByRole('navigation', { name: 'Main' })).toBeVisible();
  // The hostname in the inventory leads to the device page.
  await page.getByLabel('Search devices').fill('lab-agg001');
  await page.getByRole('table', { name: 'Devices' }).getByRole('link', { name: 'lab-agg001' }).click();
  await expect(page).toHaveURL(`/devices/${device.id}`);
  await expect(page.getByRole('heading', { level: 1, name: 'lab-agg001' })).toBeVisible();
  await expect(page.getByRole('heading', { name: 'Release' })).toBeVisible();
  await expect(page.getByRole('table', { name: 'Runs of lab-agg001' })).toBeVisible();
  for (const name of ['Discover', 'Edit', 'Delete', 'Upgrade'])
    await expect(page.getByRole('button', { name, exact: true })).toHaveCount(0);

  const refused = await page.request.post(`/api/v1/devices/${device.id}/discover`, {
    headers: { origin: new URL(seed.baseURL).origin },
  });
  expect(refused.status()).toBe(403);

  await page.goto('/devices/00000000-0000-4000-8000-000000000000');
  await expect(page.getByRole('heading', { level: 1, name: 'Device not found' })).toBeVisible();
  await expect(page.getByRole('alert')).toContainText('it may have been deleted');
});

test('an operator discovers a device and sees its facts, then its runs in the filtered runs list', async ({
  page,
  seed,
}, testInfo) => {
  const device = await labDevice(seed, 'lab-agg001');
  await page.setViewportSize({ width: 1440, height: 900 });
  await logIn(page, await seed.user('OPERATOR'));
  await expect(page.getByRole('navigation', { name: 'Main' })).toBeVisible();
  await page.goto(`/devices/${device.id}`);
  await page.getByRole('button', { name: 'Discover', exact: true }).click();
  await expect(page.getByRole('status').filter({ hasText: 'Discovered' })).toBeVisible({ timeout: 30_000 });
  const rps = page.getByRole('table', { name: 'Route processors' });
  await expect(rps.getByRole('row')).toHaveCount(3);
  await expect(rps).toContainText('active');
  await expect(rps).toContainText('standby');
  await expect(page.getByRole('table', { name: 'File systems' })).toContainText('bootflash:');
  await expect(page.getByRole('table', { name: 'Audit of lab-agg001' })).toContainText('device.discovered');
  await shoot(page, testInfo, 'device-1440-dark');
  await page.setViewportSize({ width: 1024, height: 900 });
  await page.evaluate(() => localStorage.setItem('hitless:theme', 'light'));
  await page.reload();
  await expect(page.getByRole('table', { name: 'Route processors' })).toBeVisible();
  await shoot(page, testInfo, 'device-1024-light');

  await page.getByRole('link', { name: /^All runs of lab-agg001/ }).click();
  await expect(page).toHaveURL(`/runs?deviceId=${device.id}`);
  await expect(page.getByLabel('Device', { exact: true })).toHaveValue('lab-agg001');
});

test('the inventory fits 1024 px: no cut-off column or action, and a missing credential is said beside Upgrade', async ({
  page,
  seed,
}, testInfo) => {
  const bare = await newDevice(seed, 'fit');
  await page.setViewportSize({ width: 1024, height: 800 });
  await logIn(page, await seed.user('ADMIN'));
  await expect(page.getByRole('navigation', { name: 'Main' })).toBeVisible();
  const table = page.getByRole('table', { name: 'Devices' });
  await expect(table.getByRole('link', { name: 'lab-agg001' })).toBeVisible();
  await shoot(page, testInfo, 'inventory-1024-dark');
  const wrap = page.locator('.table-wrap').filter({ has: table });
  const fit = await wrap.evaluate((el) => ({ scroll: el.scrollWidth, client: el.clientWidth }));
  expect(fit.scroll, 'the table scrolls sideways').toBeLessThanOrEqual(fit.client);
  const last = table.getByRole('button', { name: /^Delete / }).first();
  const box = (await last.boundingBox())!;
  expect(box.x + box.width).toBeLessThanOrEqual(1024);

  await page.getByLabel('Search devices').fill(bare.hostname);
  const row = table.getByRole('row').filter({ hasText: bare.hostname });
  await expect(row.getByRole('button', { name: `Upgrade ${bare.hostname}` })).toBeDisabled();
  await expect(row.getByText('no credential: assign one to upgrade')).toBeVisible();
  await expect(row).toContainText('no golden');

  await page.setViewportSize({ width: 1440, height: 900 });
  await page.evaluate(() => localStorage.setItem('hitless:theme', 'light'));
  await page.getByLabel('Search devices').fill('');
  await page.reload();
  await expect(table.getByRole('link', { name: 'lab-agg001' })).toBeVisible();
  await shoot(page, testInfo, 'inventory-1440-light');
});

test('the device form says a duplicate hostname on its field, marks required fields, and deletes through the app dialog', async ({
  page,
  seed,
}) => {
  const existing = await newDevice(seed, 'form');
  const doomed = await newDevice(seed, 'doomed');
  await logIn(page, await seed.user('OPERATOR'));
  await expect(page.getByRole('navigation', { name: 'Main' })).toBeVisible();

  await page.getByRole('button', { name: 'Add device' }).click();
  const dialog = page.getByRole('dialog', { name: 'Add device' });
  const hostname = dialog.getByLabel('Hostname');
  await expect(hostname).toHaveAttribute('aria-required', 'true');
  await expect(dialog.getByLabel('Platform family')).toHaveAttribute('aria-required', 'true');
  await dialog.getByRole('button', { name: 'Add device' }).click();
  await expect(hostname).toHaveAccessibleDescription('Hostname is required');
  await expect(dialog.getByLabel('Management address')).toHaveAccessibleDescription('Management address is required');

  await hostname.fill(existing.hostname.toUpperCase());
  await dialog.getByLabel('Management address').fill(`127.75.${octet()}.${octet()}`);
  await dialog.getByLabel('Vendor').selectOption('CISCO_IOSXE');
  await expect(dialog.getByLabel('Platform family')).toHaveValue('asr1000');
  await dialog.getByRole('button', { name: 'Add device' }).click();
  await expect(hostname).toHaveAccessibleDescription(`${existing.hostname} is already in the inventory`);
  await expect(dialog.getByText(existing.id)).toHaveCount(0);
  await dialog.getByRole('button', { name: 'Cancel' }).click();

  await page.goto(`/devices/${doomed.id}`);
  await page.getByRole('button', { name: 'Delete', exact: true }).click();
  const confirm = page.getByRole('dialog', { name: `Delete ${doomed.hostname}?` });
  await confirm.getByRole('button', { name: 'Delete device' }).click();
  await expect(page).toHaveURL('/inventory');
  await expect.poll(async () => (await seed.admin.get(`/api/v1/devices/${doomed.id}`)).status()).toBe(404);
});
