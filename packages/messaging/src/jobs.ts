// The one registry of background jobs: name → payload schema, retry policy and job id. A job's
// payload is parsed when a worker takes it; ids are deterministic, so enqueueing the same work
// twice adds it once. Jobs carry ids only: PostgreSQL holds the state.
import { Queue, UnrecoverableError, Worker, type Job } from 'bullmq';
import { z } from 'zod';
import type { Redis } from './redis.ts';

export const JOBS = {
  'device-upgrade': {
    queue: 'device-upgrade',
    schema: z.object({ runId: z.uuid() }),
    jobId: (p: { runId: string }) => `upgrade-${p.runId}`,
    // A run resumes from the device's state; a failure that reaches BullMQ is a bug or an
    // outage worth a few tries with a pause, not a reason to hammer the device.
    attempts: 3,
    backoff: { type: 'exponential' as const, delay: 10_000 },
  },
  'device-discovery': {
    queue: 'device-discovery',
    schema: z.object({ discoveryId: z.uuid() }),
    jobId: (p: { discoveryId: string }) => `discovery-${p.discoveryId}`,
    // Device problems end the discovery FAILED in PostgreSQL; what reaches BullMQ is ours.
    attempts: 2,
    backoff: { type: 'fixed' as const, delay: 2000 },
  },
  'campaign-tick': {
    queue: 'campaign-scheduler',
    // `key` names why the tick was asked for (a run ended, an approval, the window's start, the
    // periodic scheduler): the same reason twice is one job. A tick is idempotent.
    schema: z.object({ campaignId: z.uuid(), key: z.string().min(1).max(200) }),
    jobId: (p: { campaignId: string; key: string }) => `campaign-${p.campaignId}-${p.key}`,
    attempts: 5,
    backoff: { type: 'exponential' as const, delay: 1000 },
  },
  'campaign-precheck': {
    queue: 'campaign-precheck',
    // One read-only pre-check of one device for one preview request (its time in ms).
    schema: z.object({ campaignId: z.uuid(), deviceId: z.uuid(), previewAt: z.number().int() }),
    jobId: (p: { campaignId: string; deviceId: string; previewAt: number }) =>
      `precheck-${p.campaignId}-${p.deviceId}-${p.previewAt}`,
    attempts: 2,
    backoff: { type: 'fixed' as const, delay: 2000 },
  },
  'syslog-retention': {
    queue: 'syslog-retention',
    // Taken by the collector (apps/collector), not by workers: see COLLECTOR_JOBS.
    schema: z.object({}),
    jobId: () => 'syslog-retention',
    attempts: 1,
    backoff: { type: 'fixed' as const, delay: 60_000 },
  },
} as const;

/** Jobs the collector process takes; every other job is a worker's. */
export const COLLECTOR_JOBS = ['syslog-retention'] as const;
export type CollectorJobName = (typeof COLLECTOR_JOBS)[number];
export type JobName = keyof typeof JOBS;
/** The jobs `createWorkers` starts in a worker process. */
export type WorkerJobName = Exclude<JobName, CollectorJobName>;
export type JobPayload<N extends JobName> = z.infer<(typeof JOBS)[N]['schema']>;
export type JobHandler<N extends JobName> = (payload: JobPayload<N>, job: Job) => Promise<void>;
export type JobHandlers = { [N in WorkerJobName]: JobHandler<N> };

export function createQueue(name: JobName, connection: Redis, prefix: string): Queue {
  return new Queue(JOBS[name].queue, { connection, prefix });
}

export async function enqueue<N extends JobName>(
  queue: Queue,
  name: N,
  payload: JobPayload<N>,
  options: { delayMs?: number } = {},
): Promise<void> {
  const def = JOBS[name];
  await queue.add(name, def.schema.parse(payload), {
    jobId: (def.jobId as (p: JobPayload<N>) => string)(payload),
    ...(options.delayMs && options.delayMs > 0 && { delay: Math.ceil(options.delayMs) }),
    attempts: def.attempts,
    backoff: def.backoff,
    removeOnComplete: { age: 7 * 86_400 },
    removeOnFail: { age: 30 * 86_400 },
  });
}

/**
 * Makes sure a job exists and will run: a finished job under the same id (kept for a week) is
 * replaced, so work whose state in PostgreSQL says "not done" is always picked up again.
 */
export async function ensureEnqueued<N extends JobName>(queue: Queue, name: N, payload: JobPayload<N>): Promise<void> {
  const job = await queue.getJob((JOBS[name].jobId as (p: JobPayload<N>) => string)(payload));
  if (job) {
    const state = await job.getState();
    if (state !== 'completed' && state !== 'failed') return;
    await job.remove();
  }
  await enqueue(queue, name, payload);
}

export interface WorkerOptions {
  connection: Redis;
  prefix: string;
  concurrency: number;
  lockMs: number;
  stalledMs: number;
}

/**
 * A BullMQ worker for one queue. A worker that dies mid-job leaves it stalled; another worker
 * picks it up after `stalledMs` — many times over if need be, since runs resume safely.
 */
export function createWorker<N extends JobName>(name: N, handler: JobHandler<N>, options: WorkerOptions): Worker {
  const def = JOBS[name];
  return new Worker(
    def.queue,
    async (job) => {
      if (job.name !== name) throw new UnrecoverableError(`no handler for job ${job.name} on queue ${def.queue}`);
      const parsed = def.schema.safeParse(job.data);
      if (!parsed.success) throw new UnrecoverableError(`invalid payload for ${name}: ${parsed.error.message}`);
      await handler(parsed.data as JobPayload<N>, job);
    },
    {
      connection: options.connection,
      prefix: options.prefix,
      concurrency: options.concurrency,
      lockDuration: options.lockMs,
      stalledInterval: options.stalledMs,
      maxStalledCount: 1000,
      autorun: true,
    },
  );
}

/**
 * One worker per queue for every job in the registry. Start-up fails when a job has no handler:
 * a job nobody takes would wait forever.
 */
export function createWorkers(
  handlers: JobHandlers,
  options: Omit<WorkerOptions, 'concurrency'> & { concurrency: Record<WorkerJobName, number> },
): Worker[] {
  const names = (Object.keys(JOBS) as JobName[]).filter(
    (n): n is WorkerJobName => !(COLLECTOR_JOBS as readonly string[]).includes(n),
  );
  const missing = names.filter((n) => typeof handlers[n] !== 'function');
  if (missing.length > 0) throw new Error(`no handler for job(s) ${missing.join(', ')}`);
  const extra = Object.keys(handlers).filter((n) => !names.includes(n as WorkerJobName));
  if (extra.length > 0) throw new Error(`handlers for unknown job(s) ${extra.join(', ')}`);
  return names.map((n) =>
    createWorker(n, handlers[n] as JobHandler<typeof n>, { ...options, concurrency: options.concurrency[n] }),
  );
}

export { UnrecoverableError };
export type { Queue, Worker };
