import { z } from 'zod';
import { IsoDate, Pagination, page } from './common.ts';

export const AuditEvent = z.object({
  id: z.string(),
  at: IsoDate,
  actorId: z.string().nullable(),
  actorName: z.string(),
  action: z.string(),
  targetType: z.string(),
  targetId: z.string().nullable(),
  details: z.unknown(),
  ip: z.string().nullable(),
  /** The API request that made the change (X-Request-Id in its response and in the logs). */
  requestId: z.string().nullable(),
  hash: z.string(),
});
export type AuditEvent = z.infer<typeof AuditEvent>;

/** An empty (or blank) query parameter is no filter, as on the other list routes. */
const unlessBlank = <T extends z.ZodType>(schema: T) =>
  z.preprocess((v) => (typeof v === 'string' && v.trim() === '' ? undefined : v), schema);

/** An ISO 8601 instant with its offset that PostgreSQL can store: its UTC year within 1 to 9999. */
const instant = z.iso
  .datetime({ offset: true, error: 'must be an ISO 8601 date and time with its offset, e.g. 2026-12-02T10:00:00Z' })
  .refine(
    (v) => {
      const year = new Date(v).getUTCFullYear();
      // Not a date at all is said once, by the format check.
      return Number.isNaN(year) || (year >= 1 && year <= 9999);
    },
    { error: 'must be between the years 1 and 9999 (in UTC)' },
  );

const filterText = unlessBlank(z.string().trim().max(64, { error: 'must be at most 64 characters' }).optional());

const filterShape = {
  targetType: filterText,
  targetId: filterText,
  /** The actor's name, exactly. */
  actor: filterText,
  /** An action prefix: `device.` gives every device action. */
  action: filterText,
  /** Events at or after this instant (ISO 8601 with its offset). */
  from: unlessBlank(instant.optional()),
  /** Events at or before this instant (ISO 8601 with its offset). */
  to: unlessBlank(instant.optional()),
};

const inOrder = (q: { from?: string | undefined; to?: string | undefined }) =>
  !(q.from && q.to) || Date.parse(q.from) <= Date.parse(q.to);
const rangeError = { error: 'must not be before from', path: ['to'] };

/** The filters of the list and of both exports: all of them apply together. */
export const AuditFilter = z.object(filterShape).refine(inOrder, rangeError);
export type AuditFilter = z.infer<typeof AuditFilter>;

export const AuditListQuery = Pagination.extend(filterShape).refine(inOrder, rangeError);
export type AuditListQuery = z.infer<typeof AuditListQuery>;

/** The columns of the CSV export, in order. */
export const AUDIT_CSV_COLUMNS = [
  'id',
  'at',
  'actorName',
  'actorId',
  'action',
  'targetType',
  'targetId',
  'requestId',
  'ip',
  'details',
  'hash',
] as const;

export const AuditPage = page(AuditEvent);
export type AuditPage = z.infer<typeof AuditPage>;

const CheckpointRef = z.object({ seq: z.number().int(), at: IsoDate, headId: z.string() });

export const AuditProblemReason = z.enum([
  'content-changed',
  'order-changed',
  'row-missing',
  'unkeyed',
  'rows-missing-after-checkpoint',
  'table-emptied',
  'checkpoint-forged',
  'checkpoints-missing',
]);

export const AuditVerifyResult = z.object({
  ok: z.boolean(),
  /** Rows read. */
  checked: z.number().int(),
  /** The first event that does not verify (null when none, or when the missing rows are gone). */
  brokenAt: z.string().nullable(),
  /** What was found first, and why it fails. */
  problem: z
    .object({
      reason: AuditProblemReason,
      rowId: z.string().nullable(),
      message: z.string(),
      checkpoint: CheckpointRef.nullable(),
    })
    .nullable(),
  problems: z.number().int(),
  /** The oldest event from which every event up to the newest verifies: the chain is intact since then. */
  intactFrom: z.object({ id: z.string(), at: IsoDate }).nullable(),
  head: z.object({ id: z.string(), hash: z.string(), at: IsoDate }).nullable(),
  /** The newest signed checkpoint (kept outside the database) that the table still matches. */
  lastCheckpoint: CheckpointRef.nullable(),
  /** Events that carry the hash used before keyed hashes (re-keyed once after upgrading, else a rewrite). */
  unkeyed: z.number().int(),
  checkpoints: z.object({
    checked: z.number().int(),
    matched: z.number().int(),
    forged: z.number().int(),
    /** Lines of the checkpoint file that do not parse and are not a torn write. */
    unreadable: z.number().int(),
    /** The checkpoint file does not exist. */
    missing: z.boolean(),
  }),
  /** Not proof of tampering, but needs an operator: a missing or unwritable checkpoint file. */
  warnings: z.array(z.string()),
});

export type AuditVerifyResult = z.infer<typeof AuditVerifyResult>;

export const AuditCheckpoint = z.object({
  seq: z.number().int(),
  at: IsoDate,
  headId: z.string(),
  headHash: z.string(),
  count: z.number().int(),
  /** Set when the line before was found torn (a crash cut its write short). */
  tornLine: z.number().int().optional(),
  /** HMAC-SHA256 with a key derived from the product's secret key. */
  sig: z.string(),
});

/**
 * The trail with what verifies it offline: every event's prevHash, and a fresh signed checkpoint
 * of the chain's head. Unfiltered, the events are the whole chain up to that head (each event's
 * prevHash is the hash of the one before); filtered, only the matching events up to that head.
 */
export const AuditExport = z.object({
  exportedAt: IsoDate,
  /** The filters applied, as given (null: the whole trail). */
  filter: z.record(z.string(), z.string()).nullable(),
  events: z.array(AuditEvent.extend({ prevHash: z.string() })),
  /** Null when the head could not be vouched for (see `verification`). */
  checkpoint: AuditCheckpoint.nullable(),
  /** Why no checkpoint was written although the head could be vouched for (the file cannot be written). */
  warning: z.string().nullable(),
  verification: AuditVerifyResult,
});
