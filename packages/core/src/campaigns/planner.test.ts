// Over 300 lines: planning, budget and hash cases share one fleet builder.
import {
  CampaignPlan as CampaignPlanSchema,
  CampaignStrategy,
  type CampaignPlan,
  type Impact,
  type Vendor,
} from '@hitless/contracts';
import { describe, expect, it } from 'vitest';
import {
  buildPlan,
  failureBudgetDevices,
  lanesMakespan,
  planHashInput,
  type PlanDeviceInput,
  type PlanInput,
} from './planner.ts';
import { seededRandom } from './seeded-random.ts';

const uuid = (n: number) => `00000000-0000-4000-8000-${n.toString().padStart(12, '0')}`;
const IMAGE = uuid(9000);
const MIN = 60_000;

const rng = seededRandom;

const dev = (n: number, o: Partial<PlanDeviceInput> = {}): PlanDeviceInput => ({
  deviceId: uuid(n),
  hostname: `r${n.toString().padStart(3, '0')}`,
  vendor: 'CISCO_IOSXE',
  platformFamily: 'asr1000',
  redundancyGroup: null,
  fromVersion: '16.9.1',
  imageId: IMAGE,
  toVersion: '17.3.1',
  impact: 'ISSU_C',
  reason: null,
  ...o,
});

const input = (devices: PlanDeviceInput[], strategy: Partial<CampaignStrategy> = {}, o: Partial<PlanInput> = {}) => ({
  devices,
  targets: [
    {
      imageId: IMAGE,
      vendor: 'CISCO_IOSXE' as Vendor,
      platformFamily: 'asr1000',
      version: '17.3.1',
      fileName: 'x.bin',
    },
  ],
  strategy: CampaignStrategy.parse(strategy),
  window: { start: '2026-06-10T22:00', end: '2026-06-11T04:00', timeZone: 'Europe/Berlin', blackoutDates: [] },
  durations: [],
  defaultRunMs: 20 * MIN,
  ...o,
});

const wavesOf = (plan: CampaignPlan) =>
  plan.waves.map((w) => w.deviceIds.map((id) => plan.devices.find((d) => d.deviceId === id)?.hostname));

const randomFleet = (next: () => number, size: number): PlanDeviceInput[] => {
  const families: [Vendor, string][] = [
    ['CISCO_IOSXE', 'asr1000'],
    ['CISCO_IOSXE', 'cat4500'],
    ['JUNOS', 'mx'],
  ];
  const impacts: Impact[] = ['ISSU_C', 'ISSU_C', 'ISSU_B', 'FSU', 'REFUSED', 'NO_TARGET'];
  const groupCount = 1 + Math.floor(next() * Math.max(1, size / 3));
  return Array.from({ length: size }, (_, i) => {
    const [vendor, platformFamily] = families[Math.floor(next() * families.length)] ?? ['CISCO_IOSXE', 'asr1000'];
    return dev(i + 1, {
      hostname: `h${Math.floor(next() * 1000)}`,
      vendor,
      platformFamily,
      redundancyGroup: next() < 0.3 ? null : `g${Math.floor(next() * groupCount)}`,
      impact: impacts[Math.floor(next() * impacts.length)] ?? 'ISSU_C',
    });
  });
};

