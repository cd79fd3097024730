// A run whose job is gone is not stuck: a worker re-queues every active run of its database, PENDING
// included (a run row written without a status is PENDING, the column's default, before anyone queued
// it). Real worker process, real BullMQ, real SSH against the lab. The re-queue that picks the run up
// here is the one at the worker's start; the periodic one (every minute) runs the same function.
import { createQueue } from '@hitless/messaging';
import { uniquePrefix } from '@hitless/testkit';
import { eventually } from '@hitless/testkit/poll';
import { describe, expect, it } from 'vitest';
import { startBed } from '../../../packages/engine/test/harness.ts';
import { startWorker, stopWorker, untilTerminal } from './workers.ts';

describe('re-queue of active runs', () => {
  it('a PENDING run with no job is driven to its end by a worker that starts', async () => {
    const bed = await startBed(['c10k']);
    const prefix = uniquePrefix('requeue');
    const queue = createQueue('device-upgrade', bed.redis, prefix);
    try {
      const runId = await bed.createRun(bed.devices[0]!.hostname, '12.2(33)SB9', { rollbackTimerSeconds: 7200 });
      await bed.db.deviceRun.update({ where: { id: runId }, data: { status: 'PENDING' } });
      expect(await queue.getJob(`upgrade-${runId}`), 'no job before the worker starts').toBeUndefined();

      const worker = startWorker(bed, prefix);
      try {
        await worker.ready;
        // Only the worker's re-queue can have put it there: nothing else knows this run.
        await eventually(() => queue.getJob(`upgrade-${runId}`), { what: 'the run re-queued' });
        const run = await untilTerminal(bed, runId, 90_000);
        expect(run.status, run.summary ?? '').toBe('COMPLETED');
      } finally {
        await stopWorker(worker);
      }
    } finally {
      await queue.close();
      await bed.close();
    }
  }, 150_000);
});
