// `npm start`: everything on one machine. Starts (or uses) PostgreSQL and Redis, applies
// migrations, seeds the first admin, builds the dashboard if needed, starts the api (which
// also serves the dashboard and socket.io) and a worker, then prints the URL.
// Ctrl-C stops our services first, then Redis and PostgreSQL, in that order.
import { execFile } from 'node:child_process';
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { promisify } from 'node:util';
import {
  ConfigError,
  inheritedEnv,
  loadLauncherConfig,
  parseSecretKey,
  repoRoot,
  type LauncherConfig,
} from '@hitless/config';
import { generatePassword } from '@hitless/crypto';
import { applyMigrations, createPrisma, ensureInitialAdmin, INITIAL_ADMIN } from '@hitless/db';
import { RuntimeError, startEmbeddedPostgres, startRedis, type ServiceHandle } from '@hitless/runtime';
import { registerLabFleet, type LabDevice } from '@hitless/lab';
import { LAB_PASSWORD, LAB_USERNAME } from '@hitless/sim';
import { spawnService, type ChildService } from './children.ts';
import { loadOrCreateSecretKey } from './secret-key.ts';

const exec = promisify(execFile);
const say = (line: string) => process.stdout.write(`hitless │ ${line}\n`);
const elapsed = (t0: number) => `${((performance.now() - t0) / 1000).toFixed(1)} s`;

/** Hide the password part of a URL before showing it. */
const redactUrl = (url: string) => url.replace(/\/\/([^:/@]*):[^@]*@/, '//$1:***@');

async function buildWeb(config: LauncherConfig) {
  if (config.skipWebBuild) return;
  // Turbo caches the build by its inputs: after the first start this is a cache hit.
  await exec('npx', ['--no-install', 'turbo', 'run', 'build', '--filter=@hitless/web', '--output-logs=errors-only'], {
    cwd: repoRoot,
    env: inheritedEnv({ TURBO_TELEMETRY_DISABLED: '1', DO_NOT_TRACK: '1' }),
    maxBuffer: 32 << 20,
  });
}

const stoppables: { name: string; stop(): Promise<void> }[] = [];
let shuttingDown = false;

async function shutdown(code: number): Promise<void> {
  if (shuttingDown) return;
  shuttingDown = true;
  if (stoppables.length > 0) say('stopping…');
  // Reverse start order: our services, then Redis and PostgreSQL.
  for (const s of [...stoppables].reverse()) {
    try {
      await s.stop();
    } catch (err) {
      say(`${s.name} did not stop cleanly: ${(err as Error).message}`);
    }
  }
  if (stoppables.length > 0) say('stopped');
  process.exit(code);
}

let interrupts = 0;
function onSignal() {
  interrupts++;
  if (interrupts > 1) {
    say('second interrupt: exiting now');
    process.exit(130);
  }
  void shutdown(0);
}
process.on('SIGINT', onSignal);
process.on('SIGTERM', onSignal);

