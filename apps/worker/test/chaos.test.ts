// Chaos: 24 upgrades of both vendors run at once across three worker processes while workers
// are killed with kill -9 at random moments (at least 40 kills, each replaced by a fresh worker).
// Every run must still end COMPLETED with the device on the new release everywhere, and the
// lab's counters must show every disruptive command exactly once. Bounded: the kills stop after
// 40 (or 150 s), and the runs have 240 s more to finish.
import { setTimeout as pause } from 'node:timers/promises';
import { isTerminal } from '@hitless/core';
import { createQueue, enqueue } from '@hitless/messaging';
import { uniquePrefix } from '@hitless/testkit';
import { eventually } from '@hitless/testkit/poll';
import { describe, expect, it } from 'vitest';
import { startBed } from '../../../packages/engine/test/harness.ts';
import {
  CISCO_DISRUPTIVE,
  disruptiveCounts,
  JUNOS_DISRUPTIVE,
  startWorker,
  stopWorker,
  type WorkerProcess,
} from './workers.ts';

const PER_VENDOR = 12;
const KILLS = 40;
const WORKERS = 3;
const KILL_WINDOW_MS = 150_000;
/** Jobs and leases free up in about 3 s, so 40 kills fit in a couple of minutes. */
const FAST = { lockMs: 2000, stalledMs: 1000, leaseStaleMs: 3000, pollMs: 250 };
const TARGET = { CISCO_IOS: '12.2(33)SB9', JUNOS: '10.3R2.11' } as const;

describe('chaos: kill -9 at random moments', () => {
  it(`${PER_VENDOR * 2} runs of both vendors survive ${KILLS} random worker kills`, async () => {
    const bed = await startBed([...Array(PER_VENDOR).fill('c10k'), ...Array(PER_VENDOR).fill('mx')], {}, 30);
    const prefix = uniquePrefix('chaos');
    const queue = createQueue('device-upgrade', bed.redis, prefix);
    const live: WorkerProcess[] = [];
    try {
      for (let i = 0; i < WORKERS; i++) live.push(startWorker(bed, prefix, FAST));
      await Promise.all(live.map((w) => w.ready));
      const runs = new Map<string, { hostname: string; vendor: keyof typeof TARGET }>();
      for (const d of bed.devices) {
        const vendor = d.vendor === 'JUNOS' ? 'JUNOS' : 'CISCO_IOS';
        const id = await bed.createRun(d.hostname, TARGET[vendor], { rollbackTimerSeconds: 7200 });
        runs.set(id, { hostname: d.hostname, vendor });
        await enqueue(queue, 'device-upgrade', { runId: id });
      }
      const allEnded = async () =>
        (await bed.db.deviceRun.findMany({ select: { status: true } })).every((r) => isTerminal(r.status));

      // The kills: a random worker, at a random moment (the cadence is the experiment, not a wait).
      let kills = 0;
      const killsEnd = Date.now() + KILL_WINDOW_MS;
      while (kills < KILLS && Date.now() < killsEnd && !(await allEnded())) {
        await pause(800 + Math.random() * 1200);
        const victim = live.splice(Math.floor(Math.random() * live.length), 1)[0]!;
        victim.child.kill('SIGKILL');
        await victim.exited;
        kills++;
        live.push(startWorker(bed, prefix, FAST));
      }
      const killedWhileActive = kills;
      await eventually(allEnded, { timeoutMs: 240_000, intervalMs: 500, what: 'every run ended' });
      process.stdout.write(`chaos: ${killedWhileActive} kills over ${runs.size} concurrent runs\n`);

      for (const [id, { hostname, vendor }] of runs) {
        const run = await bed.db.deviceRun.findUniqueOrThrow({ where: { id } });
        expect(run.status, `${hostname}: ${run.summary}`).toBe('COMPLETED');
        const device = await bed.api.device(hostname);
        const versions = ((device.routeProcessors ?? device.routingEngines) as { version: string }[]).map(
          (p) => p.version,
        );
        expect(versions, hostname).toEqual([TARGET[vendor], TARGET[vendor]]);
        const sent = await disruptiveCounts(bed, hostname, vendor === 'JUNOS' ? JUNOS_DISRUPTIVE : CISCO_DISRUPTIVE);
        expect(Object.values(sent), `${hostname}: ${JSON.stringify(sent)}`).toEqual(
          vendor === 'JUNOS' ? [1, 1, 1] : [1, 1, 1, 1],
        );
      }
      expect(killedWhileActive).toBeGreaterThanOrEqual(KILLS);
    } finally {
      await Promise.all(live.map(stopWorker));
      await queue.close();
      await bed.close();
    }
  }, 480_000);
});
