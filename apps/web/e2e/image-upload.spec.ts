// An operator uploads an image's file from the Images page: a file of the wrong size is refused
// before sending, a file whose checksum differs is refused by the server naming the digests, and
// the right file is stored (the row then says "file stored" and offers no Upload).
import { createHash, randomBytes } from 'node:crypto';
import { expect, logIn, test } from './fixtures.ts';

test('an operator uploads an image file; a wrong size or checksum is refused, saying why', async ({ page, seed }) => {
  const data = randomBytes(300_000);
  const sha256 = createHash('sha256').update(data).digest('hex');
  const family = seed.unique('upl').toLowerCase();
  const register = async (version: string, digest: string) => {
    const res = await seed.admin.post('/api/v1/images', {
      data: {
        vendor: 'CISCO_IOSXE',
        platformFamily: family,
        version,
        fileName: `${family}-${version}.bin`,
        sizeBytes: data.length,
        sha256: digest,
      },
    });
    expect(res.status()).toBe(201);
  };
  await register('1.0', sha256);
  await register('2.0', 'cd'.repeat(32));
  const operator = await seed.user('OPERATOR');
  await logIn(page, operator);
  await page.goto(`/images?q=${family}`);

  await page.getByRole('button', { name: 'Upload 2.0' }).click();
  let dialog = page.getByRole('dialog', { name: `Upload ${family}-2.0.bin` });
  await dialog
    .getByLabel('Image file')
    .setInputFiles({ name: 'short.bin', mimeType: 'application/octet-stream', buffer: data.subarray(1) });
  await expect(dialog.getByText(`is ${(data.length - 1).toLocaleString('en-US')} bytes`)).toBeVisible();
  await expect(dialog.getByRole('button', { name: 'Upload' })).toBeDisabled();
  await dialog
    .getByLabel('Image file')
    .setInputFiles({ name: 'x.bin', mimeType: 'application/octet-stream', buffer: data });
  await dialog.getByRole('button', { name: 'Upload' }).click();
  await expect(dialog.getByText(`sha256 expected ${'cd'.repeat(32)} but the file's is ${sha256}`)).toBeVisible();
  await page.screenshot({ path: test.info().outputPath('upload-refused.png') });
  await dialog.getByRole('button', { name: 'Cancel' }).click();

  await page.getByRole('button', { name: 'Upload 1.0' }).click();
  dialog = page.getByRole('dialog', { name: `Upload ${family}-1.0.bin` });
  await dialog
    .getByLabel('Image file')
    .setInputFiles({ name: 'x.bin', mimeType: 'application/octet-stream', buffer: data });
  await dialog.getByRole('button', { name: 'Upload' }).click();
  await expect(dialog.getByText('is stored; its checksums match')).toBeVisible();
  await page.screenshot({ path: test.info().outputPath('upload-stored.png') });
  await dialog.getByRole('button', { name: 'Done' }).click();
  const row = page.getByRole('row').filter({ hasText: `${family}-1.0.bin` });
  await expect(row.getByText('file stored')).toBeVisible();
  await expect(row.getByRole('button', { name: 'Upload 1.0' })).toHaveCount(0);
  const image = (await (await seed.admin.get(`/api/v1/images?platformFamily=${family}`)).json()).items.find(
    (i: { version: string }) => i.version === '1.0',
  );
  expect(image.content.sha256).toBe(sha256);
});
