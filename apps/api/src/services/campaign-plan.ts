// Over 300 lines: the preview, the plan built from it and the submission share the busy and staleness rules.
// The preview (resolve the selection, predict what the API can tell by itself, queue the read-only
// pre-checks for the rest) and the submission (freeze the device list and the plan, hash it, wait
// for an approver). A submitted campaign whose window or strategy is edited gets its plan rebuilt
// here the same way.
import { createHash } from 'node:crypto';
import { Impact, type CampaignDetail, type CampaignPlan } from '@hitless/contracts';
import {
  ACTIVE_RUN_STATUSES,
  buildPlan,
  canSubmitCampaign,
  conflict,
  notFound,
  platformFamily,
  planHashInput,
  type FamilyDuration,
  type PlanDeviceInput,
} from '@hitless/core';
import { recordAudit, type Campaign, type CampaignDevice, type Db, type Device, type SoftwareImage } from '@hitless/db';
import { enqueue } from '@hitless/messaging';
import { factsOf, strategyOf, targetOf, windowOf } from '@hitless/read-model';
import {
  assertWindowNotOpened,
  CAMPAIGN_DEVICES_LOCK,
  getCampaign,
  heldWhere,
  lockCampaign,
  publishCampaign,
  refuse,
  selectDevices,
  targetFor,
  tick,
  type CampaignContext,
  type Tx,
} from './campaign-shared.ts';

/** A family's run duration when no run of it has completed yet. */
export const DEFAULT_RUN_MS = 30 * 60_000;
/** Completed runs per family whose median duration estimates the next. */
const DURATION_SAMPLES = 20;

/** Why each of these devices is busy elsewhere: held by another active campaign, or with a run in flight. */
export async function busyReasons(db: Db | Tx, deviceIds: string[], campaignId: string): Promise<Map<string, string>> {
  const reasons = new Map<string, string>();
  if (deviceIds.length === 0) return reasons;
  const [held, runs] = await Promise.all([
    db.campaignDevice.findMany({
      where: heldWhere(deviceIds, campaignId),
      include: { campaign: { select: { id: true, name: true, status: true } } },
    }),
    db.deviceRun.findMany({
      where: { deviceId: { in: deviceIds }, status: { in: [...ACTIVE_RUN_STATUSES] } },
      select: { id: true, deviceId: true, status: true, campaignId: true },
    }),
  ]);
  for (const h of held)
    reasons.set(h.deviceId, `in campaign "${h.campaign.name}" (${h.campaign.status}, ${h.campaign.id})`);
  for (const r of runs)
    if (!reasons.has(r.deviceId)) reasons.set(r.deviceId, `an upgrade is in progress (run ${r.id}, ${r.status})`);
  return reasons;
}

/** Median duration of the last completed runs of each device family; families without any are left out. */
export async function measureDurations(db: Db | Tx, devices: Device[]): Promise<FamilyDuration[]> {
  const families = new Map<string, { vendor: Device['vendor']; platformFamily: string }>();
  for (const d of devices) {
    const family = platformFamily(d.vendor, d.platform);
    families.set(`${d.vendor} ${family}`, { vendor: d.vendor, platformFamily: family });
  }
  const out: FamilyDuration[] = [];
  for (const f of families.values()) {
    const runs = await db.deviceRun.findMany({
      where: {
        status: 'COMPLETED',
        startedAt: { not: null },
        endedAt: { not: null },
        image: { vendor: f.vendor, platformFamily: { equals: f.platformFamily, mode: 'insensitive' } },
      },
      orderBy: { endedAt: 'desc' },
      take: DURATION_SAMPLES,
      select: { startedAt: true, endedAt: true },
    });
    const ms = runs.map((r) => r.endedAt!.getTime() - r.startedAt!.getTime()).sort((a, b) => a - b);
    if (ms.length === 0) continue;
    const mid = Math.floor(ms.length / 2);
    const median = ms.length % 2 ? ms[mid]! : (ms[mid - 1]! + ms[mid]!) / 2;
    out.push({ ...f, ms: Math.round(median), samples: ms.length });
  }
  return out;
}

type DeviceRowWithDevice = CampaignDevice & { device: Device };

