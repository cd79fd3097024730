// An image's file in the store: when an upload may start, what happens when it ends (the digests
// computed on the way in against the registered ones: kept, or refused and thrown away, both
// audited), and dropping a stored file.
import { conflict, describeDigestVerdict, DomainError, invalid, notFound, verifyDigests } from '@hitless/core';
import { recordAudit, type Db } from '@hitless/db';
import type { MutationContext } from '../types.ts';
import { imageDto, WITH_GOLDEN } from './image-dto.ts';
import type { ImageStore } from './image-store.ts';

/** Refuses an upload that cannot become the image's file, before a byte is written. */
export async function checkUploadStart(db: Db, store: ImageStore, imageId: string, length: number | undefined) {
  const image = await db.softwareImage.findUnique({ where: { id: imageId } });
  if (!image) throw notFound('image', imageId);
  if (image.contentStoredAt)
    throw conflict(
      `${image.fileName} is already stored (since ${image.contentStoredAt.toISOString()}); delete its file first to upload it again`,
    );
  if (length === undefined)
    throw invalid([{ path: 'Upload-Length', message: `must be given: the image is ${image.sizeBytes} bytes` }]);
  if (BigInt(length) !== image.sizeBytes)
    throw invalid([
      {
        path: 'Upload-Length',
        message: `is ${length} bytes but ${image.fileName} is registered as ${image.sizeBytes} bytes`,
      },
    ]);
  const offset = await store.uploadOffset(imageId);
  if (offset !== null)
    throw conflict(
      `an upload of ${image.fileName} is under way (${offset} of ${image.sizeBytes} bytes): resume it at /api/v1/uploads/${imageId}, or delete that upload first`,
    );
}

/**
 * The whole file is in: it becomes the image's content when every registered digest matches;
 * otherwise it is deleted and the refusal names each digest expected and found.
 */
export async function finishUpload(ctx: MutationContext, store: ImageStore, imageId: string, size: number) {
  const digests = await store.uploads.digestsOf(imageId, size);
  const image = await ctx.db.softwareImage.findUnique({ where: { id: imageId } });
  if (!image) {
    await store.discard(imageId);
    throw notFound('image', imageId);
  }
  const verdict = verifyDigests(image, digests);
  if (!verdict.ok) {
    await store.discard(imageId);
    await recordAudit(ctx.db, ctx.actor, {
      action: 'image.content.rejected',
      targetType: 'image',
      targetId: imageId,
      details: { fileName: image.fileName, reason: describeDigestVerdict(verdict), received: digests },
    });
    throw new DomainError(
      'VALIDATION_FAILED',
      `${image.fileName} was received whole but is not the registered file, so it was deleted: ${describeDigestVerdict(verdict)}`,
      verdict.mismatches.map((m) => ({
        path: m.algorithm,
        message: `expected ${m.expected}, the file's is ${m.actual}`,
      })),
    );
  }
  await store.keep(imageId);
  const row = await ctx.db.$transaction(async (tx) => {
    const i = await tx.softwareImage.update({
      where: { id: imageId },
      data: {
        contentStoredAt: new Date(),
        contentStoredBy: ctx.actor.name,
        contentSha256: digests.sha256,
        contentMd5: digests.md5,
        contentSha512: digests.sha512,
      },
      include: WITH_GOLDEN,
    });
    await recordAudit(tx, ctx.actor, {
      action: 'image.content.stored',
      targetType: 'image',
      targetId: imageId,
      details: { fileName: i.fileName, sizeBytes: size, verified: verdict.compared, ...digests },
    });
    return i;
  });
  return imageDto(row);
}

/** Drops the image's stored file (and any upload of it under way); the registration stays. */
export async function deleteContent(ctx: MutationContext, store: ImageStore, imageId: string) {
  const image = await ctx.db.softwareImage.findUnique({ where: { id: imageId } });
  if (!image) throw notFound('image', imageId);
  const underWay = await store.uploadOffset(imageId);
  if (!image.contentStoredAt && underWay === null) throw notFound(`a file or an upload of image ${imageId}`);
  await store.discard(imageId);
  const row = await ctx.db.$transaction(async (tx) => {
    const i = await tx.softwareImage.update({
      where: { id: imageId },
      data: {
        contentStoredAt: null,
        contentStoredBy: null,
        contentSha256: null,
        contentMd5: null,
        contentSha512: null,
      },
      include: WITH_GOLDEN,
    });
    await recordAudit(tx, ctx.actor, {
      action: 'image.content.deleted',
      targetType: 'image',
      targetId: imageId,
      details: { fileName: i.fileName, ...(underWay !== null && { uploadCancelledAt: underWay }) },
    });
    return i;
  });
  return imageDto(row);
}
