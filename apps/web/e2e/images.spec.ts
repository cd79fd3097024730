// The Images and Matrix pages: an operator adds an image and marks it golden, an image in use is
// refused deletion with the server's reason, matrix cells are edited and a CSV with a bad row is
// refused line by line; a viewer gets no mutation button and the server refuses one anyway.
// Each test works in its own platform family, so other specs' lab families are left alone.
import AxeBuilder from '@axe-core/playwright';
import type { Page } from '@playwright/test';
import { expect, logIn, test, type Seed } from './fixtures.ts';

const octet = () => Math.floor(Math.random() * 250) + 1;

async function open(page: Page, who: { username: string; password: string }, path: string) {
  await logIn(page, who);
  await expect(page.getByRole('navigation', { name: 'Main' })).toBeVisible();
  await page.goto(path);
}

/** Images (and matrix entries) of a family of the test's own, through the API as the admin. */
async function family(seed: Seed, entries: [string, string, string][] = []) {
  const name = seed.unique('e2e').toLowerCase();
  const ids: Record<string, string> = {};
  for (const [version, releaseDate] of [
    ['1.0', '2010-01-10'],
    ['2.0', '2011-01-10'],
    ['3.0', '2013-06-10'],
  ] as const) {
    const res = await seed.admin.post('/api/v1/images', {
      data: {
        vendor: 'CISCO_IOSXE',
        platformFamily: name,
        version,
        fileName: `${name}-${version}.bin`,
        sizeBytes: 123_456_789,
        sha256: 'ab'.repeat(32),
        releaseDate,
      },
    });
    expect(res.status()).toBe(201);
    ids[version] = (await res.json()).id;
  }
  for (const [fromVersion, toVersion, level] of entries) {
    const data = { vendor: 'CISCO_IOSXE', platformFamily: name, fromVersion, toVersion, level };
    expect((await seed.admin.post('/api/v1/compatibility', { data })).status()).toBe(201);
  }
  return { name, ids };
}

test('an operator adds an image, marks it golden; an image in use is not deleted, and says why', async ({
  page,
  seed,
}, testInfo) => {
  const { name, ids } = await family(seed);
  const device = await seed.admin.post('/api/v1/devices', {
    data: {
      hostname: seed.unique('img-pe'),
      mgmtAddress: `127.96.${octet()}.${octet()}`,
      vendor: 'CISCO_IOSXE',
      platform: name,
      currentVersion: '1.0',
    },
  });
  expect(device.status()).toBe(201);
  const campaign = seed.unique('Night of 2.0');
  const created = await seed.admin.post('/api/v1/campaigns', {
    data: {
      name: campaign,
      ticket: 'CHG-E2E',
      targetImageIds: [ids['2.0']],
      selection: { kind: 'ids', deviceIds: [(await device.json()).id] },
      window: { start: '2030-06-01T22:00', end: '2030-06-02T04:00', timeZone: 'Europe/Paris' },
      strategy: { canarySize: 1, waveSize: 2, concurrency: 1, gateAfterCanary: true },
    },
  });
  expect(created.status(), await created.text()).toBe(201);

  await open(page, await seed.user('OPERATOR'), '/images');
  const section = page.getByRole('region', { name: `Cisco IOS-XE · ${name}` });
  await expect(section.getByRole('row').filter({ hasText: `${name}-1.0.bin` })).toContainText('1 device');

  await page.getByRole('button', { name: 'Add image' }).click();
  const dialog = page.getByRole('dialog', { name: 'Add image' });
  await dialog.getByLabel('Platform family').fill(name);
  await dialog.getByLabel('Version').fill('4.0');
  await dialog.getByLabel('File name').fill(`${name}-4.0.bin`);
  await dialog.getByLabel('Size in bytes').fill('2,500,000,000');
  await dialog.getByLabel('SHA-256').fill('not a checksum');
  await dialog.getByRole('button', { name: 'Add image' }).click();
  await expect(dialog.getByText('must be 64 hexadecimal characters')).toBeVisible();
  await page.screenshot({ path: testInfo.outputPath('add-image-invalid.png') });
  await dialog.getByLabel('SHA-256').fill('cd'.repeat(32));
  await dialog.getByRole('button', { name: 'Add image' }).click();
  await expect(dialog).toBeHidden();
  const row = section.getByRole('row').filter({ hasText: `${name}-4.0.bin` });
  await expect(row).toContainText('2.5 GB');
  await expect(row).toContainText('cdcdcdcd…cdcd');

  await row.getByRole('button', { name: 'Mark 4.0 golden' }).click();
  await expect(row.getByText('★ Golden')).toBeVisible();
  await expect(section).toContainText('Golden release 4.0');
  await expect(row.getByRole('button', { name: 'Clear golden 4.0' })).toBeVisible();

  // 2.0 is a campaign's target: the server's refusal is shown as it words it.
  await section.getByRole('button', { name: 'Delete 2.0' }).click();
  const confirm = page.getByRole('dialog', { name: 'Delete image 2.0?' });
  await confirm.getByRole('button', { name: 'Delete image' }).click();
  await expect(confirm.getByRole('alert')).toContainText(
    `image 2.0 is in use and cannot be deleted: it is a target of campaign "${campaign}"`,
  );
  await page.screenshot({ path: testInfo.outputPath('delete-refused.png') });
  await confirm.getByRole('button', { name: 'Back' }).click();
  await expect(section.getByRole('row').filter({ hasText: `${name}-2.0.bin` })).toBeVisible();
});

