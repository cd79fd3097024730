// Over 300 lines: the status table and the running campaign's decision belong together.
// The campaign scheduler's decision, pure: given the campaign's state at `now`, which devices start,
// whether it waits at a gate or between waves, and which status it moves to and why. The worker's
// tick loads the state under a lock, applies the decision in one transaction and queues the runs.
import type {
  CampaignDeviceState,
  CampaignStatus,
  CampaignStrategy,
  MaintenanceWindow,
  PlanWave,
} from '@hitless/contracts';
import { DomainError } from '../errors.ts';
import { waveLabel } from './planner.ts';
import { formatLocal, isOpenAt, nextOpenAt, resolveWindow, type Interval } from './window.ts';

export interface TickDevice {
  deviceId: string;
  hostname: string;
  /** null: not in any wave (excluded). */
  wave: number | null;
  position: number;
  state: CampaignDeviceState;
  redundancyGroup: string | null;
  endedAt: Date | null;
}

export interface TickInput {
  now: Date;
  status: CampaignStatus;
  window: MaintenanceWindow;
  strategy: CampaignStrategy;
  waves: PlanWave[];
  devices: TickDevice[];
  /** Redundancy groups with a device run in flight anywhere in the product (other campaigns, single runs). */
  busyGroups: string[];
  /** Devices with a run in flight that is not this campaign's. */
  busyDevices: string[];
  failureBudgetDevices: number;
  gateWave: number | null;
  openedGates: number[];
  nextWaveAt: Date | null;
  /** The campaign's current reason, returned unchanged when a decision has nothing new to say (PAUSED, DRAFT). */
  statusReason?: string | null;
}

export interface TickDecision {
  status: CampaignStatus;
  statusReason: string | null;
  /** Devices whose runs start now, in order (never more than the concurrency cap leaves room for). */
  start: string[];
  /** PENDING devices that will never start (the campaign halted or ended). */
  skip: string[];
  currentWave: number | null;
  gateWave: number | null;
  nextWaveAt: Date | null;
  /** Look again at this time at the latest (window opening, end of a pause); null: only on events. */
  wakeAt: Date | null;
  /** No run of the campaign is in flight any more and none will start: set endedAt. */
  ended: boolean;
}

/** States that count against the failure budget. */
export const FAILED_DEVICE_STATES: readonly CampaignDeviceState[] = ['FAILED', 'ROLLED_BACK', 'REFUSED'];

/**
 * How soon to look again when a device waits only for something outside this campaign (its
 * redundancy group or itself busy elsewhere): those runs ending are not this campaign's events.
 */
export const BUSY_RECHECK_MS = 30_000;
/** States only a device whose run was started reaches (ABORTED and SKIPPED may be reached without one). */
const RAN_STATES: readonly CampaignDeviceState[] = ['RUNNING', 'SUCCEEDED', 'FAILED', 'ROLLED_BACK', 'REFUSED'];
/** Hostnames named in a reason at most; the rest are counted. */
const NAMED_AT_MOST = 10;

const byPosition = (a: TickDevice, b: TickDevice) =>
  (a.wave ?? -1) - (b.wave ?? -1) ||
  a.position - b.position ||
  (a.hostname < b.hostname ? -1 : a.hostname > b.hostname ? 1 : 0) ||
  (a.deviceId < b.deviceId ? -1 : a.deviceId > b.deviceId ? 1 : 0);

const plural = (n: number, one: string, many = `${one}s`) => `${n} ${n === 1 ? one : many}`;
const names = (devices: TickDevice[]) =>
  devices.length <= NAMED_AT_MOST
    ? devices.map((d) => d.hostname).join(', ')
    : `${devices
        .slice(0, NAMED_AT_MOST)
        .map((d) => d.hostname)
        .join(', ')} and ${devices.length - NAMED_AT_MOST} more`;

/**
 * The decision at `now`, total and deterministic. Deliberate choices beyond the status table: an
 * approved campaign inside its window but on a blackout date stays SCHEDULED until the window opens
 * (RUNNING means runs may start); a running campaign whose remaining window is all blackout dates
 * pauses as if the window had ended; a window that no longer resolves (a zone dropped from the
 * time-zone database) starts nothing, and pauses a running campaign.
 */