/**
 * The plan for the stored devices and their predictions. A device predicted to need the
 * disruptive FSU is planned only while the campaign allows it (the strategy can be edited after
 * the preview): otherwise it is refused, with why.
 */
export async function planFor(
  db: Db | Tx,
  campaign: Campaign & { targets: { image: SoftwareImage }[] },
  rows: DeviceRowWithDevice[],
): Promise<{ plan: CampaignPlan; planHash: string }> {
  const images = campaign.targets.map((t) => t.image);
  const devices: PlanDeviceInput[] = rows.map((r) => {
    const impact = Impact.safeParse(r.impact);
    const target = targetFor(r.device, images);
    return {
      deviceId: r.deviceId,
      hostname: r.device.hostname,
      vendor: r.device.vendor,
      platformFamily: platformFamily(r.device.vendor, r.device.platform),
      redundancyGroup: r.device.redundancyGroup,
      fromVersion: r.device.currentVersion,
      imageId: target?.id ?? null,
      toVersion: target?.version ?? null,
      ...(!impact.success
        ? { impact: 'UNREACHABLE' as const, reason: 'no prediction was recorded' }
        : impact.data === 'FSU' && !campaign.allowDisruptive
          ? {
              impact: 'REFUSED' as const,
              reason: `needs the disruptive FSU, which this campaign does not allow${r.impactReason ? ` (${r.impactReason})` : ''}`,
            }
          : { impact: impact.data, reason: r.impactReason }),
    };
  });
  const plan = buildPlan({
    devices,
    targets: campaign.targets.map((t) => targetOf({ campaignId: campaign.id, imageId: t.image.id, image: t.image })),
    strategy: strategyOf(campaign),
    window: windowOf(campaign),
    durations: await measureDurations(
      db,
      rows.map((r) => r.device),
    ),
    defaultRunMs: DEFAULT_RUN_MS,
  });
  return { plan, planHash: createHash('sha256').update(planHashInput(plan)).digest('hex') };
}

/**
 * A draft's plan as it would be submitted now, for the preview: once every device's prediction
 * from the last preview is in. Null before (the page shows the devices still being checked); the
 * submission re-resolves the devices and plans again, and that plan is the one approved.
 */
export async function draftPlanOf(db: Db, id: string): Promise<CampaignPlan | null> {
  const row = await db.campaign.findUnique({
    where: { id },
    include: { targets: { include: { image: true } }, devices: { include: { device: true } } },
  });
  const asked = row?.previewRequestedAt;
  if (!row || row.status !== 'DRAFT' || !asked || row.devices.length === 0) return null;
  if (row.devices.some((d) => !d.predictedAt || d.predictedAt < asked)) return null;
  return (await planFor(db, row, row.devices)).plan;
}

/**
 * Writes each device's wave, position and image from the plan; devices in no wave are EXCLUDED.
 * Devices that already started (a paused campaign re-planned) keep their place and state.
 */
export async function writePlanDevices(tx: Tx, campaignId: string, plan: CampaignPlan) {
  const place = new Map<string, { wave: number; position: number }>();
  for (const w of plan.waves) w.deviceIds.forEach((id, position) => place.set(id, { wave: w.index, position }));
  const ids: string[] = [];
  const waves: number[] = [];
  const positions: number[] = [];
  const images: string[] = [];
  const states: string[] = [];
  for (const d of plan.devices) {
    const p = place.get(d.deviceId);
    ids.push(d.deviceId);
    waves.push(p ? p.wave : -1);
    positions.push(p ? p.position : 0);
    images.push(d.imageId ?? '');
    states.push(p ? 'PENDING' : 'EXCLUDED');
  }
  // One statement for up to 5000 devices; -1 and '' stand for null (arrays of parameters carry no nulls).
  await tx.$executeRaw`
    UPDATE "CampaignDevice" AS cd
    SET wave = NULLIF(v.wave, -1), position = v.position, "imageId" = NULLIF(v.image_id, '')::uuid,
        state = v.state::"CampaignDeviceState"
    FROM unnest(${ids}::text[], ${waves}::int[], ${positions}::int[], ${images}::text[], ${states}::text[])
      AS v(device_id, wave, position, image_id, state)
    WHERE cd."campaignId" = ${campaignId}::uuid AND cd."deviceId" = v.device_id::uuid
      AND cd.state IN ('PENDING', 'EXCLUDED')`;
}

