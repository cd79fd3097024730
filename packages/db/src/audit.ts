// The audit trail is a hash chain: each event's hash covers its content and the previous
// event's hash, so an edited or deleted row breaks verification from that point on.
// Events are written in the same transaction as the change they describe.
import { canonicalJson } from '@hitless/core';
import { sha256Hex } from '@hitless/crypto';
import type { Db } from './client.ts';
import type { Prisma } from './generated/client.ts';

type Tx = Prisma.TransactionClient;

/** Who did it. `id` is null for the system itself (start-up seeding, the worker's own decisions). */
export interface Actor {
  id: string | null;
  name: string;
  ip: string | null;
}

export interface AuditInput {
  action: string;
  targetType: string;
  targetId?: string | null;
  details?: Record<string, unknown>;
}

/** Serialises concurrent writers so the chain has one order. */
const AUDIT_LOCK = 727001;
export const GENESIS_HASH = '0'.repeat(64);

function eventHash(
  prevHash: string,
  e: {
    at: Date;
    actorId: string | null;
    actorName: string;
    action: string;
    targetType: string;
    targetId: string | null;
    details: unknown;
    ip: string | null;
  },
): string {
  return sha256Hex(prevHash + canonicalJson({ ...e, at: e.at.toISOString() }));
}

export async function recordAudit(tx: Tx, actor: Actor, input: AuditInput): Promise<void> {
  await tx.$executeRaw`SELECT pg_advisory_xact_lock(${AUDIT_LOCK})`;
  const last = await tx.auditEvent.findFirst({ orderBy: { id: 'desc' }, select: { hash: true } });
  const prevHash = last?.hash ?? GENESIS_HASH;
  const event = {
    at: new Date(),
    actorId: actor.id,
    actorName: actor.name,
    action: input.action,
    targetType: input.targetType,
    targetId: input.targetId ?? null,
    details: input.details ?? null,
    ip: actor.ip,
  };
  await tx.auditEvent.create({
    data: {
      ...event,
      details: (event.details ?? undefined) as Prisma.InputJsonValue | undefined,
      prevHash,
      hash: eventHash(prevHash, event),
    },
  });
}

/** Walks the chain in order; returns the id of the first event that does not verify. */
export async function verifyAuditChain(db: Db): Promise<{ ok: boolean; checked: number; brokenAt: string | null }> {
  let prevHash = GENESIS_HASH;
  let checked = 0;
  let cursor: bigint | undefined;
  for (;;) {
    const batch = await db.auditEvent.findMany({
      orderBy: { id: 'asc' },
      take: 1000,
      ...(cursor !== undefined && { cursor: { id: cursor }, skip: 1 }),
    });
    for (const e of batch) {
      const expected = eventHash(prevHash, {
        at: e.at,
        actorId: e.actorId,
        actorName: e.actorName,
        action: e.action,
        targetType: e.targetType,
        targetId: e.targetId,
        details: e.details,
        ip: e.ip,
      });
      if (e.prevHash !== prevHash || e.hash !== expected) return { ok: false, checked, brokenAt: e.id.toString() };
      prevHash = e.hash;
      checked++;
    }
    if (batch.length < 1000) return { ok: true, checked, brokenAt: null };
    cursor = batch[batch.length - 1]!.id;
  }
}
