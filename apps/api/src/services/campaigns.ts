// Over 300 lines: the edit decides between re-planning, back to draft and refusing, next to the draft CRUD it extends.
// Campaign drafts: list, read, create, edit, delete. An edit after submission either sends the
// campaign back to draft (its devices or targets changed, or it may now go disruptive: the
// preview's predictions no longer answer) or rebuilds its plan, which then needs a new approval
// (an approval names a plan hash, and an edited plan has another) given before the window opens.
import type { CampaignCreate, CampaignDetail, CampaignPage, CampaignStatus, CampaignUpdate } from '@hitless/contracts';
import { can, canEditCampaign, canonicalJson, conflict, notFound, resolveWindow } from '@hitless/core';
import { Prisma, recordAudit } from '@hitless/db';
import { campaignInclude, factsOf, strategyOf, toCampaignDto, windowOf } from '@hitless/read-model';
import { assertPlanHasWaves, draftPlanOf, planFor, scheduleExpiry, writePlanDevices } from './campaign-plan.ts';
import {
  assertSelectionDevices,
  assertWindowNotOpened,
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

/** The campaign as GET answers it; a previewed draft carries the plan it would be submitted with. */
export async function getCampaignDetail(r: CampaignReader, id: string): Promise<CampaignDetail> {
  const detail = await getCampaign(r, id);
  if (detail.status !== 'DRAFT') return detail;
  return { ...detail, plan: await draftPlanOf(r.db, id) };
}

export async function listCampaigns(
  r: CampaignReader,
  q: { page: number; pageSize: number; status?: CampaignStatus | undefined; awaiting?: 'approval' | undefined },
): Promise<CampaignPage> {
  const and: Prisma.CampaignWhereInput[] = [];
  if (q.status) and.push({ status: q.status });
  if (q.awaiting === 'approval') {
    // Only approvers decide; what they are asked is what core's lifecycle would let them do now.
    if (!can(r.caller.role, 'campaigns:approve')) return { items: [], total: 0, page: q.page, pageSize: q.pageSize };
    and.push(
      {
        OR: [
          // An approval request is expired once the window opened (canApproveCampaign).
          { status: 'PENDING_APPROVAL', planHash: { not: null }, windowStart: { gt: new Date() } },
          { status: 'RUNNING', gateWave: { not: null } },
        ],
      },
      // Four eyes: nobody is asked to decide on a campaign they wrote.
      { NOT: { authorIds: { has: r.caller.userId } } },
    );
  }
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

type LockedRow = Awaited<ReturnType<typeof lockCampaign>>;

/** Each part the edit names, as it was and as it is given (for the audit's before and after). */
function editedParts(row: LockedRow, input: CampaignUpdate) {
  const before: Record<string, unknown> = {};
  const after: Record<string, unknown> = {};
  const part = (key: string, was: unknown, is: unknown) => {
    before[key] = was;
    after[key] = is;
  };
  if (input.name !== undefined) part('name', row.name, input.name);
  if (input.ticket !== undefined) part('ticket', row.ticket, input.ticket);
  if (input.description !== undefined) part('description', row.description, input.description);
  if (input.selection !== undefined) part('selection', row.selection, input.selection);
  if (input.targetImageIds !== undefined)
    part('targetImageIds', row.targets.map((t) => t.imageId).sort(), [...new Set(input.targetImageIds)].sort());
  if (input.window !== undefined) part('window', windowOf(row), input.window);
  if (input.strategy !== undefined) part('strategy', strategyOf(row), input.strategy);
  return { before, after };
}

const TOO_LATE_TO_EDIT =
  ': an edit needs a fresh approval, and an approval must come before the window opens; give it a window that starts later in the same edit';

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
    const draft = row.status === 'DRAFT';
    const allowDisruptive = input.strategy ? input.strategy.allowDisruptive : row.allowDisruptive;
    const devicesChanged = selectionChanged || targetsChanged;
    // The preview predicted for these devices, these images and this permission to go disruptive.
    // Withdrawing the permission needs no new preview once submitted (the plan refuses FSU devices
    // then); granting it does (a device refused for want of it may be an FSU one).
    const fsuAllowedNow = allowDisruptive && !row.allowDisruptive;
    const predictionsChanged = devicesChanged || (draft ? allowDisruptive !== row.allowDisruptive : fsuAllowedNow);
    if (!draft && predictionsChanged && row.startedAt)
      throw conflict(
        'the campaign has started: its devices, its target images and whether it may go disruptive can no longer change; abort it and start a follow-up instead',
      );
    if (!draft && !predictionsChanged)
      assertWindowNotOpened(
        window?.start ?? row.windowStart,
        input.window?.timeZone ?? row.timeZone,
        new Date(),
        TOO_LATE_TO_EDIT,
      );

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
    let planHash: string | null = row.planHash;
    if (draft) {
      // Predictions made for another selection, other targets or another permission no longer
      // count, nor do the pre-check jobs still queued for that preview: preview again.
      if (predictionsChanged)
        await tx.campaignDevice.updateMany({ where: { campaignId: id }, data: { predictedAt: null } });
      await tx.campaign.update({
        where: { id },
        data: { ...data, ...(predictionsChanged && { previewRequestedAt: null }) },
      });
    } else if (predictionsChanged) {
      planHash = null;
      await tx.campaignDevice.updateMany({
        where: { campaignId: id },
        data: { wave: null, position: 0, state: 'PENDING', predictedAt: null },
      });
      const what = selectionChanged
        ? 'changed the device selection'
        : targetsChanged
          ? 'changed the target images'
          : 'allowed the disruptive FSU';
      await tx.campaign.update({
        where: { id },
        data: {
          ...data,
          status: 'DRAFT',
          statusReason: `${editor} ${what} after submission: it is a draft again; preview and submit it again`,
          plan: Prisma.DbNull,
          planHash: null,
          approvedPlanHash: null,
          approvedAt: null,
          submittedAt: null,
          previewRequestedAt: null,
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
      assertPlanHasWaves(built.plan);
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
    const parts = editedParts(row, input);
    await recordAudit(tx, ctx.actor, {
      action: 'campaign.updated',
      targetType: 'campaign',
      targetId: id,
      details: {
        changed: Object.keys(input).sort(),
        before: { status: row.status, planHash: row.planHash, approvedPlanHash: row.approvedPlanHash, ...parts.before },
        after: {
          status: after.status,
          planHash: after.planHash,
          approvedPlanHash: after.approvedPlanHash,
          ...parts.after,
        },
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
