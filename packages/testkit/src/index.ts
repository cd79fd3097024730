// Fixtures for integration tests: a fresh database cloned from the migrated template for each
// test file, and a unique Redis key prefix per file, so files run in parallel without sharing.
// The database's `url` and `db` are the application role's (what the api and worker use); the
// owner's and the superuser's URLs are there for migrations and for tests that play an attacker.
import { randomBytes } from 'node:crypto';
import { createPrisma, deriveAuditKey, type Db } from '@hitless/db';
import pg from 'pg';
import { inject } from 'vitest';
import { OWNER_ROLE } from '@hitless/runtime';
import { TEMPLATE_DB } from './constants.ts';
import './provided.ts';

export interface TestDatabase {
  name: string;
  /** The application role (hitless_app): no superuser, owns nothing, no UPDATE/DELETE on the audit table. */
  url: string;
  /** The owner of the tables (hitless_owner), as migrations run. */
  ownerUrl: string;
  /** The cluster's superuser on this database. */
  adminUrl: string;
  /** The product's secret key for this database: its audit rows are keyed with it. Give it to the api/worker. */
  secretKey: Buffer;
  /** A client as the application role, with the audit key. */
  db: Db;
  drop(): Promise<void>;
}

function withDatabase(adminUrl: string, name: string): string {
  const u = new URL(adminUrl);
  u.pathname = `/${name}`;
  return u.toString();
}

/** Clones the template into a new database. Call `drop()` when done (afterAll). */
export async function createTestDatabase(options: { secretKey?: Buffer } = {}): Promise<TestDatabase> {
  const adminUrl = inject('pgAdminUrl');
  const name = `t_${randomBytes(6).toString('hex')}`;
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  try {
    await admin.query(`CREATE DATABASE ${name} TEMPLATE ${TEMPLATE_DB} OWNER ${OWNER_ROLE}`);
  } finally {
    await admin.end();
  }
  const url = withDatabase(inject('pgAppUrl'), name);
  const secretKey = options.secretKey ?? randomBytes(32);
  const db = createPrisma(url, { max: 5, auditKey: deriveAuditKey(secretKey) });
  return {
    name,
    url,
    ownerUrl: withDatabase(inject('pgOwnerUrl'), name),
    adminUrl: withDatabase(adminUrl, name),
    secretKey,
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

/**
 * Runs statements as the cluster's superuser on a test database with every trigger off
 * (session_replication_role = replica): what an attacker with superuser can do, for tests that
 * prove such tampering is found.
 */
export async function asSuperuser(database: TestDatabase, ...statements: string[]): Promise<void> {
  const c = new pg.Client({ connectionString: database.adminUrl });
  await c.connect();
  try {
    await c.query('SET session_replication_role = replica');
    for (const statement of statements) await c.query(statement);
  } finally {
    await c.end();
  }
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
