// Software images: list, register, change, delete (refused, naming what uses it). The golden mark is
// in image-golden.ts, what uses an image in image-usage.ts.
import type { SoftwareImageCreate, SoftwareImageUpdate, Vendor } from '@hitless/contracts';
import { conflict, DomainError, invalid, notFound } from '@hitless/core';
import type { Db, Prisma } from '@hitless/db';
import type { MutationContext } from '../types.ts';
import { recordAudit } from '@hitless/db';
import { containsText, sameText } from './filters.ts';
import { imageDto, WITH_GOLDEN } from './image-dto.ts';
import type { ImageStore } from './image-store.ts';
import { inUseMessage } from './image-usage.ts';

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
    include: WITH_GOLDEN,
    orderBy: [
      { vendor: 'asc' },
      { platformFamily: 'asc' },
      { releaseDate: { sort: 'desc', nulls: 'last' } },
      { version: 'desc' },
    ],
  });
  return rows.map(imageDto);
}

export async function getImage(db: Db, id: string) {
  const row = await db.softwareImage.findUnique({ where: { id }, include: WITH_GOLDEN });
  if (!row) throw notFound('image', id);
  return imageDto(row);
}

async function assertUnique(
  db: Db,
  v: { vendor: Vendor; platformFamily: string; version: string; fileName: string },
  exceptId?: string,
) {
  const not = exceptId ? { id: { not: exceptId } } : {};
  const base = { vendor: v.vendor, platformFamily: v.platformFamily, ...not };
  // The clash names its field, so a form shows it there.
  const clash = (field: 'version' | 'fileName', message: string) =>
    new DomainError('CONFLICT', message, [{ path: `body.${field}`, message }]);
  if (await db.softwareImage.findFirst({ where: { ...base, version: v.version } })) {
    throw clash('version', `${v.vendor} ${v.platformFamily} version ${v.version} is already registered`);
  }
  if (await db.softwareImage.findFirst({ where: { ...base, fileName: v.fileName } })) {
    throw clash('fileName', `${v.vendor} ${v.platformFamily} file ${v.fileName} is already registered`);
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
        sha512: input.sha512 ?? null,
        releaseDate: dateOrNull(input.releaseDate),
        notes: input.notes ?? null,
      },
      include: WITH_GOLDEN,
    });
    await recordAudit(tx, ctx.actor, {
      action: 'image.created',
      targetType: 'image',
      targetId: i.id,
      details: { version: i.version, fileName: i.fileName },
    });
    return i;
  });
  return imageDto(row);
}

export async function updateImage(ctx: MutationContext, id: string, input: SoftwareImageUpdate) {
  const before = await ctx.db.softwareImage.findUnique({ where: { id }, include: WITH_GOLDEN });
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
  // A stored file was verified against the size and checksums it was registered with.
  const fileFields = (['fileName', 'sizeBytes', 'sha256', 'md5', 'sha512'] as const).filter(
    (k) => input[k] !== undefined && String(input[k]) !== String(before[k] ?? null),
  );
  if (before.contentStoredAt && fileFields.length > 0)
    throw conflict(
      `${before.fileName} is stored and was verified against its ${fileFields.join(', ')}: delete its file before changing them`,
    );
  // The golden mark belongs to the family: an image moved to another family leaves it behind.
  const movesFamily = merged.vendor !== before.vendor || merged.platformFamily !== before.platformFamily;
  const dropsGolden = movesFamily && before.golden !== null;
  const row = await ctx.db.$transaction(async (tx) => {
    if (dropsGolden) await tx.goldenImage.deleteMany({ where: { imageId: id } });
    const i = await tx.softwareImage.update({
      where: { id },
      data: {
        ...merged,
        sha256,
        md5,
        ...(input.sha512 !== undefined && { sha512: input.sha512 }),
        ...(input.sizeBytes !== undefined && { sizeBytes: BigInt(input.sizeBytes) }),
        ...(input.releaseDate !== undefined && { releaseDate: dateOrNull(input.releaseDate) }),
        ...(input.notes !== undefined && { notes: input.notes }),
      },
      include: WITH_GOLDEN,
    });
    await recordAudit(tx, ctx.actor, {
      action: 'image.updated',
      targetType: 'image',
      targetId: id,
      details: {
        version: i.version,
        changed: Object.keys(input),
        ...(dropsGolden && { goldenDropped: `${before.vendor}/${before.platformFamily}` }),
      },
    });
    return i;
  });
  return imageDto(row);
}

/** Deletes an image nothing uses; otherwise refuses, naming the campaigns, runs and devices that use it. */
export async function deleteImage(ctx: MutationContext, store: ImageStore, id: string) {
  await ctx.db.$transaction(async (tx) => {
    const before = await tx.softwareImage.findUnique({ where: { id } });
    if (!before) throw notFound('image', id);
    const reason = await inUseMessage(tx, before);
    if (reason) throw conflict(reason);
    await tx.softwareImage.delete({ where: { id } });
    await recordAudit(tx, ctx.actor, {
      action: 'image.deleted',
      targetType: 'image',
      targetId: id,
      details: { version: before.version, ...(before.contentStoredAt && { fileDeleted: before.fileName }) },
    });
  });
  await store.discard(id);
}
