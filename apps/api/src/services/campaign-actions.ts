// Longer than 300 lines: each decision (plan, gate, pause, resume, abort, follow-up) is one transaction
// with its audit entry, and they share the lifecycle checks and the skipping of devices not started.
// What people do to a submitted campaign: approve or reject its plan, open or halt a gate, pause,
// resume, abort, and retry its failures in a follow-up. Each is checked by core's lifecycle rules,
// done under the campaign's row lock with its audit entry, then the scheduler is told.
import {
  Rooms,
  type CampaignDecision,
  type CampaignDetail,
  type CampaignStatus,
  type GateDecision,
} from '@hitless/contracts';
import {
  abortPlanOfRun,
  ACTIVE_RUN_STATUSES,
  canAbortCampaign,
  canApproveCampaign,
  canFollowUpCampaign,
  canOpenGate,
  canPauseCampaign,
  canResumeCampaign,
  conflict,
  isOpenAt,
  parseRunContext,
  type AbortPlan,
} from '@hitless/core';
import { recordAudit, type Prisma } from '@hitless/db';
import { runInclude, toRunDto, factsOf, windowOf } from '@hitless/read-model';
import { publishAfterCommit } from './publish.ts';
import {
  getCampaign,
  lockCampaign,
  publishCampaign,
  refuse,
  tick,
  withoutAuthor,
  type CampaignContext,
} from './campaign-shared.ts';

const withComment = (text: string, comment?: string) => (comment ? `${text}: ${comment}` : text);

export async function decideCampaign(
  ctx: CampaignContext,
  id: string,
  body: CampaignDecision,
): Promise<CampaignDetail> {
  const now = new Date();
  const out = await ctx.db.$transaction(async (tx) => {
    const row = await lockCampaign(tx, id);
    const verdict = canApproveCampaign(factsOf(row), ctx.caller, now);
    if (!verdict.ok) {
      // Nobody approved it before its window opened: it expires now, and that is kept.
      if (row.status === 'PENDING_APPROVAL' && now >= row.windowStart) {
        const reason = `the approval request expired: nobody approved it before its window started (${row.windowStart.toISOString()})`;
        await tx.campaign.update({ where: { id }, data: { status: 'EXPIRED', statusReason: reason, endedAt: now } });
        await recordAudit(tx, ctx.actor, {
          action: 'campaign.expired',
          targetType: 'campaign',
          targetId: id,
          details: { before: { status: row.status }, after: { status: 'EXPIRED' }, reason },
        });
        return { expired: reason, status: 'EXPIRED' as const, approvalId: null };
      }
      refuse(verdict, () => canApproveCampaign(withoutAuthor(factsOf(row), ctx.caller), ctx.caller, now));
    }
    if (body.planHash !== row.planHash)
      throw conflict('the plan changed since you looked at it: reload the campaign and review the new plan');
    const approval = await tx.approval.create({
      data: {
        campaignId: id,
        kind: 'PLAN',
        approverId: ctx.actor.id!,
        decision: body.decision,
        comment: body.comment,
        planHash: body.planHash,
      },
    });
    const status: CampaignStatus = body.decision === 'APPROVED' ? 'APPROVED' : 'REJECTED';
    await tx.campaign.update({
      where: { id },
      data:
        status === 'APPROVED'
          ? { status, statusReason: `approved by ${ctx.actor.name}`, approvedPlanHash: row.planHash, approvedAt: now }
          : { status, statusReason: `rejected by ${ctx.actor.name}: ${body.comment}`, endedAt: now },
    });
    await recordAudit(tx, ctx.actor, {
      action: status === 'APPROVED' ? 'campaign.approved' : 'campaign.rejected',
      targetType: 'campaign',
      targetId: id,
      details: {
        planHash: body.planHash,
        comment: body.comment,
        approvalId: approval.id,
        before: { status: row.status },
        after: { status },
      },
    });
    return { expired: null, status, approvalId: approval.id };
  });
  if (out.expired !== null) {
    await publishCampaign(ctx, id, 'EXPIRED');
    throw conflict(out.expired);
  }
  if (out.status === 'APPROVED') await tick(ctx, id, `approved-${out.approvalId}`);
  await publishCampaign(ctx, id, out.status);
  return getCampaign(ctx, id);
}

/** PENDING devices will never start now. */
async function skipPending(tx: Prisma.TransactionClient, id: string): Promise<number> {
  const { count } = await tx.campaignDevice.updateMany({
    where: { campaignId: id, state: 'PENDING' },
    data: { state: 'SKIPPED' },
  });
  return count;
}

