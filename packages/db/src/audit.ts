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
// `rekeyAuditChain` re-signs them ONCE, as the table's owner with the key, after checking that
// the old chain is intact, and checkpoints the re-keyed head; until then verify reports them as
// 'unkeyed'. Once is the point: a superuser can rewrite every row with plain SHA-256 hashes, and
// a re-key at every start would turn that forgery into a valid chain. So it runs only in the
// start that applies the roles migration (`rekeyAfterMigrations`: the launcher, `cli.ts migrate
// --rekey`), and it refuses whenever the chain shows it was ever keyed: a keyed row, or the
// checkpoint file existing at all (rekey and the api write it only over a keyed chain).
//
// Events are written in the same transaction as the change they describe; the client that
// writes them carries the key (createPrisma's `auditKey`), so callers need not.
import { createHmac, hkdfSync } from 'node:crypto';
import { canonicalJson } from '@hitless/core';
import { sha256Hex, timingSafeEqualText as same } from '@hitless/crypto';
import { auditKeyOf, type Db } from './client.ts';
import { cannotWrite, type AuditCheckpoint, type AuditCheckpointFile } from './audit-checkpoints.ts';
import type { AuditEvent, Prisma } from './generated/client.ts';

type Tx = Prisma.TransactionClient;

/** Who did it. `id` is null for the system itself (start-up seeding, the worker's own decisions). */
export interface Actor {
  id: string | null;
  name: string;
  ip: string | null;
  /** The API request acting (its X-Request-Id); none for workers and the launcher. */
  requestId?: string | null;
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
/** The head id of the genesis mark: the checkpoint the re-key of an empty trail writes. */
export const GENESIS_HEAD_ID = '0';

/** The key of the rows' HMACs, derived from the product's secret key (the one sealing device secrets). */
export function deriveAuditKey(secretKey: Buffer): Buffer {
  return Buffer.from(hkdfSync('sha256', secretKey, Buffer.alloc(0), 'hitless audit chain v1', 32));
}

type Content = Pick<
  AuditEvent,
  'at' | 'actorId' | 'actorName' | 'action' | 'targetType' | 'targetId' | 'details' | 'ip' | 'prevHash'
> & { requestId?: string | null };

const fields = (e: Content) => ({
  at: e.at.toISOString(),
  actorId: e.actorId,
  actorName: e.actorName,
  action: e.action,
  targetType: e.targetType,
  targetId: e.targetId,
  details: e.details,
  ip: e.ip,
  // Hashed only when there is one, so rows from before request ids keep their hashes.
  ...(e.requestId ? { requestId: e.requestId } : {}),
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

export async function recordAudit(tx: Tx, actor: Actor, input: AuditInput): Promise<void> {
  const key = auditKeyOf(tx);
  await tx.$executeRaw`SELECT pg_advisory_xact_lock(${AUDIT_LOCK})`;
  const last = await tx.auditEvent.findFirst({ orderBy: { id: 'desc' }, select: { id: true, hash: true } });
  // The id is part of the HMAC, so it is taken before the insert (under the lock: ids follow the chain).
  const [{ next }] = await tx.$queryRaw<
    [{ next: bigint }]
  >`SELECT nextval(pg_get_serial_sequence('"AuditEvent"', 'id')) AS next`;
  // The sequence can be behind the newest row: a row inserted with a high explicit id (the app
  // role has INSERT), a restore that did not reset the sequence. Taking nextval then would put the
  // new row before its predecessor and break the chain for good; the chain's order wins.
  const id = last && next <= last.id ? last.id + 1n : next;
  const event = {
    at: new Date(),
    actorId: actor.id,
    actorName: actor.name,
    action: input.action,
    targetType: input.targetType,
    targetId: input.targetId ?? null,
    details: (input.details ?? null) as Prisma.JsonValue,
    ip: actor.ip,
    requestId: actor.requestId ?? null,
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

/** Rows in id order (after `after`, when given), a batch at a time. */
export async function* rowsInOrder(
  db: Db | Tx,
  options: { after?: bigint; batchSize?: number } = {},
): AsyncGenerator<AuditEvent> {
  const batchSize = options.batchSize ?? 1000;
  let cursor = options.after;
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

/** The migration that introduced keyed hashes: the start that applies it is the one that re-keys. */
export const AUDIT_REKEY_MIGRATION = '20261202030000_database_roles';

/** Re-keying was refused: the chain does not verify the old way, or it shows it was keyed before. */
export class AuditRekeyRefused extends Error {
  override readonly name = 'AuditRekeyRefused';
}

export interface RekeyResult {
  rekeyed: number;
  /** The checkpoint of the re-keyed head (null with no rows, or when the file cannot be written). */
  checkpoint: AuditCheckpoint | null;
  warning: string | null;
}

/**
 * Re-signs the rows written before keyed hashes, oldest first, and checkpoints the new head; run
 * once after upgrading, as the owner of the table (the trigger lets only the owner update it),
 * with the key and the api's checkpoint file. Refuses (AuditRekeyRefused) a chain that does not
 * verify the old way (it would launder an edit), and one that was ever keyed: a keyed row, or an
 * existing checkpoint file — unkeyed rows then are a rewrite, not history.
 */
export async function rekeyAuditChain(
  ownerDb: Db,
  options: { checkpointFile: AuditCheckpointFile },
): Promise<RekeyResult> {
  const key = auditKeyOf(ownerDb);
  const file = options.checkpointFile;
  const log = await file.read();
  if (!log.missing) {
    throw new AuditRekeyRefused(
      `the audit checkpoint file ${file.file} exists, so the chain has been keyed: unkeyed rows now are a rewrite, not history (re-keying is one-time; GET /api/v1/audit/verify says what it finds)`,
    );
  }
  const result = await ownerDb.$transaction(
    async (tx) => {
      await tx.$executeRaw`SELECT pg_advisory_xact_lock(${AUDIT_LOCK})`;
      let oldPrev = GENESIS_HASH;
      let newPrev = GENESIS_HASH;
      let rekeyed = 0;
      let head: { id: bigint; hash: string } | null = null;
      for await (const row of rowsInOrder(tx)) {
        if (same(row.hash, keyedHash(key, row.id, row))) {
          throw new AuditRekeyRefused(
            `audit row #${row.id} is keyed, so the chain has been keyed: re-keying is one-time and would launder rows rewritten since`,
          );
        }
        if (row.prevHash !== oldPrev || row.hash !== unkeyedHash(row)) {
          throw new AuditRekeyRefused(
            `audit row #${row.id} does not verify: not re-keying a chain that was changed (GET /api/v1/audit/verify says how)`,
          );
        }
        const hash = keyedHash(key, row.id, { ...row, prevHash: newPrev });
        await tx.auditEvent.update({ where: { id: row.id }, data: { prevHash: newPrev, hash } });
        rekeyed++;
        oldPrev = row.hash;
        newPrev = hash;
        head = { id: row.id, hash };
      }
      return { rekeyed, head };
    },
    { timeout: 10 * 60_000 },
  );
  // The first checkpoint is also the mark, outside the database, that the chain is keyed from now
  // on (an empty trail gets the genesis mark): without it a later rewrite of every row with plain
  // hashes would look like history to re-key. Not writing it is a refusal, never a warning.
  try {
    const checkpoint = await file.append(
      result.head
        ? { headId: result.head.id.toString(), headHash: result.head.hash, count: result.rekeyed }
        : { headId: GENESIS_HEAD_ID, headHash: GENESIS_HASH, count: 0 },
    );
    return { rekeyed: result.rekeyed, checkpoint, warning: null };
  } catch (err) {
    throw new AuditRekeyRefused(
      `the audit trail was re-keyed, but its mark could not be written: ${cannotWrite(file.file, err)}`,
    );
  }
}

/** The one-time re-key, in the run that just applied AUDIT_REKEY_MIGRATION (else null: nothing done). */
export async function rekeyAfterMigrations(
  ownerDb: Db,
  applied: string[],
  options: { checkpointFile: AuditCheckpointFile },
): Promise<RekeyResult | null> {
  if (!applied.includes(AUDIT_REKEY_MIGRATION)) return null;
  return rekeyAuditChain(ownerDb, options);
}
