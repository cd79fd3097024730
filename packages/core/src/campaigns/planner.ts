// The campaign planner: devices with their predicted impact → waves (canary first, devices of one
// redundancy group never in one wave), expected durations from measured run times, the fit
// against the window, and the canonical form the plan hash is taken over.
import type {
  CampaignPlan,
  CampaignStrategy,
  CampaignTargetDto,
  Impact,
  MaintenanceWindow,
  PlanWave,
  Vendor,
} from '@hitless/contracts';
import { canonicalJson } from '../canonical-json.ts';
import { openMs, resolveWindow } from './window.ts';

export interface PlanDeviceInput {
  deviceId: string;
  hostname: string;
  vendor: Vendor;
  platformFamily: string;
  redundancyGroup: string | null;
  fromVersion: string | null;
  imageId: string | null;
  toVersion: string | null;
  impact: Impact;
  reason: string | null;
}

export interface FamilyDuration {
  vendor: Vendor;
  platformFamily: string;
  ms: number;
  samples: number;
}

export interface PlanInput {
  devices: PlanDeviceInput[];
  targets: CampaignTargetDto[];
  strategy: CampaignStrategy;
  window: MaintenanceWindow;
  /** Measured run durations per family; a family without one uses `defaultRunMs`. */
  durations: FamilyDuration[];
  defaultRunMs: number;
}

/** Impacts that put a device into a wave; the others are listed with their reason, never dropped. */
export const PLANNED_IMPACTS: readonly Impact[] = ['ISSU_C', 'ISSU_B', 'FSU'];

type PlanDevice = CampaignPlan['devices'][number];

const familyKey = (d: { vendor: Vendor; platformFamily: string }) => `${d.vendor}\u0000${d.platformFamily}`;

/** Hostname order, device id breaking ties, so the plan does not depend on the order devices were listed in. */
export function compareDevices(a: { hostname: string; deviceId: string }, b: { hostname: string; deviceId: string }) {
  if (a.hostname !== b.hostname) return a.hostname < b.hostname ? -1 : 1;
  return a.deviceId < b.deviceId ? -1 : a.deviceId > b.deviceId ? 1 : 0;
}

/**
 * The canary: one device per distinct (vendor, platform family) first, in order, then the next
 * devices in order, never two of one redundancy group; fewer than `size` when the fleet has fewer.
 */
function pickCanary(devices: PlanDeviceInput[], size: number): Set<string> {
  const chosen = new Set<string>();
  const groups = new Set<string>();
  const families = new Set<string>();
  const take = (d: PlanDeviceInput) => {
    chosen.add(d.deviceId);
    if (d.redundancyGroup !== null) groups.add(d.redundancyGroup);
    families.add(familyKey(d));
  };
  const free = (d: PlanDeviceInput) =>
    !chosen.has(d.deviceId) && (d.redundancyGroup === null || !groups.has(d.redundancyGroup));
  for (const d of devices) {
    if (chosen.size >= size) break;
    if (free(d) && !families.has(familyKey(d))) take(d);
  }
  for (const d of devices) {
    if (chosen.size >= size) break;
    if (free(d)) take(d);
  }
  return chosen;
}

/** First-fit: each device into the first wave with room and without a device of its redundancy group. */
function packWaves(devices: PlanDeviceInput[], waveSize: number): PlanDeviceInput[][] {
  const waves: { devices: PlanDeviceInput[]; groups: Set<string> }[] = [];
  for (const d of devices) {
    let wave = waves.find(
      (w) => w.devices.length < waveSize && (d.redundancyGroup === null || !w.groups.has(d.redundancyGroup)),
    );
    if (!wave) {
      wave = { devices: [], groups: new Set() };
      waves.push(wave);
    }
    wave.devices.push(d);
    if (d.redundancyGroup !== null) wave.groups.add(d.redundancyGroup);
  }
  return waves.map((w) => w.devices);
}

/** Wall time of runs on `lanes` parallel lanes, longest first, each onto the least loaded lane. */
export function lanesMakespan(durationsMs: number[], lanes: number): number {
  const load = new Array<number>(Math.max(1, lanes)).fill(0);
  for (const ms of [...durationsMs].sort((a, b) => b - a)) {
    let min = 0;
    for (let i = 1; i < load.length; i++) if ((load[i] ?? 0) < (load[min] ?? 0)) min = i;
    load[min] = (load[min] ?? 0) + ms;
  }
  return Math.max(0, ...load);
}

/**
 * Devices whose impact is planned go into waves (canary first, then waves of `waveSize`, first
 * fit in hostname order, never two of one redundancy group in a wave); the others are listed with
 * `wave: null` and their reason. A gate after the last wave would hold nothing, so there is none.
 * With no planned device there is nothing to estimate: `expectedMs` is null and `fits` 'unknown'.
 * Throws the window's validation errors (`window.*`).
 */
