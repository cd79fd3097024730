// Each test seeds what it needs through the API as the e2e admin: its own users (one per
// role it uses) and devices with unique names, so tests run in parallel without sharing.
import { randomBytes } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import pg from 'pg';
import {
  test as base,
  expect,
  request as playwrightRequest,
  type APIRequestContext,
  type Page,
} from '@playwright/test';

type Role = 'VIEWER' | 'OPERATOR' | 'APPROVER' | 'ADMIN';

export interface Seed {
  baseURL: string;
  unique(prefix: string): string;
  /** A user with a password of their own (no one-time password), ready to log in. */
  user(role: Role): Promise<{ username: string; password: string }>;
  /** A user created by an admin: must change the one-time password at first login. */
  newUser(role: Role): Promise<{ username: string; password: string }>;
  admin: APIRequestContext;
}

/** An API client that acts as the dashboard does: with the session cookie and the dashboard's Origin. */
const apiContext = (baseURL: string) =>
  playwrightRequest.newContext({ baseURL, extraHTTPHeaders: { origin: new URL(baseURL).origin } });

async function adminContext(baseURL: string): Promise<APIRequestContext> {
  const ctx = await apiContext(baseURL);
  const res = await ctx.post('/api/v1/auth/login', {
    data: { username: 'admin', password: process.env.HITLESS_E2E_ADMIN_PASSWORD },
  });
  expect(res.status()).toBe(200);
  return ctx;
}

export const test = base.extend<{ seed: Seed }, { admin: APIRequestContext }>({
  baseURL: async ({}, use) => use(process.env.HITLESS_E2E_URL),
  // One admin session per worker, not per test: logins are rate-limited like a real user's.
  admin: [
    async ({}, use) => {
      const admin = await adminContext(process.env.HITLESS_E2E_URL!);
      await use(admin);
      await admin.dispose();
    },
    { scope: 'worker' },
  ],
  seed: async ({ admin }, use) => {
    const baseURL = process.env.HITLESS_E2E_URL!;
    const unique = (prefix: string) => `${prefix}-${randomBytes(3).toString('hex')}`;
    const newUser: Seed['newUser'] = async (role) => {
      const username = unique(role.toLowerCase());
      const password = `initial ${randomBytes(6).toString('hex')}`;
      const res = await admin.post('/api/v1/users', { data: { username, role, password } });
      expect(res.status()).toBe(201);
      return { username, password };
    };
    const user: Seed['user'] = async (role) => {
      const u = await newUser(role);
      const ctx = await apiContext(baseURL);
      await ctx.post('/api/v1/auth/login', { data: u });
      const own = `${u.password} made my own`;
      const res = await ctx.post('/api/v1/auth/password', { data: { currentPassword: u.password, newPassword: own } });
      expect(res.status()).toBe(204);
      await ctx.dispose();
      return { username: u.username, password: own };
    };
    await use({ baseURL, unique, user, newUser, admin });
  },
});

export async function logIn(page: Page, who: { username: string; password: string }) {
  await page.goto('/');
  await page.getByLabel('Username').fill(who.username);
  await page.getByLabel('Password').fill(who.password);
  await page.getByRole('button', { name: 'Log in' }).click();
  // Logged in (the session cookie is set) once the login form is gone, not merely submitting (its
  // button is relabelled meanwhile): a test may navigate straight away.
  await expect(page.getByLabel('Username')).toHaveCount(0);
}

/**
 * As a new operator, opens the start dialog of the first lab device with `tag` and picks the
 * `target` image; returns the device and the open dialog (Start upgrade not yet clicked).
 */
export async function openUpgrade(
  page: Page,
  seed: Seed,
  /** The first device with the tag, by hostname, unless `hostname` names one. */
  o: { tag: string; vendor: string; family: string; target: string; hostname?: string },
) {
  const operator = await seed.user('OPERATOR');
  const { items } = await (await seed.admin.get(`/api/v1/devices?tag=${o.tag}&sort=hostname&pageSize=500`)).json();
  const all = items as { id: string; hostname: string; currentVersion: string }[];
  const device = o.hostname ? all.find((d) => d.hostname === o.hostname)! : all[0]!;
  const images = (await (await seed.admin.get(`/api/v1/images?vendor=${o.vendor}&platformFamily=${o.family}`)).json())
    .items as { id: string; version: string }[];
  const image = images.find((i) => i.version === o.target)!;
  await logIn(page, operator);
  await page.getByRole('searchbox', { name: 'Search devices' }).fill(device.hostname);
  await page.getByRole('button', { name: `Upgrade ${device.hostname}` }).click();
  const dialog = page.getByRole('dialog', { name: `Upgrade ${device.hostname}` });
  await dialog.getByLabel('Target image').selectOption(image.id);
  return { device, dialog };
}

export { expect };

/** The launcher's embedded PostgreSQL, as its superuser (port from postmaster.pid, password from the data dir). */
export async function database(): Promise<pg.Client> {
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
