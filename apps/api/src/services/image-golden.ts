// The golden (recommended) release of a vendor's platform family: at most one image per family
// (the GoldenImage row is keyed by vendor and family). Marking one replaces the family's previous
// golden image in the same transaction; the inventory's compliance follows, so it is told.
import { Rooms } from '@hitless/contracts';
import { notFound } from '@hitless/core';
import { recordAudit } from '@hitless/db';
import type { MutationContext } from '../types.ts';
import { imageDto, WITH_GOLDEN } from './image-dto.ts';
import { publishAfterCommit } from './publish.ts';

export async function markGolden(ctx: MutationContext, id: string) {
  const { row, changed } = await ctx.db.$transaction(async (tx) => {
    const image = await tx.softwareImage.findUnique({ where: { id }, include: WITH_GOLDEN });
    if (!image) throw notFound('image', id);
    if (image.golden) return { row: image, changed: false };
    const key = { vendor: image.vendor, platformFamily: image.platformFamily };
    const previous = await tx.goldenImage.findUnique({
      where: { vendor_platformFamily: key },
      include: { image: { select: { version: true } } },
    });
    const marked = { imageId: id, markedById: ctx.actor.id, markedAt: new Date() };
    await tx.goldenImage.upsert({
      where: { vendor_platformFamily: key },
      create: { ...key, ...marked },
      update: marked,
    });
    await recordAudit(tx, ctx.actor, {
      action: 'image.golden.marked',
      targetType: 'image',
      targetId: id,
      details: {
        ...key,
        version: image.version,
        replaced: previous ? { imageId: previous.imageId, version: previous.image.version } : null,
      },
    });
    return { row: await tx.softwareImage.findUniqueOrThrow({ where: { id }, include: WITH_GOLDEN }), changed: true };
  });
  if (changed) await publishAfterCommit(ctx, 'device.updated', [Rooms.inventory], { action: 'bulk', id: '' });
  return imageDto(row);
}

/** Takes the golden mark off an image; the family then has no golden release. A no-op if it had none. */
export async function unmarkGolden(ctx: MutationContext, id: string) {
  const { row, changed } = await ctx.db.$transaction(async (tx) => {
    const image = await tx.softwareImage.findUnique({ where: { id }, include: WITH_GOLDEN });
    if (!image) throw notFound('image', id);
    if (!image.golden) return { row: image, changed: false };
    await tx.goldenImage.delete({ where: { imageId: id } });
    await recordAudit(tx, ctx.actor, {
      action: 'image.golden.cleared',
      targetType: 'image',
      targetId: id,
      details: { vendor: image.vendor, platformFamily: image.platformFamily, version: image.version },
    });
    return { row: { ...image, golden: null }, changed: true };
  });
  if (changed) await publishAfterCommit(ctx, 'device.updated', [Rooms.inventory], { action: 'bulk', id: '' });
  return imageDto(row);
}
