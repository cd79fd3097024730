// The audit trail: an append-only table whose rows form a keyed hash chain.
//
// Each row's `hash` is HMAC-SHA256(K, canonical JSON of { id, at, actor, action, target,
// details, ip, prevHash }) and `prevHash` is the previous row's `hash`. K is derived (HKDF) from
// the product's secret key, which the database never sees: someone who can write to the table —
// even a superuser who disables its trigger — can delete or edit rows but cannot produce hashes
// that verify, so an edit (with every later hash recomputed, the old unkeyed way or with a guessed
// key), a reorder (the id is inside the HMAC) and a deleted middle row (the next row's prevHash
// points nowhere) are all found by `verifyAuditChain`.
//
// What a chain alone cannot show is that rows are missing at its end, or that all of them are:
// a shorter chain is still a valid chain. So the head is checkpointed outside the database
// (./audit-checkpoints.ts): signed lines in a file of the api's data directory, written every few
// minutes and on every export, which `verifyAuditChain` checks the table against.
//
// Rows written before keyed hashes (installations from before issue 9) carry a plain SHA-256.
// `rekeyAuditChain` re-signs them once, as the table's owner with the key (the launcher does it
// at start-up; `npm run audit:rekey -w @hitless/db` for other deployments), after checking that
// the old chain is intact; until then verify reports them as 'unkeyed'.
//
// Events are written in the same transaction as the change they describe; the client that
// writes them carries the key (createPrisma's `auditKey`), so callers need not.
import { createHmac, hkdfSync, timingSafeEqual } from 'node:crypto';
import { canonicalJson } from '@hitless/core';
import { sha256Hex } from '@hitless/crypto';
import { auditKeyOf, type Db } from './client.ts';
import type { CheckpointLog } from './audit-checkpoints.ts';
import type { AuditEvent, Prisma } from './generated/client.ts';

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

/** Serialises concurrent writers so the chain has one order (and ids commit in that order). */
const AUDIT_LOCK = 727001;
export const GENESIS_HASH = '0'.repeat(64);

/** The key of the rows' HMACs, derived from the product's secret key (the one sealing device secrets). */
export function deriveAuditKey(secretKey: Buffer): Buffer {
  return Buffer.from(hkdfSync('sha256', secretKey, Buffer.alloc(0), 'hitless audit chain v1', 32));
}

type Content = Pick<
  AuditEvent,
  'at' | 'actorId' | 'actorName' | 'action' | 'targetType' | 'targetId' | 'details' | 'ip' | 'prevHash'
>;

const fields = (e: Content) => ({
  at: e.at.toISOString(),
  actorId: e.actorId,
  actorName: e.actorName,
  action: e.action,
  targetType: e.targetType,
  targetId: e.targetId,
  details: e.details,
  ip: e.ip,
});

/** A row's keyed hash: its id, its content and the previous row's hash. */
export function keyedHash(key: Buffer, id: bigint, e: Content): string {
  const body = canonicalJson({ v: 2, id: id.toString(), ...fields(e), prevHash: e.prevHash });
  return createHmac('sha256', key).update(body).digest('hex');
}

/** The hash rows had before issue 9: plain SHA-256, no id, no key. Kept to recognise (and re-key) them. */
export function unkeyedHash(e: Content): string {
  return sha256Hex(e.prevHash + canonicalJson(fields(e)));
}

const same = (a: string, b: string) =>
  a.length === b.length && timingSafeEqual(Buffer.from(a, 'utf8'), Buffer.from(b, 'utf8'));

export async function recordAudit(tx: Tx, actor: Actor, input: AuditInput): Promise<void> {
  const key = auditKeyOf(tx);
  await tx.$executeRaw`SELECT pg_advisory_xact_lock(${AUDIT_LOCK})`;
  const last = await tx.auditEvent.findFirst({ orderBy: { id: 'desc' }, select: { hash: true } });
  // The id is part of the HMAC, so it is taken before the insert (under the lock: ids follow the chain).
  const [{ id }] = await tx.$queryRaw<
    [{ id: bigint }]
  >`SELECT nextval(pg_get_serial_sequence('"AuditEvent"', 'id')) AS id`;
  const event = {
    at: new Date(),
    actorId: actor.id,
    actorName: actor.name,
    action: input.action,
    targetType: input.targetType,
    targetId: input.targetId ?? null,
    details: (input.details ?? null) as Prisma.JsonValue,
    ip: actor.ip,
    prevHash: last?.hash ?? GENESIS_HASH,
  };
  await tx.auditEvent.create({
    data: {
      ...event,
      id,
      details: (event.details ?? undefined) as Prisma.InputJsonValue | undefined,
      hash: keyedHash(key, id, event),
    },
  });
}

/** Rows in id order, a batch at a time. */
async function* rowsInOrder(db: Db | Tx, batchSize = 1000): AsyncGenerator<AuditEvent> {
  let cursor: bigint | undefined;
  for (;;) {
    const batch = await db.auditEvent.findMany({
      orderBy: { id: 'asc' },
      take: batchSize,
      ...(cursor !== undefined && { where: { id: { gt: cursor } } }),
    });
    yield* batch;
    if (batch.length < batchSize) return;
    cursor = batch[batch.length - 1]!.id;
  }
}

/**
 * Re-signs rows that still carry the old unkeyed hash, oldest first, with keyed hashes; run once
 * after upgrading, as the owner of the table (the trigger lets only the owner update it) and with
 * the key. It refuses to re-sign a chain that does not verify the old way (it would launder an
 * edit), and leaves an already keyed chain alone (the first row says which it is).
 */
export async function rekeyAuditChain(
  ownerDb: Db,
  options: { checkpoints?: CheckpointLog } = {},
): Promise<{ rekeyed: number }> {
  const key = auditKeyOf(ownerDb);
  const first = await ownerDb.auditEvent.findFirst({ orderBy: { id: 'asc' } });
  if (!first || same(first.hash, keyedHash(key, first.id, first))) return { rekeyed: 0 };
  if (options.checkpoints?.checkpoints.length) {
    // Checkpoints are only written over a keyed chain: unkeyed rows now are a rewrite, not history.
    throw new Error(`audit row #${first.id} is unkeyed although the chain was checkpointed: not re-keying a rewrite`);
  }
  return ownerDb.$transaction(
    async (tx) => {
      await tx.$executeRaw`SELECT pg_advisory_xact_lock(${AUDIT_LOCK})`;
      let oldPrev = GENESIS_HASH;
      let newPrev = GENESIS_HASH;
      let rekeyed = 0;
      for await (const row of rowsInOrder(tx)) {
        const valid =
          row.prevHash === oldPrev && (row.hash === unkeyedHash(row) || same(row.hash, keyedHash(key, row.id, row)));
        if (!valid) {
          throw new Error(
            `audit row #${row.id} does not verify: not re-keying a chain that was changed (GET /api/v1/audit/verify says how)`,
          );
        }
        const hash = keyedHash(key, row.id, { ...row, prevHash: newPrev });
        if (hash !== row.hash || newPrev !== row.prevHash) {
          await tx.auditEvent.update({ where: { id: row.id }, data: { prevHash: newPrev, hash } });
          rekeyed++;
        }
        oldPrev = row.hash;
        newPrev = hash;
      }
      return { rekeyed };
    },
    { timeout: 10 * 60_000 },
  );
}
