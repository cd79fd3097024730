// Fixtures for integration tests: a fresh database cloned from the migrated template for each
// test file, and a unique Redis key prefix per file, so files run in parallel without sharing.
import { randomBytes } from 'node:crypto';
import { createPrisma, type Db } from '@hitless/db';
import pg from 'pg';
import { inject } from 'vitest';
import { TEMPLATE_DB } from './constants.ts';
import './provided.ts';

export interface TestDatabase {
  name: string;
  url: string;
  db: Db;
  drop(): Promise<void>;
}

function withDatabase(adminUrl: string, name: string): string {
  const u = new URL(adminUrl);
  u.pathname = `/${name}`;
  return u.toString();
}

/** Clones the template into a new database. Call `drop()` when done (afterAll). */
export async function createTestDatabase(): Promise<TestDatabase> {
  const adminUrl = inject('pgAdminUrl');
  const name = `t_${randomBytes(6).toString('hex')}`;
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  try {
    await admin.query(`CREATE DATABASE ${name} TEMPLATE ${TEMPLATE_DB}`);
  } finally {
    await admin.end();
  }
  const url = withDatabase(adminUrl, name);
  const db = createPrisma(url, { max: 5 });
  return {
    name,
    url,
    db,
    drop: async () => {
      await db.$disconnect();
      const a = new pg.Client({ connectionString: adminUrl });
      await a.connect();
      try {
        await a.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      } finally {
        await a.end();
      }
    },
  };
}

export function redisUrl(): string {
  return inject('redisUrl');
}

/** A Redis key prefix no other test file uses. */
export function uniquePrefix(label = 't'): string {
  return `${label}-${randomBytes(4).toString('hex')}`;
}

export function adminDatabaseUrl(): string {
  return inject('pgAdminUrl');
}

export { withDatabase };
