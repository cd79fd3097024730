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

export const AuditVerifyResult = z.object({
  ok: z.boolean(),
  checked: z.number().int(),
  /** The first event whose hash does not match its content or its predecessor. */
  brokenAt: z.string().nullable(),
});
