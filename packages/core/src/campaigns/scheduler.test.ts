// Over 300 lines: the table-driven cases and the seeded whole-campaign simulation share their fixtures.
import { CampaignStrategy, type MaintenanceWindow, type PlanWave } from '@hitless/contracts';
import { describe, expect, it } from 'vitest';
import { buildPlan, type PlanDeviceInput } from './planner.ts';
import { seededRandom as rng } from './seeded-random.ts';
import { BUSY_RECHECK_MS, decideTick, FAILED_DEVICE_STATES, type TickDevice, type TickInput } from './scheduler.ts';
import { isOpenAt, resolveWindow } from './window.ts';

const MIN = 60_000;
const window: MaintenanceWindow = {
  start: '2026-06-10T22:00',
  end: '2026-06-11T04:00',
  timeZone: 'Europe/Berlin',
  blackoutDates: [],
};
const { start: winStart, end: winEnd } = resolveWindow(window); // 20:00Z – 02:00Z
const at = (minutesFromStart: number) => new Date(winStart.getTime() + minutesFromStart * MIN);

const device = (n: number, wave: number | null, o: Partial<TickDevice> = {}): TickDevice => ({
  deviceId: `d${n}`,
  hostname: `r${n.toString().padStart(2, '0')}`,
  wave,
  position: n,
  state: wave === null ? 'EXCLUDED' : 'PENDING',
  redundancyGroup: null,
  endedAt: null,
  ...o,
});
const wave = (index: number, deviceIds: string[], o: Partial<PlanWave> = {}): PlanWave => ({
  index,
  canary: false,
  deviceIds,
  expectedMs: null,
  gateAfter: false,
  ...o,
});
const tick = (o: Partial<TickInput> = {}): TickInput => ({
  now: at(10),
  status: 'RUNNING',
  window,
  strategy: CampaignStrategy.parse({ concurrency: 2, gateAfterCanary: false }),
  waves: [wave(0, ['d1', 'd2', 'd3']), wave(1, ['d4', 'd5'])],
  devices: [device(1, 0), device(2, 0), device(3, 0), device(4, 1), device(5, 1), device(6, null)],
  busyGroups: [],
  busyDevices: [],
  failureBudgetDevices: 2,
  gateWave: null,
  openedGates: [],
  nextWaveAt: null,
  ...o,
});
const done = (d: TickDevice, state: TickDevice['state'] = 'SUCCEEDED', endedAt = at(5)): TickDevice => ({
  ...d,
  state,
  endedAt,
});

describe('decideTick: before the window', () => {
  it('expires a request not approved before the window opened', () => {
    const d = decideTick(tick({ status: 'PENDING_APPROVAL', now: winStart }));
    expect(d.status).toBe('EXPIRED');
    expect(d.statusReason).toBe(
      'the approval was not given before the window opened at 2026-06-10 22:00 Europe/Berlin',
    );
    expect(d.ended).toBe(true);
    expect(d.start).toEqual([]);
    expect(d.skip).toEqual(['d1', 'd2', 'd3', 'd4', 'd5']);
    const waiting = decideTick(tick({ status: 'PENDING_APPROVAL', now: at(-1) }));
    expect(waiting.status).toBe('PENDING_APPROVAL');
    expect(waiting.wakeAt).toEqual(winStart);
  });

  it('schedules an approved campaign for the window, and waits for it', () => {
    const d = decideTick(tick({ status: 'APPROVED', now: at(-60) }));
    expect(d).toMatchObject({ status: 'SCHEDULED', statusReason: 'scheduled for 2026-06-10 22:00 Europe/Berlin' });
    expect(d.wakeAt).toEqual(winStart);
    expect(d.start).toEqual([]);
    const again = decideTick(tick({ status: 'SCHEDULED', now: at(-1) }));
    expect(again.status).toBe('SCHEDULED');
    expect(again.wakeAt).toEqual(winStart);
  });

  it('starts an approved or scheduled campaign directly inside the window', () => {
    for (const status of ['APPROVED', 'SCHEDULED'] as const) {
      const d = decideTick(tick({ status, now: winStart }));
      expect(d.status).toBe('RUNNING');
      expect(d.start).toEqual(['d1', 'd2']);
      expect(d.currentWave).toBe(0);
    }
  });

  it('expires an approved campaign whose window passed', () => {
    const d = decideTick(tick({ status: 'APPROVED', now: winEnd }));
    expect(d).toMatchObject({
      status: 'EXPIRED',
      statusReason: 'the window passed before the campaign started',
      ended: true,
    });
  });

  it('waits through a blackout day at the start of the window, then starts', () => {
    const w = { ...window, end: '2026-06-12T04:00', blackoutDates: ['2026-06-10'] };
    const d = decideTick(tick({ status: 'SCHEDULED', window: w, now: at(30) }));
    expect(d.status).toBe('SCHEDULED');
    expect(d.wakeAt?.toISOString()).toBe('2026-06-10T22:00:00.000Z'); // local midnight of the 11th
    expect(d.statusReason).toContain('after blackout dates');
    expect(decideTick(tick({ status: 'SCHEDULED', window: w, now: new Date('2026-06-10T22:00:00Z') })).start).toEqual([
      'd1',
      'd2',
    ]);
  });
});

