// `npm start`: everything on one machine. Starts (or uses) PostgreSQL and Redis, applies
// migrations as the owner role (re-keying audit rows from before keyed hashes in the start that
// applies the roles migration, and only then), seeds the
// first admin, builds the dashboard if needed, starts the api (which
// also serves the dashboard and socket.io), a worker and the demo lab, then prints the URL.
// Everything it started is supervised: a service that exits on its own is restarted (the
// terminal says why); Ctrl-C or a crash loop stops our services, then Redis and PostgreSQL.
import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
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
import {
  applyMigrations,
  AuditCheckpointFile,
  createPrisma,
  deriveAuditKey,
  deriveCheckpointKey,
  AuditRekeyRefused,
  ensureInitialAdmin,
  INITIAL_ADMIN,
  rekeyAfterMigrations,
} from '@hitless/db';
import { registerLabFleet, type LabDevice } from '@hitless/lab';
import { RuntimeError } from '@hitless/runtime';
import { LAB_PASSWORD, LAB_USERNAME } from '@hitless/sim';
import { loadOrCreateSecretKey } from './secret-key.ts';
import { demoEngineEnv, labApiEnv, labArguments, nodeService, postgresService, redisService } from './services.ts';
import { Supervisor } from './supervisor.ts';

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

let shuttingDown = false;
const supervisor = new Supervisor(say, () => void shutdown(1));

async function shutdown(code: number): Promise<void> {
  if (shuttingDown) return;
  shuttingDown = true;
  const any = supervisor.names.length > 0;
  if (any) say('stopping…');
  // Reverse start order: our services, then Redis and PostgreSQL.
  await supervisor.stopAll((name, err) => say(`${name} did not stop cleanly: ${(err as Error).message}`));
  if (any) say('stopped');
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
  const logs = path.join(config.dataDir, 'logs');
  await mkdir(logs, { recursive: true, mode: 0o700 });

  const secret = await loadOrCreateSecretKey(config.dataDir, config.secretKey);
  if (secret.created) {
    say(
      `generated the key that encrypts device secrets: ${secret.file} (back it up; without it stored secrets are lost)`,
    );
  }

  let databaseUrl = config.databaseUrl ?? '';
  let ownerUrl = config.databaseOwnerUrl ?? databaseUrl;
  let redisUrl = config.redisUrl ?? '';
  const started = await Promise.allSettled([
    config.databaseUrl
      ? undefined
      : supervisor.add(postgresService(config.dataDir, (u, owner) => ((databaseUrl = u), (ownerUrl = owner)))),
    config.redisUrl
      ? undefined
      : supervisor.add(redisService(config.dataDir, config.redisServer, (u) => (redisUrl = u))),
    buildWeb(config),
  ]);
  const failed = started.find((r) => r.status === 'rejected');
  if (failed) throw failed.reason;
  say(`PostgreSQL ${config.databaseUrl ? 'external' : 'embedded'} at ${redactUrl(databaseUrl)}`);
  say(`Redis ${config.redisUrl ? 'external' : 'embedded'} at ${redactUrl(redisUrl)}`);

  if (config.databaseUrl && !config.databaseOwnerUrl) {
    say('DATABASE_OWNER_URL is not set: migrations run as the DATABASE_URL role (README.md: the two roles)');
  }
  const key = parseSecretKey(secret.key);
  const auditKey = deriveAuditKey(key);
  const checkpointFile =
    config.passthroughEnv.HITLESS_AUDIT_CHECKPOINT_FILE ?? path.join(config.dataDir, 'audit-checkpoints.jsonl');
  const migrations = await applyMigrations(ownerUrl);
  if (migrations.applied.length > 0) say(`applied migrations: ${migrations.applied.join(', ')}`);
  const checkpoints = new AuditCheckpointFile(checkpointFile, deriveCheckpointKey(key));
  await rekeyAudit(ownerUrl, auditKey, migrations.applied, checkpoints);
  await seedAdmin(config, databaseUrl, auditKey);

  const lab = config.lab;
  const engineEnv = lab.enabled ? demoEngineEnv(lab.timeScale, config.passthroughEnv) : {};
  if (Object.keys(engineEnv).length > 0) {
    const shown = Object.entries(engineEnv).map(
      ([k, v]) => `${k.replace(/^HITLESS_ENGINE_|(_TIMEOUT)?_S$/g, '').toLowerCase()} ${v} s`,
    );
    say(`engine timeouts scaled to the lab's time scale ${lab.timeScale}: ${shown.join(', ')}`);
  }
  let port = config.port;
  const env = () =>
    inheritedEnv({
      DATABASE_URL: databaseUrl,
      REDIS_URL: redisUrl,
      HITLESS_SECRET_KEY: secret.key,
      HITLESS_AUDIT_CHECKPOINT_FILE: checkpointFile,
      HITLESS_HOST: config.host,
      HITLESS_PORT: String(port),
      HITLESS_LOG_LEVEL: config.logLevel,
      NODE_ENV: config.passthroughEnv.NODE_ENV ?? 'production',
      ...engineEnv,
    });
  const onAlert = (name: string, line: string) => say(`[${name}] ${line}`);
  const common = { logs, env, onAlert };

  // The lab keeps its API address and token across a restart, and its host keys (in the data
  // directory); its devices start afresh.
  const labToken = randomBytes(18).toString('base64url');
  let labApi = '127.0.0.1:0';
  let labApiUrl: string | null = null;
  // Added in this order so they stop in the reverse one: the worker first (its runs hand over
  // while the devices and the api are still there), then the api, then the lab.
  const labStarted = Promise.resolve(
    lab.enabled
      ? supervisor.add(
          nodeService({
            ...common,
            name: 'lab',
            entry: 'apps/lab/src/main.ts',
            readyMessage: 'ready',
            args: () =>
              labArguments({
                ...lab,
                api: labApi,
                apiToken: labToken,
                // Its devices keep their SSH host keys across restarts: a restart is not a key change.
                stateDir: path.join(config.dataDir, 'lab'),
              }),
            onReady: async (m, attempt) => {
              const ready = m as { devices: LabDevice[]; apiUrl: string };
              labApi = new URL(ready.apiUrl).host;
              labApiUrl = ready.apiUrl;
              await registerDemoLab(config, { databaseUrl, auditKey }, key, ready, labToken, attempt > 0);
            },
          }),
        )
      : undefined,
  );
  const services = [
    labStarted,
    supervisor.add(
      nodeService({
        ...common,
        name: 'api',
        entry: 'apps/api/src/server.ts',
        readyMessage: 'listening',
        args: () => [],
        // A restart listens where the first start did, also when the first one chose a free port.
        onReady: (m) => void (port = Number(m.port)),
      }),
    ),
    // Once the lab is ready: the worker is told where its API is, to ask what each switchover cost.
    labStarted.then(() =>
      shuttingDown
        ? undefined
        : supervisor.add(
            nodeService({
              ...common,
              env: () => ({ ...env(), ...labApiEnv(labApiUrl, labToken, config.passthroughEnv) }),
              name: 'worker',
              entry: 'apps/worker/src/main.ts',
              readyMessage: 'ready',
              args: () => [],
              onReady: () => undefined,
            }),
          ),
    ),
  ];
  await Promise.all(services);
  const host = config.host.includes(':') ? `[${config.host}]` : config.host;
  say(`logs in ${logs}`);
  say(`ready in ${elapsed(t0)}`);
  say(`Hitless is running at http://${host}:${String(port)}/  (Ctrl-C to stop)`);
}

