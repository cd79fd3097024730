import { z } from 'zod';

// Say "is required" rather than zod's "expected string, received undefined" for missing fields.
z.config({
  customError: (issue) => (issue.code === 'invalid_type' && issue.input === undefined ? 'is required' : undefined),
});

export const Id = z.uuid({ error: 'must be a UUID' });
export const IdParams = z.object({ id: Id });

export const IsoDate = z.iso.datetime({ offset: true });

/** Trimmed non-empty text with a length cap. Empty reads as missing: "is required", like an absent field. */
export const text = (max: number) =>
  z
    .string()
    .trim()
    .min(1, { error: 'is required' })
    .max(max, { error: `must be at most ${max} characters` });

/** Optional free text where an empty string or null clears the value. */
export const optionalText = (max: number) =>
  z
    .string()
    .trim()
    .max(max, { error: `must be at most ${max} characters` })
    .nullable()
    .transform((v) => (v === '' ? null : v));

/** A PATCH body: the fields of `shape`, each optional, at least one of them given. */
export const patchOf = <S extends z.ZodRawShape>(shape: S) =>
  z
    .object(shape)
    .partial()
    .refine((v) => Object.keys(v).length > 0, { error: 'at least one field must be given' });

export const Pagination = z.object({
  // Bounded so that (page - 1) × pageSize stays a number the database takes.
  page: z.coerce.number().int().min(1).max(1_000_000, { error: 'must be at most 1000000' }).default(1),
  pageSize: z.coerce.number().int().min(1).max(500).default(50),
});

export const page = <T extends z.ZodType>(item: T) =>
  z.object({ items: z.array(item), total: z.number().int(), page: z.number().int(), pageSize: z.number().int() });

export const ErrorCode = z.enum([
  'VALIDATION_FAILED',
  'UNAUTHENTICATED',
  'FORBIDDEN',
  'NOT_FOUND',
  'CONFLICT',
  'PRECONDITION_FAILED',
  'RATE_LIMITED',
  'PAYLOAD_TOO_LARGE',
  'UNSUPPORTED_MEDIA_TYPE',
  'INTERNAL',
  /** The device answered with an error, or not at all. */
  'DEVICE_ERROR',
  'UNAVAILABLE',
]);
export type ErrorCode = z.infer<typeof ErrorCode>;

export const Issue = z.object({ path: z.string(), message: z.string() });
export type Issue = z.infer<typeof Issue>;

/** Every 4xx/5xx body. `message` names the field for validation errors; `issues` lists them all. */
export const ErrorBody = z.object({
  statusCode: z.number().int(),
  code: ErrorCode,
  message: z.string(),
  issues: z.array(Issue).optional(),
});
export type ErrorBody = z.infer<typeof ErrorBody>;

const IPV4_RE = /^(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)(\.(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)){3}$/;

/** IPv4 dotted quad or IPv6 (validated by the platform's URL parser, so it runs in browsers too). */
export function isIpAddress(value: string): boolean {
  if (IPV4_RE.test(value)) return true;
  if (!value.includes(':') || /[[\]/]/.test(value)) return false;
  try {
    return new URL(`http://[${value}]/`).hostname.length > 2;
  } catch {
    return false;
  }
}
