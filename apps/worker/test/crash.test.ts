// kill -9 the worker at every step boundary of a Cisco and of a Junos run, and while a Junos
// run waits for an operator: a fresh worker finishes each run correctly, and the lab's command
// counters show that no disruptive command was sent twice. Real worker processes, real BullMQ,
// real SSH against the lab.
import { createQueue, enqueue } from '@hitless/messaging';
import { uniquePrefix } from '@hitless/testkit';
import { eventually } from '@hitless/testkit/poll';
import type { PlatformFamily } from '@hitless/sim';
import { describe, expect, it } from 'vitest';
import { HAPPY_PATH, startBed } from '../../../packages/engine/test/harness.ts';
import {
  CISCO_DISRUPTIVE,
  disruptiveCounts,
  JUNOS_DISRUPTIVE,
  startWorker,
  stopWorker,
  untilTerminal,
} from './workers.ts';

/** Slower than the engine tests, so the rollback window (60 s here) outlasts a worker restart under load. */
const SCALE = 120;
const BATCH = 5;

const CISCO_BOUNDARIES = [...HAPPY_PATH.CISCO_ISSU];
/** The second reconnect is the one after the mastership restore. */
const JUNOS_BOUNDARIES = HAPPY_PATH.JUNOS_ISSU.map((s, i, all) =>
  s === 'reconnect' && all.indexOf(s) !== i ? 'reconnect#2' : s,
);
/** In these scenarios a dead worker's job and lease free up in about 3 s (the takeover test measures the defaults). */
const FAST = { lockMs: 2000, stalledMs: 1000, leaseStaleMs: 3000 };

/**
 * One scenario, on its own lab device, database and queue (a worker re-queues every active run
 * of its database at start): the first worker dies after `boundary`, a fresh one finishes.
 */
async function crashAndResume(family: PlatformFamily, version: string, boundary: string, disruptive: RegExp) {
  const bed = await startBed([family], {}, SCALE);
  const hostname = bed.devices[0]!.hostname;
  const prefix = uniquePrefix('crash');
  const queue = createQueue('device-upgrade', bed.redis, prefix);
  try {
    const runId = await bed.createRun(hostname, version, { rollbackTimerSeconds: 7200 });
    const first = startWorker(bed, prefix, { ...FAST, chaos: boundary });
    await enqueue(queue, 'device-upgrade', { runId });
    expect(await first.exited, `${boundary}: the first worker was killed`).toBe('SIGKILL');
    const killedAt = await bed.db.deviceRun.findUniqueOrThrow({ where: { id: runId } });
    // A fresh worker takes over the stalled job and finishes the run from the device's state.
    const second = startWorker(bed, prefix, FAST);
    const run = await untilTerminal(bed, runId, 180_000);
    await stopWorker(second);
    return { run, killedAt, counts: Object.entries(await disruptiveCounts(bed, hostname, disruptive)) };
  } finally {
    await queue.close();
    await bed.close();
  }
}

/** Runs the scenarios a few at a time: each boots two worker processes on a 2-core machine. */
async function inBatches<T, R>(items: T[], size: number, fn: (item: T) => Promise<R>): Promise<R[]> {
  const out: R[] = [];
  for (let i = 0; i < items.length; i += size) out.push(...(await Promise.all(items.slice(i, i + size).map(fn))));
  return out;
}

describe('crash recovery: kill -9 at every step boundary', () => {
  it('Cisco ISSU completes after a crash at each boundary, each disruptive command sent once', async () => {
    const results = await inBatches(CISCO_BOUNDARIES, BATCH, async (boundary) => ({
      boundary,
      ...(await crashAndResume('c10k', '12.2(33)SB9', boundary, CISCO_DISRUPTIVE)),
    }));
    for (const r of results) {
      expect(r.run.status, `${r.boundary}: ${r.run.summary}`).toBe('COMPLETED');
      expect(r.killedAt.status, r.boundary).not.toBe('COMPLETED');
      expect(Object.fromEntries(r.counts.map(([l, n]) => [l.split(' ')[1], n])), r.boundary).toEqual({
        loadversion: 1,
        runversion: 1,
        acceptversion: 1,
        commitversion: 1,
      });
    }
  }, 300_000);

  it('Junos ISSU completes after a crash at each boundary, each disruptive command sent once', async () => {
    const results = await inBatches(JUNOS_BOUNDARIES, BATCH, async (boundary) => ({
      boundary,
      ...(await crashAndResume('mx', '10.3R2.11', boundary, JUNOS_DISRUPTIVE)),
    }));
    for (const r of results) {
      expect(r.run.status, `${r.boundary}: ${r.run.summary}`).toBe('COMPLETED');
      expect(r.killedAt.status, r.boundary).not.toBe('COMPLETED');
      expect(
        r.counts.map(([, n]) => n),
        r.boundary,
      ).toEqual([1, 1, 1]);
    }
  }, 300_000);
});