describe('decideTick: running', () => {
  it('starts up to the concurrency cap, in position order, counting runs in flight', () => {
    expect(decideTick(tick()).start).toEqual(['d1', 'd2']);
    const one = tick({ devices: tick().devices.map((d) => (d.deviceId === 'd2' ? { ...d, state: 'RUNNING' } : d)) });
    expect(decideTick(one).start).toEqual(['d1']);
  });

  it('never starts a device whose redundancy group or the device itself is busy', () => {
    const devices = [
      device(1, 0, { redundancyGroup: 'a' }),
      device(2, 0, { redundancyGroup: 'b' }),
      device(3, 0, { redundancyGroup: 'c' }),
    ];
    const d = decideTick(
      tick({ devices, waves: [wave(0, ['d1', 'd2', 'd3'])], busyGroups: ['a'], busyDevices: ['d2'] }),
    );
    expect(d.start).toEqual(['d3']);
    const blocked = decideTick(
      tick({ devices: devices.slice(0, 2), waves: [wave(0, ['d1', 'd2'])], busyGroups: ['a'], busyDevices: ['d2'] }),
    );
    expect(blocked.start).toEqual([]);
    expect(blocked.statusReason).toContain('waiting for r01, r02');
    expect(blocked.wakeAt?.getTime()).toBe(at(10).getTime() + BUSY_RECHECK_MS);
  });

  it('starts the next wave only once the previous one is over', () => {
    const devices = tick().devices;
    const partly = devices.map((d) => (d.deviceId === 'd1' || d.deviceId === 'd2' ? done(d) : d));
    expect(decideTick(tick({ devices: partly, strategy: CampaignStrategy.parse({ concurrency: 5 }) })).start).toEqual([
      'd3',
    ]);
    const running = partly.map((d) => (d.deviceId === 'd3' ? { ...d, state: 'RUNNING' as const } : d));
    const d = decideTick(tick({ devices: running, strategy: CampaignStrategy.parse({ concurrency: 5 }) }));
    expect(d.start).toEqual([]);
    expect(d.currentWave).toBe(0);
    const over = running.map((d) => (d.deviceId === 'd3' ? done(d) : d));
    const next = decideTick(tick({ devices: over }));
    expect(next.currentWave).toBe(1);
    expect(next.start).toEqual(['d4', 'd5']);
  });

  it('holds at a gate until an approver opens it', () => {
    const devices = tick().devices.map((d) => (d.wave === 0 ? done(d) : d));
    const waves = [wave(0, ['d1', 'd2', 'd3'], { canary: true, gateAfter: true }), wave(1, ['d4', 'd5'])];
    const held = decideTick(tick({ devices, waves }));
    expect(held).toMatchObject({
      start: [],
      gateWave: 0,
      statusReason: "waiting for an approver's go after the canary",
    });
    const opened = decideTick(tick({ devices, waves, gateWave: 0, openedGates: [0] }));
    expect(opened.start).toEqual(['d4', 'd5']);
    expect(opened.gateWave).toBeNull();
    // A device of the next wave aborted before it ran does not walk around the gate.
    const aborted = devices.map((d) => (d.deviceId === 'd4' ? { ...d, state: 'ABORTED' as const } : d));
    expect(decideTick(tick({ devices: aborted, waves }))).toMatchObject({ start: [], gateWave: 0 });
  });

  it('pauses between waves from the last end of the previous wave, then clears nextWaveAt', () => {
    const strategy = CampaignStrategy.parse({ concurrency: 2, pauseBetweenWavesSeconds: 600 });
    const devices = tick().devices.map((d) => (d.wave === 0 ? done(d, 'SUCCEEDED', at(d.position * 3)) : d));
    // Wave 0 ended at +9 min; wave 1 may start at +19 min.
    const waiting = decideTick(tick({ devices, strategy, now: at(12) }));
    expect(waiting.start).toEqual([]);
    expect(waiting.nextWaveAt).toEqual(at(19));
    expect(waiting.wakeAt).toEqual(at(19));
    expect(waiting.statusReason).toContain('Wave 2 starts at 2026-06-10 22:19 Europe/Berlin');
    // An old nextWaveAt (for wave 0) is replaced.
    expect(decideTick(tick({ devices, strategy, now: at(12), nextWaveAt: at(0) })).nextWaveAt).toEqual(at(19));
    const still = decideTick(tick({ devices, strategy, now: at(18), nextWaveAt: at(19) }));
    expect(still.start).toEqual([]);
    const go = decideTick(tick({ devices, strategy, now: at(19), nextWaveAt: at(19) }));
    expect(go.start).toEqual(['d4', 'd5']);
    expect(go.nextWaveAt).toBeNull();
  });

  it('halts when the failure budget is spent, letting runs in flight finish', () => {
    const devices = tick().devices.map((d) =>
      d.deviceId === 'd1'
        ? done(d, 'FAILED')
        : d.deviceId === 'd2'
          ? done(d, 'ROLLED_BACK')
          : d.deviceId === 'd3'
            ? { ...d, state: 'RUNNING' as const }
            : d,
    );
    const d = decideTick(tick({ devices }));
    expect(d.status).toBe('FAILED');
    expect(d.statusReason).toBe(
      'failure budget spent: 2 of 5 devices failed (r01, r02); no new runs start, runs in flight finish',
    );
    expect(d.start).toEqual([]);
    expect(d.skip).toEqual(['d4', 'd5']);
    expect(d.ended).toBe(false);
    const later = decideTick(
      tick({ status: 'FAILED', devices: devices.map((x) => (x.deviceId === 'd3' ? done(x) : x)) }),
    );
    expect(later).toMatchObject({ status: 'FAILED', start: [], ended: true });
  });

  it('completes when every device is over, with the counts', () => {
    const devices = tick().devices.map((d) =>
      d.wave === null ? d : done(d, d.deviceId === 'd4' ? 'FAILED' : 'SUCCEEDED'),
    );
    const d = decideTick(tick({ devices, failureBudgetDevices: 3 }));
    expect(d).toMatchObject({
      status: 'COMPLETED',
      statusReason: '4 upgraded, 1 failed (within the budget of 3)',
      ended: true,
    });
  });

  it('pauses when the window ends with devices not started', () => {
    const devices = tick().devices.map((d) =>
      d.deviceId === 'd1' ? done(d) : d.deviceId === 'd2' ? { ...d, state: 'RUNNING' as const } : d,
    );
    const d = decideTick(tick({ devices, now: winEnd }));
    expect(d.status).toBe('PAUSED');
    expect(d.statusReason).toBe(
      'the window ended at 2026-06-11 04:00 Europe/Berlin with 3 devices not started; set a new window and get a fresh approval to resume',
    );
    expect(d.start).toEqual([]);
    expect(d.ended).toBe(false);
    expect(decideTick(tick({ status: 'PAUSED', devices, now: at(30), statusReason: 'paused by ops' }))).toMatchObject({
      status: 'PAUSED',
      statusReason: 'paused by ops',
      start: [],
      ended: false,
    });
  });

  it('starts nothing on a blackout day inside the window and wakes when it is over', () => {
    const w = { ...window, end: '2026-06-12T04:00', blackoutDates: ['2026-06-11'] };
    const d = decideTick(tick({ window: w, now: new Date('2026-06-11T08:00:00Z') }));
    expect(d.status).toBe('RUNNING');
    expect(d.start).toEqual([]);
    expect(d.wakeAt?.toISOString()).toBe('2026-06-11T22:00:00.000Z');
  });

  it('ends a terminal campaign once nothing is in flight', () => {
    const devices = tick().devices.map((d) => (d.deviceId === 'd1' ? { ...d, state: 'RUNNING' as const } : d));
    expect(decideTick(tick({ status: 'ABORTED', devices })).ended).toBe(false);
    expect(decideTick(tick({ status: 'ABORTED' }))).toMatchObject({ ended: true, start: [] });
  });
});