export function buildPlan(input: PlanInput): CampaignPlan {
  const { strategy } = input;
  const resolved = resolveWindow(input.window);
  const open = openMs(input.window);
  const ordered = [...input.devices].sort(compareDevices);
  const planned = ordered.filter((d) => PLANNED_IMPACTS.includes(d.impact));

  const groups: PlanDeviceInput[][] = [];
  let rest = planned;
  if (strategy.canarySize > 0 && planned.length > 0) {
    const canary = pickCanary(planned, strategy.canarySize);
    groups.push(planned.filter((d) => canary.has(d.deviceId)));
    rest = planned.filter((d) => !canary.has(d.deviceId));
  }
  const hasCanary = groups.length > 0;
  groups.push(...packWaves(rest, strategy.waveSize));

  const measured = new Map(input.durations.map((d) => [familyKey(d), d]));
  const used = new Map<string, FamilyDuration>();
  const durationOf = (d: PlanDeviceInput): number => {
    const key = familyKey(d);
    const entry = measured.get(key) ?? {
      vendor: d.vendor,
      platformFamily: d.platformFamily,
      ms: input.defaultRunMs,
      samples: 0,
    };
    used.set(key, {
      vendor: entry.vendor,
      platformFamily: entry.platformFamily,
      ms: Math.round(entry.ms),
      samples: entry.samples,
    });
    return Math.round(entry.ms);
  };

  const waveOf = new Map<string, number>();
  const waves: PlanWave[] = groups.map((devices, index) => {
    devices.forEach((d) => waveOf.set(d.deviceId, index));
    const last = index === groups.length - 1;
    const canary = hasCanary && index === 0;
    return {
      index,
      canary,
      deviceIds: devices.map((d) => d.deviceId),
      expectedMs: lanesMakespan(devices.map(durationOf), strategy.concurrency),
      gateAfter: !last && ((canary && strategy.gateAfterCanary) || strategy.gateEveryWave),
    };
  });

  const expectedMs =
    waves.length === 0
      ? null
      : waves.reduce((sum, w) => sum + (w.expectedMs ?? 0), 0) +
        strategy.pauseBetweenWavesSeconds * 1000 * (waves.length - 1);

  const devices: PlanDevice[] = ordered.map((d) => ({
    deviceId: d.deviceId,
    hostname: d.hostname,
    vendor: d.vendor,
    platformFamily: d.platformFamily,
    redundancyGroup: d.redundancyGroup,
    fromVersion: d.fromVersion,
    imageId: d.imageId,
    toVersion: d.toVersion,
    impact: d.impact,
    reason: d.reason,
    wave: waveOf.get(d.deviceId) ?? null,
  }));

  return {
    devices,
    waves,
    targets: input.targets,
    strategy,
    window: { ...input.window, startAt: resolved.start.toISOString(), endAt: resolved.end.toISOString() },
    failureBudgetDevices: failureBudgetDevices(strategy.failureBudget, planned.length),
    expectedMs,
    openMs: open,
    fits: expectedMs === null ? 'unknown' : expectedMs <= open ? 'yes' : 'no',
    durations: [...used.values()].sort((a, b) => compareText(familyKey(a), familyKey(b))),
  };
}

const compareText = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

/** The failure budget as a device count (a percent of the planned devices, rounded up, at least 1). */
export function failureBudgetDevices(budget: CampaignStrategy['failureBudget'], plannedDevices: number): number {
  switch (budget.kind) {
    case 'count':
      return Math.max(1, budget.value);
    case 'percent':
      return Math.max(1, Math.ceil((budget.value * plannedDevices) / 100));
    default: {
      const unreachable: never = budget;
      throw new Error(`unknown failure budget ${JSON.stringify(unreachable)}`);
    }
  }
}

/**
 * The text the plan hash is the SHA-256 of: canonical JSON of what an approver says yes to
 * (devices with their wave, image and impact; waves; target images; strategy; window), without
 * estimates, so re-estimating durations does not void an approval but any real change does.
 */
export function planHashInput(plan: CampaignPlan): string {
  return canonicalJson({
    devices: [...plan.devices]
      .sort((a, b) => compareText(a.deviceId, b.deviceId))
      .map((d) => [d.deviceId, d.wave, d.imageId, d.impact]),
    waves: plan.waves.map((w) => [w.index, w.canary, w.deviceIds, w.gateAfter]),
    targets: plan.targets.map((t) => t.imageId).sort(compareText),
    strategy: plan.strategy,
    window: {
      start: plan.window.start,
      end: plan.window.end,
      timeZone: plan.window.timeZone,
      blackoutDates: [...plan.window.blackoutDates].sort(compareText),
    },
  });
}

/**
 * How a wave is named to people: "Canary", then "Wave 1", "Wave 2"… counted from the first wave
 * after the canary (so a plan without a canary starts at Wave 1, not at its index 0).
 */
export function waveLabel(waves: readonly Pick<PlanWave, 'index' | 'canary'>[], index: number | null): string {
  if (index === null) return 'No wave';
  if (waves.find((w) => w.index === index)?.canary) return 'Canary';
  return `Wave ${waves.some((w) => w.canary) ? index : index + 1}`;
}
