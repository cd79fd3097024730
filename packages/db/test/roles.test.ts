// The privileges the product runs with (issue 9): the application role can read and write its
// tables but only append to the audit trail, owns nothing and runs no DDL; the trigger refuses
// UPDATE, DELETE and TRUNCATE on the audit table to every role but its owner, even one granted
// the privilege; tables of later migrations get the grants by themselves.
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { recordAudit } from '../src/audit.ts';
import { verifyAuditChain } from '../src/audit-verify.ts';
import { roleDatabase, sql, type RoleDatabase } from './support.ts';

let d: RoleDatabase;
beforeAll(async () => {
  d = await roleDatabase();
  await d.app.$transaction(async (tx) => {
    await recordAudit(tx, { id: null, name: 'test', ip: null }, { action: 'x.created', targetType: 'x' });
  });
});
afterAll(async () => d?.drop());

/** Runs one statement as `role` on the test database (as itself, or as the superuser then SET ROLE). */
async function attempt(url: string, statement: string, setRole?: string): Promise<string> {
  const c = new pg.Client({ connectionString: url });
  await c.connect();
  try {
    if (setRole) await c.query(`SET ROLE ${setRole}`);
    await c.query(statement);
    return 'ok';
  } catch (err) {
    return (err as Error).message;
  } finally {
    await c.end();
  }
}

describe('the application role', () => {
  it('is no superuser, owns no table, and holds only SELECT and INSERT on the audit table', async () => {
    const [role] = await sql<{
      rolsuper: boolean;
      rolcreaterole: boolean;
      rolcreatedb: boolean;
      rolbypassrls: boolean;
    }>(
      d.appUrl,
      'SELECT rolsuper, rolcreaterole, rolcreatedb, rolbypassrls FROM pg_roles WHERE rolname = current_user',
    );
    expect(role).toEqual({ rolsuper: false, rolcreaterole: false, rolcreatedb: false, rolbypassrls: false });
    const owned = await sql(
      d.appUrl,
      `SELECT relname FROM pg_class WHERE relowner = (SELECT oid FROM pg_roles WHERE rolname = current_user)`,
    );
    expect(owned).toEqual([]);
    const [owner] = await sql<{ owner: string }>(
      d.appUrl,
      `SELECT pg_get_userbyid(relowner) AS owner FROM pg_class WHERE oid = '"AuditEvent"'::regclass`,
    );
    expect(owner!.owner).toBe('hitless_owner');
    const privileges = await sql<{ p: string; has: boolean }>(
      d.appUrl,
      `SELECT p, has_table_privilege('"AuditEvent"', p) AS has
         FROM unnest(ARRAY['SELECT','INSERT','UPDATE','DELETE','TRUNCATE','REFERENCES','TRIGGER']) AS p`,
    );
    expect(Object.fromEntries(privileges.map((r) => [r.p, r.has]))).toEqual({
      SELECT: true,
      INSERT: true,
      UPDATE: false,
      DELETE: false,
      TRUNCATE: false,
      REFERENCES: false,
      TRIGGER: false,
    });
    const [migrations] = await sql<{ read: boolean; write: boolean }>(
      d.appUrl,
      `SELECT has_table_privilege('"_prisma_migrations"', 'SELECT') AS read,
              has_table_privilege('"_prisma_migrations"', 'INSERT') AS write`,
    );
    expect(migrations).toEqual({ read: true, write: false });
  });

  it('is refused UPDATE, DELETE and TRUNCATE on the audit table, and any DDL', async () => {
    for (const statement of [
      `UPDATE "AuditEvent" SET "actorName" = 'someone-else'`,
      'DELETE FROM "AuditEvent"',
      'TRUNCATE "AuditEvent"',
      'ALTER TABLE "AuditEvent" DISABLE TRIGGER ALL',
      'DROP TABLE "AuditEvent"',
      'CREATE TABLE mine (id int)',
    ]) {
      expect(await attempt(d.appUrl, statement), statement).toMatch(/permission denied|must be owner/);
    }
    expect(await d.app.auditEvent.count()).toBe(1);
  });

  it('writes audit events through recordAudit, and ordinary rows of every other table', async () => {
    await d.app.$transaction(async (tx) => {
      const user = await tx.user.create({ data: { username: 'u1', role: 'VIEWER', passwordHash: 'x' } });
      await recordAudit(
        tx,
        { id: user.id, name: 'u1', ip: '127.0.0.1' },
        { action: 'user.created', targetType: 'user' },
      );
      await tx.user.update({ where: { id: user.id }, data: { displayName: 'U one' } });
    });
    await d.app.user.deleteMany({ where: { username: 'u1' } });
    expect(await d.app.auditEvent.count()).toBe(2);
    expect((await verifyAuditChain(d.app)).ok).toBe(true);
  });
});

describe('the append-only trigger', () => {
  it('refuses UPDATE, DELETE and TRUNCATE to a role that was granted them, and lets the owner through', async () => {
    const role = `throwaway_${d.name}`;
    await sql(d.adminUrl, `CREATE ROLE ${role} NOLOGIN`);
    try {
      await sql(d.adminUrl, `GRANT SELECT, UPDATE, DELETE, TRUNCATE ON "AuditEvent" TO ${role}`);
      for (const [statement, op] of [
        [`UPDATE "AuditEvent" SET "actorName" = 'x'`, 'UPDATE'],
        ['DELETE FROM "AuditEvent"', 'DELETE'],
        ['TRUNCATE "AuditEvent"', 'TRUNCATE'],
      ] as const) {
        expect(await attempt(d.adminUrl, statement, role)).toBe(
          `the audit trail is append-only: ${op} on "AuditEvent" is refused for role ${role}`,
        );
      }
      // Even the superuser, while the trigger is enabled.
      expect(await attempt(d.adminUrl, 'DELETE FROM "AuditEvent"')).toMatch(/append-only: DELETE .* role hitless$/);
      // The owner may (the one-time re-key needs it); a no-op update proves it.
      expect(await attempt(d.ownerUrl, `UPDATE "AuditEvent" SET "actorName" = "actorName" WHERE false`)).toBe('ok');
    } finally {
      await sql(d.adminUrl, `REVOKE ALL ON "AuditEvent" FROM ${role}; DROP ROLE ${role}`);
    }
    expect(await d.app.auditEvent.count()).toBe(2);
  });
});

describe('default privileges', () => {
  it('give the application role ordinary DML on a table a later migration creates', async () => {
    await sql(d.ownerUrl, 'CREATE TABLE "Later" (id serial PRIMARY KEY, v text)');
    expect(await attempt(d.appUrl, `INSERT INTO "Later" (v) VALUES ('a')`)).toBe('ok');
    expect(await attempt(d.appUrl, `UPDATE "Later" SET v = 'b'`)).toBe('ok');
    expect(await attempt(d.appUrl, 'DELETE FROM "Later"')).toBe('ok');
    expect(await attempt(d.appUrl, 'DROP TABLE "Later"')).toMatch(/must be owner/);
  });
});
