// The README's tour: one admin walks through the main pages while a real upgrade runs on the lab,
// and each page is saved to docs/tour/<name>.png (1440 × 900, dark; the inventory also light).
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Page } from '@playwright/test';
import { expect, test } from '../e2e/fixtures.ts';

const out = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../docs/tour');

async function shot(page: Page, name: string) {
  await page.waitForLoadState('networkidle');
  await expect(page.locator('main')).not.toContainText('Loading…');
  await page.screenshot({ path: path.join(out, `${name}.png`) });
}

test('tour', async ({ page, seed }) => {
  await page.setViewportSize({ width: 1440, height: 900 });
  const admin = await seed.user('ADMIN');
  const devices = (await (await seed.admin.get('/api/v1/devices?sort=hostname&pageSize=100')).json()).items as {
    id: string;
    hostname: string;
    currentVersion: string;
  }[];
  const pe = devices.find((d) => d.hostname === 'lab-pe001') as { id: string; currentVersion: string };
  const images = (await (await seed.admin.get('/api/v1/images?platformFamily=asr1000')).json()).items as {
    id: string;
    version: string;
  }[];
  const target = images.filter((i) => i.version !== pe.currentVersion).at(-1)!;
  // A golden release per family, so the inventory and device page show compliance: the run's
  // target for the ASR1000s (lab-pe001 is behind it until accepted), the newest elsewhere.
  const all = (await (await seed.admin.get('/api/v1/images')).json()).items as {
    id: string;
    platformFamily: string;
    releaseDate: string | null;
  }[];
  const newest = new Map<string, string>();
  for (const image of [...all].sort((a, b) => (a.releaseDate ?? '').localeCompare(b.releaseDate ?? '')))
    newest.set(image.platformFamily, image.id);
  newest.set('asr1000', target.id);
  for (const id of newest.values()) expect((await seed.admin.post(`/api/v1/images/${id}/golden`)).ok()).toBe(true);
  // A discovery first, so the device page has facts to show.
  await seed.admin.post(`/api/v1/devices/${pe.id}/discover`);
  const run = await seed.admin.post('/api/v1/runs', {
    data: { deviceId: pe.id, imageId: target.id, acceptMode: 'MANUAL' },
  });
  expect(run.status(), await run.text()).toBe(201);
  const runId = ((await run.json()) as { id: string }).id;

  await page.goto('/');
  await page.getByLabel('Username').fill(admin.username);
  await page.getByLabel('Password').fill(admin.password);
  await page.getByRole('button', { name: 'Log in' }).click();
  await expect(page.getByRole('navigation', { name: 'Main' })).toBeVisible();

  await page.goto('/inventory');
  await shot(page, 'inventory');
  await expect
    .poll(async () => ((await (await seed.admin.get(`/api/v1/runs/${runId}`)).json()) as { status: string }).status, {
      timeout: 300_000,
    })
    .toBe('WAITING_ACCEPT');
  await page.goto(`/runs/${runId}`);
  await shot(page, 'run');
  await page.goto(`/devices/${pe.id}`);
  await shot(page, 'device');
  await page.goto('/campaigns/new');
  await shot(page, 'campaign-builder');
  await page.goto('/images');
  await shot(page, 'images');
  await page.goto('/images/matrix');
  await shot(page, 'matrix');
  await page.goto('/syslog');
  await shot(page, 'syslog');
  await page.goto('/audit');
  await shot(page, 'audit');
  await page.getByRole('button', { name: 'Light theme' }).click();
  await page.goto('/inventory');
  await shot(page, 'inventory-light');
  await page.getByRole('button', { name: 'Dark theme' }).click();
});
