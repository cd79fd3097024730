import { chmod, mkdtemp, readFile, rm, stat } from 'node:fs/promises';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { REDIS_MISSING_MESSAGE, RuntimeError, startEmbeddedPostgres, startRedis } from '../src/index.ts';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'hitless-runtime-'));
  // mkdtemp makes 0700 directories; as root, PostgreSQL runs as `postgres` and must traverse it.
  await chmod(dir, 0o711);
});
afterAll(async () => rm(dir, { recursive: true, force: true }));

const alive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

describe('embedded PostgreSQL', () => {
  it.runIf(process.getuid?.() === 0)('explains a data directory the postgres user cannot reach', async () => {
    const closed = await mkdtemp(path.join(os.tmpdir(), 'hitless-closed-'));
    try {
      await expect(startEmbeddedPostgres({ baseDir: path.join(closed, 'data') })).rejects.toThrow(
        /cannot reach .*hitless-closed-.*chmod o\+x/,
      );
    } finally {
      await rm(closed, { recursive: true, force: true });
    }
  });

  it('keeps its data across restarts and binds to loopback only', async () => {
    const base = path.join(dir, 'pg');
    const first = await startEmbeddedPostgres({ baseDir: base });
    expect(new URL(first.url).hostname).toBe('127.0.0.1');
    const c = new pg.Client({ connectionString: first.ownerUrl });
    await c.connect();
    await c.query('CREATE TABLE kept (v text); INSERT INTO kept VALUES ($$still here$$)');
    const { rows } = await c.query<{ setting: string }>(
      `SELECT setting FROM pg_settings WHERE name = 'listen_addresses'`,
    );
    expect(rows[0]!.setting).toBe('127.0.0.1');
    await c.end();
    await first.stop();
    expect(alive(first.pid)).toBe(false);

    const second = await startEmbeddedPostgres({ baseDir: base });
    const c2 = new pg.Client({ connectionString: second.ownerUrl });
    await c2.connect();
    expect((await c2.query('SELECT v FROM kept')).rows).toEqual([{ v: 'still here' }]);
    await c2.end();
    await second.stop();
  });

  it('creates the owner and application roles, neither a superuser, with their passwords in 0600 files', async () => {
    const base = path.join(dir, 'pg-roles');
    const pg1 = await startEmbeddedPostgres({ baseDir: base });
    try {
      for (const f of ['postgres.password', 'postgres-owner.password', 'postgres-app.password']) {
        expect((await stat(path.join(base, f))).mode & 0o777, f).toBe(0o600);
      }
      expect(new URL(pg1.url).username).toBe('hitless_app');
      expect(new URL(pg1.ownerUrl).username).toBe('hitless_owner');
      expect(decodeURIComponent(new URL(pg1.url).password)).toBe(
        (await readFile(path.join(base, 'postgres-app.password'), 'utf8')).trim(),
      );
      const admin = new pg.Client({ connectionString: pg1.urlFor('hitless') });
      await admin.connect();
      const { rows } = await admin.query(
        `SELECT rolname, rolsuper, rolcreaterole, rolcreatedb FROM pg_roles WHERE rolname LIKE 'hitless_%' ORDER BY 1`,
      );
      expect(rows).toEqual([
        { rolname: 'hitless_app', rolsuper: false, rolcreaterole: false, rolcreatedb: false },
        { rolname: 'hitless_owner', rolsuper: false, rolcreaterole: false, rolcreatedb: false },
      ]);
      // A table the superuser created (an installation from before the roles) goes to the owner at the next start.
      await admin.query('CREATE TABLE legacy (id serial PRIMARY KEY)');
      await admin.query('CREATE SEQUENCE legacy_counter');
      await admin.end();
    } finally {
      await pg1.stop();
    }
    const pg2 = await startEmbeddedPostgres({ baseDir: base });
    try {
      const owner = new pg.Client({ connectionString: pg2.ownerUrl });
      await owner.connect();
      const { rows } = await owner.query<{ o: string }>(
        `SELECT pg_get_userbyid(relowner) AS o FROM pg_class WHERE relname IN ('legacy', 'legacy_id_seq', 'legacy_counter')`,
      );
      expect(rows.map((r) => r.o)).toEqual(['hitless_owner', 'hitless_owner', 'hitless_owner']);
      const [db] = (await owner.query(`SELECT pg_get_userbyid(datdba) AS o FROM pg_database WHERE datname = 'hitless'`))
        .rows;
      expect(db).toEqual({ o: 'hitless_owner' });
      await owner.end();
    } finally {
      await pg2.stop();
    }
  });

  it('takes over from a server left running by a killed launcher', async () => {
    const base = path.join(dir, 'pg-stale');
    const orphan = await startEmbeddedPostgres({ baseDir: base });
    // The launcher "dies" without stopping it; the next start must still come up.
    const next = await startEmbeddedPostgres({ baseDir: base });
    expect(alive(orphan.pid)).toBe(false);
    const c = new pg.Client({ connectionString: next.url });
    await c.connect();
    await c.end();
    await next.stop();
  });
});

describe('Redis child', () => {
  it('starts with a password, AOF and noeviction, and stops cleanly', async () => {
    const redis = await startRedis({ dir: path.join(dir, 'redis') });
    const url = new URL(redis.url);
    expect(url.hostname).toBe('127.0.0.1');
    expect(url.password.length).toBeGreaterThan(10);
    const { Redis } = await import('ioredis');
    const client = new Redis(redis.url);
    expect(await client.config('GET', 'appendonly')).toEqual(['appendonly', 'yes']);
    expect(await client.config('GET', 'maxmemory-policy')).toEqual(['maxmemory-policy', 'noeviction']);
    await client.quit();
    // Without the password the server refuses everything.
    const reply = await new Promise<string>((resolve, reject) => {
      const socket = net.connect(Number(url.port), url.hostname, () => socket.write('PING\r\n'));
      socket.once('data', (d) => {
        resolve(d.toString());
        socket.destroy();
      });
      socket.once('error', reject);
    });
    expect(reply).toMatch(/^-NOAUTH/);
    await redis.stop();
    expect(alive(redis.pid)).toBe(false);
  });

  it('says exactly how to install redis-server when it is missing', async () => {
    const err = await startRedis({
      dir: path.join(dir, 'redis-missing'),
      binary: 'redis-server-that-does-not-exist',
    }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(RuntimeError);
    expect((err as Error).message).toBe(REDIS_MISSING_MESSAGE);
    expect(REDIS_MISSING_MESSAGE).toContain('sudo apt-get install -y redis-server');
  });
});
