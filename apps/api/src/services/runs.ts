// Starting, watching, accepting and aborting device upgrade runs. The worker drives a run; the
// API only records what operators ask, in PostgreSQL, and queues the work.
import {
  optionsOfProcedure,
  Rooms,
  type ProcedureKind,
  type RunCreate,
  type RunDetail,
  type RunStatus,
} from '@hitless/contracts';
import {
  abortPlanOfRun,
  ACTIVE_RUN_STATUSES,
  canAccept,
  conflict,
  invalid,
  isActive,
  notFound,
  parseRunContext,
  platformFamily,
  preconditionFailed,
} from '@hitless/core';
import { recordAudit, type Db, type Prisma } from '@hitless/db';
import { enqueue, type Queue } from '@hitless/messaging';
import { RUN_OPERATOR_AUDIT_ACTIONS, runInclude, toRunDetail, toRunDto } from '@hitless/read-model';
import type { MutationContext } from '../types.ts';
import { CAMPAIGN_DEVICES_LOCK, heldWhere } from './campaign-shared.ts';
import { publishAfterCommit } from './publish.ts';

async function publishRun(ctx: MutationContext, runId: string) {
  const run = await ctx.db.deviceRun.findUniqueOrThrow({ where: { id: runId }, include: runInclude });
  await publishAfterCommit(ctx, 'run.updated', [Rooms.run(run.id), Rooms.device(run.deviceId), Rooms.runs], {
    run: toRunDto(run),
  });
  return run;
}

export async function getRun(db: Db, id: string): Promise<RunDetail> {
  const run = await db.deviceRun.findUnique({
    where: { id },
    include: { ...runInclude, steps: { orderBy: { seq: 'asc' } } },
  });
  if (!run) throw notFound('run', id);
  // Who accepted or asked for the abort, and their comment, are the audit log's (one place).
  const audit = await db.auditEvent.findMany({
    where: { targetType: 'run', targetId: id, action: { in: Object.keys(RUN_OPERATOR_AUDIT_ACTIONS) } },
    select: { action: true, actorName: true, at: true, details: true },
    orderBy: { id: 'asc' },
  });
  return toRunDetail(run, new Date(), audit);
}

export async function listRuns(
  db: Db,
  q: { page: number; pageSize: number; deviceId?: string | undefined; status?: RunStatus | undefined },
) {
  const where: Prisma.DeviceRunWhereInput = {
    ...(q.deviceId && { deviceId: q.deviceId }),
    ...(q.status && { status: q.status }),
  };
  const [total, rows] = await db.$transaction([
    db.deviceRun.count({ where }),
    db.deviceRun.findMany({
      where,
      include: runInclude,
      orderBy: { createdAt: 'desc' },
      skip: (q.page - 1) * q.pageSize,
      take: q.pageSize,
    }),
  ]);
  const now = new Date();
  return { items: rows.map((r) => toRunDto(r, now)), total, page: q.page, pageSize: q.pageSize };
}

