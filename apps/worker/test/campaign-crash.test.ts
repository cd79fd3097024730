// kill -9 the worker that runs a campaign, mid-wave, twice: a fresh worker carries the campaign
// on (its periodic tick lives in Redis, its runs resume from the devices' state), no device is
// started twice (one run per campaign device) and the lab's counters show every disruptive
// command once per device.
import { createQueue } from '@hitless/messaging';
import { uniquePrefix } from '@hitless/testkit';
import { eventually } from '@hitless/testkit/poll';
import { describe, expect, it } from 'vitest';
import { startBed } from '../../../packages/engine/test/harness.ts';
import {
  campaignEnded,
  campaignRecord,
  createApprovedCampaign,
  groupOverlaps,
  intervalsOf,
  kick,
  maxOverlap,
  untilCampaign,
  waveOrderViolations,
} from './campaign-harness.ts';
import {
  CISCO_DISRUPTIVE,
  disruptiveCounts,
  JUNOS_DISRUPTIVE,
  startWorker,
  stopWorker,
  type WorkerProcess,
} from './workers.ts';

process.env.HITLESS_CAMPAIGN_TICK_MS = '1000';
/** A dead worker's jobs and leases free up in about 3 s, as in the crash tests. */
const FAST = { lockMs: 2000, stalledMs: 1000, leaseStaleMs: 3000 };
const CONCURRENCY = 3;

describe('campaign crash recovery', () => {
  it('a worker killed with kill -9 mid-wave, twice: the next one carries on, no device started twice', async () => {
    const bed = await startBed([...Array(6).fill('c10k'), ...Array(4).fill('mx')], {}, 120);
    const prefix = uniquePrefix('campaign-crash');
    const ticks = createQueue('campaign-tick', bed.redis, prefix);
    let worker: WorkerProcess = startWorker(bed, prefix, FAST);
    try {
      const { id, plan } = await createApprovedCampaign(bed.db, {
        hostnames: bed.devices.map((d) => d.hostname),
        strategy: {
          canarySize: 1,
          waveSize: 10,
          concurrency: CONCURRENCY,
          failureBudget: { kind: 'count', value: 1 },
          rollbackTimerSeconds: 7200,
        },
        userId: bed.userId,
      });
      await worker.ready;
      await kick(ticks, id, 'approved');
      const kills: string[] = [];
      // Kill mid-wave: in wave 1 with runs in flight, then again when later devices are in flight.
      for (const started of [2, 7]) {
        await eventually(
          async () =>
            (await bed.db.deviceRun.count({ where: { campaignId: id } })) >= started &&
            (await bed.db.deviceRun.count({ where: { campaignId: id, status: 'RUNNING' } })) >= 1,
          { timeoutMs: 120_000, intervalMs: 100, what: `${started} runs started, one in flight` },
        );
        const c = await bed.db.campaign.findUniqueOrThrow({ where: { id } });
        kills.push(`wave ${c.currentWave}`);
        worker.child.kill('SIGKILL');
        expect(await worker.exited).toBe('SIGKILL');
        // Redis loses the periodic tick as well: the next worker puts it back when it starts.
        await ticks.removeJobScheduler(`campaign-${id}`);
        worker = startWorker(bed, prefix, FAST);
        await worker.ready;
        expect(await ticks.getJobScheduler(`campaign-${id}`)).toMatchObject({ every: 1000 });
      }
      const ended = await untilCampaign(bed.db, id, campaignEnded, 240_000, 'ended');
      process.stdout.write(`campaign crash: killed in ${kills.join(', ')}\n`);

      const record = await campaignRecord(bed.db, id);
      expect(ended.status, record.campaign.statusReason ?? '').toBe('COMPLETED');
      expect(record.devices.map((d) => [d.device.hostname, d.state])).toEqual(
        record.devices.map((d) => [d.device.hostname, 'SUCCEEDED']),
      );
      // One run per campaign device, never a second for the same device.
      expect(record.runs).toHaveLength(bed.devices.length);
      expect(new Set(record.runs.map((r) => r.deviceId)).size).toBe(bed.devices.length);
      for (const d of record.devices)
        expect(d.runId, d.device.hostname).toBe(record.runs.find((r) => r.deviceId === d.deviceId)!.id);
      for (const d of record.devices) {
        const junos = d.device.vendor === 'JUNOS';
        const sent = await disruptiveCounts(bed, d.device.hostname, junos ? JUNOS_DISRUPTIVE : CISCO_DISRUPTIVE);
        expect(Object.values(sent), `${d.device.hostname}: ${JSON.stringify(sent)}`).toEqual(
          junos ? [1, 1, 1] : [1, 1, 1, 1],
        );
      }
      const intervals = intervalsOf(record);
      expect(maxOverlap(intervals)).toBeLessThanOrEqual(CONCURRENCY);
      expect(groupOverlaps(intervals)).toEqual([]);
      expect(waveOrderViolations(intervals)).toEqual([]);
      expect(plan.waves.length).toBeGreaterThan(2);
    } finally {
      await stopWorker(worker);
      await ticks.close();
      await bed.close();
    }
  }, 360_000);
});
