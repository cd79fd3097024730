// Campaign drafts: list, read, create, edit, delete. An edit after submission either sends the
// campaign back to draft (its devices or targets changed) or rebuilds its plan, which then needs
// a new approval: an approval names a plan hash, and an edited plan has another.
import type { CampaignCreate, CampaignDetail, CampaignPage, CampaignStatus, CampaignUpdate } from '@hitless/contracts';
import { canEditCampaign, canonicalJson, conflict, notFound, resolveWindow } from '@hitless/core';
import { Prisma, recordAudit } from '@hitless/db';
import { campaignInclude, factsOf, toCampaignDto } from '@hitless/read-model';
import { planFor, scheduleExpiry, writePlanDevices } from './campaign-plan.ts';
import {
  assertSelectionDevices,
  getCampaign,
  lockCampaign,
  publishCampaign,
  refuse,
  resolveTargets,
  strategyColumns,
  userNames,
  type CampaignContext,
  type CampaignReader,
} from './campaign-shared.ts';

export { getCampaign };

export async function listCampaigns(
  r: CampaignReader,
  q: { page: number; pageSize: number; status?: CampaignStatus | undefined; awaiting?: 'approval' | undefined },
): Promise<CampaignPage> {
  const and: Prisma.CampaignWhereInput[] = [];
  if (q.status) and.push({ status: q.status });
  if (q.awaiting === 'approval')
    and.push(
      { OR: [{ status: 'PENDING_APPROVAL' }, { status: 'RUNNING', gateWave: { not: null } }] },
      // Four eyes: nobody is asked to decide on a campaign they wrote.
      { NOT: { authorIds: { has: r.caller.userId } } },
    );
  const where: Prisma.CampaignWhereInput = { AND: and };
  const [total, rows] = await r.db.$transaction([
    r.db.campaign.count({ where }),
    r.db.campaign.findMany({
      where,
      include: campaignInclude,
      orderBy: [{ createdAt: 'desc' }, { id: 'asc' }],
      skip: (q.page - 1) * q.pageSize,
      take: q.pageSize,
    }),
  ]);
  const groups =
    rows.length === 0
      ? []
      : await r.db.campaignDevice.groupBy({
          by: ['campaignId', 'state'],
          where: { campaignId: { in: rows.map((c) => c.id) } },
          _count: { _all: true },
        });
  const names = await userNames(
    r.db,
    rows.flatMap((c) => c.authorIds),
  );
  const now = new Date();
  const items = rows.map((c) => {
    const counts = Object.fromEntries(groups.filter((g) => g.campaignId === c.id).map((g) => [g.state, g._count._all]));
    return toCampaignDto(c, r.caller, now, { counts, names });
  });
  return { items, total, page: q.page, pageSize: q.pageSize };
}

export async function createCampaign(ctx: CampaignContext, input: CampaignCreate): Promise<CampaignDetail> {
  const window = resolveWindow(input.window);
  const targets = await resolveTargets(ctx.db, input.targetImageIds);
  await assertSelectionDevices(ctx.db, input.selection);
  const id = await ctx.db.$transaction(async (tx) => {
    const c = await tx.campaign.create({
      data: {
        name: input.name,
        ticket: input.ticket,
        description: input.description,
        status: 'DRAFT',
        selection: input.selection as Prisma.InputJsonValue,
        windowStart: window.start,
        windowEnd: window.end,
        timeZone: input.window.timeZone,
        blackoutDates: input.window.blackoutDates,
        ...strategyColumns(input.strategy),
        authorIds: [ctx.actor.id!],
        createdById: ctx.actor.id!,
        targets: { create: targets.map((t) => ({ imageId: t.id })) },
      },
    });
    await recordAudit(tx, ctx.actor, {
      action: 'campaign.created',
      targetType: 'campaign',
      targetId: c.id,
      details: {
        name: c.name,
        ticket: c.ticket,
        targets: targets.map((t) => `${t.vendor} ${t.platformFamily} ${t.version}`),
        selection: input.selection,
        after: { status: 'DRAFT' },
      },
    });
    return c.id;
  });
  await publishCampaign(ctx, id, 'DRAFT');
  return getCampaign(ctx, id);
}

const sameIds = (a: string[], b: string[]) => a.length === b.length && a.every((x) => b.includes(x));

