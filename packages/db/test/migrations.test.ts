// The migrations in prisma/migrations must produce exactly the database schema.prisma
// describes: apply them to one empty database, apply Prisma's own from-empty script to
// another, and compare the two catalogs (tables, columns, types, defaults, constraints,
// indexes, enums).
import { cp, mkdir, mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import '../../testkit/src/provided.ts';
import { applyMigrations, MigrationError, migrationsDir } from '../src/migrations.ts';
import { diffDatamodels, schemaPath } from '../src/schema-diff.ts';

// Not through @hitless/testkit: it depends on this package, and the graph must stay acyclic.
const adminDatabaseUrl = () => inject('pgAdminUrl');
const withDatabase = (adminUrl: string, name: string) =>
  Object.assign(new URL(adminUrl), { pathname: `/${name}` }).toString();

const created: string[] = [];
async function emptyDatabase(): Promise<string> {
  const name = `m_${Math.random().toString(36).slice(2, 10)}`;
  const admin = new pg.Client({ connectionString: adminDatabaseUrl() });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`);
  await admin.end();
  created.push(name);
  return withDatabase(adminDatabaseUrl(), name);
}

async function query<T extends pg.QueryResultRow>(url: string, sql: string): Promise<T[]> {
  const c = new pg.Client({ connectionString: url });
  await c.connect();
  try {
    return (await c.query<T>(sql)).rows;
  } finally {
    await c.end();
  }
}

/** A comparable description of everything in schema `public` except Prisma's bookkeeping table. */
async function catalog(url: string) {
  const columns = await query(
    url,
    `SELECT table_name, column_name, data_type, udt_name, is_nullable, column_default, character_maximum_length, numeric_precision, datetime_precision
       FROM information_schema.columns WHERE table_schema = 'public' AND table_name <> '_prisma_migrations'
      ORDER BY table_name, column_name`,
  );
  const constraints = await query(
    url,
    `SELECT conrelid::regclass::text AS table_name, conname, contype, pg_get_constraintdef(oid) AS def
       FROM pg_constraint WHERE connamespace = 'public'::regnamespace AND conrelid::regclass::text <> '_prisma_migrations'
      ORDER BY 1, 2`,
  );
  const indexes = await query(
    url,
    `SELECT tablename, indexname, indexdef FROM pg_indexes
      WHERE schemaname = 'public' AND tablename <> '_prisma_migrations' ORDER BY 1, 2`,
  );
  const enums = await query(
    url,
    `SELECT t.typname, array_agg(e.enumlabel ORDER BY e.enumsortorder)::text AS labels
       FROM pg_type t JOIN pg_enum e ON e.enumtypid = t.oid GROUP BY t.typname ORDER BY 1`,
  );
  return { columns, constraints, indexes, enums };
}

let tmp: string;
beforeAll(async () => {
  tmp = await mkdtemp(path.join(os.tmpdir(), 'hitless-migrations-'));
});
afterAll(async () => {
  const admin = new pg.Client({ connectionString: adminDatabaseUrl() });
  await admin.connect();
  for (const name of created) await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
  await admin.end();
  await rm(tmp, { recursive: true, force: true });
});

describe('migrations', () => {
  it('produce exactly the schema that schema.prisma describes', async () => {
    const viaMigrations = await emptyDatabase();
    const viaSchema = await emptyDatabase();
    await applyMigrations(viaMigrations);
    const script = await diffDatamodels(viaSchema, 'empty', schemaPath);
    expect(script).toMatch(/CREATE TABLE "Device"/);
    await query(viaSchema, script);
    const [a, b] = await Promise.all([catalog(viaMigrations), catalog(viaSchema)]);
    expect(a.columns.length).toBeGreaterThan(50);
    expect(a).toEqual(b);
  }, 60_000);

  it('apply once, record each like Prisma Migrate, and skip what is applied', async () => {
    const url = await emptyDatabase();
    const first = await applyMigrations(url);
    expect(first.applied.length).toBeGreaterThan(0);
    const second = await applyMigrations(url);
    expect(second).toEqual({ applied: [], alreadyApplied: first.applied.length });
    const rows = await query<{
      migration_name: string;
      checksum: string;
      finished_at: Date | null;
      applied_steps_count: number;
    }>(
      url,
      'SELECT migration_name, checksum, finished_at, applied_steps_count FROM _prisma_migrations ORDER BY migration_name',
    );
    expect(rows.map((r) => r.migration_name)).toEqual(first.applied);
    for (const r of rows) {
      expect(r.checksum).toMatch(/^[0-9a-f]{64}$/);
      expect(r.finished_at).not.toBeNull();
      expect(r.applied_steps_count).toBe(1);
    }
  });

  it('refuse a migration edited after it was applied, and a database newer than the code', async () => {
    const dir = path.join(tmp, 'edited');
    await cp(migrationsDir, dir, { recursive: true });
    const url = await emptyDatabase();
    await applyMigrations(url, dir);
    const first = (await readdir(dir)).filter((x) => !x.endsWith('.toml')).sort()[0]!;
    await writeFile(path.join(dir, first, 'migration.sql'), '-- edited\n', { flag: 'a' });
    await expect(applyMigrations(url, dir)).rejects.toThrow(/was changed after it was applied/);

    const url2 = await emptyDatabase();
    await applyMigrations(url2);
    await query(
      url2,
      `INSERT INTO _prisma_migrations (id, checksum, migration_name, finished_at, applied_steps_count) VALUES ('x', 'y', '99990101000000_future', now(), 1)`,
    );
    await expect(applyMigrations(url2)).rejects.toThrow(MigrationError);
  });

  it('lower-case stored platform families, leaving a row whose lower-case key is taken as it was', async () => {
    const MIGRATION = '20261121133000_platform_family_lower_case';
    const dir = path.join(tmp, 'before-lower-case');
    await cp(migrationsDir, dir, { recursive: true });
    await rm(path.join(dir, MIGRATION), { recursive: true });
    const url = await emptyDatabase();
    await applyMigrations(url, dir);
    const image = (id: number, family: string, version: string) =>
      `('00000000-0000-4000-8000-00000000000${id}', 'CISCO_IOS', '${family}', '${version}', 'f${id}.bin', 1, now())`;
    await query(
      url,
      `INSERT INTO "SoftwareImage" (id, vendor, "platformFamily", version, "fileName", "sizeBytes", "updatedAt") VALUES
      ${[image(1, 'C10K', 'V1'), image(2, 'asr1000', 'V1'), image(3, 'ASR1000', 'V1'), image(4, 'Cat4500', 'V2')].join(', ')}`,
    );
    await query(
      url,
      `INSERT INTO "CompatibilityEntry" (id, vendor, "platformFamily", "fromVersion", "toVersion", level, "updatedAt")
      VALUES ('00000000-0000-4000-8000-000000000009', 'JUNOS', 'MX', 'a', 'b', 'C', now())`,
    );
    expect((await applyMigrations(url)).applied).toEqual([MIGRATION]);
    const images = await query<{ id: string; platformFamily: string }>(
      url,
      'SELECT id, "platformFamily" FROM "SoftwareImage" ORDER BY id',
    );
    expect(images.map((r) => r.platformFamily)).toEqual(['c10k', 'asr1000', 'ASR1000', 'cat4500']);
    expect(
      (await query<{ platformFamily: string }>(url, 'SELECT "platformFamily" FROM "CompatibilityEntry"'))[0]!
        .platformFamily,
    ).toBe('mx');
  });

  it('roll back a failing migration entirely and record nothing for it', async () => {
    const dir = path.join(tmp, 'failing');
    await cp(migrationsDir, dir, { recursive: true });
    await mkdir(path.join(dir, '99990101000000_broken'));
    await writeFile(
      path.join(dir, '99990101000000_broken', 'migration.sql'),
      'CREATE TABLE half_done (id int);\nSELECT * FROM no_such_table;\n',
    );
    const url = await emptyDatabase();
    await expect(applyMigrations(url, dir)).rejects.toThrow(/99990101000000_broken failed and was rolled back/);
    const tables = await query(url, `SELECT 1 FROM information_schema.tables WHERE table_name = 'half_done'`);
    expect(tables).toHaveLength(0);
    const recorded = await query(
      url,
      `SELECT 1 FROM _prisma_migrations WHERE migration_name = '99990101000000_broken'`,
    );
    expect(recorded).toHaveLength(0);
  });
});
