import type { SoftwareImageCreate, SoftwareImageUpdate, Vendor } from '@hitless/contracts';
import { conflict, invalid, notFound } from '@hitless/core';
import type { Db, Prisma } from '@hitless/db';
import { toImage } from '../mappers.ts';
import type { MutationContext } from '../types.ts';
import { recordAudit } from '@hitless/db';
import { containsText, sameText } from './filters.ts';

export async function listImages(
  db: Db,
  q: { vendor?: Vendor | undefined; platformFamily?: string | undefined; q?: string | undefined },
) {
  const where: Prisma.SoftwareImageWhereInput = {
    ...(q.vendor && { vendor: q.vendor }),
    ...(q.platformFamily && { platformFamily: sameText(q.platformFamily) }),
    ...(q.q && {
      OR: [{ version: containsText(q.q) }, { fileName: containsText(q.q) }],
    }),
  };
  const rows = await db.softwareImage.findMany({
    where,
    orderBy: [
      { vendor: 'asc' },
      { platformFamily: 'asc' },
      { releaseDate: { sort: 'desc', nulls: 'last' } },
      { version: 'desc' },
    ],
  });
  return rows.map(toImage);
}

export async function getImage(db: Db, id: string) {
  const row = await db.softwareImage.findUnique({ where: { id } });
  if (!row) throw notFound('image', id);
  return toImage(row);
}

async function assertUnique(
  db: Db,
  v: { vendor: Vendor; platformFamily: string; version: string; fileName: string },
  exceptId?: string,
) {
  const not = exceptId ? { id: { not: exceptId } } : {};
  const base = { vendor: v.vendor, platformFamily: v.platformFamily, ...not };
  if (await db.softwareImage.findFirst({ where: { ...base, version: v.version } })) {
    throw conflict(`${v.vendor} ${v.platformFamily} version ${v.version} is already registered`);
  }
  if (await db.softwareImage.findFirst({ where: { ...base, fileName: v.fileName } })) {
    throw conflict(`${v.vendor} ${v.platformFamily} file ${v.fileName} is already registered`);
  }
}

const dateOrNull = (d: string | null | undefined) => (d ? new Date(`${d}T00:00:00Z`) : null);

export async function createImage(ctx: MutationContext, input: SoftwareImageCreate) {
  await assertUnique(ctx.db, input);
  const row = await ctx.db.$transaction(async (tx) => {
    const i = await tx.softwareImage.create({
      data: {
        vendor: input.vendor,
        platformFamily: input.platformFamily,
        version: input.version,
        fileName: input.fileName,
        sizeBytes: BigInt(input.sizeBytes),
        sha256: input.sha256 ?? null,
        md5: input.md5 ?? null,
        releaseDate: dateOrNull(input.releaseDate),
        notes: input.notes ?? null,
      },
    });
    await recordAudit(tx, ctx.actor, {
      action: 'image.created',
      targetType: 'image',
      targetId: i.id,
      details: { version: i.version, fileName: i.fileName },
    });
    return i;
  });
  return toImage(row);
}

export async function updateImage(ctx: MutationContext, id: string, input: SoftwareImageUpdate) {
  const before = await ctx.db.softwareImage.findUnique({ where: { id } });
  if (!before) throw notFound('image', id);
  const merged = {
    vendor: input.vendor ?? before.vendor,
    platformFamily: input.platformFamily ?? before.platformFamily,
    version: input.version ?? before.version,
    fileName: input.fileName ?? before.fileName,
  };
  await assertUnique(ctx.db, merged, id);
  const sha256 = input.sha256 === undefined ? before.sha256 : input.sha256;
  const md5 = input.md5 === undefined ? before.md5 : input.md5;
  if (!sha256 && !md5) throw invalid([{ path: 'sha256', message: 'an image must keep a sha256 or an md5 checksum' }]);
  const row = await ctx.db.$transaction(async (tx) => {
    const i = await tx.softwareImage.update({
      where: { id },
      data: {
        ...merged,
        sha256,
        md5,
        ...(input.sizeBytes !== undefined && { sizeBytes: BigInt(input.sizeBytes) }),
        ...(input.releaseDate !== undefined && { releaseDate: dateOrNull(input.releaseDate) }),
        ...(input.notes !== undefined && { notes: input.notes }),
      },
    });
    await recordAudit(tx, ctx.actor, {
      action: 'image.updated',
      targetType: 'image',
      targetId: id,
      details: { version: i.version, changed: Object.keys(input) },
    });
    return i;
  });
  return toImage(row);
}

export async function deleteImage(ctx: MutationContext, id: string) {
  await ctx.db.$transaction(async (tx) => {
    const before = await tx.softwareImage.findUnique({
      where: { id },
      include: { _count: { select: { campaigns: true, runs: true } } },
    });
    if (!before) throw notFound('image', id);
    // `campaigns` counts the CampaignTarget rows naming this image, in any campaign status.
    if (before._count.campaigns + before._count.runs > 0) {
      const target = await tx.campaignTarget.findFirst({
        where: { imageId: id },
        include: { campaign: { select: { name: true } } },
      });
      throw conflict(
        target
          ? `image ${before.version} is a target of campaign "${target.campaign.name}"; it cannot be deleted`
          : `image ${before.version} is the target of runs; it cannot be deleted`,
      );
    }
    await tx.softwareImage.delete({ where: { id } });
    await recordAudit(tx, ctx.actor, {
      action: 'image.deleted',
      targetType: 'image',
      targetId: id,
      details: { version: before.version },
    });
  });
}
