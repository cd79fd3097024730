// Verifying the audit chain (see ./audit.ts for how it is built, ./audit-checkpoints.ts for the
// signed heads outside the database). One pass over the rows in id order: each row's keyed hash,
// its link to the previous row, and every checkpointed head; then the checkpoint file's own
// damage. It reports the first problem and why, how many rows it checked, the oldest row from
// which the chain verifies to its head, the newest checkpoint the table still matches, how many
// rows are unkeyed (no checkpoint is written while any is: ./audit-checkpointing.ts), and
// warnings that are not proof of tampering (a missing checkpoint file).
import { timingSafeEqualText as same } from '@hitless/crypto';
import { auditKeyOf, type Db } from './client.ts';
import { emptyCheckpointLog, type AuditCheckpoint, type CheckpointLog } from './audit-checkpoints.ts';
import { GENESIS_HASH, GENESIS_HEAD_ID, keyedHash, rowsInOrder, unkeyedHash } from './audit.ts';
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
  /** A line of the checkpoint file has a signature that does not verify, or was garbled (not a torn write). */
  | 'checkpoint-forged'
  /** Lines of the checkpoint file were removed (or added/repeated): a signed seq is not its line's position. */
  | 'checkpoints-missing';

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
  /** Rows that carry the hash used before keyed hashes (re-keyed once, or a rewrite). */
  unkeyed: number;
  checkpoints: { checked: number; matched: number; forged: number; unreadable: number; missing: boolean };
  /** What is not proof of tampering but needs an operator: a missing or unwritable checkpoint file. */
  warnings: string[];
}
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

export interface VerifyOptions {
  /** The checkpoint file's contents (AuditCheckpointFile.read()); none: as if it were missing. */
  checkpoints?: CheckpointLog;
  /** The checkpoint interval: a missing file with keyed rows older than this is warned about. */
  intervalMs?: number;
  now?: Date;
}

export async function verifyAuditChain(db: Db, options: VerifyOptions = {}): Promise<AuditVerification> {
  const key = auditKeyOf(db);
  const log = options.checkpoints ?? emptyCheckpointLog();
  // The file exists only once the chain was keyed (rekey and the api write it over keyed rows):
  // from then on an unkeyed row is a rewrite, never history to re-key.
  const everKeyed = !log.missing;
  // A checkpoint of head #0 is the genesis mark (the re-key of an empty trail): it says the trail
  // is keyed from its first row on, and vouches for no row.
  const marks = log.checkpoints.filter((c) => c.headId === GENESIS_HEAD_ID).length;
  const pending = log.checkpoints
    .filter((c) => c.headId !== GENESIS_HEAD_ID)
    .sort((a, b) => (BigInt(a.headId) < BigInt(b.headId) ? -1 : 1));
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
  let unkeyed = 0;
  let oldestKeyed: AuditEvent | null = null;
  for await (const row of rowsInOrder(db)) {
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
    const legacy = !keyed && row.hash === unkeyedHash(row);
    if (legacy) unkeyed++;
    if (!keyed) {
      runStart = null;
      if (problem) problems++;
      else if (legacy && !keyedSeen && !everKeyed) {
        report({
          reason: 'unkeyed',
          rowId: id,
          message: `row #${id} and maybe later ones carry the hash used before keyed hashes: re-key them once, before the api writes new events (npm run audit:rekey -w @hitless/db, packages/db/README.md)`,
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
      oldestKeyed ??= row;
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
  reportFileDamage(log, report);
  const warnings: string[] = [];
  const intervalMs = options.intervalMs ?? 300_000;
  const now = options.now ?? new Date();
  if (log.missing && oldestKeyed && now.getTime() - oldestKeyed.at.getTime() > intervalMs) {
    warnings.push(
      `the audit checkpoint file is missing although the chain has keyed rows since ${oldestKeyed.at.toISOString()}, older than one checkpoint interval: it was deleted, or the api cannot write it (a deleted tail of the trail would go unnoticed)`,
    );
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
    unkeyed,
    checkpoints: {
      checked: log.checkpoints.length - marks,
      matched,
      forged: log.forged.length,
      unreadable: log.unreadable.length,
      missing: log.missing,
    },
    warnings,
  };
}

/** The checkpoint file's own damage: forged lines, garbled lines, removed or repeated lines. */
function reportFileDamage(log: CheckpointLog, report: (p: AuditProblem) => void): void {
  const lines = [
    ...log.forged.map((line) => ({
      line,
      message: `line ${line} of the checkpoint file is not signed with the product's key`,
    })),
    ...log.unreadable.map((line) => ({
      line,
      message: `line ${line} of the checkpoint file is unreadable and not a torn write: the file was edited`,
    })),
  ].sort((a, b) => a.line - b.line);
  for (const { message } of lines) report({ reason: 'checkpoint-forged', rowId: null, message, checkpoint: null });
  for (const gap of log.gaps) {
    const c = log.checkpoints.find((x) => x.seq === gap.seq);
    report({
      reason: 'checkpoints-missing',
      rowId: null,
      message:
        gap.seq > gap.line
          ? `line ${gap.line} of the checkpoint file holds checkpoint #${gap.seq}: ${gap.seq - gap.line} line(s) before it were removed`
          : `line ${gap.line} of the checkpoint file holds checkpoint #${gap.seq}: lines before it were added or repeated`,
      checkpoint: c ? ref(c) : null,
    });
  }
}