export async function decideGate(
  ctx: CampaignContext,
  id: string,
  wave: number,
  body: GateDecision,
): Promise<CampaignDetail> {
  const out = await ctx.db.$transaction(async (tx) => {
    const row = await lockCampaign(tx, id);
    refuse(canOpenGate(factsOf(row), ctx.caller, wave), () =>
      canOpenGate(withoutAuthor(factsOf(row), ctx.caller), ctx.caller, wave),
    );
    const approval = await tx.approval.create({
      data: {
        campaignId: id,
        kind: 'GATE',
        wave,
        approverId: ctx.actor.id!,
        decision: body.decision,
        comment: body.comment,
        planHash: row.planHash ?? '',
      },
    });
    if (body.decision === 'APPROVED') {
      await tx.campaign.update({
        where: { id },
        data: { openedGates: [...new Set([...row.openedGates, wave])], gateWave: null },
      });
      await recordAudit(tx, ctx.actor, {
        action: 'campaign.gate_opened',
        targetType: 'campaign',
        targetId: id,
        details: {
          wave,
          comment: body.comment,
          approvalId: approval.id,
          before: { status: row.status, gateWave: row.gateWave },
          after: { status: row.status, gateWave: null },
        },
      });
      return { status: row.status, approvalId: approval.id };
    }
    const skipped = await skipPending(tx, id);
    const active = await tx.deviceRun.count({ where: { campaignId: id, status: { in: [...ACTIVE_RUN_STATUSES] } } });
    await tx.campaign.update({
      where: { id },
      data: {
        status: 'ABORTED',
        statusReason: `halted at the gate after wave ${wave} by ${ctx.actor.name}: ${body.comment}`,
        gateWave: null,
        ...(active === 0 && { endedAt: new Date() }),
      },
    });
    await recordAudit(tx, ctx.actor, {
      action: 'campaign.gate_halted',
      targetType: 'campaign',
      targetId: id,
      details: {
        wave,
        comment: body.comment,
        approvalId: approval.id,
        skipped,
        before: { status: row.status },
        after: { status: 'ABORTED' },
      },
    });
    return { status: 'ABORTED' as const, approvalId: approval.id };
  });
  await tick(ctx, id, `gate-${wave}-${out.approvalId}`);
  await publishCampaign(ctx, id, out.status);
  return getCampaign(ctx, id);
}

export async function pauseCampaign(ctx: CampaignContext, id: string, comment?: string): Promise<CampaignDetail> {
  await ctx.db.$transaction(async (tx) => {
    const row = await lockCampaign(tx, id);
    refuse(canPauseCampaign(factsOf(row), ctx.caller));
    await tx.campaign.update({
      where: { id },
      data: { status: 'PAUSED', statusReason: withComment(`paused by ${ctx.actor.name}`, comment) },
    });
    await recordAudit(tx, ctx.actor, {
      action: 'campaign.paused',
      targetType: 'campaign',
      targetId: id,
      details: { ...(comment && { comment }), before: { status: row.status }, after: { status: 'PAUSED' } },
    });
  });
  await publishCampaign(ctx, id, 'PAUSED');
  return getCampaign(ctx, id);
}

export async function resumeCampaign(ctx: CampaignContext, id: string, comment?: string): Promise<CampaignDetail> {
  const now = new Date();
  const status = await ctx.db.$transaction(async (tx) => {
    const row = await lockCampaign(tx, id);
    refuse(canResumeCampaign(factsOf(row), ctx.caller, now));
    const next: CampaignStatus = isOpenAt(windowOf(row), now) ? 'RUNNING' : 'SCHEDULED';
    await tx.campaign.update({
      where: { id },
      data: { status: next, statusReason: withComment(`resumed by ${ctx.actor.name}`, comment) },
    });
    await recordAudit(tx, ctx.actor, {
      action: 'campaign.resumed',
      targetType: 'campaign',
      targetId: id,
      details: { ...(comment && { comment }), before: { status: row.status }, after: { status: next } },
    });
    return next;
  });
  await tick(ctx, id, `resume-${now.getTime()}`);
  await publishCampaign(ctx, id, status);
  return getCampaign(ctx, id);
}

function abortPlanOf(run: Parameters<typeof abortPlanOfRun>[0] & { context: unknown }): AbortPlan {
  try {
    return abortPlanOfRun(run, parseRunContext(run.context));
  } catch (err) {
    return { possible: false, reason: `the run's stored record cannot be read (${(err as Error).message})` };
  }
}

