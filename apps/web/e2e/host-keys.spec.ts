// A dual-RE device presenting its other routing engine's SSH host key: the inventory flags it, an
// admin compares the pinned and the offered fingerprints and adds the new key as another routing
// engine's (both stay pinned), then forgets one of them in the device dialog. The pinned key comes
// from a known_hosts import through the API; the offered key is written into PostgreSQL the way the
// worker writes it when a device presents a key that is not pinned.
import { createHash, generateKeyPairSync } from 'node:crypto';
import { database, expect, logIn, test } from './fixtures.ts';

function ed25519Key(): string {
  const x = generateKeyPairSync('ed25519').publicKey.export({ format: 'jwk' }).x!;
  const part = (b: Buffer) => Buffer.concat([Buffer.from([0, 0, 0, b.length]), b]);
  return Buffer.concat([part(Buffer.from('ssh-ed25519')), part(Buffer.from(x, 'base64url'))]).toString('base64');
}
const fingerprint = (key: string) =>
  `SHA256:${createHash('sha256').update(Buffer.from(key, 'base64')).digest('base64').replace(/=+$/, '')}`;

test("an admin sees a key that is not pinned, adds it as the other routing engine's key, and forgets one", async ({
  page,
  seed,
}, testInfo) => {
  const hostname = seed.unique('hk-mx');
  const address = `127.78.${Math.floor(Math.random() * 250)}.${Math.floor(Math.random() * 250) + 1}`;
  const created = await seed.admin.post('/api/v1/devices', {
    data: { hostname, mgmtAddress: address, vendor: 'JUNOS', platform: 'MX480', site: 'E2E', tags: ['e2e'] },
  });
  expect(created.status(), await created.text()).toBe(201);
  const { id } = await created.json();
  const re0 = ed25519Key();
  const re1 = ed25519Key();
  const imported = await seed.admin.post('/api/v1/devices/host-keys/import', {
    headers: { 'content-type': 'text/plain' },
    data: `${hostname},${address} ssh-ed25519 ${re0}\n`,
  });
  expect(imported.status()).toBe(200);
  expect((await imported.json()).counts.pinned).toBe(1);
  const db = await database();
  try {
    await db.query(
      `UPDATE "Device" SET "offeredHostKeyAlgorithm" = 'ssh-ed25519', "offeredHostKey" = $2,
         "offeredHostKeyFingerprint" = $3, "offeredHostKeyAt" = now() WHERE id = $1`,
      [id, re1, fingerprint(re1)],
    );
  } finally {
    await db.end();
  }
  const shoot = async (what: { screenshot(o: { path: string }): Promise<unknown> }, name: string) => {
    for (const width of [1440, 1024]) {
      await page.setViewportSize({ width, height: width === 1440 ? 900 : 768 });
      await what.screenshot({ path: testInfo.outputPath(`${name}-${width}.png`) });
    }
  };

  const admin = await seed.user('ADMIN');
  await logIn(page, admin);
  await page.getByRole('searchbox', { name: 'Search devices' }).fill(hostname);
  const row = page.getByRole('row').filter({ hasText: hostname });
  await expect(row).toContainText('host key not pinned');
  await expect(page.getByRole('row')).toHaveCount(2);
  await shoot(page, 'inventory-unpinned-key');

  // The device dialog names the pinned key and the one offered.
  await row.getByRole('button', { name: `Edit ${hostname}` }).click();
  const before = page.getByRole('dialog', { name: `Edit ${hostname}` });
  const keyBefore = before.getByRole('region', { name: 'SSH host key' });
  await expect(keyBefore).toContainText(fingerprint(re0));
  await expect(keyBefore).toContainText('imported from known_hosts');
  await expect(keyBefore).toContainText(
    'Host key not pinned: the device presented a key that is none of the pinned ones',
  );
  await expect(keyBefore).toContainText(fingerprint(re1));
  await shoot(before, 'device-dialog-unpinned');
  await before.getByRole('button', { name: 'Cancel' }).click();

  await row.getByRole('button', { name: `Accept new host key of ${hostname}` }).click();
  const dialog = page.getByRole('dialog', { name: `Accept the new host key of ${hostname}?` });
  await expect(dialog).toContainText(fingerprint(re0));
  await expect(dialog).toContainText(fingerprint(re1));
  await expect(dialog).toContainText('Every connection to it is refused until the new key is accepted');
  const add = dialog.getByRole('radio', { name: "Add as another routing engine's key" });
  await expect(add).toBeChecked();
  await expect(dialog.getByRole('radio', { name: 'Replace the pinned keys' })).not.toBeChecked();
  await shoot(dialog, 'accept-dialog');
  await dialog.getByRole('button', { name: 'Accept new key' }).click();
  await expect(dialog).toBeHidden();
  await expect(page.getByRole('status').filter({ hasText: `${hostname}: new host key` })).toBeVisible();
  await expect(row).not.toContainText('host key not pinned');
  await expect(row.getByRole('button', { name: `Accept new host key of ${hostname}` })).toHaveCount(0);

  // Both routing engines' keys are pinned now; the admin forgets the first one.
  await row.getByRole('button', { name: `Edit ${hostname}` }).click();
  const edit = page.getByRole('dialog', { name: `Edit ${hostname}` });
  const keySection = edit.getByRole('region', { name: 'SSH host key' });
  await expect(keySection).toContainText('SSH host keys (2 pinned)');
  const pins = keySection.getByRole('list', { name: 'Pinned host keys' }).getByRole('listitem');
  await expect(pins).toHaveCount(2);
  await expect(pins.nth(0)).toContainText(fingerprint(re0));
  await expect(pins.nth(0)).toContainText('imported from known_hosts');
  await expect(pins.nth(1)).toContainText(fingerprint(re1));
  await expect(pins.nth(1)).toContainText('accepted by an admin');
  await expect(edit.getByLabel('Needs the legacy SSH algorithms')).not.toBeChecked();
  await shoot(edit, 'device-dialog-two-keys');
  await keySection.getByRole('button', { name: `Forget ${fingerprint(re0)}` }).click();
  await expect(pins).toHaveCount(1);
  await expect(keySection).not.toContainText(fingerprint(re0));
  await expect(keySection).toContainText(fingerprint(re1));
  await shoot(edit, 'device-dialog-forgot-one');

  const audit = await seed.admin.get(`/api/v1/audit?targetId=${id}&action=device.host_key.accepted`);
  expect(audit.status()).toBe(200);
  const [event] = (await audit.json()).items as { actorName: string; details: Record<string, unknown> }[];
  expect(event).toMatchObject({
    actorName: admin.username,
    details: { replace: false, previousFingerprints: [fingerprint(re0)], fingerprint: fingerprint(re1) },
  });
  const forgotten = await seed.admin.get(`/api/v1/audit?targetId=${id}&action=device.host_key.forgotten`);
  expect((await forgotten.json()).items).toHaveLength(1);
});