export function decideTick(input: TickInput): TickDecision {
  const inWaves = input.devices.filter((d) => d.wave !== null).sort(byPosition);
  const pending = inWaves.filter((d) => d.state === 'PENDING');
  const running = input.devices.filter((d) => d.state === 'RUNNING');
  const unchanged: TickDecision = {
    status: input.status,
    statusReason: input.statusReason ?? null,
    start: [],
    skip: [],
    currentWave: currentWaveOf(inWaves),
    gateWave: input.gateWave,
    nextWaveAt: input.nextWaveAt,
    wakeAt: null,
    ended: false,
  };
  /** The campaign is over: PENDING devices never start, endedAt once nothing is in flight. */
  const finish = (status: CampaignStatus, statusReason: string): TickDecision => ({
    ...unchanged,
    status,
    statusReason,
    skip: pending.map((d) => d.deviceId),
    gateWave: null,
    nextWaveAt: null,
    ended: running.length === 0,
  });

  let win: Interval;
  try {
    win = resolveWindow(input.window);
  } catch (e) {
    if (!(e instanceof DomainError)) throw e;
    const reason = `the window is not valid any more (${e.message}); set a new window and get a fresh approval`;
    return input.status === 'RUNNING'
      ? { ...unchanged, status: 'PAUSED', statusReason: reason }
      : { ...unchanged, statusReason: reason };
  }
  const now = input.now.getTime();
  const local = (at: Date) => formatLocal(input.window, at);

  switch (input.status) {
    case 'DRAFT':
    case 'PAUSED':
      return unchanged;
    case 'COMPLETED':
    case 'FAILED':
    case 'ABORTED':
    case 'REJECTED':
    case 'EXPIRED':
      return { ...unchanged, skip: pending.map((d) => d.deviceId), ended: running.length === 0 };
    case 'PENDING_APPROVAL':
      if (now >= win.start.getTime())
        return finish('EXPIRED', `the approval was not given before the window opened at ${local(win.start)}`);
      return { ...unchanged, wakeAt: win.start };
    case 'APPROVED':
    case 'SCHEDULED': {
      if (now >= win.end.getTime()) return finish('EXPIRED', 'the window passed before the campaign started');
      if (isOpenAt(input.window, input.now)) return decideRunning(input, inWaves, pending, running, win);
      const opens = nextOpenAt(input.window, input.now);
      if (!opens) {
        return finish(
          'EXPIRED',
          'the window passed before the campaign started: what is left of it is on blackout dates',
        );
      }
      const reason =
        opens.getTime() === win.start.getTime()
          ? `scheduled for ${local(win.start)}`
          : `scheduled for ${local(opens)} (after blackout dates)`;
      return { ...unchanged, status: 'SCHEDULED', statusReason: reason, wakeAt: opens };
    }
    case 'RUNNING':
      return decideRunning(input, inWaves, pending, running, win);
    default: {
      const unreachable: never = input.status;
      throw new Error(`unknown campaign status ${String(unreachable)}`);
    }
  }
}

/** The lowest wave with a device still to run or in flight. */
function currentWaveOf(inWaves: TickDevice[]): number | null {
  const live = inWaves.filter((d) => d.state === 'PENDING' || d.state === 'RUNNING');
  return live.length === 0 ? null : Math.min(...live.map((d) => d.wave ?? 0));
}

