import { randomBytes } from 'node:crypto';
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { systemEnv } from '@hitless/config';
import { freePort } from './ports.ts';
import { reapStale, RuntimeError, spawnServer, stopServer, type ServiceHandle } from './processes.ts';

export const REDIS_MISSING_MESSAGE = [
  'redis-server was not found on this machine. Hitless needs it for its job queues.',
  'Install it and run the command again:',
  '  Debian/Ubuntu:  sudo apt-get update && sudo apt-get install -y redis-server',
  '  Fedora/RHEL:    sudo dnf install -y redis',
  '  macOS:          brew install redis',
  'or point Hitless at an existing server with REDIS_URL=redis://host:port.',
].join('\n');

export interface RedisOptions {
  /** Working directory: AOF files, pid file and redis.log. */
  dir: string;
  host?: string;
  port?: number;
  /** Durable servers keep an append-only file (fsync every second); throwaway ones keep nothing. */
  durable?: boolean;
  binary?: string;
  /** Given on a restart, so the clients' REDIS_URL stays valid; otherwise a fresh one per start. */
  password?: string;
}

export async function startRedis(options: RedisOptions): Promise<ServiceHandle> {
  const host = options.host ?? '127.0.0.1';
  const durable = options.durable ?? true;
  await mkdir(options.dir, { recursive: true, mode: 0o700 });
  const pidFile = path.join(options.dir, 'redis.pid');
  await reapStale(pidFile, 'redis-server', 'SIGTERM');
  const port = options.port ?? (await freePort(host));
  // A fresh password per launch (kept across a restart): nothing else on this machine can use the queues.
  const password = options.password ?? randomBytes(18).toString('base64url');
  // prettier-ignore
  const args = [
    '--port', String(port),
    '--bind', host,
    '--protected-mode', 'yes',
    '--dir', options.dir,
    '--pidfile', pidFile,
    '--daemonize', 'no',
    '--logfile', '',
    '--maxmemory-policy', 'noeviction',
    '--save', '',
    '--appendonly', durable ? 'yes' : 'no',
    '--appendfsync', 'everysec',
    '--requirepass', password,
  ];
  let server;
  try {
    server = await spawnServer(options.binary ?? 'redis-server', args, {
      name: 'Redis',
      env: systemEnv(),
      logFile: path.join(options.dir, 'redis.log'),
      ready: /Ready to accept connections/,
    });
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') throw new RuntimeError(REDIS_MISSING_MESSAGE);
    throw err;
  }
  let stopping: Promise<void> | undefined;
  return {
    url: `redis://:${password}@${host}:${port}`,
    pid: server.child.pid!,
    // SIGTERM: Redis flushes the AOF and exits.
    stop: () => (stopping ??= stopServer(server, 'SIGTERM')),
    exited: server.ended,
    logTail: server.tail,
  };
}