export async function abortCampaign(ctx: CampaignContext, id: string, comment?: string): Promise<CampaignDetail> {
  const now = new Date();
  const out = await ctx.db.$transaction(async (tx) => {
    const row = await lockCampaign(tx, id);
    refuse(canAbortCampaign(factsOf(row), ctx.caller));
    const skipped = await skipPending(tx, id);
    const runs = await tx.deviceRun.findMany({
      where: { campaignId: id, status: { in: [...ACTIVE_RUN_STATUSES] } },
      include: { device: { select: { hostname: true } } },
    });
    const aborting: string[] = [];
    const finishing: string[] = [];
    for (const run of runs) {
      const plan = abortPlanOf(run);
      if (!plan.possible) {
        finishing.push(run.id);
        continue;
      }
      aborting.push(run.id);
      if (run.abortRequestedAt) continue;
      await tx.deviceRun.update({ where: { id: run.id }, data: { abortRequestedAt: now } });
      await recordAudit(tx, ctx.actor, {
        action: 'run.abort_requested',
        targetType: 'run',
        targetId: run.id,
        details: { campaignId: id, device: run.device.hostname, ...(comment && { comment }) },
      });
    }
    const parts = [`aborted by ${ctx.actor.name}${comment ? ` (${comment})` : ''}`];
    if (skipped > 0) parts.push(`${skipped} device${skipped === 1 ? '' : 's'} not started will not be`);
    if (aborting.length > 0)
      parts.push(`${aborting.length} run${aborting.length === 1 ? ' is' : 's are'} being aborted`);
    if (finishing.length > 0)
      parts.push(
        `${finishing.length} run${finishing.length === 1 ? ' is' : 's are'} past the point of no return and will finish`,
      );
    await tx.campaign.update({
      where: { id },
      data: { status: 'ABORTED', statusReason: parts.join('; '), ...(runs.length === 0 && { endedAt: now }) },
    });
    await recordAudit(tx, ctx.actor, {
      action: 'campaign.aborted',
      targetType: 'campaign',
      targetId: id,
      details: {
        ...(comment && { comment }),
        skipped,
        aborting,
        finishing,
        before: { status: row.status },
        after: { status: 'ABORTED' },
      },
    });
    return { aborting };
  });
  for (const runId of out.aborting) {
    const run = await ctx.db.deviceRun.findUnique({ where: { id: runId }, include: runInclude });
    if (run)
      await publishAfterCommit(ctx, 'run.updated', [Rooms.run(run.id), Rooms.device(run.deviceId), Rooms.runs], {
        run: toRunDto(run),
      });
  }
  await tick(ctx, id, `aborted-${now.getTime()}`);
  await publishCampaign(ctx, id, 'ABORTED');
  return getCampaign(ctx, id);
}

/** States whose devices a follow-up campaign retries (as an EXCLUDED device: refused or unreachable at preview). */
const RETRY_STATES = ['FAILED', 'ROLLED_BACK', 'REFUSED'] as const;
const RETRY_EXCLUDED_IMPACTS = ['REFUSED', 'UNREACHABLE'];

export async function followUpCampaign(ctx: CampaignContext, id: string): Promise<CampaignDetail> {
  const newId = await ctx.db.$transaction(async (tx) => {
    const row = await lockCampaign(tx, id);
    refuse(canFollowUpCampaign(factsOf(row), ctx.caller));
    const devices = await tx.campaignDevice.findMany({
      where: {
        campaignId: id,
        OR: [{ state: { in: [...RETRY_STATES] } }, { state: 'EXCLUDED', impact: { in: RETRY_EXCLUDED_IMPACTS } }],
      },
      select: { deviceId: true },
      orderBy: { deviceId: 'asc' },
    });
    if (devices.length === 0)
      throw conflict('no device of this campaign failed, rolled back or was refused: there is nothing to follow up');
    const created = await tx.campaign.create({
      data: {
        name: `${row.name} (follow-up)`.slice(0, 200),
        ticket: row.ticket,
        description: row.description,
        status: 'DRAFT',
        selection: { kind: 'ids', deviceIds: devices.map((d) => d.deviceId) },
        windowStart: row.windowStart,
        windowEnd: row.windowEnd,
        timeZone: row.timeZone,
        blackoutDates: row.blackoutDates,
        canarySize: row.canarySize,
        waveSize: row.waveSize,
        concurrency: row.concurrency,
        failureBudgetCount: row.failureBudgetCount,
        failureBudgetPercent: row.failureBudgetPercent,
        gateAfterCanary: row.gateAfterCanary,
        gateEveryWave: row.gateEveryWave,
        pauseBetweenWavesSeconds: row.pauseBetweenWavesSeconds,
        acceptMode: row.acceptMode,
        rollbackTimerSeconds: row.rollbackTimerSeconds,
        allowDisruptive: row.allowDisruptive,
        rebootOldMaster: row.rebootOldMaster,
        restoreMastership: row.restoreMastership,
        followUpOfId: id,
        authorIds: [ctx.actor.id!],
        createdById: ctx.actor.id!,
        targets: { create: row.targets.map((t) => ({ imageId: t.imageId })) },
      },
    });
    await recordAudit(tx, ctx.actor, {
      action: 'campaign.created',
      targetType: 'campaign',
      targetId: created.id,
      details: { name: created.name, followUpOfId: id, devices: devices.length, after: { status: 'DRAFT' } },
    });
    await recordAudit(tx, ctx.actor, {
      action: 'campaign.followed_up',
      targetType: 'campaign',
      targetId: id,
      details: { followUpId: created.id, devices: devices.length },
    });
    return created.id;
  });
  await publishCampaign(ctx, newId, 'DRAFT');
  return getCampaign(ctx, newId);
}
