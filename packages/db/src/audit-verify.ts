// Verifying the audit chain (see ./audit.ts for how it is built, ./audit-checkpoints.ts for the
// signed heads outside the database). One pass over the rows in id order: each row's keyed hash,
// its link to the previous row, and every checkpointed head. It reports the first problem and
// why, how many rows it checked, the oldest row from which the chain verifies to its head, and
// the newest checkpoint the table still matches.
import { timingSafeEqual } from 'node:crypto';
import { auditKeyOf, type Db } from './client.ts';
import type { AuditCheckpoint, AuditCheckpointFile, CheckpointLog } from './audit-checkpoints.ts';
import { GENESIS_HASH, keyedHash, unkeyedHash } from './audit.ts';
import type { AuditEvent } from './generated/client.ts';

export type AuditProblemReason =
  /** The row's content, id or hash was changed (also: rewritten with an unkeyed or wrongly keyed hash). */
  | 'content-changed'
  /** The row is authentic but not where it was written: rows were swapped or moved. */
  | 'order-changed'
  /** A row before this one is gone (its prevHash matches no row), or a checkpointed row is gone. */
  | 'row-missing'
  /** Written before keyed hashes and not re-keyed yet (the one-time step in packages/db/README.md). */
  | 'unkeyed'
  /** The newest rows are gone: a checkpoint recorded a head the table no longer reaches. */
  | 'rows-missing-after-checkpoint'
  /** No rows at all, but a checkpoint recorded some. */
  | 'table-emptied'
  /** A line of the checkpoint file has a signature that does not verify. */
  | 'checkpoint-forged';

export interface AuditProblem {
  reason: AuditProblemReason;
  /** The row where it shows (null when the rows in question are gone). */
  rowId: string | null;
  message: string;
  /** The checkpoint that shows it, when one does. */
  checkpoint: { seq: number; at: string; headId: string } | null;
}

export interface AuditVerification {
  ok: boolean;
  /** Rows read. */
  checked: number;
  /** The id of the first row that does not verify (null when none does not, or when rows are missing at the end). */
  brokenAt: string | null;
  problem: AuditProblem | null;
  /** How many problems in all (rows that do not verify, checkpoints not matched or forged). */
  problems: number;
  /** The oldest row from which every row up to the head verifies and links: "intact since". */
  intactFrom: { id: string; at: string } | null;
  head: { id: string; hash: string; at: string } | null;
  /** The newest checkpoint whose head the table still holds, unchanged. */
  lastCheckpoint: { seq: number; at: string; headId: string } | null;
  checkpoints: { checked: number; matched: number; forged: number };
}

const same = (a: string, b: string) =>
  a.length === b.length && timingSafeEqual(Buffer.from(a, 'utf8'), Buffer.from(b, 'utf8'));
const ref = (c: AuditCheckpoint) => ({ seq: c.seq, at: c.at, headId: c.headId });

/** The id this row's content was signed under, when it is another row's: the row was moved there. */
async function signedUnderAnotherId(db: Db, key: Buffer, row: AuditEvent): Promise<bigint | null> {
  let cursor = -1n;
  for (;;) {
    const ids = await db.auditEvent.findMany({
      where: { id: { gt: cursor } },
      orderBy: { id: 'asc' },
      select: { id: true },
      take: 5000,
    });
    for (const { id } of ids) if (id !== row.id && same(row.hash, keyedHash(key, id, row))) return id;
    if (ids.length < 5000) return null;
    cursor = ids[ids.length - 1]!.id;
  }
}