function decideRunning(
  input: TickInput,
  inWaves: TickDevice[],
  pending: TickDevice[],
  running: TickDevice[],
  win: Interval,
): TickDecision {
  const now = input.now.getTime();
  const local = (at: Date) => formatLocal(input.window, at);
  const base: TickDecision = {
    status: 'RUNNING',
    statusReason: null,
    start: [],
    skip: [],
    currentWave: currentWaveOf(inWaves),
    gateWave: null,
    nextWaveAt: null,
    wakeAt: null,
    ended: false,
  };
  const halt = (status: CampaignStatus, statusReason: string): TickDecision => ({
    ...base,
    status,
    statusReason,
    skip: pending.map((d) => d.deviceId),
    ended: running.length === 0,
  });

  const failures = inWaves.filter((d) => FAILED_DEVICE_STATES.includes(d.state));
  if (failures.length >= input.failureBudgetDevices) {
    return halt(
      'FAILED',
      `failure budget spent: ${failures.length} of ${plural(inWaves.length, 'device')} failed (${names(failures)}); no new runs start, runs in flight finish`,
    );
  }
  const inFlight = inWaves.filter((d) => d.state === 'RUNNING');
  if (pending.length === 0 && inFlight.length === 0)
    return halt('COMPLETED', completedReason(inWaves, failures, input));

  const k = base.currentWave;
  const notStarted = plural(pending.length, 'device');
  if (pending.length > 0 && now >= win.end.getTime()) {
    return {
      ...base,
      status: 'PAUSED',
      statusReason: `the window ended at ${local(win.end)} with ${notStarted} not started; set a new window and get a fresh approval to resume`,
      gateWave: input.gateWave,
      nextWaveAt: input.nextWaveAt,
    };
  }
  const flying = `${plural(running.length, 'run')} in flight`;
  const wave = k === null ? [] : pending.filter((d) => d.wave === k);
  const name = (index: number) => waveLabel(input.waves, index);
  if (k === null || wave.length === 0) return { ...base, statusReason: k === null ? flying : `${name(k)}: ${flying}` };

  // A gate, once opened, stays in openedGates: checking it on every tick is safe and cannot be walked
  // around by a device of the wave that was skipped or aborted before it ran.
  const previous = k > 0 ? input.waves.find((w) => w.index === k - 1) : undefined;
  if (previous?.gateAfter && !input.openedGates.includes(k - 1)) {
    return {
      ...base,
      gateWave: k - 1,
      statusReason: `waiting for an approver's go after ${name(k - 1).replace(/^Canary$/, 'the canary')}`,
    };
  }
  const waveStarted = inWaves.some((d) => d.wave === k && RAN_STATES.includes(d.state));
  if (k > 0 && !waveStarted) {
    const pauseMs = input.strategy.pauseBetweenWavesSeconds * 1000;
    if (pauseMs > 0) {
      const ends = inWaves.filter((d) => d.wave === k - 1 && d.endedAt).map((d) => d.endedAt?.getTime() ?? 0);
      const lastEnd = ends.length > 0 ? Math.max(...ends) : null;
      const stale = input.nextWaveAt === null || (lastEnd !== null && input.nextWaveAt.getTime() <= lastEnd);
      const at = stale ? new Date((lastEnd ?? now) + pauseMs) : (input.nextWaveAt ?? input.now);
      if (now < at.getTime()) {
        return {
          ...base,
          nextWaveAt: at,
          wakeAt: at,
          statusReason: `pausing ${input.strategy.pauseBetweenWavesSeconds} s between waves: ${name(k)} starts at ${local(at)}`,
        };
      }
      base.nextWaveAt = at; // reached; cleared below once a device of wave k starts
    }
  }

  if (!isOpenAt(input.window, input.now)) {
    const opens = nextOpenAt(input.window, input.now);
    if (!opens) {
      return {
        ...base,
        status: 'PAUSED',
        statusReason: `the rest of the window is on blackout dates, with ${notStarted} not started; set a new window and get a fresh approval to resume`,
      };
    }
    return { ...base, wakeAt: opens, statusReason: `blackout date: no new runs before ${local(opens)}; ${flying}` };
  }

  const room = input.strategy.concurrency - running.length;
  const taken = new Set<string>([
    ...input.busyGroups,
    ...running.flatMap((d) => (d.redundancyGroup ? [d.redundancyGroup] : [])),
  ]);
  const busy = new Set(input.busyDevices);
  const blocked: TickDevice[] = [];
  for (const d of wave) {
    if (base.start.length >= room) break;
    if (busy.has(d.deviceId) || (d.redundancyGroup !== null && taken.has(d.redundancyGroup))) {
      blocked.push(d);
      continue;
    }
    base.start.push(d.deviceId);
    if (d.redundancyGroup !== null) taken.add(d.redundancyGroup);
  }
  if (base.start.length > 0 || waveStarted) base.nextWaveAt = null;
  const total = running.length + base.start.length;
  const waiting =
    base.start.length === 0 && room > 0 && blocked.length > 0
      ? `; waiting for ${names(blocked)} (busy elsewhere, or its redundancy group is)`
      : '';
  if (waiting) base.wakeAt = new Date(now + BUSY_RECHECK_MS);
  return {
    ...base,
    statusReason: `${name(k)}: ${plural(total, 'run')} in flight, ${plural(wave.length - base.start.length, 'device')} of the wave waiting${waiting}`,
  };
}

function completedReason(inWaves: TickDevice[], failures: TickDevice[], input: TickInput): string {
  const count = (state: CampaignDeviceState) => inWaves.filter((d) => d.state === state).length;
  const parts = [`${count('SUCCEEDED')} upgraded`];
  if (failures.length > 0) {
    parts.push(`${failures.length} failed (within the budget of ${input.failureBudgetDevices})`);
  }
  for (const [state, word] of [
    ['ABORTED', 'aborted'],
    ['SKIPPED', 'skipped'],
  ] as const) {
    if (count(state) > 0) parts.push(`${count(state)} ${word}`);
  }
  return parts.join(', ');
}