export async function startRun(ctx: MutationContext, queue: Queue, input: RunCreate): Promise<RunDetail> {
  const device = await ctx.db.device.findUnique({ where: { id: input.deviceId } });
  if (!device) throw invalid([{ path: 'deviceId', message: `no device ${input.deviceId}` }]);
  const image = await ctx.db.softwareImage.findUnique({ where: { id: input.imageId } });
  if (!image) throw invalid([{ path: 'imageId', message: `no image ${input.imageId}` }]);
  const family = platformFamily(device.vendor, device.platform);
  if (image.vendor !== device.vendor || image.platformFamily.toLowerCase() !== family) {
    throw invalid([
      {
        path: 'imageId',
        message: `${image.fileName} is for ${image.vendor} ${image.platformFamily}; ${device.hostname} is ${device.vendor} ${family}`,
      },
    ]);
  }
  if (device.currentVersion && device.currentVersion === image.version)
    throw conflict(`${device.hostname} already runs ${image.version}`);
  if (!device.credentialId)
    throw preconditionFailed(`${device.hostname} has no credential; assign one in the inventory first`);
  const procedure: ProcedureKind = device.vendor === 'JUNOS' ? 'JUNOS_ISSU' : 'CISCO_ISSU';
  // A rollback timer is Cisco's; asking for one on Junos would promise a safety net that is not there.
  if (procedure === 'JUNOS_ISSU' && input.options.rollbackTimerSeconds !== undefined)
    throw invalid([
      {
        path: 'options.rollbackTimerSeconds',
        message: `${device.hostname} runs Junos, which has no ISSU rollback timer; leave it empty`,
      },
    ]);
  // The run keeps only the options its procedure reads (the request's defaults carry Junos's to every run).
  const options = optionsOfProcedure(procedure, input.options);
  const run = await ctx.db.$transaction(async (tx) => {
    // One run per device at a time, even when two operators click at once.
    await tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtext(${`device-run:${device.id}`}))`;
    const active = await tx.deviceRun.findFirst({
      where: { deviceId: device.id, status: { in: [...ACTIVE_RUN_STATUSES] } },
    });
    if (active) throw conflict(`${device.hostname} already has an upgrade in progress (run ${active.id})`);
    // A device a campaign holds is upgraded by that campaign (shared: only a campaign's submission,
    // which takes the lock exclusively, has to wait for single runs being started).
    await tx.$executeRaw`SELECT pg_advisory_xact_lock_shared(hashtext(${CAMPAIGN_DEVICES_LOCK}))`;
    const held = await tx.campaignDevice.findFirst({
      where: heldWhere([device.id]),
      include: { campaign: { select: { id: true, name: true, status: true } } },
    });
    if (held)
      throw conflict(
        `${device.hostname} belongs to campaign "${held.campaign.name}" (${held.campaign.status}, ${held.campaign.id}); it is upgraded there, or abort that campaign first`,
      );
    const created = await tx.deviceRun.create({
      data: {
        deviceId: device.id,
        imageId: image.id,
        procedure,
        status: 'QUEUED',
        acceptMode: input.acceptMode,
        allowDisruptive: input.allowDisruptive,
        fromVersion: device.currentVersion,
        toVersion: image.version,
        options: options as Prisma.InputJsonValue,
        createdById: ctx.actor.id!,
      },
    });
    await recordAudit(tx, ctx.actor, {
      action: 'run.created',
      targetType: 'run',
      targetId: created.id,
      details: {
        device: device.hostname,
        from: device.currentVersion,
        to: image.version,
        acceptMode: input.acceptMode,
        allowDisruptive: input.allowDisruptive,
        options,
      },
    });
    return created;
  });
  await enqueue(queue, 'device-upgrade', { runId: run.id });
  await publishRun(ctx, run.id);
  return getRun(ctx.db, run.id);
}

export async function acceptRun(ctx: MutationContext, id: string, comment?: string): Promise<RunDetail> {
  await ctx.db.$transaction(async (tx) => {
    const run = await tx.deviceRun.findUnique({ where: { id } });
    if (!run) throw notFound('run', id);
    const ok = canAccept(run.status);
    if (!ok.ok) throw conflict(ok.reason);
    if (run.acceptRequestedAt) throw conflict('the run has already been accepted');
    await tx.deviceRun.update({ where: { id }, data: { acceptRequestedAt: new Date() } });
    await recordAudit(tx, ctx.actor, {
      action: 'run.accepted',
      targetType: 'run',
      targetId: id,
      details: { ...(comment && { comment }) },
    });
  });
  await publishRun(ctx, id);
  return getRun(ctx.db, id);
}

export async function abortRun(ctx: MutationContext, id: string, comment?: string): Promise<RunDetail> {
  await ctx.db.$transaction(async (tx) => {
    const run = await tx.deviceRun.findUnique({ where: { id } });
    if (!run) throw notFound('run', id);
    if (run.abortRequestedAt && isActive(run.status)) throw conflict('an abort is already requested');
    const plan = abortPlanOfRun(run, parseRunContext(run.context));
    if (!plan.possible) throw conflict(plan.reason);
    await tx.deviceRun.update({ where: { id }, data: { abortRequestedAt: new Date() } });
    await recordAudit(tx, ctx.actor, {
      action: 'run.abort_requested',
      targetType: 'run',
      targetId: id,
      details: { ...(comment && { comment }) },
    });
  });
  await publishRun(ctx, id);
  return getRun(ctx.db, id);
}
