// The plan preview's read-only pre-check of one campaign device: connect as a run would, read the
// device through the same pre-checks a run starts with (nothing is configured, nothing is sent
// that changes the device), and store what upgrading it would do (impact, reason, the checks).
import type { EngineConfig } from '@hitless/config';
import { Rooms, type CampaignStatus } from '@hitless/contracts';
import { ACTIVE_RUN_STATUSES, DomainError, impactOf, platformFamily, type PrecheckOutcome } from '@hitless/core';
import { Prisma, type Db } from '@hitless/db';
import type { EventPublisher } from '@hitless/messaging';
import type { Logger } from 'pino';
import { connect, sshTargetOf } from './device-access.ts';
import { firstLine, HostKeyRejected, isDeviceProblem } from './errors.ts';
import type { EngineObserver } from './observer.ts';
import { runCiscoPrechecks, runJunosPrechecks } from './prechecks.ts';

export interface CampaignPrecheckDeps {
  db: Db;
  events: EventPublisher;
  key: Buffer;
  engine: EngineConfig;
  log: Logger;
  /** Told of the SSH session (the worker's metrics). */
  observer?: EngineObserver;
}

export interface CampaignPrecheckPayload {
  campaignId: string;
  deviceId: string;
  /** The preview request this job answers (campaign.previewRequestedAt, epoch ms). */
  previewAt: number;
}

type Prediction = { impact: string; reason: string | null; evidence: Prisma.InputJsonValue | null };

/**
 * One pre-check job. Skipped when its preview was superseded, the campaign was submitted, or the
 * device was already predicted for it. Device problems (unreachable, login refused, host key refused, no credential) are a
 * prediction too (UNREACHABLE with the reason), not a failed job; only our own outages throw.
 *
 * predictedAt is when the reading began (never before the request it answers): a preview asked
 * for while this device was being read is newer than the reading, so its own job reads again.
 */
export async function runCampaignPrecheck(
  deps: CampaignPrecheckDeps,
  payload: CampaignPrecheckPayload,
): Promise<'predicted' | 'skipped'> {
  const { db } = deps;
  const readingAt = new Date(Math.max(Date.now(), payload.previewAt));
  const row = await db.campaignDevice.findUnique({
    where: { campaignId_deviceId: { campaignId: payload.campaignId, deviceId: payload.deviceId } },
    include: { device: true, campaign: { include: { targets: { include: { image: true } } } } },
  });
  if (!row) return 'skipped';
  if (row.predictedAt && row.predictedAt.getTime() >= payload.previewAt) return 'skipped';
  // Superseded by a newer preview, or submitted meanwhile (its plan is frozen).
  if (row.campaign.previewRequestedAt?.getTime() !== payload.previewAt) return 'skipped';
  if (row.campaign.status !== 'DRAFT') return 'skipped';

  const prediction = await predict(deps, row);
  // Written only if no newer reading landed meanwhile and the preview is still the current one.
  const written = await db.campaignDevice.updateMany({
    where: {
      campaignId: payload.campaignId,
      deviceId: payload.deviceId,
      OR: [{ predictedAt: null }, { predictedAt: { lt: readingAt } }],
      campaign: { is: { previewRequestedAt: new Date(payload.previewAt), status: 'DRAFT' } },
    },
    data: {
      impact: prediction.impact,
      impactReason: prediction.reason,
      evidence: prediction.evidence ?? Prisma.DbNull,
      predictedAt: readingAt,
    },
  });
  if (written.count === 0) return 'skipped';
  deps.log.info(
    { campaignId: payload.campaignId, device: row.device.hostname, impact: prediction.impact },
    'campaign device predicted',
  );
  await publish(deps, payload.campaignId, row.campaign.status);
  return 'predicted';
}

type Row = Prisma.CampaignDeviceGetPayload<{
  include: { device: true; campaign: { include: { targets: { include: { image: true } } } } };
}>;

async function predict(deps: CampaignPrecheckDeps, row: Row): Promise<Prediction> {
  const { db } = deps;
  const device = row.device;
  const family = platformFamily(device.vendor, device.platform);
  const target = row.campaign.targets
    .map((t) => t.image)
    .find((i) => i.vendor === device.vendor && i.platformFamily.toLowerCase() === family);
  if (!target) {
    return {
      impact: 'NO_TARGET',
      reason: `the campaign has no target image for ${device.vendor} ${family}`,
      evidence: null,
    };
  }
  // A device in the middle of an upgrade shows a half-way state; reading it predicts nothing.
  const active = await db.deviceRun.findFirst({
    where: { deviceId: device.id, status: { in: [...ACTIVE_RUN_STATUSES] } },
    select: { id: true, campaignId: true },
  });
  if (active) {
    return {
      impact: 'BUSY',
      reason: `an upgrade of ${device.hostname} is in progress (run ${active.id})`,
      evidence: null,
    };
  }
  let outcome: PrecheckOutcome;
  try {
    const ssh = await sshTargetOf(db, deps.key, device);
    const engine = { ...deps.engine, commandTimeoutMs: Math.min(deps.engine.commandTimeoutMs, 30_000) };
    const access = await connect(db, device, ssh, { engine, ...(deps.observer && { observer: deps.observer }) });
    try {
      outcome =
        access.kind === 'cisco'
          ? await runCiscoPrechecks(db, access.driver, family, target, row.campaign.allowDisruptive)
          : await runJunosPrechecks(db, access.driver, target);
    } finally {
      access.driver.close();
    }
  } catch (err) {
    if (!isDeviceProblem(err) && !(err instanceof DomainError) && !(err instanceof HostKeyRejected)) throw err;
    return {
      impact: 'UNREACHABLE',
      reason: `${device.hostname} could not be checked: ${firstLine(err)}`,
      evidence: null,
    };
  }
  const { impact, reason } = impactOf({ results: outcome.results, decision: outcome.decision });
  return { impact, reason, evidence: outcome.results as unknown as Prisma.InputJsonValue };
}

async function publish(deps: CampaignPrecheckDeps, campaignId: string, status: CampaignStatus): Promise<void> {
  try {
    await deps.events.publish('campaign.updated', [Rooms.campaign(campaignId)], { campaignId, status });
  } catch (err) {
    deps.log.warn({ err }, 'live event not published');
  }
}
