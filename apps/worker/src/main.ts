// The worker process: takes device-upgrade jobs and drives each run (packages/engine) to its
// end, takes device-discovery jobs, campaign ticks and campaign pre-checks, reports a heartbeat,
// and on start and every minute re-queues every run that is still active and puts back every live
// campaign's periodic tick (so runs and campaigns survive Redis losing their queues as well as any
// worker dying). Only workers reach the management network. Its ops server (metrics.ts, on
// HITLESS_METRICS_HOST:HITLESS_METRICS_PORT, default 9102) serves /metrics, /healthz and /readyz.
import { randomUUID } from 'node:crypto';
import os from 'node:os';
import { loadConfig } from '@hitless/config';
import { ACTIVE_RUN_STATUSES } from '@hitless/core';
import { createPrisma, deriveAuditKey } from '@hitless/db';
import { runCampaignPrecheck, runDiscovery, runUpgrade, WorkerStopping } from '@hitless/engine';
import {
  clearHeartbeat,
  createQueue,
  createRedis,
  createWorkers,
  ensureEnqueued,
  EventPublisher,
  HEARTBEAT_INTERVAL_MS,
  workerSeenAt,
  writeHeartbeat,
} from '@hitless/messaging';
import { startOpsServerOrWarn } from '@hitless/metrics';
import { pino } from 'pino';
import { CampaignScheduler } from './campaigns.ts';
import { chaosHook } from './chaos.ts';
import { createWorkerMetrics } from './metrics.ts';

/** The ops server's port when HITLESS_METRICS_PORT is not set. */
const DEFAULT_METRICS_PORT = 9102;

const config = loadConfig();
const logger = pino({ level: config.log.level, base: { service: 'worker' } });
const db = createPrisma(config.database.url, {
  max: Math.min(20, config.worker.concurrency * 2 + 2),
  auditKey: deriveAuditKey(config.secrets.key),
});
const redis = createRedis(config.redis.url);
const events = new EventPublisher(redis, config.redis.prefix);
const id = `${os.hostname()}:${process.pid}:${randomUUID().slice(0, 8)}`;
const startedAt = new Date().toISOString();
/** Why this process's last drive of a run stopped early, for the drive that resumes it. */
const stops = new Map<string, string>();
/** Drives in progress, so a shutdown can let them hand their runs over before the connections close. */
const drives = new Set<Promise<unknown>>();
let stopping = false;

const upgrades = createQueue('device-upgrade', redis, config.redis.prefix);
const discoveries = createQueue('device-discovery', redis, config.redis.prefix);
const ticks = createQueue('campaign-tick', redis, config.redis.prefix);

/** A discovery nobody finished in this long (its job lost with Redis, a worker that died) ends FAILED. */
const DISCOVERY_GIVE_UP_MS = 10 * 60_000;

/**
 * Every run that should be moving gets its job back (job ids are per run: no duplicates), also
 * when its job ended early, e.g. because another worker held the run and has since died.
 */
async function requeueActiveRuns(): Promise<number> {
  const runs = await db.deviceRun.findMany({
    where: { status: { in: [...ACTIVE_RUN_STATUSES] } },
    select: { id: true },
  });
  for (const r of runs) await ensureEnqueued(upgrades, 'device-upgrade', { runId: r.id });
  return runs.length;
}

/** Discoveries still open get their job back; those open too long end FAILED, saying so. */
async function resyncDiscoveries(): Promise<void> {
  const cutoff = new Date(Date.now() - DISCOVERY_GIVE_UP_MS);
  await db.discovery.updateMany({
    where: { status: { in: ['QUEUED', 'RUNNING'] }, createdAt: { lt: cutoff } },
    data: {
      status: 'FAILED',
      error: `no worker finished it within ${DISCOVERY_GIVE_UP_MS / 60_000} minutes`,
      endedAt: new Date(),
    },
  });
  // RUNNING too: a job lost with Redis while a worker read the device (an active job is left alone).
  const open = await db.discovery.findMany({ where: { status: { in: ['QUEUED', 'RUNNING'] } }, select: { id: true } });
  for (const d of open) await ensureEnqueued(discoveries, 'device-discovery', { discoveryId: d.id });
}

const metrics = createWorkerMetrics();
const engineDeps = { db, events, key: config.secrets.key, engine: config.engine, observer: metrics.observer };
const campaigns = new CampaignScheduler({
  db,
  events,
  log: logger.child({ component: 'campaign-scheduler' }),
  upgrades,
  ticks,
  tickMs: config.worker.campaignTickMs,
});

