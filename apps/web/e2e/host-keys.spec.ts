// A device whose SSH host key changed: the inventory flags it, an admin compares both
// fingerprints and accepts the new key, and the flag is gone. The pinned key comes from a
// known_hosts import through the API; the offered key is written into PostgreSQL the way the
// worker writes it when a pinned device presents a different key.
import { createHash, generateKeyPairSync } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import pg from 'pg';
import { expect, logIn, test } from './fixtures.ts';

function ed25519Key(): string {
  const x = generateKeyPairSync('ed25519').publicKey.export({ format: 'jwk' }).x!;
  const part = (b: Buffer) => Buffer.concat([Buffer.from([0, 0, 0, b.length]), b]);
  return Buffer.concat([part(Buffer.from('ssh-ed25519')), part(Buffer.from(x, 'base64url'))]).toString('base64');
}
const fingerprint = (key: string) =>
  `SHA256:${createHash('sha256').update(Buffer.from(key, 'base64')).digest('base64').replace(/=+$/, '')}`;

/** The launcher's embedded PostgreSQL, as its superuser (port from postmaster.pid, password from the data dir). */
async function database(): Promise<pg.Client> {
  const dir = process.env.HITLESS_E2E_DATA_DIR!;
  const port = (await readFile(path.join(dir, 'postgres', 'postmaster.pid'), 'utf8')).split('\n')[3]!.trim();
  const password = (await readFile(path.join(dir, 'postgres.password'), 'utf8')).trim();
  const client = new pg.Client({
    host: '127.0.0.1',
    port: Number(port),
    user: 'hitless',
    password,
    database: 'hitless',
  });
  await client.connect();
  return client;
}

test('an admin sees a changed host key, compares both fingerprints and accepts the new key', async ({
  page,
  seed,
}, testInfo) => {
  const hostname = seed.unique('hk-pe');
  const address = `127.78.${Math.floor(Math.random() * 250)}.${Math.floor(Math.random() * 250) + 1}`;
  const created = await seed.admin.post('/api/v1/devices', {
    data: { hostname, mgmtAddress: address, vendor: 'CISCO_IOSXE', platform: 'ASR1006', site: 'E2E', tags: ['e2e'] },
  });
  expect(created.status(), await created.text()).toBe(201);
  const { id } = await created.json();
  const oldKey = ed25519Key();
  const newKey = ed25519Key();
  const imported = await seed.admin.post('/api/v1/devices/host-keys/import', {
    headers: { 'content-type': 'text/plain' },
    data: `${hostname},${address} ssh-ed25519 ${oldKey}\n`,
  });
  expect(imported.status()).toBe(200);
  expect((await imported.json()).counts.pinned).toBe(1);
  const db = await database();
  try {
    await db.query(
      `UPDATE "Device" SET "offeredHostKeyAlgorithm" = 'ssh-ed25519', "offeredHostKey" = $2,
         "offeredHostKeyFingerprint" = $3, "offeredHostKeyAt" = now() WHERE id = $1`,
      [id, newKey, fingerprint(newKey)],
    );
  } finally {
    await db.end();
  }

  const admin = await seed.user('ADMIN');
  await logIn(page, admin);
  await page.getByRole('searchbox', { name: 'Search devices' }).fill(hostname);
  const row = page.getByRole('row').filter({ hasText: hostname });
  await expect(row).toContainText('host key changed');
  await expect(page.getByRole('row')).toHaveCount(2);
  for (const width of [1440, 1024]) {
    await page.setViewportSize({ width, height: width === 1440 ? 900 : 768 });
    await page.screenshot({ path: testInfo.outputPath(`inventory-changed-key-${width}.png`) });
  }

  // The device dialog names the pinned key and the different one offered.
  await row.getByRole('button', { name: `Edit ${hostname}` }).click();
  const before = page.getByRole('dialog', { name: `Edit ${hostname}` });
  const keyBefore = before.getByRole('region', { name: 'SSH host key' });
  await expect(keyBefore).toContainText(fingerprint(oldKey));
  await expect(keyBefore).toContainText('imported from known_hosts');
  await expect(keyBefore).toContainText('Host key changed: the device presented a different key');
  await expect(keyBefore).toContainText(fingerprint(newKey));
  for (const width of [1440, 1024]) {
    await page.setViewportSize({ width, height: width === 1440 ? 900 : 768 });
    await before.screenshot({ path: testInfo.outputPath(`device-dialog-changed-${width}.png`) });
  }
  await before.getByRole('button', { name: 'Cancel' }).click();

  await row.getByRole('button', { name: `Accept new host key of ${hostname}` }).click();
  const dialog = page.getByRole('dialog', { name: `Accept the new host key of ${hostname}?` });
  await expect(dialog).toContainText(fingerprint(oldKey));
  await expect(dialog).toContainText(fingerprint(newKey));
  await expect(dialog).toContainText('Every connection to it is refused until the new key is accepted');
  for (const width of [1440, 1024]) {
    await page.setViewportSize({ width, height: width === 1440 ? 900 : 768 });
    await dialog.screenshot({ path: testInfo.outputPath(`accept-dialog-${width}.png`) });
  }
  await dialog.getByRole('button', { name: 'Accept new key' }).click();
  await expect(dialog).toBeHidden();
  await expect(page.getByRole('status').filter({ hasText: `${hostname}: new host key` })).toBeVisible();
  await expect(row).not.toContainText('host key changed');
  await expect(row.getByRole('button', { name: `Accept new host key of ${hostname}` })).toHaveCount(0);

  // The device dialog shows the key now pinned, who pinned it, and the legacy SSH switch.
  await row.getByRole('button', { name: `Edit ${hostname}` }).click();
  const edit = page.getByRole('dialog', { name: `Edit ${hostname}` });
  const keySection = edit.getByRole('region', { name: 'SSH host key' });
  await expect(keySection).toContainText(fingerprint(newKey));
  await expect(keySection).toContainText('accepted by an admin');
  await expect(edit.getByLabel('Needs the legacy SSH algorithms')).not.toBeChecked();
  for (const width of [1440, 1024]) {
    await page.setViewportSize({ width, height: width === 1440 ? 900 : 768 });
    await edit.screenshot({ path: testInfo.outputPath(`device-dialog-accepted-${width}.png`) });
  }

  const audit = await seed.admin.get(`/api/v1/audit?targetId=${id}&action=device.host_key.accepted`);
  expect(audit.status()).toBe(200);
  const [event] = (await audit.json()).items as { actorName: string; details: Record<string, unknown> }[];
  expect(event).toMatchObject({
    actorName: admin.username,
    details: { previousFingerprint: fingerprint(oldKey), fingerprint: fingerprint(newKey) },
  });
});
