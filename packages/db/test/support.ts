// A database cloned from the migrated template, reachable as each of the three roles, for the
// db package's own tests (not through @hitless/testkit: it depends on this package).
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { inject } from 'vitest';
import '../../testkit/src/provided.ts';
import { deriveAuditKey } from '../src/audit.ts';
import { createPrisma, type Db } from '../src/client.ts';

const withDatabase = (url: string, name: string) => Object.assign(new URL(url), { pathname: `/${name}` }).toString();

export async function sql<T extends pg.QueryResultRow = pg.QueryResultRow>(
  url: string,
  text: string,
  values: unknown[] = [],
): Promise<T[]> {
  const c = new pg.Client({ connectionString: url });
  await c.connect();
  try {
    return (await c.query<T>(text, values)).rows;
  } finally {
    await c.end();
  }
}

export interface RoleDatabase {
  name: string;
  appUrl: string;
  ownerUrl: string;
  adminUrl: string;
  secretKey: Buffer;
  /** The application role's client, with the audit key. */
  app: Db;
  /** The owner's client, with the audit key. */
  owner: Db;
  drop(): Promise<void>;
}

export async function roleDatabase(): Promise<RoleDatabase> {
  const name = `a_${randomBytes(5).toString('hex')}`;
  await sql(inject('pgAdminUrl'), `CREATE DATABASE ${name} TEMPLATE hitless_template OWNER hitless_owner`);
  const secretKey = randomBytes(32);
  const auditKey = deriveAuditKey(secretKey);
  const appUrl = withDatabase(inject('pgAppUrl'), name);
  const ownerUrl = withDatabase(inject('pgOwnerUrl'), name);
  const app = createPrisma(appUrl, { auditKey, max: 2 });
  const owner = createPrisma(ownerUrl, { auditKey, max: 1 });
  return {
    name,
    appUrl,
    ownerUrl,
    adminUrl: withDatabase(inject('pgAdminUrl'), name),
    secretKey,
    app,
    owner,
    drop: async () => {
      await Promise.all([app.$disconnect(), owner.$disconnect()]);
      await sql(inject('pgAdminUrl'), `DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    },
  };
}
