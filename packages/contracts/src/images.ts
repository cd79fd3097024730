import { z } from 'zod';
import { Id, IsoDate, optionalText, patchOf, text } from './common.ts';
import { CampaignStatus } from './campaigns.ts';
import { Vendor } from './devices.ts';
import { RunStatus } from './runs.ts';

export const Sha256 = z
  .string()
  .trim()
  .toLowerCase()
  .regex(/^[0-9a-f]{64}$/, { error: 'must be 64 hexadecimal characters' });
export const Md5 = z
  .string()
  .trim()
  .toLowerCase()
  .regex(/^[0-9a-f]{32}$/, { error: 'must be 32 hexadecimal characters' });
export const Sha512 = z
  .string()
  .trim()
  .toLowerCase()
  .regex(/^[0-9a-f]{128}$/, { error: 'must be 128 hexadecimal characters' });
/** A calendar date, YYYY-MM-DD. */
export const CalendarDate = z.iso.date({ error: 'must be a date as YYYY-MM-DD' });

export const FileName = z
  .string()
  .trim()
  .min(1, { error: 'is required' })
  .max(255)
  .regex(/^[^/\\\s]+$/, { error: 'must be a bare file name (no spaces or slashes)' });

/** What the image store holds of an image: the digests it computed while receiving the file. */
export const ImageContent = z.object({
  storedAt: IsoDate,
  storedBy: z.string().nullable(),
  sha256: z.string(),
  md5: z.string(),
  sha512: z.string(),
});
export type ImageContent = z.infer<typeof ImageContent>;

export const SoftwareImage = z.object({
  id: Id,
  vendor: Vendor,
  platformFamily: z.string(),
  version: z.string(),
  fileName: z.string(),
  sizeBytes: z.number().int(),
  sha256: z.string().nullable(),
  md5: z.string().nullable(),
  sha512: z.string().nullable(),
  releaseDate: CalendarDate.nullable(),
  notes: z.string().nullable(),
  /** The file in the product's image store, once received whole with matching digests; null until then. */
  content: ImageContent.nullable(),
  /** The recommended ("golden") release of its vendor and platform family: at most one image per family. */
  golden: z.boolean(),
  createdAt: IsoDate,
  updatedAt: IsoDate,
});
export type SoftwareImage = z.infer<typeof SoftwareImage>;

/** A platform family (`c10k`, `asr1000`, `mx`…): one spelling, lower case, so `C10K` is `c10k`. */
export const PlatformFamily = text(64).toLowerCase();

const imageFields = {
  vendor: Vendor,
  platformFamily: PlatformFamily,
  version: text(128),
  fileName: FileName,
  sizeBytes: z
    .number({ error: 'must be a number' })
    .int()
    .positive({ error: 'must be positive' })
    .max(Number.MAX_SAFE_INTEGER),
  sha256: Sha256.nullable(),
  md5: Md5.nullable(),
  sha512: Sha512.nullable(),
  releaseDate: CalendarDate.nullable(),
  notes: optionalText(2000),
};

export const SoftwareImageCreate = z
  .object({
    ...imageFields,
    sha256: imageFields.sha256.optional(),
    md5: imageFields.md5.optional(),
    sha512: imageFields.sha512.optional(),
    releaseDate: imageFields.releaseDate.optional(),
    notes: imageFields.notes.optional(),
  })
  .refine((v) => v.sha256 != null || v.md5 != null, {
    error: 'give a sha256 or an md5 checksum: pre-checks verify the image on both route processors',
    path: ['sha256'],
  });
export type SoftwareImageCreate = z.infer<typeof SoftwareImageCreate>;

export const SoftwareImageUpdate = patchOf(imageFields);
export type SoftwareImageUpdate = z.infer<typeof SoftwareImageUpdate>;

export const ImageListQuery = z.object({
  vendor: Vendor.optional(),
  platformFamily: z.string().trim().max(64).optional(),
  q: z.string().trim().max(128).optional(),
});

/** How many items a usage list shows by name; the counts are always whole. */
export const USAGE_NAMED_MAX = 20;

const NamedDevice = z.object({ id: Id, hostname: z.string() });

/** What uses one image: devices running its version or headed to it, campaigns targeting it, runs to it. */
export const ImageUsage = z.object({
  imageId: Id,
  /** Devices of the image's vendor and family whose current version is the image's. */
  running: z.object({ count: z.number().int(), devices: z.array(NamedDevice) }),
  /** Devices headed to the image: an active run to it, or waiting in a live campaign that targets it. */
  targeting: z.object({ count: z.number().int(), devices: z.array(NamedDevice) }),
  /** Campaigns naming the image as a target, in any status. */
  campaigns: z.array(z.object({ id: Id, name: z.string(), status: CampaignStatus })),
  /** Runs to the image still moving (queued to waiting for accept). */
  activeRuns: z.array(z.object({ id: Id, deviceId: Id, hostname: z.string(), status: RunStatus })),
  /** Every run to the image, finished ones included (they keep it from being deleted). */
  runCount: z.number().int(),
});
export type ImageUsage = z.infer<typeof ImageUsage>;

/** A vendor and platform family: its devices and how many run the golden release. */
export const FamilyCompliance = z.object({
  vendor: Vendor,
  platformFamily: z.string(),
  devices: z.number().int(),
  goldenImageId: Id.nullable(),
  goldenVersion: z.string().nullable(),
  /** Devices whose current version is the golden image's; 0 when the family has no golden image. */
  onGolden: z.number().int(),
});
export type FamilyCompliance = z.infer<typeof FamilyCompliance>;

export const ImageUsageReport = z.object({ images: z.array(ImageUsage), families: z.array(FamilyCompliance) });
export type ImageUsageReport = z.infer<typeof ImageUsageReport>;