describe('decideTick: simulated campaigns (seeded)', () => {
  /** expect() on every step of every simulation is slow; fail with the invariant's name instead. */
  const ensure = (condition: boolean, invariant: string) => {
    if (!condition) expect.fail(invariant);
  };

  it('keeps every invariant over whole campaigns', { timeout: 60_000 }, () => {
    let finishedRuns = 0;
    const seen = { gates: 0, pauses: 0, blackouts: 0, busy: 0, outcomes: new Map<string, number>() };
    for (let seed = 1; seed <= 150; seed++) {
      const next = rng(seed);
      const size = 1 + Math.floor(next() * 40);
      const groups = 1 + Math.floor(next() * 8);
      const fleet: PlanDeviceInput[] = Array.from({ length: size }, (_, i) => ({
        deviceId: `00000000-0000-4000-8000-${(i + 1).toString().padStart(12, '0')}`,
        hostname: `h${(i + 1).toString().padStart(3, '0')}`,
        vendor: next() < 0.5 ? 'CISCO_IOSXE' : 'JUNOS',
        platformFamily: next() < 0.5 ? 'a' : 'b',
        redundancyGroup: next() < 0.3 ? null : `g${Math.floor(next() * groups)}`,
        fromVersion: null,
        imageId: null,
        toVersion: null,
        impact: next() < 0.9 ? 'ISSU_C' : 'REFUSED',
        reason: null,
      }));
      const strategy = CampaignStrategy.parse({
        canarySize: Math.floor(next() * 3),
        waveSize: 1 + Math.floor(next() * 8),
        concurrency: 1 + Math.floor(next() * 4),
        gateAfterCanary: next() < 0.5,
        gateEveryWave: next() < 0.2,
        pauseBetweenWavesSeconds: next() < 0.3 ? 300 : 0,
        failureBudget: { kind: 'count', value: 1 + Math.floor(next() * 4) },
      });
      const w: MaintenanceWindow =
        next() < 0.3 ? { ...window, end: '2026-06-12T04:00', blackoutDates: ['2026-06-11'] } : window;
      const plan = buildPlan({
        devices: fleet,
        targets: [],
        strategy,
        window: w,
        durations: [],
        defaultRunMs: 20 * MIN,
      });
      const groupOf = new Map(plan.devices.map((d) => [d.deviceId, d.redundancyGroup]));
      let devices: TickDevice[] = plan.devices.map((d) => ({
        deviceId: d.deviceId,
        hostname: d.hostname,
        wave: d.wave,
        position: d.wave === null ? 0 : (plan.waves[d.wave]?.deviceIds.indexOf(d.deviceId) ?? 0),
        state: d.wave === null ? 'EXCLUDED' : 'PENDING',
        redundancyGroup: d.redundancyGroup,
        endedAt: null,
      }));
      const state = {
        status: 'APPROVED' as TickInput['status'],
        gateWave: null as number | null,
        openedGates: [] as number[],
        nextWaveAt: null as Date | null,
      };
      const started = new Set<string>();
      let now = new Date(winStart.getTime() - 30 * MIN);
      let ended = false;
      for (let step = 0; step < 5000 && !ended; step++) {
        now = new Date(now.getTime() + MIN);
        // Runs finish at random; one in eight fails.
        devices = devices.map((d) =>
          d.state === 'RUNNING' && next() < 0.08
            ? { ...d, state: next() < 0.125 ? 'FAILED' : 'SUCCEEDED', endedAt: now }
            : d,
        );
        if (state.gateWave !== null && next() < 0.1) state.openedGates.push(state.gateWave);
        const busyGroups = next() < 0.2 ? [`g${Math.floor(next() * groups)}`] : [];
        const busyDevices = next() < 0.1 ? [devices[Math.floor(next() * devices.length)]?.deviceId ?? ''] : [];
        const input: TickInput = {
          now,
          status: state.status,
          window: w,
          strategy,
          waves: plan.waves,
          devices,
          busyGroups,
          busyDevices,
          failureBudgetDevices: plan.failureBudgetDevices,
          gateWave: state.gateWave,
          openedGates: [...state.openedGates],
          nextWaveAt: state.nextWaveAt,
        };
        const decision = decideTick(input);
        if (step % 7 === 0) expect(decideTick(input), 'deterministic').toEqual(decision);
        const ctx = `seed ${seed} step ${step}`;
        if (decision.gateWave !== null) seen.gates++;
        if (decision.statusReason?.startsWith('pausing')) seen.pauses++;
        if (decision.statusReason?.startsWith('blackout')) seen.blackouts++;
        if (decision.statusReason?.includes('busy elsewhere')) seen.busy++;
        const failures = devices.filter((d) => d.wave !== null && FAILED_DEVICE_STATES.includes(d.state)).length;
        if (decision.start.length > 0) {
          ensure(isOpenAt(w, now), `${ctx}: starts only while open`);
          ensure(failures < plan.failureBudgetDevices, `${ctx}: budget halts`);
          ensure(decision.status === 'RUNNING', `${ctx}: starts only while running`);
        }
        for (const id of decision.start) {
          const d = devices.find((x) => x.deviceId === id);
          ensure(d?.state === 'PENDING', `${ctx}: ${id} is not pending`);
          ensure(!started.has(id), `${ctx}: ${id} started twice`);
          started.add(id);
          const k = d?.wave ?? -1;
          ensure(k === decision.currentWave, `${ctx}: ${id} is not in the current wave`);
          for (const e of devices.filter((x) => x.wave !== null && x.wave < k)) {
            ensure(e.state !== 'PENDING' && e.state !== 'RUNNING', `${ctx}: waves strictly ordered`);
          }
          if (k > 0 && plan.waves[k - 1]?.gateAfter) ensure(state.openedGates.includes(k - 1), `${ctx}: gate holds`);
          if (k > 0 && strategy.pauseBetweenWavesSeconds > 0) {
            const lastEnd = Math.max(...devices.filter((x) => x.wave === k - 1).map((x) => x.endedAt?.getTime() ?? 0));
            ensure(now.getTime() >= lastEnd + strategy.pauseBetweenWavesSeconds * 1000, `${ctx}: pause between waves`);
          }
          ensure(!busyDevices.includes(id), `${ctx}: ${id} busy elsewhere`);
          const g = groupOf.get(id);
          if (g) ensure(!busyGroups.includes(g), `${ctx}: group busy elsewhere`);
        }
        devices = devices.map((d) =>
          decision.start.includes(d.deviceId)
            ? { ...d, state: 'RUNNING' }
            : decision.skip.includes(d.deviceId)
              ? { ...d, state: 'SKIPPED', endedAt: now }
              : d,
        );
        const inFlight = devices.filter((d) => d.state === 'RUNNING');
        ensure(inFlight.length <= strategy.concurrency, `${ctx}: concurrency cap`);
        const flyingGroups = inFlight.map((d) => d.redundancyGroup).filter((g) => g !== null);
        ensure(new Set(flyingGroups).size === flyingGroups.length, `${ctx}: one device per redundancy group in flight`);
        state.status = decision.status;
        state.gateWave = decision.gateWave;
        state.nextWaveAt = decision.nextWaveAt;
        if (decision.ended) {
          expect(inFlight).toEqual([]);
          ended = true;
        }
        if (decision.status === 'PAUSED') break;
        // The worker sleeps until wakeAt when no run of the campaign is in flight.
        if (inFlight.length === 0 && decision.wakeAt && decision.wakeAt.getTime() > now.getTime() + MIN) {
          now = new Date(decision.wakeAt.getTime() - MIN);
        }
      }
      seen.outcomes.set(state.status, (seen.outcomes.get(state.status) ?? 0) + 1);
      finishedRuns += devices.filter((d) => d.state === 'SUCCEEDED' || d.state === 'FAILED').length;
      expect(['COMPLETED', 'FAILED', 'PAUSED'], `seed ${seed}`).toContain(state.status);
      if (state.status === 'COMPLETED') {
        expect(devices.filter((d) => d.wave !== null && d.state !== 'SUCCEEDED' && d.state !== 'FAILED')).toEqual([]);
      }
      if (state.status === 'FAILED') {
        expect(devices.filter((d) => FAILED_DEVICE_STATES.includes(d.state)).length).toBeGreaterThanOrEqual(
          plan.failureBudgetDevices,
        );
        expect(devices.filter((d) => d.state === 'PENDING')).toEqual([]);
      }
    }
    // The simulation really ran campaigns, through every path.
    expect(finishedRuns).toBeGreaterThan(500);
    expect([...seen.outcomes.keys()].sort()).toEqual(['COMPLETED', 'FAILED', 'PAUSED']);
    for (const [what, n] of Object.entries(seen)) if (typeof n === 'number') expect(n, what).toBeGreaterThan(0);
  });
});
