// The job registry on a real Redis: one job per run id, and a finished job replaced when the
// run it stands for still needs a worker.
import { randomUUID } from 'node:crypto';
import { redisUrl, uniquePrefix } from '@hitless/testkit';
import { afterAll, describe, expect, it } from 'vitest';
import { createQueue, createRedis, createWorker, enqueue, ensureEnqueued } from '../src/index.ts';
import { eventually } from '@hitless/testkit/poll';

const redis = createRedis(redisUrl());
afterAll(async () => redis.quit());

describe('device-upgrade jobs', () => {
  it('adds one job per run, and brings a finished one back only through ensureEnqueued', async () => {
    const prefix = uniquePrefix('jobs');
    const queue = createQueue('device-upgrade', redis, prefix);
    const runId = randomUUID();
    await enqueue(queue, 'device-upgrade', { runId });
    await enqueue(queue, 'device-upgrade', { runId });
    await ensureEnqueued(queue, 'device-upgrade', { runId });
    expect(await queue.getJobCounts('waiting')).toEqual({ waiting: 1 });

    const seen: string[] = [];
    const worker = createWorker('device-upgrade', async (p) => void seen.push(p.runId), {
      connection: redis,
      prefix,
      concurrency: 1,
      lockMs: 5000,
      stalledMs: 5000,
    });
    await eventually(async () => (await queue.getJobCounts('completed')).completed === 1, {
      timeoutMs: 5000,
      what: 'the job completed',
    });
    // A plain enqueue of a finished job's id is a no-op (BullMQ keeps the id for a week)…
    await enqueue(queue, 'device-upgrade', { runId });
    expect((await queue.getJobs()).map((j) => j.id)).toEqual([`upgrade-${runId}`]);
    expect(seen).toEqual([runId]);
    // …ensureEnqueued replaces it, so a run still active in PostgreSQL gets a worker again.
    await ensureEnqueued(queue, 'device-upgrade', { runId });
    await eventually(() => seen.length === 2, { timeoutMs: 5000, what: 'the job ran again' });
    await worker.close();
    await queue.close();
  });

  it('refuses a payload that is not a run id', async () => {
    const queue = createQueue('device-upgrade', redis, uniquePrefix('jobs'));
    await expect(enqueue(queue, 'device-upgrade', { runId: 'not-a-uuid' })).rejects.toThrow(/uuid/i);
    await queue.close();
  });
});
