import { z } from 'zod';
import { Id, IsoDate, optionalText, patchOf, text } from './common.ts';
import { Vendor } from './devices.ts';
import { PlatformFamily } from './images.ts';

/** Cisco's matrix levels: Compatible, Base-level compatible, Incompatible. */
export const CompatLevel = z.enum(['C', 'B', 'I'], { error: 'must be C, B or I' });
export type CompatLevel = z.infer<typeof CompatLevel>;

export const CompatibilityEntry = z.object({
  id: Id,
  vendor: Vendor,
  platformFamily: z.string(),
  fromVersion: z.string(),
  toVersion: z.string(),
  level: CompatLevel,
  source: z.string().nullable(),
  notes: z.string().nullable(),
  createdAt: IsoDate,
  updatedAt: IsoDate,
});
export type CompatibilityEntry = z.infer<typeof CompatibilityEntry>;

const fields = {
  vendor: Vendor,
  platformFamily: PlatformFamily,
  fromVersion: text(128),
  toVersion: text(128),
  level: CompatLevel,
  source: optionalText(200),
  notes: optionalText(2000),
};

export const CompatibilityCreate = z
  .object({ ...fields, source: fields.source.optional(), notes: fields.notes.optional() })
  .refine((v) => v.fromVersion !== v.toVersion, { error: 'from and to versions must differ', path: ['toVersion'] });
export type CompatibilityCreate = z.infer<typeof CompatibilityCreate>;

export const CompatibilityUpdate = patchOf(fields);
export type CompatibilityUpdate = z.infer<typeof CompatibilityUpdate>;

export const CompatibilityListQuery = z.object({
  vendor: Vendor.optional(),
  platformFamily: z.string().trim().max(64).optional(),
  fromVersion: z.string().trim().max(128).optional(),
  toVersion: z.string().trim().max(128).optional(),
});

/** The columns of a matrix CSV file, in order; the first line of the file names them. */
export const COMPAT_CSV_COLUMNS = [
  'vendor',
  'platform_family',
  'from_version',
  'to_version',
  'level',
  'source',
  'notes',
] as const;
export const COMPAT_CSV_REQUIRED = ['vendor', 'platform_family', 'from_version', 'to_version', 'level'] as const;
/** Rows one matrix import takes. */
export const COMPAT_IMPORT_MAX_ROWS = 20_000;

export const CompatibilityImportQuery = z.object({
  dryRun: z
    .enum(['true', 'false'])
    .default('false')
    .transform((v) => v === 'true'),
});

export const CompatibilityImportResult = z.object({
  dryRun: z.boolean(),
  created: z.number().int(),
  updated: z.number().int(),
  unchanged: z.number().int(),
  /** The vendor / family pairs the file touches, as `VENDOR/family`. */
  families: z.array(z.string()),
});
export type CompatibilityImportResult = z.infer<typeof CompatibilityImportResult>;

export const CompatibilityExportQuery = z.object({
  vendor: Vendor.optional(),
  platformFamily: z.string().trim().max(64).optional(),
});