describe('buildPlan', () => {
  it('puts planned devices into waves in hostname order and lists the others with wave null', () => {
    const devices = [
      dev(3),
      dev(1),
      dev(2, { impact: 'REFUSED', reason: 'Nonstop forwarding: missing' }),
      dev(4, { impact: 'FSU' }),
      dev(5, { impact: 'NO_TARGET', imageId: null, reason: 'no target image for its family' }),
      dev(6, { impact: 'ISSU_B' }),
    ];
    const plan = buildPlan(input(devices, { canarySize: 1, waveSize: 2 }));
    expect(CampaignPlanSchema.parse(plan)).toEqual(plan);
    expect(wavesOf(plan)).toEqual([['r001'], ['r003', 'r004'], ['r006']]);
    expect(plan.devices.map((d) => [d.hostname, d.wave])).toEqual([
      ['r001', 0],
      ['r002', null],
      ['r003', 1],
      ['r004', 1],
      ['r005', null],
      ['r006', 2],
    ]);
    expect(plan.devices.find((d) => d.hostname === 'r002')?.reason).toBe('Nonstop forwarding: missing');
    expect(plan.waves.map((w) => [w.canary, w.gateAfter])).toEqual([
      [true, true],
      [false, false],
      [false, false],
    ]);
    expect(plan.window.startAt).toBe('2026-06-10T20:00:00.000Z');
    expect(plan.window.endAt).toBe('2026-06-11T02:00:00.000Z');
  });

  it('builds a canary of one device per vendor and family first, never two of one redundancy group', () => {
    const devices = [
      dev(1, { redundancyGroup: 'pair-a' }),
      dev(2, { redundancyGroup: 'pair-a' }),
      dev(3, { platformFamily: 'cat4500', redundancyGroup: 'pair-a' }),
      dev(4, { platformFamily: 'cat4500' }),
      dev(5, { vendor: 'JUNOS', platformFamily: 'mx', redundancyGroup: 'pair-b' }),
      dev(6, { vendor: 'JUNOS', platformFamily: 'mx' }),
      dev(7),
    ];
    const plan = buildPlan(input(devices, { canarySize: 4, waveSize: 10 }));
    // r001 (asr1000), r004 (cat4500: r003 shares pair-a with r001), r005 (mx); then the next free: r006.
    expect(wavesOf(plan)[0]).toEqual(['r001', 'r004', 'r005', 'r006']);
    expect(plan.waves[0]?.canary).toBe(true);
    // r002 and r003 share pair-a: they cannot go together.
    expect(wavesOf(plan).slice(1)).toEqual([['r002', 'r007'], ['r003']]);
  });

  it('has no canary wave when canarySize is 0, and a smaller canary when the fleet is small', () => {
    const none = buildPlan(input([dev(1), dev(2), dev(3)], { canarySize: 0, waveSize: 2 }));
    expect(none.waves.map((w) => w.canary)).toEqual([false, false]);
    expect(wavesOf(none)).toEqual([['r001', 'r002'], ['r003']]);
    const small = buildPlan(input([dev(1), dev(2)], { canarySize: 5 }));
    expect(wavesOf(small)).toEqual([['r001', 'r002']]);
    expect(small.waves[0]?.gateAfter).toBe(false); // nothing after it to hold
  });

  it('respects wave sizes and gates every wave but the last with gateEveryWave', () => {
    const devices = Array.from({ length: 23 }, (_, i) => dev(i + 1));
    const plan = buildPlan(input(devices, { canarySize: 2, waveSize: 5, gateEveryWave: true, gateAfterCanary: false }));
    expect(plan.waves.map((w) => w.deviceIds.length)).toEqual([2, 5, 5, 5, 5, 1]);
    expect(plan.waves.map((w) => w.gateAfter)).toEqual([true, true, true, true, true, false]);
    const noGates = buildPlan(input(devices, { canarySize: 2, waveSize: 5, gateAfterCanary: false }));
    expect(noGates.waves.every((w) => !w.gateAfter)).toBe(true);
  });

  it('never puts two devices of one redundancy group in a wave, and places every planned device once (random fleets)', () => {
    for (let seed = 1; seed <= 300; seed++) {
      const next = rng(seed);
      const fleet = randomFleet(next, 1 + Math.floor(next() * 60));
      const strategy = {
        canarySize: Math.floor(next() * 4),
        waveSize: 1 + Math.floor(next() * 8),
        concurrency: 1 + Math.floor(next() * 4),
      };
      const plan = buildPlan(input(fleet, strategy));
      const byId = new Map(plan.devices.map((d) => [d.deviceId, d]));
      const planned = fleet.filter((d) => ['ISSU_C', 'ISSU_B', 'FSU'].includes(d.impact));
      const placed = plan.waves.flatMap((w) => w.deviceIds);
      expect(new Set(placed).size, `seed ${seed}`).toBe(placed.length);
      expect(new Set(placed), `seed ${seed}`).toEqual(new Set(planned.map((d) => d.deviceId)));
      expect(plan.devices.length).toBe(fleet.length);
      for (const w of plan.waves) {
        const groups = w.deviceIds.map((id) => byId.get(id)?.redundancyGroup).filter((g) => g != null);
        expect(new Set(groups).size, `seed ${seed} wave ${w.index}`).toBe(groups.length);
        expect(w.deviceIds.length).toBeGreaterThan(0);
        expect(w.deviceIds.length).toBeLessThanOrEqual(w.canary ? strategy.canarySize : strategy.waveSize);
        for (const id of w.deviceIds) expect(byId.get(id)?.wave).toBe(w.index);
      }
      expect(plan.waves.map((w) => w.index)).toEqual(plan.waves.map((_, i) => i));
    }
  });

  it('estimates waves on concurrency lanes from measured durations, with the default for unmeasured families', () => {
    const devices = [
      dev(1, { vendor: 'JUNOS', platformFamily: 'mx' }),
      dev(2),
      dev(3),
      dev(4),
      dev(5, { platformFamily: 'cat4500' }),
    ];
    const plan = buildPlan(
      input(
        devices,
        { canarySize: 1, waveSize: 10, concurrency: 2, pauseBetweenWavesSeconds: 300 },
        { durations: [{ vendor: 'CISCO_IOSXE', platformFamily: 'asr1000', ms: 30 * MIN, samples: 7 }] },
      ),
    );
    // Canary r001 (mx, default 20 min). Wave 1: three asr1000 at 30 and one cat4500 at 20 on 2 lanes:
    // 30+30 | 30+20 → 60 min. Plus one 5-minute pause between the waves.
    expect(plan.waves.map((w) => w.expectedMs)).toEqual([20 * MIN, 60 * MIN]);
    expect(plan.expectedMs).toBe(85 * MIN);
    expect(plan.durations).toEqual([
      { vendor: 'CISCO_IOSXE', platformFamily: 'asr1000', ms: 30 * MIN, samples: 7 },
      { vendor: 'CISCO_IOSXE', platformFamily: 'cat4500', ms: 20 * MIN, samples: 0 },
      { vendor: 'JUNOS', platformFamily: 'mx', ms: 20 * MIN, samples: 0 },
    ]);
    expect(plan.openMs).toBe(6 * 60 * MIN);
    expect(plan.fits).toBe('yes');
  });

  it('says whether the plan fits the open time, blackouts taken out, and unknown without planned devices', () => {
    const devices = Array.from({ length: 10 }, (_, i) => dev(i + 1));
    const long = buildPlan(input(devices, { canarySize: 0, waveSize: 10, concurrency: 1 }, { defaultRunMs: 40 * MIN }));
    expect(long.expectedMs).toBe(400 * MIN);
    expect(long.fits).toBe('no');
    const blackout = buildPlan(
      input(
        devices,
        { concurrency: 10 },
        {
          window: {
            start: '2026-06-10T22:00',
            end: '2026-06-11T04:00',
            timeZone: 'Europe/Berlin',
            blackoutDates: ['2026-06-11'],
          },
        },
      ),
    );
    expect(blackout.openMs).toBe(2 * 60 * MIN);
    const none = buildPlan(input([dev(1, { impact: 'UNREACHABLE', reason: 'no answer on SSH' })]));
    expect(none.waves).toEqual([]);
    expect(none.expectedMs).toBeNull();
    expect(none.fits).toBe('unknown');
  });

  it('throws the window’s validation error', () => {
    expect(() =>
      buildPlan(
        input(
          [dev(1)],
          {},
          {
            window: {
              start: '2026-03-08T02:30',
              end: '2026-03-08T05:00',
              timeZone: 'America/New_York',
              blackoutDates: [],
            },
          },
        ),
      ),
    ).toThrow(/window\.start.*clocks skip/);
  });
});