async function main() {
  const t0 = performance.now();
  const config = loadLauncherConfig();
  await mkdir(path.join(config.dataDir, 'logs'), { recursive: true, mode: 0o700 });

  const secret = await loadOrCreateSecretKey(config.dataDir, config.secretKey);
  if (secret.created)
    say(
      `generated the key that encrypts device secrets: ${secret.file} (back it up; without it stored secrets are lost)`,
    );

  const external = (url: string): ServiceHandle => ({ url, pid: 0, stop: async () => undefined });
  const started = await Promise.allSettled([
    config.databaseUrl ? external(config.databaseUrl) : startEmbeddedPostgres({ baseDir: config.dataDir }),
    config.redisUrl
      ? external(config.redisUrl)
      : startRedis({ dir: path.join(config.dataDir, 'redis'), binary: config.redisServer }),
    buildWeb(config),
  ]);
  // Whatever did start is stopped on the way out, also when one of its siblings failed.
  const [pgResult, redisResult] = started;
  if (pgResult.status === 'fulfilled') stoppables.push({ name: 'PostgreSQL', stop: pgResult.value.stop });
  if (redisResult.status === 'fulfilled') stoppables.push({ name: 'Redis', stop: redisResult.value.stop });
  const failed = started.find((r) => r.status === 'rejected');
  if (failed) throw failed.reason;
  const pg = (pgResult as PromiseFulfilledResult<ServiceHandle>).value;
  const redis = (redisResult as PromiseFulfilledResult<ServiceHandle>).value;
  say(`PostgreSQL ${config.databaseUrl ? 'external' : 'embedded'} at ${redactUrl(pg.url)}`);
  say(`Redis ${config.redisUrl ? 'external' : 'embedded'} at ${redactUrl(redis.url)}`);

  const migrations = await applyMigrations(pg.url);
  if (migrations.applied.length > 0) say(`applied migrations: ${migrations.applied.join(', ')}`);

  const db = createPrisma(pg.url, { max: 2 });
  try {
    const password = config.adminPassword ?? generatePassword();
    if (await ensureInitialAdmin(db, password, { oneTime: !config.adminPassword })) {
      if (config.adminPassword) {
        say(`created user "${INITIAL_ADMIN}" with the password from HITLESS_ADMIN_PASSWORD`);
      } else {
        // Printed once, here, and stored nowhere but as a hash: it must be changed at first login.
        say('');
        say(`  first login:  ${INITIAL_ADMIN}  /  ${password}`);
        say('  this one-time password is shown only now; you will choose your own at first login');
        say('');
      }
    }
  } finally {
    await db.$disconnect();
  }

  const env = inheritedEnv({
    DATABASE_URL: pg.url,
    REDIS_URL: redis.url,
    HITLESS_SECRET_KEY: secret.key,
    HITLESS_HOST: config.host,
    HITLESS_PORT: String(config.port),
    HITLESS_LOG_LEVEL: config.logLevel,
    NODE_ENV: config.passthroughEnv.NODE_ENV ?? 'production',
  });
  const onAlert = (name: string, line: string) => say(`[${name}] ${line}`);
  const logs = path.join(config.dataDir, 'logs');
  const services: ChildService[] = [];
  const start: StartService = async (name, entry, readyMessage, args = []) => {
    const { service, message } = await spawnService({
      name,
      entry: path.join(repoRoot, entry),
      args,
      env,
      logFile: path.join(logs, `${name}.log`),
      onAlert,
      readyMessage,
    });
    services.push(service);
    stoppables.push(service);
    void service.exited.then((code) => {
      if (!shuttingDown) {
        say(`${name} exited unexpectedly (code ${code}); see ${path.join(logs, `${name}.log`)}`);
        void shutdown(1);
      }
    });
    return message;
  };

  const [listening] = await Promise.all([
    start('api', 'apps/api/src/server.ts', 'listening'),
    start('worker', 'apps/worker/src/main.ts', 'ready'),
    config.lab.enabled ? startDemoLab(config, start, pg.url, parseSecretKey(secret.key)) : undefined,
  ]);
  const host = config.host.includes(':') ? `[${config.host}]` : config.host;
  say(`logs in ${logs}`);
  say(`ready in ${elapsed(t0)}`);
  say(`Hitless is running at http://${host}:${String(listening.port)}/  (Ctrl-C to stop)`);
}

type StartService = (
  name: string,
  entry: string,
  readyMessage: string,
  args?: string[],
) => Promise<Record<string, unknown>>;

/** The lab of simulated chassis, with its devices registered in the inventory. */
async function startDemoLab(config: LauncherConfig, start: StartService, databaseUrl: string, key: Buffer) {
  const lab = config.lab;
  const args = [
    '--devices',
    String(lab.devices),
    '--time-scale',
    String(lab.timeScale),
    '--port',
    String(lab.sshPort),
    '--base-address',
    lab.baseAddress,
    '--quiet',
  ];
  const ready = (await start('lab', 'apps/lab/src/main.ts', 'ready', args)) as {
    devices: LabDevice[];
    apiUrl: string;
    apiToken: string;
  };
  const db = createPrisma(databaseUrl, { max: 2 });
  try {
    const result = await registerLabFleet(db, key, ready.devices);
    for (const s of result.skipped) say(`lab: not registered: ${s}`);
    const first = ready.devices[0]!;
    const last = ready.devices.at(-1)!;
    say(
      `lab: ${ready.devices.length} simulated devices on ${first.address}–${last.address}${lab.sshPort === 22 ? '' : ` port ${lab.sshPort}`}, time scale ${lab.timeScale} (${result.created} added to the inventory)`,
    );
    say(
      `lab: ssh ${LAB_USERNAME}@${first.address}${lab.sshPort === 22 ? '' : ` -p ${lab.sshPort}`} (password ${LAB_PASSWORD}); fault API ${ready.apiUrl} with Authorization: Bearer ${ready.apiToken}`,
    );
  } finally {
    await db.$disconnect();
  }
}

main().catch((err: unknown) => {
  if (err instanceof ConfigError || err instanceof RuntimeError) say(err.message);
  else say(`failed to start: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`);
  void shutdown(1);
});