export async function updateCampaign(ctx: CampaignContext, id: string, input: CampaignUpdate): Promise<CampaignDetail> {
  const current = await ctx.db.campaign.findUnique({ where: { id }, include: { targets: true } });
  if (!current) throw notFound('campaign', id);
  refuse(canEditCampaign(factsOf(current), ctx.caller));
  const window = input.window ? resolveWindow(input.window) : null;
  const targets = input.targetImageIds ? await resolveTargets(ctx.db, input.targetImageIds) : null;
  if (input.selection) await assertSelectionDevices(ctx.db, input.selection);
  const selectionChanged =
    input.selection !== undefined && canonicalJson(input.selection) !== canonicalJson(current.selection);
  const targetsChanged =
    targets !== null &&
    !sameIds(
      targets.map((t) => t.id),
      current.targets.map((t) => t.imageId),
    );

  const result = await ctx.db.$transaction(async (tx) => {
    const row = await lockCampaign(tx, id);
    refuse(canEditCampaign(factsOf(row), ctx.caller));
    const editor = ctx.actor.name;
    const data: Prisma.CampaignUpdateInput = {
      ...(input.name !== undefined && { name: input.name }),
      ...(input.ticket !== undefined && { ticket: input.ticket }),
      ...(input.description !== undefined && { description: input.description }),
      ...(input.selection !== undefined && { selection: input.selection as Prisma.InputJsonValue }),
      ...(window &&
        input.window && {
          windowStart: window.start,
          windowEnd: window.end,
          timeZone: input.window.timeZone,
          blackoutDates: input.window.blackoutDates,
        }),
      ...(input.strategy && strategyColumns(input.strategy)),
      authorIds: [...new Set([...row.authorIds, ctx.actor.id!])],
    };
    if (targets && targetsChanged) {
      await tx.campaignTarget.deleteMany({ where: { campaignId: id } });
      await tx.campaignTarget.createMany({ data: targets.map((t) => ({ campaignId: id, imageId: t.id })) });
    }
    const devicesChanged = selectionChanged || targetsChanged;
    if (devicesChanged && row.startedAt)
      throw conflict(
        'the campaign has started: its devices and target images can no longer change; abort it and start a follow-up instead',
      );
    let planHash: string | null = row.planHash;
    if (row.status === 'DRAFT') {
      // Predictions made for another selection or other targets no longer count: preview again.
      if (devicesChanged)
        await tx.campaignDevice.updateMany({ where: { campaignId: id }, data: { predictedAt: null } });
      await tx.campaign.update({ where: { id }, data });
    } else if (devicesChanged) {
      planHash = null;
      await tx.campaignDevice.updateMany({
        where: { campaignId: id },
        data: { wave: null, position: 0, state: 'PENDING', predictedAt: null },
      });
      await tx.campaign.update({
        where: { id },
        data: {
          ...data,
          status: 'DRAFT',
          statusReason: `${editor} changed the ${selectionChanged ? 'device selection' : 'target images'} after submission: it is a draft again; preview and submit it again`,
          plan: Prisma.DbNull,
          planHash: null,
          approvedPlanHash: null,
          approvedAt: null,
          submittedAt: null,
          gateWave: null,
          openedGates: [],
        },
      });
    } else {
      const edited = await tx.campaign.update({
        where: { id },
        data,
        include: { targets: { include: { image: true } } },
      });
      const rows = await tx.campaignDevice.findMany({ where: { campaignId: id }, include: { device: true } });
      const built = await planFor(tx, edited, rows);
      planHash = built.planHash;
      await writePlanDevices(tx, id, built.plan);
      await tx.campaign.update({
        where: { id },
        data: {
          status: 'PENDING_APPROVAL',
          statusReason:
            row.approvedPlanHash != null
              ? `${editor} edited it after it was approved: the approval was for the previous plan; it needs a new one`
              : `${editor} edited it after submission; the plan was rebuilt and needs approval`,
          plan: built.plan as never,
          planHash,
          approvedPlanHash: null,
          approvedAt: null,
        },
      });
    }
    const after = await tx.campaign.findUniqueOrThrow({ where: { id } });
    await recordAudit(tx, ctx.actor, {
      action: 'campaign.updated',
      targetType: 'campaign',
      targetId: id,
      details: {
        changed: Object.keys(input).sort(),
        before: { status: row.status, planHash: row.planHash, approvedPlanHash: row.approvedPlanHash },
        after: { status: after.status, planHash: after.planHash, approvedPlanHash: after.approvedPlanHash },
      },
    });
    return { after, planHash, replanned: after.status === 'PENDING_APPROVAL' && planHash !== row.planHash };
  });
  if (result.replanned && result.planHash) await scheduleExpiry(ctx, result.after, result.planHash);
  await publishCampaign(ctx, id, result.after.status);
  return getCampaign(ctx, id);
}

export async function deleteCampaign(ctx: CampaignContext, id: string): Promise<void> {
  const status = await ctx.db.$transaction(async (tx) => {
    const row = await lockCampaign(tx, id);
    if (row.status !== 'DRAFT')
      throw conflict(
        `only a draft can be deleted; this campaign is ${row.status} (abort it, or leave it as the record)`,
      );
    await tx.campaign.delete({ where: { id } });
    await recordAudit(tx, ctx.actor, {
      action: 'campaign.deleted',
      targetType: 'campaign',
      targetId: id,
      details: { name: row.name, ticket: row.ticket, before: { status: row.status } },
    });
    return row.status;
  });
  await publishCampaign(ctx, id, status);
}
