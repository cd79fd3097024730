// The per-device half of a campaign tick (campaign-tick.ts holds the transaction and the
// campaign's own row): loading a campaign with its devices, bringing each RUNNING device's state up
// from its run's outcome, asking an aborted campaign's runs to abort, and creating the QUEUED run of
// each device that starts. Everything here runs inside the tick's transaction, under its lock.
import {
  optionsOfProcedure,
  type CampaignDeviceState,
  type CampaignPlan,
  type ProcedureKind,
  type RunStatus,
} from '@hitless/contracts';
import { abortPlanOfRun, ACTIVE_RUN_STATUSES, isTerminal, parseRunContext } from '@hitless/core';
import { recordAudit, type Prisma } from '@hitless/db';
import type { Logger } from 'pino';

/** Who the audit names for what the scheduler does. */
export const SCHEDULER: { id: null; name: string; ip: null } = { id: null, name: 'scheduler', ip: null };

const STATE_OF_RUN: Partial<Record<RunStatus, CampaignDeviceState>> = {
  COMPLETED: 'SUCCEEDED',
  FAILED: 'FAILED',
  ROLLED_BACK: 'ROLLED_BACK',
  REFUSED: 'REFUSED',
  ABORTED: 'ABORTED',
};

type Tx = Prisma.TransactionClient;
export type Loaded = NonNullable<Awaited<ReturnType<typeof loadCampaign>>>;

export function loadCampaign(tx: Tx, campaignId: string) {
  return tx.campaign.findUnique({
    where: { id: campaignId },
    include: {
      devices: {
        include: {
          device: { select: { id: true, hostname: true, vendor: true, redundancyGroup: true, currentVersion: true } },
          run: { select: { id: true, status: true, endedAt: true } },
        },
        orderBy: [{ wave: 'asc' }, { position: 'asc' }],
      },
    },
  });
}

/** RUNNING devices whose run ended take the run's outcome; returns how many changed. Mutates `c`. */
export async function syncStates(tx: Tx, c: Loaded, now: Date): Promise<number> {
  let changed = 0;
  for (const d of c.devices) {
    if (d.state !== 'RUNNING') continue;
    // A run that is gone (deleted by hand) cannot have upgraded the device as far as we know.
    const state = d.run ? (isTerminal(d.run.status) ? STATE_OF_RUN[d.run.status] : undefined) : 'FAILED';
    if (!state) continue;
    const endedAt = d.run?.endedAt ?? now;
    await tx.campaignDevice.update({
      where: { campaignId_deviceId: { campaignId: c.id, deviceId: d.deviceId } },
      data: { state, endedAt },
    });
    d.state = state;
    d.endedAt = endedAt;
    changed++;
  }
  return changed;
}

/** An aborted campaign asks each of its runs in flight to abort, where an abort can still be taken. */
export async function requestAborts(tx: Tx, c: Loaded): Promise<void> {
  const runs = await tx.deviceRun.findMany({
    where: { campaignId: c.id, status: { in: [...ACTIVE_RUN_STATUSES] }, abortRequestedAt: null },
  });
  for (const run of runs) {
    let possible: boolean;
    try {
      possible = abortPlanOfRun(run, parseRunContext(run.context)).possible;
    } catch {
      possible = false; // a record that cannot be read is left to its driver, which fails it saying why
    }
    if (!possible) continue;
    await tx.deviceRun.update({ where: { id: run.id }, data: { abortRequestedAt: new Date() } });
    await recordAudit(tx, SCHEDULER, {
      action: 'run.abort_requested',
      targetType: 'run',
      targetId: run.id,
      details: { campaign: c.name, campaignId: c.id, reason: 'the campaign was aborted' },
    });
  }
}

/** One QUEUED run per device that starts now; its CampaignDevice RUNNING with the run. Returns the run ids. */
export async function startRuns(
  tx: Tx,
  log: Logger,
  c: Loaded,
  plan: CampaignPlan,
  start: string[],
): Promise<string[]> {
  if (start.length === 0) return [];
  const planned = new Map(plan.devices.map((d) => [d.deviceId, d]));
  const byId = new Map(c.devices.map((d) => [d.deviceId, d]));
  const imageIds = start.flatMap((id) => {
    const imageId = byId.get(id)?.imageId ?? planned.get(id)?.imageId;
    return imageId ? [imageId] : [];
  });
  const images = new Map(
    (await tx.softwareImage.findMany({ where: { id: { in: imageIds } } })).map((i) => [i.id, i] as const),
  );
  const s = plan.strategy;
  const runs: string[] = [];
  for (const deviceId of start) {
    const cd = byId.get(deviceId);
    if (!cd || cd.state !== 'PENDING') continue;
    const image = images.get(cd.imageId ?? planned.get(deviceId)?.imageId ?? '');
    if (!image) {
      log.error({ campaignId: c.id, device: cd.device.hostname }, 'campaign device has no target image: skipped');
      await tx.campaignDevice.update({
        where: { campaignId_deviceId: { campaignId: c.id, deviceId } },
        data: { state: 'SKIPPED', endedAt: new Date() },
      });
      continue;
    }
    // The same lock as a single run's start (api startRun): one run per device, whoever starts it.
    await tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtext(${`device-run:${deviceId}`}))`;
    const other = await tx.deviceRun.findFirst({
      where: { deviceId, status: { in: [...ACTIVE_RUN_STATUSES] } },
      select: { id: true },
    });
    if (other) {
      log.info({ campaignId: c.id, device: cd.device.hostname, run: other.id }, 'device busy: not started this tick');
      continue;
    }
    const procedure: ProcedureKind = cd.device.vendor === 'JUNOS' ? 'JUNOS_ISSU' : 'CISCO_ISSU';
    const run = await tx.deviceRun.create({
      data: {
        deviceId,
        campaignId: c.id,
        imageId: image.id,
        procedure,
        status: 'QUEUED',
        acceptMode: s.acceptMode,
        allowDisruptive: s.allowDisruptive,
        fromVersion: cd.device.currentVersion,
        toVersion: image.version,
        // A campaign's strategy carries every procedure's options; each run keeps only its own.
        options: optionsOfProcedure(procedure, {
          rebootOldMaster: s.rebootOldMaster,
          restoreMastership: s.restoreMastership,
          ...(s.rollbackTimerSeconds !== null && { rollbackTimerSeconds: s.rollbackTimerSeconds }),
        }),
        createdById: c.createdById,
      },
    });
    const now = new Date();
    await tx.campaignDevice.update({
      where: { campaignId_deviceId: { campaignId: c.id, deviceId } },
      data: { state: 'RUNNING', runId: run.id, startedAt: now, endedAt: null },
    });
    cd.state = 'RUNNING';
    await recordAudit(tx, SCHEDULER, {
      action: 'run.created',
      targetType: 'run',
      targetId: run.id,
      details: {
        device: cd.device.hostname,
        from: cd.device.currentVersion,
        to: image.version,
        campaign: c.name,
        campaignId: c.id,
        wave: cd.wave,
      },
    });
    runs.push(run.id);
  }
  return runs;
}
