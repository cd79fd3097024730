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

export const AuditListQuery = Pagination.extend({
  targetType: z.string().trim().max(64).optional(),
  targetId: z.string().trim().max(64).optional(),
  actor: z.string().trim().max(64).optional(),
  action: z.string().trim().max(64).optional(),
});

export const AuditPage = page(AuditEvent);

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

/** The whole trail with what verifies it offline: every event's prevHash, and a fresh signed checkpoint. */
export const AuditExport = z.object({
  exportedAt: IsoDate,
  events: z.array(AuditEvent.extend({ prevHash: z.string() })),
  /** Null when the head could not be vouched for (see `verification`). */
  checkpoint: AuditCheckpoint.nullable(),
  /** Why no checkpoint was written although the head could be vouched for (the file cannot be written). */
  warning: z.string().nullable(),
  verification: AuditVerifyResult,
});