/** Devices named in a "nothing to upgrade" refusal at most; the rest are counted. */
const NAMED_AT_MOST = 5;

/** Refuses a plan without a wave, saying why each device is out (the predictions a rollback would hide). */
export function assertPlanHasWaves(plan: CampaignPlan): void {
  if (plan.waves.length > 0) return;
  const named = plan.devices.slice(0, NAMED_AT_MOST).map((d) => `${d.hostname}: ${d.reason ?? d.impact}`);
  const more = plan.devices.length - named.length;
  throw conflict(
    `none of the ${plan.devices.length} devices can be upgraded: ${named.join('; ')}${more > 0 ? `; and ${more} more` : ''}`,
  );
}

const hashKey = (planHash: string) => `expire-${planHash.slice(0, 16)}`;

/** The request expires at the window's start if nobody approved it: the scheduler looks then. */
export async function scheduleExpiry(ctx: CampaignContext, campaign: Campaign, planHash: string) {
  await tick(ctx, campaign.id, hashKey(planHash), Math.max(0, campaign.windowStart.getTime() - Date.now()));
}

export async function previewCampaign(ctx: CampaignContext, id: string): Promise<CampaignDetail> {
  const draft = await ctx.db.campaign.findUnique({ where: { id }, include: { targets: { include: { image: true } } } });
  if (!draft) throw notFound('campaign', id);
  if (draft.status !== 'DRAFT') throw conflict(`only a draft can be previewed; this campaign is ${draft.status}`);
  const devices = await selectDevices(ctx.db, draft.selection as never);
  const now = new Date();
  const queued: string[] = [];
  await ctx.db.$transaction(async (tx) => {
    const row = await lockCampaign(tx, id);
    if (row.status !== 'DRAFT') throw conflict(`only a draft can be previewed; this campaign is ${row.status}`);
    const before = await tx.campaignDevice.count({ where: { campaignId: id } });
    const busy = await busyReasons(
      tx,
      devices.map((d) => d.id),
      id,
    );
    const images = row.targets.map((t) => t.image);
    const data = devices.map((d) => {
      const target = targetFor(d, images);
      const base = { campaignId: id, deviceId: d.id, imageId: target?.id ?? null, state: 'PENDING' as const };
      const family = platformFamily(d.vendor, d.platform);
      const predicted = (impact: Impact, impactReason: string) => ({ ...base, impact, impactReason, predictedAt: now });
      if (!target) return predicted('NO_TARGET', `no target image for ${d.vendor} ${family} in this campaign`);
      const why = busy.get(d.id);
      if (why) return predicted('BUSY', why);
      if (d.currentVersion && d.currentVersion === target.version)
        return predicted('REFUSED', `already runs ${target.version}`);
      queued.push(d.id);
      return base;
    });
    // The device list is the selection as of now: rows of devices no longer selected go, the rest start over.
    await tx.campaignDevice.deleteMany({ where: { campaignId: id } });
    await tx.campaignDevice.createMany({ data });
    await tx.campaign.update({ where: { id }, data: { previewRequestedAt: now } });
    await recordAudit(tx, ctx.actor, {
      action: 'campaign.previewed',
      targetType: 'campaign',
      targetId: id,
      details: {
        devices: devices.length,
        checking: queued.length,
        predicted: devices.length - queued.length,
        before: { previewRequestedAt: row.previewRequestedAt?.toISOString() ?? null, devices: before },
        after: { previewRequestedAt: now.toISOString(), devices: devices.length },
      },
    });
  });
  // The workers run the read-only pre-checks and write each device's prediction.
  for (let i = 0; i < queued.length; i += 100) {
    await Promise.all(
      queued
        .slice(i, i + 100)
        .map((deviceId) =>
          enqueue(ctx.prechecks, 'campaign-precheck', { campaignId: id, deviceId, previewAt: now.getTime() }),
        ),
    );
  }
  await publishCampaign(ctx, id, 'DRAFT');
  return getCampaign(ctx, id);
}

