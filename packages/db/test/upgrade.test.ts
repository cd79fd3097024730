// Upgrading an installation from before issue 9: its data as the old bootstrap superuser left
// it (every table its own, no roles), then deploy/postgres/upgrade-roles.sql and the remaining
// migrations, as docker-compose.yml's header says.
import { execFile } from 'node:child_process';
import { cp, mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { repoRoot } from '@hitless/config';
import { afterEach, beforeEach, describe, expect, inject, it } from 'vitest';
import '../../testkit/src/provided.ts';
import { AUDIT_REKEY_MIGRATION } from '../src/audit.ts';
import { applyMigrations, migrationsDir } from '../src/migrations.ts';
import { sql } from './support.ts';

const exec = promisify(execFile);
const withDatabase = (url: string, name: string) => Object.assign(new URL(url), { pathname: `/${name}` }).toString();

let name: string;
let tmp: string;
/** The superuser on the upgraded database, as the old compose file's `hitless` user was. */
let adminUrl: string;

beforeEach(async () => {
  name = `u_${Math.random().toString(36).slice(2, 10)}`;
  await sql(inject('pgAdminUrl'), `CREATE DATABASE ${name}`);
  adminUrl = withDatabase(inject('pgAdminUrl'), name);
  tmp = await mkdtemp(path.join(os.tmpdir(), 'hitless-upgrade-'));
  // The migrations from before the roles, applied by the superuser as the old releases did.
  const before = (await readdir(migrationsDir)).filter((d) => /^\d{14}_/.test(d) && d < AUDIT_REKEY_MIGRATION);
  for (const d of before) await cp(path.join(migrationsDir, d), path.join(tmp, d), { recursive: true });
  await applyMigrations(adminUrl, tmp);
});
afterEach(async () => {
  await sql(inject('pgAdminUrl'), `DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
  await rm(tmp, { recursive: true, force: true });
});

/** Runs the upgrade script with psql, with the roles' current passwords (they are cluster-wide, shared by every test). */
const upgradeRoles = () =>
  exec('psql', [
    adminUrl,
    '-X',
    '-q',
    '-v',
    `owner_pw=${decodeURIComponent(new URL(inject('pgOwnerUrl')).password)}`,
    '-v',
    `app_pw=${decodeURIComponent(new URL(inject('pgAppUrl')).password)}`,
    '-f',
    path.join(repoRoot, 'deploy/postgres/upgrade-roles.sql'),
  ]);

describe('upgrading an installation from before the roles', () => {
  it('upgrade-roles.sql hands everything to the owner (twice: idempotent), then the migrations apply as the owner', async () => {
    await sql(adminUrl, 'CREATE SEQUENCE legacy_counter');
    const notOwned = () =>
      sql<{ name: string }>(
        adminUrl,
        `SELECT relname AS name FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
          WHERE n.nspname = 'public' AND pg_get_userbyid(c.relowner) <> 'hitless_owner'
         UNION ALL SELECT typname FROM pg_type t JOIN pg_namespace n ON n.oid = t.typnamespace
          WHERE n.nspname = 'public' AND t.typtype = 'e' AND pg_get_userbyid(t.typowner) <> 'hitless_owner'
         UNION ALL SELECT datname FROM pg_database WHERE datname = current_database() AND pg_get_userbyid(datdba) <> 'hitless_owner'`,
      );
    expect((await notOwned()).length).toBeGreaterThan(5);
    await upgradeRoles();
    expect(await notOwned()).toEqual([]);
    await upgradeRoles();
    expect(await notOwned()).toEqual([]);
    const result = await applyMigrations(withDatabase(inject('pgOwnerUrl'), name));
    expect(result.applied).toContain(AUDIT_REKEY_MIGRATION);
  });

  it('refuses to run without the passwords', async () => {
    await expect(
      exec('psql', [adminUrl, '-X', '-q', '-f', path.join(repoRoot, 'deploy/postgres/upgrade-roles.sql')]),
    ).rejects.toMatchObject({
      stderr: expect.stringMatching(/set -v owner_pw/),
    });
  });

  it('(L1) revokes the tokens of users disabled before the upgrade', async () => {
    await upgradeRoles();
    await sql(
      adminUrl,
      `INSERT INTO "User" (id, username, "passwordHash", role, disabled, "updatedAt") VALUES
         ('00000000-0000-4000-8000-000000000001', 'gone', 'x', 'OPERATOR', true, now()),
         ('00000000-0000-4000-8000-000000000002', 'here', 'x', 'OPERATOR', false, now())`,
    );
    await sql(
      adminUrl,
      `INSERT INTO "ApiToken" (id, name, prefix, "tokenHash", "userId") VALUES
         ('00000000-0000-4000-8000-00000000000a', 'a', 'a', 'ha', '00000000-0000-4000-8000-000000000001'),
         ('00000000-0000-4000-8000-00000000000b', 'b', 'b', 'hb', '00000000-0000-4000-8000-000000000002')`,
    );
    await applyMigrations(withDatabase(inject('pgOwnerUrl'), name));
    const tokens = await sql<{ name: string; revoked: boolean }>(
      adminUrl,
      `SELECT name, "revokedAt" IS NOT NULL AS revoked FROM "ApiToken" ORDER BY name`,
    );
    expect(tokens).toEqual([
      { name: 'a', revoked: true },
      { name: 'b', revoked: false },
    ]);
  });
});

// Keep the script's header and the compose file's instructions in step.
it('docker-compose.yml mounts the script where its header says', async () => {
  const compose = await readFile(path.join(repoRoot, 'docker-compose.yml'), 'utf8');
  expect(compose).toContain('./deploy/postgres/upgrade-roles.sql:/hitless/upgrade-roles.sql:ro');
});