describe('crash recovery: kill -9 while a Junos run waits for an operator', () => {
  const O = '10.1R1.8';
  const T = '10.3R2.11';

  /** A MANUAL Junos run whose worker is killed while it waits; a fresh worker takes the wait over, then `act` decides. */
  async function killWhileWaiting(act: 'accept' | 'abort') {
    const bed = await startBed(['mx'], {}, SCALE);
    const hostname = bed.devices[0]!.hostname;
    const prefix = uniquePrefix('wait');
    const queue = createQueue('device-upgrade', bed.redis, prefix);
    try {
      const runId = await bed.createRun(hostname, T, { acceptMode: 'MANUAL' });
      const first = startWorker(bed, prefix, FAST);
      await enqueue(queue, 'device-upgrade', { runId });
      await bed.status(runId, 'WAITING_ACCEPT', 120_000);
      first.child.kill('SIGKILL');
      await first.exited;
      const second = startWorker(bed, prefix, FAST);
      // The fresh worker closes the killed one's wait and waits again, on the same device state.
      await eventually(
        async () =>
          (await bed.db.runStep.count({ where: { runId, name: 'operator accept', status: 'RUNNING', attempt: 2 } })) ===
          1,
        { timeoutMs: 60_000, what: 'the second worker waiting' },
      );
      expect((await bed.db.deviceRun.findUniqueOrThrow({ where: { id: runId } })).status).toBe('WAITING_ACCEPT');
      await bed.db.deviceRun.update({
        where: { id: runId },
        data: act === 'accept' ? { acceptRequestedAt: new Date() } : { abortRequestedAt: new Date() },
      });
      const run = await untilTerminal(bed, runId, 120_000);
      await stopWorker(second);
      const res = (await bed.api.device(hostname)).routingEngines as {
        state: string;
        version: string;
        pending: string | null;
      }[];
      const waits = await bed.db.runStep.findMany({
        where: { runId, name: 'operator accept' },
        orderBy: { seq: 'asc' },
      });
      return { run, res, waits, counts: await disruptiveCounts(bed, hostname, JUNOS_DISRUPTIVE) };
    } finally {
      await queue.close();
      await bed.close();
    }
  }

  it('a fresh worker waits again; Accept then completes the upgrade, each command sent once', async () => {
    const r = await killWhileWaiting('accept');
    expect(r.run.status, r.run.summary ?? '').toBe('COMPLETED');
    expect(r.res.map((x) => [x.state, x.version])).toEqual([
      ['Master', T],
      ['Backup', T],
    ]);
    expect(r.waits[0]!.outcome).toMatch(/^interrupted: worker .* stopped answering \(no heartbeat for \d+ s\)/);
    expect(Object.values(r.counts)).toEqual([1, 1, 1]);
  }, 240_000);

  it('a fresh worker waits again; Abort then rolls back: both REs on the original release, ROLLED_BACK', async () => {
    const r = await killWhileWaiting('abort');
    expect(r.run.status, r.run.summary ?? '').toBe('ROLLED_BACK');
    expect(r.res.map((x) => [x.state, x.version, x.pending])).toEqual([
      ['Master', O, null],
      ['Backup', O, null],
    ]);
    expect(r.counts).toEqual({
      [`request system software in-service-upgrade /var/tmp/jinstall-${T}-domestic-signed.tgz`]: 1,
      'request chassis routing-engine master switch': 1,
      'request system software rollback other-routing-engine': 1,
      'request system reboot other-routing-engine': 1,
      'request system software rollback': 1,
    });
  }, 240_000);
});