export async function verifyAuditChain(
  db: Db,
  options: { checkpoints?: CheckpointLog } = {},
): Promise<AuditVerification> {
  const key = auditKeyOf(db);
  const log = options.checkpoints ?? { checkpoints: [], forged: [], unreadable: [] };
  const pending = [...log.checkpoints].sort((a, b) => (BigInt(a.headId) < BigInt(b.headId) ? -1 : 1));
  let problem: AuditProblem | null = null;
  let problems = 0;
  const report = (p: AuditProblem) => {
    problems++;
    problem ??= p;
  };

  let prev = GENESIS_HASH;
  let checked = 0;
  let keyedSeen = false;
  let runStart: AuditEvent | null = null;
  let last: AuditEvent | null = null;
  let lastCheckpoint: AuditCheckpoint | null = null;
  let matched = 0;
  let cursor: bigint | undefined;
  for (;;) {
    const batch = await db.auditEvent.findMany({
      orderBy: { id: 'asc' },
      take: 1000,
      ...(cursor !== undefined && { where: { id: { gt: cursor } } }),
    });
    for (const row of batch) {
      checked++;
      const id = row.id.toString();
      // Checkpointed heads older than this row that the walk never met: deleted.
      while (pending.length && BigInt(pending[0]!.headId) < row.id) {
        const c = pending.shift()!;
        report({
          reason: 'row-missing',
          rowId: null,
          message: `row #${c.headId}, the newest at checkpoint #${c.seq} (${c.at}), is missing`,
          checkpoint: ref(c),
        });
      }
      const keyed = same(row.hash, keyedHash(key, row.id, row));
      if (!keyed) {
        runStart = null;
        if (problem) problems++;
        else if (row.hash === unkeyedHash(row) && !keyedSeen && log.checkpoints.length === 0) {
          report({
            reason: 'unkeyed',
            rowId: id,
            message: `row #${id} and maybe later ones carry the hash used before keyed hashes: re-key them once (npm run audit:rekey -w @hitless/db, packages/db/README.md)`,
            checkpoint: null,
          });
        } else {
          const moved = await signedUnderAnotherId(db, key, row);
          report(
            moved !== null
              ? {
                  reason: 'order-changed',
                  rowId: id,
                  message: `row #${id} holds the event written as #${moved}: rows were reordered`,
                  checkpoint: null,
                }
              : {
                  reason: 'content-changed',
                  rowId: id,
                  message:
                    row.hash === unkeyedHash(row)
                      ? `row #${id} was rewritten with an unkeyed hash: its content does not match what was recorded`
                      : `row #${id} does not match its hash: its content, id or hash was changed`,
                  checkpoint: null,
                },
          );
        }
      } else {
        keyedSeen = true;
        if (row.prevHash !== prev) {
          runStart = row;
          if (problem) problems++;
          else {
            const before =
              row.prevHash === GENESIS_HASH
                ? null
                : await db.auditEvent.findUnique({ where: { hash: row.prevHash }, select: { id: true } });
            report(
              before
                ? {
                    reason: 'order-changed',
                    rowId: id,
                    message: `row #${id} follows #${before.id} in the chain, which is now elsewhere: rows were reordered`,
                    checkpoint: null,
                  }
                : {
                    reason: 'row-missing',
                    rowId: id,
                    message:
                      last === null
                        ? `the rows before #${id} are missing`
                        : `a row between #${last.id} and #${id} is missing`,
                    checkpoint: null,
                  },
            );
          }
        } else runStart ??= row;
      }
      while (pending.length && pending[0]!.headId === id) {
        const c = pending.shift()!;
        if (keyed && same(row.hash, c.headHash)) {
          matched++;
          lastCheckpoint = c;
        } else {
          report({
            reason: 'content-changed',
            rowId: id,
            message: `row #${id} is not the row checkpoint #${c.seq} (${c.at}) recorded`,
            checkpoint: ref(c),
          });
        }
      }
      prev = row.hash;
      last = row;
    }
    if (batch.length < 1000) break;
    cursor = batch[batch.length - 1]!.id;
  }

  if (pending.length) {
    const newest = pending[pending.length - 1]!;
    problems += pending.length - 1;
    report(
      last === null
        ? {
            reason: 'table-emptied',
            rowId: null,
            message: `the audit table is empty, but checkpoint #${newest.seq} (${newest.at}) recorded ${newest.count} rows up to #${newest.headId}`,
            checkpoint: ref(newest),
          }
        : {
            reason: 'rows-missing-after-checkpoint',
            rowId: null,
            message: `rows after #${last.id} are missing: checkpoint #${newest.seq} (${newest.at}) recorded #${newest.headId} as the newest of ${newest.count} rows`,
            checkpoint: ref(newest),
          },
    );
  }
  for (const line of log.forged) {
    report({
      reason: 'checkpoint-forged',
      rowId: null,
      message: `line ${line} of the checkpoint file is not signed with the product's key`,
      checkpoint: null,
    });
  }
  const found = problem as AuditProblem | null;
  return {
    ok: found === null,
    checked,
    brokenAt: found?.rowId ?? null,
    problem: found,
    problems,
    intactFrom: runStart ? { id: runStart.id.toString(), at: runStart.at.toISOString() } : null,
    head: last ? { id: last.id.toString(), hash: last.hash, at: last.at.toISOString() } : null,
    lastCheckpoint: lastCheckpoint ? ref(lastCheckpoint) : null,
    checkpoints: { checked: log.checkpoints.length, matched, forged: log.forged.length },
  };
}

/**
 * Verifies the chain and appends a checkpoint of its head, unless the head cannot be vouched
 * for: its own row does not verify, or an earlier checkpoint is no longer matched (signing the
 * shorter chain would hide that). Unchanged heads are not checkpointed again unless `always`
 * (exports record one each time).
 */
export async function checkpointAuditChain(
  db: Db,
  file: AuditCheckpointFile,
  options: { always?: boolean } = {},
): Promise<{ checkpoint: AuditCheckpoint | null; verification: AuditVerification }> {
  const log = await file.read();
  const verification = await verifyAuditChain(db, { checkpoints: log });
  const { head, intactFrom, checkpoints } = verification;
  const vouched = head && intactFrom && checkpoints.matched === checkpoints.checked && checkpoints.forged === 0;
  const newest = log.checkpoints.at(-1);
  if (!vouched || (!options.always && newest?.headId === head.id && newest.headHash === head.hash)) {
    return { checkpoint: null, verification };
  }
  const checkpoint = await file.append({ headId: head.id, headHash: head.hash, count: verification.checked });
  return { checkpoint, verification };
}
