// The worker process: takes device-upgrade jobs and drives each run (packages/engine) to its
// end, reports a heartbeat, and on start re-queues every run that is still active (so a run
// survives Redis losing its queue as well as any worker dying).
import { randomUUID } from 'node:crypto';
import os from 'node:os';
import { loadConfig } from '@hitless/config';
import { createPrisma } from '@hitless/db';
import { runUpgrade, WorkerStopping } from '@hitless/engine';
import {
  clearHeartbeat,
  createQueue,
  createRedis,
  createWorker,
  ensureEnqueued,
  EventPublisher,
  HEARTBEAT_INTERVAL_MS,
  writeHeartbeat,
} from '@hitless/messaging';
import { pino } from 'pino';
import { chaosHook } from './chaos.ts';

const config = loadConfig();
const logger = pino({ level: config.log.level, base: { service: 'worker' } });
const db = createPrisma(config.database.url, { max: Math.min(20, config.worker.concurrency * 2 + 2) });
const redis = createRedis(config.redis.url);
const events = new EventPublisher(redis, config.redis.prefix);
const id = `${os.hostname()}:${process.pid}:${randomUUID().slice(0, 8)}`;
const startedAt = new Date().toISOString();
let stopping = false;

const queue = createQueue('device-upgrade', redis, config.redis.prefix);

/**
 * Every run that should be moving gets its job back (job ids are per run: no duplicates), also
 * when its job ended early, e.g. because another worker held the run and has since died.
 */
async function requeueActiveRuns(): Promise<number> {
  const runs = await db.deviceRun.findMany({
    where: { status: { in: ['QUEUED', 'RUNNING', 'WAITING_ACCEPT'] } },
    select: { id: true },
  });
  for (const r of runs) await ensureEnqueued(queue, 'device-upgrade', { runId: r.id });
  return runs.length;
}

const worker = createWorker(
  'device-upgrade',
  async ({ runId }) => {
    try {
      await runUpgrade(
        {
          db,
          events,
          key: config.secrets.key,
          engine: config.engine,
          log: logger.child({ runId }),
          workerId: id,
          onStepSucceeded: chaosHook(config.worker.chaosKillAfterStep, logger),
          shouldStop: () => stopping,
        },
        runId,
      );
    } catch (err) {
      if (err instanceof WorkerStopping) {
        // Leave the job active: it stalls when this process is gone and another worker resumes it.
        await new Promise(() => undefined);
      }
      throw err;
    }
  },
  {
    connection: redis,
    prefix: config.redis.prefix,
    concurrency: config.worker.concurrency,
    lockMs: config.worker.lockMs,
    stalledMs: config.worker.stalledMs,
  },
);
worker.on('failed', (job, err) => logger.error({ err, jobId: job?.id }, 'job failed'));
worker.on('error', (err) => logger.error({ err }, 'worker error'));

async function beat() {
  await writeHeartbeat(redis, config.redis.prefix, {
    id,
    hostname: os.hostname(),
    pid: process.pid,
    startedAt,
    seenAt: new Date().toISOString(),
  });
}

await db.$queryRaw`SELECT 1`;
await beat();
const requeued = await requeueActiveRuns();
const timer = setInterval(() => {
  beat().catch((err: unknown) => logger.warn({ err }, 'heartbeat failed'));
}, HEARTBEAT_INTERVAL_MS);
const resync = setInterval(() => {
  requeueActiveRuns().catch((err: unknown) => logger.warn({ err }, 'requeue failed'));
}, 60_000);
logger.info({ id, requeued, concurrency: config.worker.concurrency }, 'worker ready');
process.send?.({ type: 'ready' });

async function shutdown(signal: string) {
  if (stopping) return;
  stopping = true;
  logger.info({ signal }, 'shutting down; active runs resume on another worker');
  clearInterval(timer);
  clearInterval(resync);
  // Force: runs last up to hours; their jobs stall and move to another worker.
  await worker.close(true);
  await queue.close();
  await clearHeartbeat(redis, config.redis.prefix, id);
  await Promise.all([db.$disconnect(), redis.quit()]);
  process.exit(0);
}
process.on('SIGINT', () => void shutdown('SIGINT'));
process.on('SIGTERM', () => void shutdown('SIGTERM'));
process.on('disconnect', () => void shutdown('parent exited'));