const workers = createWorkers(
  {
    'device-upgrade': async ({ runId }) => {
      try {
        const drive = runUpgrade(
          {
            ...engineDeps,
            log: logger.child({ runId }),
            workerId: id,
            onStepSucceeded: chaosHook(config.worker.chaosKillAfterStep, logger),
            shouldStop: () => stopping,
            stops,
            workerSeenAt: (workerId) => workerSeenAt(redis, config.redis.prefix, workerId),
          },
          runId,
        );
        drives.add(drive);
        await drive.finally(() => drives.delete(drive));
        // The next device of its campaign starts now, not at the next periodic tick (its backstop).
        await campaigns
          .runDriveEnded(runId)
          .catch((err: unknown) => logger.warn({ err, runId }, 'campaign tick after the run not queued'));
      } catch (err) {
        if (err instanceof WorkerStopping) {
          // Leave the job active: it stalls when this process is gone and another worker resumes it.
          await new Promise(() => undefined);
        }
        throw err;
      }
    },
    'device-discovery': async ({ discoveryId }) =>
      runDiscovery({ ...engineDeps, log: logger.child({ discoveryId }) }, discoveryId),
    'campaign-tick': async ({ campaignId }) => {
      await campaigns.tick(campaignId);
    },
    'campaign-precheck': async (payload) => {
      await runCampaignPrecheck({ ...engineDeps, log: logger.child({ campaignId: payload.campaignId }) }, payload);
    },
  },
  {
    connection: redis,
    prefix: config.redis.prefix,
    concurrency: {
      'device-upgrade': config.worker.concurrency,
      'device-discovery': 4,
      'campaign-tick': 1,
      'campaign-precheck': 4,
    },
    lockMs: config.worker.lockMs,
    stalledMs: config.worker.stalledMs,
  },
);
metrics.watch(workers);
for (const w of workers) {
  w.on('failed', (job, err) => logger.error({ err, jobId: job?.id }, 'job failed'));
  w.on('error', (err) => logger.error({ err }, 'worker error'));
}

async function beat() {
  await writeHeartbeat(redis, config.redis.prefix, {
    id,
    hostname: os.hostname(),
    pid: process.pid,
    startedAt,
    seenAt: new Date().toISOString(),
  });
}

/**
 * Up before anything else, so a probe sees the process alive while it starts. A port already
 * taken (a second worker on this host with the default port) costs the metrics, not the worker.
 */
const ops = await startOpsServerOrWarn({
  host: config.metrics.host,
  port: config.metrics.port ?? DEFAULT_METRICS_PORT,
  token: config.metrics.token,
  registry: metrics.registry,
  checks: [
    { name: 'database', check: async () => void (await db.$queryRaw`SELECT 1`) },
    { name: 'redis', check: async () => void (await redis.ping()) },
  ],
  logger: logger.child({ component: 'ops-server' }),
});

await db.$queryRaw`SELECT 1`;
await beat();
const requeued = await requeueActiveRuns();
const liveCampaigns = await campaigns.resync();
const timer = setInterval(() => {
  beat().catch((err: unknown) => logger.warn({ err }, 'heartbeat failed'));
}, HEARTBEAT_INTERVAL_MS);
const resync = setInterval(() => {
  requeueActiveRuns().catch((err: unknown) => logger.warn({ err }, 'requeue failed'));
  resyncDiscoveries().catch((err: unknown) => logger.warn({ err }, 'discovery resync failed'));
  campaigns.resync().catch((err: unknown) => logger.warn({ err }, 'campaign scheduler resync failed'));
}, 60_000);
logger.info({ id, requeued, liveCampaigns, concurrency: config.worker.concurrency }, 'worker ready');
process.send?.({ type: 'ready', metricsPort: ops?.port ?? null });

async function shutdown(signal: string) {
  if (stopping) return;
  stopping = true;
  logger.info({ signal }, 'shutting down; active runs resume on another worker');
  clearInterval(timer);
  clearInterval(resync);
  // Drives stop at their next turn and hand their runs over; one in a long command (a Junos
  // upgrade stream) is not waited for: its lease goes stale instead.
  const handedOver = Promise.allSettled([...drives]);
  await Promise.race([handedOver, new Promise((r) => setTimeout(r, 5000))]);
  // Force: runs last up to hours; their jobs stall and move to another worker.
  await Promise.all(workers.map((w) => w.close(true)));
  await Promise.all([upgrades.close(), discoveries.close(), ticks.close()]);
  await clearHeartbeat(redis, config.redis.prefix, id);
  await ops?.close().catch((err: unknown) => logger.warn({ err }, 'ops server did not close'));
  await Promise.all([db.$disconnect(), redis.quit()]);
  process.exit(0);
}
process.on('SIGINT', () => void shutdown('SIGINT'));
process.on('SIGTERM', () => void shutdown('SIGTERM'));
process.on('disconnect', () => void shutdown('parent exited'));
