// Campaign fixtures for the worker's campaign tests and the campaign benchmark: an approved
// campaign written to the database the way the API's submit and approve leave it (core's planner
// builds the waves, the plan hash is approved), the scheduler's first tick queued as an approval
// queues it, and the record of what ran read back for the invariants every test checks.
import { createHash } from 'node:crypto';
import {
  CampaignStrategy,
  type CampaignPlan,
  type CampaignTargetDto,
  type Impact,
  type MaintenanceWindow,
} from '@hitless/contracts';
import { buildPlan, platformFamily, planHashInput, type PlanDeviceInput } from '@hitless/core';
import type { Db } from '@hitless/db';
import { enqueue, type Queue } from '@hitless/messaging';
import { imagesOf, type PlatformFamily } from '@hitless/sim';
import { eventually } from '@hitless/testkit/poll';

/** Each family's target: the release after the one lab devices run (compatibility C). */
export function targetOf(family: PlatformFamily) {
  return imagesOf(family)[1]!;
}

/** A window in UTC from local times with seconds, so a test can end it a few seconds from now. */
export function utcWindow(startAt: Date, endAt: Date): MaintenanceWindow {
  const local = (d: Date) => d.toISOString().slice(0, 19);
  return { start: local(startAt), end: local(endAt), timeZone: 'UTC', blackoutDates: [] };
}

export interface CampaignSpec {
  name?: string;
  hostnames: string[];
  strategy?: Partial<CampaignStrategy>;
  /** Default: opened a minute ago, closes in two hours. */
  window?: MaintenanceWindow;
  /** The preview's prediction per hostname; default ISSU_C (planned). */
  impacts?: Record<string, Impact>;
  userId: string;
}

/** An APPROVED campaign as submit + approve leave it: the plan frozen, its hash approved, devices in waves. */
export async function createApprovedCampaign(db: Db, spec: CampaignSpec): Promise<{ id: string; plan: CampaignPlan }> {
  const devices = await db.device.findMany({ where: { hostname: { in: spec.hostnames } } });
  const families = new Set(devices.map((d) => platformFamily(d.vendor, d.platform) as PlatformFamily));
  const images = await db.softwareImage.findMany({
    where: { OR: [...families].map((f) => ({ platformFamily: f, version: targetOf(f).version })) },
  });
  const targets: CampaignTargetDto[] = images.map((i) => ({
    imageId: i.id,
    vendor: i.vendor,
    platformFamily: i.platformFamily,
    version: i.version,
    fileName: i.fileName,
  }));
  const inputs: PlanDeviceInput[] = devices.map((d) => {
    const family = platformFamily(d.vendor, d.platform);
    const image = images.find((i) => i.vendor === d.vendor && i.platformFamily === family) ?? null;
    return {
      deviceId: d.id,
      hostname: d.hostname,
      vendor: d.vendor,
      platformFamily: family,
      redundancyGroup: d.redundancyGroup,
      fromVersion: d.currentVersion,
      imageId: image?.id ?? null,
      toVersion: image?.version ?? null,
      impact: spec.impacts?.[d.hostname] ?? (image ? 'ISSU_C' : 'NO_TARGET'),
      reason: null,
    };
  });
  const strategy = CampaignStrategy.parse({ gateAfterCanary: false, ...spec.strategy });
  const window = spec.window ?? utcWindow(new Date(Date.now() - 60_000), new Date(Date.now() + 2 * 3600_000));
  const plan = buildPlan({ devices: inputs, targets, strategy, window, durations: [], defaultRunMs: 60_000 });
  const planHash = createHash('sha256').update(planHashInput(plan)).digest('hex');
  const position = new Map(plan.waves.flatMap((w) => w.deviceIds.map((id, i) => [id, i] as const)));
  const budget = strategy.failureBudget;
  const now = new Date();
  const row = await db.campaign.create({
    data: {
      name: spec.name ?? 'campaign under test',
      ticket: 'CHG0000001',
      status: 'APPROVED',
      selection: { kind: 'ids', deviceIds: devices.map((d) => d.id) },
      windowStart: new Date(plan.window.startAt),
      windowEnd: new Date(plan.window.endAt),
      timeZone: window.timeZone,
      blackoutDates: window.blackoutDates,
      canarySize: strategy.canarySize,
      waveSize: strategy.waveSize,
      concurrency: strategy.concurrency,
      failureBudgetCount: budget.kind === 'count' ? budget.value : null,
      failureBudgetPercent: budget.kind === 'percent' ? budget.value : null,
      gateAfterCanary: strategy.gateAfterCanary,
      gateEveryWave: strategy.gateEveryWave,
      pauseBetweenWavesSeconds: strategy.pauseBetweenWavesSeconds,
      acceptMode: strategy.acceptMode,
      rollbackTimerSeconds: strategy.rollbackTimerSeconds,
      allowDisruptive: strategy.allowDisruptive,
      rebootOldMaster: strategy.rebootOldMaster,
      restoreMastership: strategy.restoreMastership,
      plan,
      planHash,
      approvedPlanHash: planHash,
      authorIds: [spec.userId],
      createdById: spec.userId,
      submittedAt: now,
      approvedAt: now,
      targets: { create: images.map((i) => ({ imageId: i.id })) },
      devices: {
        create: plan.devices.map((d) => ({
          deviceId: d.deviceId,
          wave: d.wave,
          position: position.get(d.deviceId) ?? 0,
          imageId: d.imageId,
          impact: d.impact,
          impactReason: d.reason,
          predictedAt: now,
          state: d.wave === null ? 'EXCLUDED' : 'PENDING',
        })),
      },
    },
  });
  return { id: row.id, plan };
}

