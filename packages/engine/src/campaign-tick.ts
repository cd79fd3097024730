// One tick of the campaign scheduler: the transaction, the campaign's own row with its audit, and
// what goes out after the commit (the per-device parts are in campaign-devices.ts). Under one lock
// for all campaigns a tick brings the devices' states up to date from their runs, asks core's
// decideTick what happens now, and applies that: the status with its reason and audit, the wave and
// gate, a QUEUED run per device that starts. The runs' jobs and the live events go out after the
// commit; a tick that dies before it changed nothing, one that dies after is finished by the next
// tick (it re-queues runs still QUEUED). Ticks are idempotent.
import { CampaignPlan, Rooms, type CampaignStatus } from '@hitless/contracts';
import {
  ACTIVE_RUN_STATUSES,
  decideTick,
  TERMINAL_CAMPAIGN_STATUSES,
  type TickDecision,
  type TickInput,
} from '@hitless/core';
import { recordAudit, type Db, type Prisma } from '@hitless/db';
import { enqueue, ensureEnqueued, type EventPublisher, type Queue } from '@hitless/messaging';
import { runInclude, toRunDto } from '@hitless/read-model';
import type { Logger } from 'pino';
import { loadCampaign, requestAborts, SCHEDULER, startRuns, syncStates, type Loaded } from './campaign-devices.ts';

export interface CampaignTickDeps {
  db: Db;
  events: EventPublisher;
  log: Logger;
  /** The device-upgrade queue: each run started gets its job there. */
  upgrades: Queue;
  /** The campaign-scheduler queue, for the tick a decision asks to wake up at. */
  ticks: Queue;
  /**
   * The period of the campaign's periodic tick: a wake-up later than the next periodic tick is
   * left to it (which then queues the precise one), so ticks never pile up delayed wake-ups.
   * Absent: every wake-up is queued.
   */
  periodMs?: number;
}

export interface TickOutcome {
  status: CampaignStatus;
  /** Runs created by this tick. */
  started: string[];
  /** The campaign still needs ticks: approved and not ended (or ended with runs still in flight). */
  live: boolean;
  wakeAt: Date | null;
}

/** Taken by every tick, so two workers never start the same device and groups hold across campaigns. */
export const SCHEDULER_LOCK = 'campaign-scheduler';
/** Statuses in which the scheduler has nothing to do yet (or ever). */
const NOT_SCHEDULED: readonly CampaignStatus[] = ['DRAFT', 'REJECTED'];
/** Statuses of an approved campaign that is not over: its periodic tick runs. */
const SCHEDULED: readonly CampaignStatus[] = ['APPROVED', 'SCHEDULED', 'RUNNING', 'PAUSED'];

type Tx = Prisma.TransactionClient;

interface Applied {
  outcome: TickOutcome;
  changed: boolean;
  /** Runs that need their device-upgrade job: the ones created now and those still QUEUED. */
  queued: string[];
}

export async function runCampaignTick(deps: CampaignTickDeps, campaignId: string): Promise<TickOutcome | null> {
  const applied = await deps.db.$transaction((tx) => tick(tx, deps.log, campaignId), {
    maxWait: 10_000,
    timeout: 60_000,
  });
  if (!applied) return null;
  const { outcome } = applied;
  for (const runId of applied.queued) {
    if (outcome.started.includes(runId)) await enqueue(deps.upgrades, 'device-upgrade', { runId });
    else await ensureEnqueued(deps.upgrades, 'device-upgrade', { runId });
  }
  const wakeInMs = outcome.wakeAt ? outcome.wakeAt.getTime() - Date.now() : null;
  if (outcome.wakeAt && wakeInMs !== null && wakeInMs <= (deps.periodMs ?? Infinity)) {
    await enqueue(
      deps.ticks,
      'campaign-tick',
      { campaignId, key: `wake-${outcome.wakeAt.getTime()}` },
      { delayMs: wakeInMs },
    );
  }
  if (applied.changed) await publish(deps, campaignId, outcome);
  return outcome;
}