/**
 * Audit rows from before keyed hashes are re-signed once, as the owner (the only role the trigger
 * lets update them), in the start that applies the roles migration — never again, or a chain a
 * superuser rewrote with plain hashes would be re-signed into a valid one. A refusal does not stop
 * the start: the trail is evidence, not a dependency, and verify reports what is wrong with it.
 */
async function rekeyAudit(ownerUrl: string, auditKey: Buffer, applied: string[], checkpoints: AuditCheckpointFile) {
  const db = createPrisma(ownerUrl, { max: 1, auditKey });
  try {
    const result = await rekeyAfterMigrations(db, applied, { checkpointFile: checkpoints });
    if (result && result.rekeyed > 0)
      say(`audit trail: re-signed ${result.rekeyed} event(s) written before keyed hashes`);
    if (result?.warning) say(`audit trail: ${result.warning}`);
  } catch (err) {
    if (!(err instanceof AuditRekeyRefused)) throw err;
    say(`audit trail: NOT re-keyed: ${err.message}`);
    say('audit trail: starting anyway; GET /api/v1/audit/verify (or the dashboard) reports the problem');
  } finally {
    await db.$disconnect();
  }
}

async function seedAdmin(config: LauncherConfig, databaseUrl: string, auditKey: Buffer) {
  const db = createPrisma(databaseUrl, { max: 2, auditKey });
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
}

/** The lab's devices in the inventory, with their images and matrix; again after a lab restart. */
async function registerDemoLab(
  config: LauncherConfig,
  database: { databaseUrl: string; auditKey: Buffer },
  key: Buffer,
  ready: { devices: LabDevice[]; apiUrl: string },
  token: string,
  restarted: boolean,
) {
  const lab = config.lab;
  const db = createPrisma(database.databaseUrl, { max: 2, auditKey: database.auditKey });
  try {
    const result = await registerLabFleet(db, key, ready.devices);
    for (const s of result.skipped) say(`lab: not registered: ${s}`);
    if (restarted) return say(`lab: its ${ready.devices.length} devices started afresh on their original releases`);
    const first = ready.devices[0]!;
    const last = ready.devices.at(-1)!;
    const sshPort = lab.sshPort === 22 ? '' : ` port ${lab.sshPort}`;
    say(
      `lab: ${ready.devices.length} simulated devices on ${first.address}–${last.address}${sshPort}, time scale ${lab.timeScale} (${result.created} added to the inventory)`,
    );
    say(
      `lab: ssh ${LAB_USERNAME}@${first.address}${lab.sshPort === 22 ? '' : ` -p ${lab.sshPort}`} (password ${LAB_PASSWORD}); fault API ${ready.apiUrl} with Authorization: Bearer ${token}`,
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