describe('lanesMakespan', () => {
  it('assigns longest first to the least loaded lane', () => {
    expect(lanesMakespan([], 3)).toBe(0);
    expect(lanesMakespan([5, 5, 4, 3, 3], 2)).toBe(11);
    expect(lanesMakespan([7, 2, 2, 2], 1)).toBe(13);
    expect(lanesMakespan([7, 2, 2, 2], 8)).toBe(7);
  });
});

describe('failureBudgetDevices', () => {
  it('is the count, or the percent of planned devices rounded up, at least 1', () => {
    expect(failureBudgetDevices({ kind: 'count', value: 3 }, 50)).toBe(3);
    expect(failureBudgetDevices({ kind: 'percent', value: 10 }, 50)).toBe(5);
    expect(failureBudgetDevices({ kind: 'percent', value: 10 }, 51)).toBe(6);
    expect(failureBudgetDevices({ kind: 'percent', value: 7 }, 100)).toBe(7);
    expect(failureBudgetDevices({ kind: 'percent', value: 1 }, 3)).toBe(1);
    expect(failureBudgetDevices({ kind: 'percent', value: 50 }, 0)).toBe(1);
    expect(
      buildPlan(input([dev(1), dev(2), dev(3)], { failureBudget: { kind: 'percent', value: 34 } }))
        .failureBudgetDevices,
    ).toBe(2);
  });
});