async function tick(tx: Tx, log: Logger, campaignId: string): Promise<Applied | null> {
  await tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtext(${SCHEDULER_LOCK}))`;
  const locked = await tx.$queryRaw<
    { id: string }[]
  >`SELECT id FROM "Campaign" WHERE id = ${campaignId}::uuid FOR UPDATE`;
  if (locked.length === 0) return null;
  const c = (await loadCampaign(tx, campaignId))!;
  const now = new Date();
  const idle = (live: boolean): Applied => ({
    outcome: { status: c.status, started: [], live, wakeAt: null },
    changed: false,
    queued: [],
  });
  if (NOT_SCHEDULED.includes(c.status)) return idle(false);
  const synced = await syncStates(tx, c, now);
  const inFlight = c.devices.filter((d) => d.state === 'RUNNING');
  if (TERMINAL_CAMPAIGN_STATUSES.includes(c.status) && c.endedAt && inFlight.length === 0) {
    return { ...idle(false), changed: synced > 0 };
  }
  // Never run a plan nobody approved (the API sends an edited campaign back for approval). A
  // PENDING_APPROVAL campaign is ticked only to expire it when its window opens unapproved.
  const approved = c.planHash !== null && c.approvedPlanHash === c.planHash;
  if (!approved && c.status !== 'PENDING_APPROVAL') {
    log.warn({ campaignId, status: c.status }, 'campaign plan not approved as it stands: nothing starts');
    return { ...idle(SCHEDULED.includes(c.status)), changed: synced > 0 };
  }
  const parsed = CampaignPlan.safeParse(c.plan);
  if (!parsed.success) {
    throw new Error(
      `campaign ${c.name} (${c.id}): its stored plan cannot be read (${parsed.error.issues[0]?.message})`,
    );
  }
  const plan = parsed.data;
  if (c.status === 'ABORTED') await requestAborts(tx, c);

  const active = await tx.deviceRun.findMany({
    where: { status: { in: [...ACTIVE_RUN_STATUSES] } },
    select: { deviceId: true, campaignId: true, device: { select: { redundancyGroup: true } } },
  });
  const { start, end, timeZone, blackoutDates } = plan.window;
  const input: TickInput = {
    now,
    status: c.status,
    window: { start, end, timeZone, blackoutDates },
    strategy: plan.strategy,
    waves: plan.waves,
    devices: c.devices.map((d) => ({
      deviceId: d.deviceId,
      hostname: d.device.hostname,
      wave: d.wave,
      position: d.position,
      state: d.state,
      redundancyGroup: d.device.redundancyGroup,
      endedAt: d.endedAt,
    })),
    busyGroups: [...new Set(active.flatMap((r) => (r.device.redundancyGroup ? [r.device.redundancyGroup] : [])))],
    busyDevices: [...new Set(active.filter((r) => r.campaignId !== c.id).map((r) => r.deviceId))],
    failureBudgetDevices: plan.failureBudgetDevices,
    gateWave: c.gateWave,
    openedGates: c.openedGates,
    nextWaveAt: c.nextWaveAt,
    statusReason: c.statusReason,
  };
  const decision = decideTick(input);
  const started = approved ? await startRuns(tx, log, c, plan, decision.start) : [];
  const skipped = decision.skip.length
    ? (
        await tx.campaignDevice.updateMany({
          where: { campaignId, deviceId: { in: decision.skip }, state: 'PENDING' },
          data: { state: 'SKIPPED', endedAt: now },
        })
      ).count
    : 0;
  const changedCampaign = await applyCampaign(tx, c, decision, now);
  const stillQueued = await tx.deviceRun.findMany({
    where: { campaignId, status: { in: ['PENDING', 'QUEUED'] } },
    select: { id: true },
  });
  const live =
    SCHEDULED.includes(decision.status) ||
    (TERMINAL_CAMPAIGN_STATUSES.includes(decision.status) && !decision.ended && c.endedAt === null);
  return {
    outcome: { status: decision.status, started, live, wakeAt: decision.wakeAt },
    changed: synced + skipped + started.length > 0 || changedCampaign,
    queued: [...new Set([...started, ...stillQueued.map((r) => r.id)])],
  };
}

function auditAction(from: CampaignStatus, to: CampaignStatus): string {
  switch (to) {
    case 'RUNNING':
      return from === 'PAUSED' ? 'campaign.resumed' : 'campaign.started';
    case 'FAILED':
      return 'campaign.halted';
    default:
      return `campaign.${to.toLowerCase()}`;
  }
}

/** The campaign row as decided, audited; whether anything changed. */
async function applyCampaign(tx: Tx, c: Loaded, d: TickDecision, now: Date): Promise<boolean> {
  const statusChanged = d.status !== c.status;
  const data: Prisma.CampaignUpdateInput = {
    ...(statusChanged && { status: d.status }),
    ...(d.statusReason !== c.statusReason && { statusReason: d.statusReason }),
    ...(d.currentWave !== c.currentWave && { currentWave: d.currentWave }),
    ...(d.gateWave !== c.gateWave && { gateWave: d.gateWave }),
    ...(d.nextWaveAt?.getTime() !== c.nextWaveAt?.getTime() && { nextWaveAt: d.nextWaveAt }),
    ...(d.status === 'RUNNING' && !c.startedAt && { startedAt: now }),
    ...(d.ended && !c.endedAt && { endedAt: now }),
  };
  if (Object.keys(data).length === 0) return false;
  await tx.campaign.update({ where: { id: c.id }, data });
  const details = { name: c.name, ticket: c.ticket, from: c.status, to: d.status, wave: d.currentWave };
  if (statusChanged) {
    await recordAudit(tx, SCHEDULER, {
      action: auditAction(c.status, d.status),
      targetType: 'campaign',
      targetId: c.id,
      details: { ...details, ...(d.statusReason && { reason: d.statusReason }) },
    });
  }
  if (d.gateWave !== null && d.gateWave !== c.gateWave) {
    await recordAudit(tx, SCHEDULER, {
      action: 'campaign.gate_waiting',
      targetType: 'campaign',
      targetId: c.id,
      details: { ...details, gateWave: d.gateWave },
    });
  }
  return true;
}

async function publish(deps: CampaignTickDeps, campaignId: string, outcome: TickOutcome): Promise<void> {
  try {
    for (const runId of outcome.started) {
      const run = await deps.db.deviceRun.findUniqueOrThrow({ where: { id: runId }, include: runInclude });
      await deps.events.publish('run.updated', [Rooms.run(run.id), Rooms.device(run.deviceId), Rooms.runs], {
        run: toRunDto(run),
      });
    }
    await deps.events.publish('campaign.updated', [Rooms.campaign(campaignId), Rooms.campaigns], {
      campaignId,
      status: outcome.status,
    });
  } catch (err) {
    deps.log.warn({ err, campaignId }, 'live event not published');
  }
}