/** What an approval (or resume, or gate) does after its commit: the scheduler ticks now. */
export async function kick(ticks: Queue, campaignId: string, key = `kick-${Date.now()}`): Promise<void> {
  await enqueue(ticks, 'campaign-tick', { campaignId, key });
}

export async function untilCampaign(
  db: Db,
  id: string,
  done: (c: { status: string; endedAt: Date | null }) => boolean,
  timeoutMs: number,
  what = 'campaign state',
) {
  return eventually(
    async () => {
      const c = await db.campaign.findUniqueOrThrow({ where: { id } });
      return done(c) && c;
    },
    { timeoutMs, intervalMs: 250, what: `campaign ${what}` },
  );
}

export const campaignEnded = (c: { status: string; endedAt: Date | null }) => c.endedAt !== null;

/** Everything a campaign left behind: devices with their run and the run's steps. */
export async function campaignRecord(db: Db, id: string) {
  const campaign = await db.campaign.findUniqueOrThrow({ where: { id } });
  const devices = await db.campaignDevice.findMany({
    where: { campaignId: id },
    include: {
      device: { select: { hostname: true, vendor: true, redundancyGroup: true } },
      run: { include: { steps: { orderBy: { seq: 'asc' } } } },
    },
    orderBy: [{ wave: 'asc' }, { position: 'asc' }],
  });
  const runs = await db.deviceRun.findMany({ where: { campaignId: id } });
  return { campaign, devices, runs };
}
export type CampaignRecord = Awaited<ReturnType<typeof campaignRecord>>;

/** Hostnames of the devices the scheduler started after `at`. */
export const startedAfter = (record: CampaignRecord, at: Date) =>
  record.devices.filter((d) => d.startedAt && d.startedAt > at).map((d) => d.device.hostname);

export interface Interval {
  key: string;
  group: string | null;
  wave: number | null;
  start: number;
  end: number;
}

/**
 * A device is busy from the moment the scheduler started it (its run created QUEUED, the
 * CampaignDevice's startedAt, stamped under the scheduler's lock) until its run's end; its first
 * step cannot begin earlier nor its last end later.
 */
export function intervalsOf(record: CampaignRecord): Interval[] {
  return record.devices
    .filter((d) => d.run)
    .map((d) => {
      const run = d.run!;
      const stepEnds = run.steps.map((s) => (s.endedAt ?? s.startedAt).getTime());
      return {
        key: d.device.hostname,
        group: d.device.redundancyGroup,
        wave: d.wave,
        start: Math.min((d.startedAt ?? run.createdAt).getTime(), ...run.steps.map((s) => s.startedAt.getTime())),
        end: Math.max(run.endedAt?.getTime() ?? Date.now(), ...stepEnds),
      };
    });
}

/** The most intervals open at one instant (an end at t and a start at t do not overlap). */
export function maxOverlap(intervals: Interval[]): number {
  const points = intervals.flatMap((i) => [
    { t: i.start, d: 1 },
    { t: i.end, d: -1 },
  ]);
  points.sort((a, b) => a.t - b.t || a.d - b.d);
  let open = 0;
  let max = 0;
  for (const p of points) max = Math.max(max, (open += p.d));
  return max;
}

/** Pairs of one redundancy group whose runs overlapped in time (must be none). */
export function groupOverlaps(intervals: Interval[]): string[] {
  const out: string[] = [];
  for (const [i, a] of intervals.entries()) {
    for (const b of intervals.slice(i + 1)) {
      if (a.group && a.group === b.group && a.start < b.end && b.start < a.end) out.push(`${a.key} & ${b.key}`);
    }
  }
  return out;
}

/** Runs of a later wave that started before every run of an earlier wave had ended (must be none). */
export function waveOrderViolations(intervals: Interval[]): string[] {
  const out: string[] = [];
  for (const a of intervals) {
    for (const b of intervals) {
      if (a.wave !== null && b.wave !== null && b.wave > a.wave && b.start < a.end) {
        out.push(`${b.key} (wave ${b.wave}) started before ${a.key} (wave ${a.wave}) ended`);
      }
    }
  }
  return out;
}