const TOO_LATE_TO_SUBMIT = ' before anyone could approve it: set a window that starts later, then submit';

export async function submitCampaign(ctx: CampaignContext, id: string): Promise<CampaignDetail> {
  const draft = await ctx.db.campaign.findUnique({ where: { id } });
  if (!draft) throw notFound('campaign', id);
  refuse(canSubmitCampaign(factsOf(draft), ctx.caller));
  if (draft.status !== 'DRAFT') throw conflict(`only a draft can be submitted; this campaign is ${draft.status}`);
  assertWindowNotOpened(draft.windowStart, draft.timeZone, new Date(), TOO_LATE_TO_SUBMIT);
  const previewAt = draft.previewRequestedAt;
  if (!previewAt) throw conflict('preview the plan first: nothing has been checked yet');
  const rows = await ctx.db.campaignDevice.findMany({ where: { campaignId: id }, include: { device: true } });
  if (rows.length === 0) throw conflict('the preview found no device; preview again');
  const pending = rows.filter((r) => !r.predictedAt || r.predictedAt < previewAt).length;
  if (pending > 0)
    throw conflict(
      `${pending} of ${rows.length} devices are still being checked; submit once the preview has predicted every device`,
    );
  const now = (await selectDevices(ctx.db, draft.selection as never)).map((d) => d.id);
  const previewed = new Set(rows.map((r) => r.deviceId));
  const added = now.filter((d) => !previewed.has(d)).length;
  const removed = rows.length - (now.length - added);
  if (added > 0 || removed > 0)
    throw conflict(
      `the selection now picks other devices than the preview (${added} added, ${removed} gone); preview again`,
    );

  const result = await ctx.db.$transaction(async (tx) => {
    // One submission at a time checks and takes devices, so two campaigns never hold one device.
    await tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtext(${CAMPAIGN_DEVICES_LOCK}))`;
    const row = await lockCampaign(tx, id);
    if (row.status !== 'DRAFT') throw conflict(`only a draft can be submitted; this campaign is ${row.status}`);
    if (row.previewRequestedAt?.getTime() !== previewAt.getTime())
      throw conflict('the plan was previewed again meanwhile; look at the new preview and submit again');
    assertWindowNotOpened(row.windowStart, row.timeZone, new Date(), TOO_LATE_TO_SUBMIT);
    const busy = await busyReasons(tx, [...previewed], id);
    const at = new Date();
    for (const r of rows) {
      const why = busy.get(r.deviceId);
      if (!why) continue;
      r.impact = 'BUSY';
      r.impactReason = why;
      r.predictedAt = at;
      await tx.campaignDevice.update({
        where: { campaignId_deviceId: { campaignId: id, deviceId: r.deviceId } },
        data: { impact: 'BUSY', impactReason: why, predictedAt: at },
      });
    }
    const { plan, planHash } = await planFor(tx, row, rows);
    assertPlanHasWaves(plan);
    await writePlanDevices(tx, id, plan);
    const updated = await tx.campaign.update({
      where: { id },
      data: {
        status: 'PENDING_APPROVAL',
        statusReason: null,
        plan: plan as never,
        planHash,
        approvedPlanHash: null,
        approvedAt: null,
        submittedAt: at,
        currentWave: null,
        gateWave: null,
        openedGates: [],
        authorIds: [...new Set([...row.authorIds, ctx.actor.id!])],
      },
    });
    await recordAudit(tx, ctx.actor, {
      action: 'campaign.submitted',
      targetType: 'campaign',
      targetId: id,
      details: {
        planHash,
        devices: rows.length,
        waves: plan.waves.length,
        excluded: plan.devices.filter((d) => d.wave === null).length,
        before: { status: 'DRAFT' },
        after: { status: 'PENDING_APPROVAL' },
      },
    });
    return { campaign: updated, planHash };
  });
  await scheduleExpiry(ctx, result.campaign, result.planHash);
  await publishCampaign(ctx, id, 'PENDING_APPROVAL');
  return getCampaign(ctx, id);
}