test('an operator sees the pinned keys but no Forget button', async ({ page, seed }) => {
  const hostname = seed.unique('hk-op');
  const address = `127.79.${Math.floor(Math.random() * 250)}.${Math.floor(Math.random() * 250) + 1}`;
  const created = await seed.admin.post('/api/v1/devices', {
    data: { hostname, mgmtAddress: address, vendor: 'JUNOS', platform: 'MX480', site: 'E2E', tags: ['e2e'] },
  });
  expect(created.status()).toBe(201);
  const [re0, re1] = [ed25519Key(), ed25519Key()];
  const imported = await seed.admin.post('/api/v1/devices/host-keys/import', {
    headers: { 'content-type': 'text/plain' },
    data: `${address} ssh-ed25519 ${re0} re0\n${address} ssh-ed25519 ${re1} re1\n`,
  });
  expect((await imported.json()).counts.pinned).toBe(2);
  await logIn(page, await seed.user('OPERATOR'));
  await page.getByRole('searchbox', { name: 'Search devices' }).fill(hostname);
  await page
    .getByRole('row')
    .filter({ hasText: hostname })
    .getByRole('button', { name: `Edit ${hostname}` })
    .click();
  const keySection = page
    .getByRole('dialog', { name: `Edit ${hostname}` })
    .getByRole('region', { name: 'SSH host key' });
  await expect(keySection.getByRole('listitem')).toHaveCount(2);
  await expect(keySection).toContainText(fingerprint(re0));
  await expect(keySection).toContainText(fingerprint(re1));
  await expect(keySection.getByRole('button', { name: /^Forget/ })).toHaveCount(0);
});