describe('planHashInput', () => {
  const fleet = [
    dev(1, { redundancyGroup: 'a' }),
    dev(2, { redundancyGroup: 'a' }),
    dev(3, { vendor: 'JUNOS', platformFamily: 'mx' }),
    dev(4),
    dev(5, { impact: 'REFUSED', reason: 'x' }),
  ];
  const base = input(fleet, { canarySize: 1, waveSize: 2 });
  const hash = (i: PlanInput) => planHashInput(buildPlan(i));

  it('is stable under reordering of the input devices and targets', () => {
    const next = rng(42);
    for (let k = 0; k < 20; k++) {
      const shuffled = [...fleet].sort(() => next() - 0.5);
      expect(hash({ ...base, devices: shuffled })).toBe(hash(base));
    }
    expect(hash({ ...base, window: { ...base.window, blackoutDates: ['2026-06-12', '2026-06-09'] } })).toBe(
      hash({ ...base, window: { ...base.window, blackoutDates: ['2026-06-09', '2026-06-12'] } }),
    );
  });

  it('is not changed by new duration estimates', () => {
    expect(
      hash({ ...base, durations: [{ vendor: 'CISCO_IOSXE', platformFamily: 'asr1000', ms: 99 * MIN, samples: 12 }] }),
    ).toBe(hash(base));
    expect(hash({ ...base, defaultRunMs: 1 })).toBe(hash(base));
  });

  it('changes with any change of wave, impact, image, strategy, window or target', () => {
    const h = hash(base);
    const changed: PlanInput[] = [
      input(fleet, { canarySize: 2, waveSize: 2 }),
      input(fleet, { canarySize: 1, waveSize: 3 }),
      input(fleet, { canarySize: 1, waveSize: 2, concurrency: 3 }),
      input(fleet, { canarySize: 1, waveSize: 2, failureBudget: { kind: 'count', value: 2 } }),
      input(fleet, { canarySize: 1, waveSize: 2, gateEveryWave: true }),
      { ...base, devices: fleet.map((d) => (d.deviceId === uuid(4) ? { ...d, impact: 'ISSU_B' as Impact } : d)) },
      { ...base, devices: fleet.map((d) => (d.deviceId === uuid(4) ? { ...d, imageId: uuid(9001) } : d)) },
      { ...base, devices: fleet.map((d) => (d.deviceId === uuid(3) ? { ...d, redundancyGroup: 'a' } : d)) },
      { ...base, devices: fleet.slice(0, 4) },
      { ...base, window: { ...base.window, end: '2026-06-11T05:00' } },
      { ...base, window: { ...base.window, timeZone: 'Europe/Paris' } },
      { ...base, window: { ...base.window, blackoutDates: ['2026-06-12'] } },
      { ...base, targets: [...base.targets, { ...base.targets[0]!, imageId: uuid(9002), platformFamily: 'mx' }] },
    ];
    const hashes = changed.map(hash);
    for (const [i, other] of hashes.entries()) expect(other, `change ${i}`).not.toBe(h);
  });
});
