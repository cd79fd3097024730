// A mixed Cisco / Junos fleet campaign end to end: real worker processes tick the scheduler on
// BullMQ and drive every run over real SSH against the lab, with faults injected on five devices.
// Each device ends as its faults say, the failure budget holds, and the record shows the
// concurrency cap, the redundancy groups and the wave order were never broken.
import { createQueue } from '@hitless/messaging';
import type { FaultName, PlatformFamily } from '@hitless/sim';
import { uniquePrefix } from '@hitless/testkit';
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
import { CISCO_DISRUPTIVE, disruptiveCounts, JUNOS_DISRUPTIVE, startWorker, stopWorker } from './workers.ts';

const SCALE = 300;
const PER_FAMILY = { c10k: 17, asr1000: 16, mx: 17 } satisfies Partial<Record<PlatformFamily, number>>;
const CONCURRENCY = 10;
/** The faults and the outcome each one leads to (counted against the budget: all five). */
const FAULTS: { family: PlatformFamily; nth: number; fault: FaultName; state: string }[] = [
  { family: 'c10k', nth: 2, fault: 'post-check-failure', state: 'ROLLED_BACK' },
  { family: 'c10k', nth: 3, fault: 'image-corrupt', state: 'REFUSED' },
  { family: 'asr1000', nth: 2, fault: 'post-check-failure', state: 'ROLLED_BACK' },
  { family: 'mx', nth: 2, fault: 'post-check-failure', state: 'ROLLED_BACK' },
  { family: 'mx', nth: 3, fault: 'disk-full', state: 'REFUSED' },
];

process.env.HITLESS_CAMPAIGN_TICK_MS = '1000';

describe('a fleet campaign', () => {
  it('takes a mixed fleet through its waves: outcomes per device, the budget, the cap and the groups hold', async () => {
    const families = Object.entries(PER_FAMILY).flatMap(([f, n]) => Array<PlatformFamily>(n).fill(f as PlatformFamily));
    const bed = await startBed(families, {}, SCALE);
    const prefix = uniquePrefix('campaign');
    const ticks = createQueue('campaign-tick', bed.redis, prefix);
    const workers = [startWorker(bed, prefix), startWorker(bed, prefix)];
    try {
      const expected = new Map<string, string>(bed.devices.map((d) => [d.hostname, 'SUCCEEDED']));
      for (const f of FAULTS) {
        const host = bed.devices.filter((d) => d.family === f.family)[f.nth]!.hostname;
        await bed.api.setFaults(host, [f.fault]);
        expected.set(host, f.state);
      }
      const { id, plan } = await createApprovedCampaign(bed.db, {
        hostnames: bed.devices.map((d) => d.hostname),
        strategy: {
          canarySize: 3,
          waveSize: 20,
          concurrency: CONCURRENCY,
          failureBudget: { kind: 'count', value: FAULTS.length + 1 },
          rollbackTimerSeconds: 7200,
        },
        userId: bed.userId,
      });
      await Promise.all(workers.map((w) => w.ready));
      const started = Date.now();
      await kick(ticks, id, 'approved');
      const ended = await untilCampaign(bed.db, id, campaignEnded, 300_000, 'ended');
      process.stdout.write(`campaign: ${bed.devices.length} devices in ${Date.now() - started} ms\n`);

      const record = await campaignRecord(bed.db, id);
      expect(ended.status, record.campaign.statusReason ?? '').toBe('COMPLETED');
      expect(record.campaign.statusReason).toContain(
        `${FAULTS.length} failed (within the budget of ${FAULTS.length + 1})`,
      );
      const states = Object.fromEntries(record.devices.map((d) => [d.device.hostname, d.state]));
      expect(states).toEqual(Object.fromEntries(expected));
      // One run per device, each the device's campaign run.
      expect(record.runs).toHaveLength(bed.devices.length);
      expect(new Set(record.devices.map((d) => d.runId)).size).toBe(bed.devices.length);

      const intervals = intervalsOf(record);
      const ms = intervals.map((i) => i.end - i.start).sort((a, b) => a - b);
      process.stdout.write(
        `runs: min ${ms[0]} ms, median ${ms[ms.length >> 1]} ms, max ${ms.at(-1)} ms; ${plan.waves.length} waves; at most ${maxOverlap(intervals)} at once\n`,
      );
      expect(maxOverlap(intervals)).toBeLessThanOrEqual(CONCURRENCY);
      expect(maxOverlap(intervals)).toBeGreaterThan(1);
      expect(groupOverlaps(intervals)).toEqual([]);
      expect(waveOrderViolations(intervals)).toEqual([]);
      expect(plan.waves.length).toBeGreaterThan(1);

      for (const d of record.devices.filter((x) => x.state === 'SUCCEEDED')) {
        const junos = d.device.vendor === 'JUNOS';
        const sent = await disruptiveCounts(bed, d.device.hostname, junos ? JUNOS_DISRUPTIVE : CISCO_DISRUPTIVE);
        expect(Object.values(sent), d.device.hostname).toEqual(junos ? [1, 1, 1] : [1, 1, 1, 1]);
      }
      const audit = await bed.db.auditEvent.findMany({ where: { targetId: id }, orderBy: { id: 'asc' } });
      expect(audit.map((a) => a.action)).toEqual(['campaign.started', 'campaign.completed']);
    } finally {
      await Promise.all(workers.map(stopWorker));
      await ticks.close();
      await bed.close();
    }
  }, 420_000);
});
