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
import { applyMigrations, AuditCheckpointFile, deriveAuditKey, deriveCheckpointKey } from '@hitless/db';
import type { LabDevice } from '@hitless/lab';
import { RuntimeError } from '@hitless/runtime';
import { loopbackFor, readyzUrl, waitForReadyz } from './readiness.ts';
import { loadOrCreateSecretKey } from './secret-key.ts';
import { registerDemoLab, rekeyAudit, seedAdmin } from './setup.ts';
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
  await rekeyAudit(say, ownerUrl, auditKey, migrations.applied, checkpoints);
  await seedAdmin(say, config, databaseUrl, auditKey);

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
      HITLESS_IMAGE_STORE_DIR: config.passthroughEnv.HITLESS_IMAGE_STORE_DIR ?? path.join(config.dataDir, 'images'),
      HITLESS_HOST: config.host,
      HITLESS_PORT: String(port),
      HITLESS_LOG_LEVEL: config.logLevel,
      NODE_ENV: config.passthroughEnv.NODE_ENV ?? 'production',
      ...engineEnv,
    });
  const onAlert = (name: string, line: string) => say(`[${name}] ${line}`);
  const common = { logs, env, onAlert };

  // The collector first: the lab's devices send their syslog to it. A restart listens where the
  // first start did (its ports may have been chosen free).
  const given = config.passthroughEnv;
  const syslog = { udp: given.HITLESS_SYSLOG_UDP_PORT ?? '5514', tcp: given.HITLESS_SYSLOG_TCP_PORT ?? '5514' };
  let collectorMetricsPort = config.metricsPorts.collector;
  const metricsHost = given.HITLESS_METRICS_HOST ?? '127.0.0.1';
  const collectorStarted = supervisor.add(
    nodeService({
      ...common,
      env: () => ({
        ...env(),
        HITLESS_SYSLOG_UDP_PORT: syslog.udp,
        HITLESS_SYSLOG_TCP_PORT: syslog.tcp,
        HITLESS_METRICS_PORT: String(collectorMetricsPort),
      }),
      name: 'collector',
      entry: 'apps/collector/src/main.ts',
      readyMessage: 'ready',
      args: () => [],
      onReady: async (m) => {
        const ready = m as { udpPort: number; tcpPort: number; metricsPort: unknown };
        Object.assign(syslog, { udp: String(ready.udpPort), tcp: String(ready.tcpPort) });
        // A collector whose metrics port was taken runs on without its ops server (it logged why).
        if (typeof ready.metricsPort !== 'number') {
          say('collector: no /metrics or /readyz (see its log)');
          return;
        }
        collectorMetricsPort = ready.metricsPort;
        await waitForReadyz(readyzUrl(metricsHost, collectorMetricsPort));
      },
    }),
  );
  const syslogHost = given.HITLESS_SYSLOG_HOST ?? '127.0.0.1';

  // The lab keeps its API address and token across a restart, and its host keys (in the data
  // directory); its devices start afresh.
  const labToken = randomBytes(18).toString('base64url');
  let labApi = '127.0.0.1:0';
  let labApiUrl: string | null = null;
  // Added in this order so they stop in the reverse one: the worker first (its runs hand over
  // while the devices and the api are still there), then the api, then the lab.
  const labStarted = collectorStarted.then(() =>
    lab.enabled && !shuttingDown
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
                syslog: `${loopbackFor(syslogHost)}:${syslog.udp}`,
              }),
            onReady: async (m, attempt) => {
              const ready = m as { devices: LabDevice[]; apiUrl: string; knownHostsFile: string | null };
              labApi = new URL(ready.apiUrl).host;
              labApiUrl = ready.apiUrl;
              await registerDemoLab(say, config, { databaseUrl, auditKey }, key, ready, labToken, attempt > 0);
            },
          }),
        )
      : undefined,
  );
  let workerMetricsPort = config.metricsPorts.worker;
  const services = [
    collectorStarted,
    labStarted,
    supervisor.add(
      nodeService({
        ...common,
        name: 'api',
        entry: 'apps/api/src/server.ts',
        readyMessage: 'listening',
        args: () => [],
        // A restart listens where the first start did, also when the first one chose a free port.
        onReady: async (m) => {
          port = Number(m.port);
          await waitForReadyz(readyzUrl(config.host, port));
        },
      }),
    ),
    // Once the lab is ready: the worker is told where its API is, to ask what each switchover cost.
    labStarted.then(() =>
      shuttingDown
        ? undefined
        : supervisor.add(
            nodeService({
              ...common,
              env: () => ({
                ...env(),
                ...labApiEnv(labApiUrl, labToken, config.passthroughEnv),
                HITLESS_METRICS_PORT: String(workerMetricsPort),
              }),
              name: 'worker',
              entry: 'apps/worker/src/main.ts',
              readyMessage: 'ready',
              args: () => [],
              onReady: async (m) => {
                // A worker whose metrics port was taken runs on without its ops server (it logged why).
                if (typeof m.metricsPort !== 'number') {
                  say('worker: no /metrics or /readyz (see its log)');
                  return;
                }
                workerMetricsPort = m.metricsPort;
                await waitForReadyz(readyzUrl(metricsHost, workerMetricsPort));
              },
            }),
          ),
    ),
  ];
  await Promise.all(services);
  const host = config.host.includes(':') ? `[${config.host}]` : config.host;
  say(
    `syslog collector on ${syslogHost} UDP ${syslog.udp} and TCP ${syslog.tcp}; metrics: api /metrics, worker :${workerMetricsPort}, collector :${collectorMetricsPort}`,
  );
  say(`logs in ${logs}`);
  say(`ready in ${elapsed(t0)}`);
  say(`Hitless is running at http://${host}:${String(port)}/  (Ctrl-C to stop)`);
}

main().catch((err: unknown) => {
  if (err instanceof ConfigError || err instanceof RuntimeError) say(err.message);
  else say(`failed to start: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`);
  void shutdown(1);
});
