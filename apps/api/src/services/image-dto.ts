// A software image row (with its golden mark) → the API's SoftwareImage.
import type { SoftwareImage as ImageDto } from '@hitless/contracts';
import type { GoldenImage, Prisma, SoftwareImage } from '@hitless/db';

/** Include this when loading an image that is answered with. */
export const WITH_GOLDEN = { golden: true } as const satisfies Prisma.SoftwareImageInclude;

export type ImageRow = SoftwareImage & { golden: GoldenImage | null };

export function imageDto(i: ImageRow): ImageDto {
  return {
    id: i.id,
    vendor: i.vendor,
    platformFamily: i.platformFamily,
    version: i.version,
    fileName: i.fileName,
    sizeBytes: Number(i.sizeBytes),
    sha256: i.sha256,
    md5: i.md5,
    sha512: i.sha512,
    releaseDate: i.releaseDate ? i.releaseDate.toISOString().slice(0, 10) : null,
    notes: i.notes,
    content:
      i.contentStoredAt && i.contentSha256 && i.contentMd5 && i.contentSha512
        ? {
            storedAt: i.contentStoredAt.toISOString(),
            storedBy: i.contentStoredBy,
            sha256: i.contentSha256,
            md5: i.contentMd5,
            sha512: i.contentSha512,
          }
        : null,
    golden: i.golden !== null,
    createdAt: i.createdAt.toISOString(),
    updatedAt: i.updatedAt.toISOString(),
  };
}