test('the matrix shows letters and marks; an operator edits a cell and imports a CSV with a bad row', async ({
  page,
  seed,
}, testInfo) => {
  const { name } = await family(seed, [
    ['1.0', '2.0', 'C'],
    ['2.0', '3.0', 'B'],
  ]);
  await open(page, await seed.user('OPERATOR'), '/images/matrix?vendor=CISCO_IOSXE&family=cat4500');
  await expect(
    page.getByRole('button', { name: /^03\.05\.01\.E to 03\.06\.00\.E: .*crosses the ISSU barrier/ }),
  ).toBeVisible();

  await page.goto(`/images/matrix?vendor=CISCO_IOSXE&family=${name}`);
  await expect(page.getByRole('button', { name: '1.0 to 2.0: Compatible (C)' })).toHaveText('C');
  await expect(page.getByRole('button', { name: '2.0 to 3.0: Base-level compatible (B)' })).toContainText('B');
  const far = page.getByRole('button', { name: /^1\.0 to 3\.0: no entry; releases 41 months apart/ });
  await expect(far).toContainText('–');
  await expect(far).toContainText('18+');

  await far.click();
  const cell = page.getByRole('dialog', { name: '1.0 → 3.0' });
  await page.screenshot({ path: testInfo.outputPath('cell-dialog.png') });
  await cell.getByLabel(/Incompatible/).check();
  await cell.getByRole('button', { name: 'Save' }).click();
  await expect(cell).toBeHidden();
  await expect(page.getByRole('button', { name: /^1\.0 to 3\.0: Incompatible \(I\)/ })).toContainText('I');

  await page.getByRole('button', { name: 'Import CSV' }).click();
  const importer = page.getByRole('dialog', { name: 'Import the compatibility matrix from CSV' });
  const csv = (level: string) =>
    `vendor,platform_family,from_version,to_version,level\nCISCO_IOSXE,${name},3.0,2.0,C\nCISCO_IOSXE,${name},3.0,1.0,${level}\n`;
  await importer.getByLabel('…or paste CSV').fill(csv('X'));
  await importer.getByRole('button', { name: 'Check' }).click();
  const problems = importer.getByRole('table', { name: 'Import problems' });
  await expect(problems.getByRole('row').filter({ hasText: 'level' })).toContainText('3');
  await expect(importer.getByRole('alert').first()).toContainText('nothing was imported');
  await page.screenshot({ path: testInfo.outputPath('import-errors.png') });

  await importer.getByLabel('…or paste CSV').fill(csv('I'));
  await importer.getByRole('button', { name: 'Check' }).click();
  await expect(importer.getByRole('status')).toContainText('2 new, 0 changed, 0 unchanged');
  await importer.getByRole('button', { name: 'Import' }).click();
  await expect(importer).toBeHidden();
  await expect(page.getByRole('status').filter({ hasText: 'Imported the matrix: 2 added' })).toBeVisible();
  await expect(page.getByRole('button', { name: '3.0 to 2.0: Compatible (C)' })).toContainText('C');
});

test('a viewer sees no mutation button, and the server refuses a viewer anyway', async ({ page, seed }) => {
  const { name, ids } = await family(seed, [['1.0', '2.0', 'C']]);
  await open(page, await seed.user('VIEWER'), '/images');
  const section = page.getByRole('region', { name: `Cisco IOS-XE · ${name}` });
  await expect(section.getByRole('row').filter({ hasText: `${name}-1.0.bin` })).toBeVisible();
  for (const label of ['Add image', /golden/, /^Edit/, /^Delete/])
    await expect(page.getByRole('button', { name: label })).toHaveCount(0);

  await page.goto(`/images/matrix?vendor=CISCO_IOSXE&family=${name}`);
  await expect(page.getByRole('heading', { name: `Cisco IOS-XE · ${name}` })).toBeVisible();
  await expect(page.getByText('1.0 to 2.0: Compatible (C)')).toBeAttached();
  await expect(page.getByRole('button', { name: /to .*: / })).toHaveCount(0);
  await expect(page.getByRole('button', { name: 'Import CSV' })).toHaveCount(0);

  const origin = { origin: new URL(seed.baseURL).origin };
  const golden = await page.request.post(`/api/v1/images/${ids['1.0']}/golden`, { headers: origin });
  expect(golden.status()).toBe(403);
  const imported = await page.request.post('/api/v1/compatibility/import', {
    headers: { ...origin, 'content-type': 'text/csv' },
    data: `vendor,platform_family,from_version,to_version,level\nCISCO_IOSXE,${name},2.0,1.0,C\n`,
  });
  expect(imported.status()).toBe(403);
});

test('both pages at 1440 and 1024 px, dark and light: no horizontal cut-off, axe-clean', async ({
  page,
  seed,
}, testInfo) => {
  test.setTimeout(120_000);
  await open(page, await seed.user('OPERATOR'), '/images');
  for (const theme of ['dark', 'light'] as const) {
    await page.evaluate((t) => localStorage.setItem('hitless:theme', t), theme);
    for (const [name, path] of [
      ['images', '/images'],
      ['matrix', '/images/matrix'],
    ] as const) {
      for (const width of [1440, 1024]) {
        await page.setViewportSize({ width, height: 900 });
        await page.goto(path);
        await expect(page.locator('h2').first()).toBeVisible();
        if (name === 'images') await expect(page.locator('.usage-devices').first()).toBeVisible();
        // The page and every table fit: nothing is cut off or needs scrolling sideways.
        const overflow = await page.evaluate(() =>
          Math.max(
            ...[...document.querySelectorAll('.page, .table-wrap')].map((el) => el.scrollWidth - el.clientWidth),
          ),
        );
        expect(overflow, `${name} at ${width} px`).toBeLessThanOrEqual(0);
        await page.screenshot({ path: testInfo.outputPath(`${name}-${width}-${theme}.png`), fullPage: true });
      }
      const axe = await new AxeBuilder({ page }).analyze();
      const bad = axe.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
      expect(bad.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`)).toEqual([]);
    }
  }
});
