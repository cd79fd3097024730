// Writing checkpoints of the audit chain's head (./audit-checkpoints.ts holds the file format).
//
// A checkpoint vouches for the head it records, so it is written only over a head that can be
// vouched for: the head row verifies, every earlier checkpoint is still matched (signing a
// shorter chain would hide a deleted tail), the file shows no damage, and no row is unkeyed —
// a checkpoint over a chain with rows from before keyed hashes would make the one-time re-key
// impossible and turn those genuine rows into "tampered" ones (./audit.ts).
//
// `checkpointAuditChain` walks the whole chain (start-up, exports). The periodic checkpoint uses
// `checkpointAuditHead`: it verifies only the rows after the newest checkpoint, starting from
// that checkpoint's head (still present, unchanged), and falls back to the full walk when
// anything does not fit. A full verify still reports every problem behind that head.
import { timingSafeEqualText as same } from '@hitless/crypto';
import { auditKeyOf, type Db } from './client.ts';
import {
  cannotWrite,
  type AuditCheckpoint,
  type AuditCheckpointFile,
  type CheckpointLog,
} from './audit-checkpoints.ts';
import { keyedHash, rowsInOrder } from './audit.ts';
import { verifyAuditChain, type AuditVerification } from './audit-verify.ts';

export interface CheckpointResult {
  /** The line written, or null: head unchanged, not vouched for, or the file cannot be written (`warning`). */
  checkpoint: AuditCheckpoint | null;
  /** The full verification (null when the incremental path vouched for the head). */
  verification: AuditVerification | null;
  /** Rows read to vouch for the head. */
  rowsRead: number;
  /** Why no checkpoint could be written, when the file is at fault. */
  warning: string | null;
}

const clean = (log: CheckpointLog) => log.forged.length + log.unreadable.length + log.gaps.length === 0;

async function write(
  file: AuditCheckpointFile,
  head: { headId: string; headHash: string; count: number },
): Promise<{ checkpoint: AuditCheckpoint | null; warning: string | null }> {
  try {
    return { checkpoint: await file.append(head), warning: null };
  } catch (err) {
    return { checkpoint: null, warning: cannotWrite(file.file, err) };
  }
}

/**
 * Verifies the whole chain and appends a checkpoint of its head when it can be vouched for.
 * Unchanged heads are not checkpointed again unless `always` (exports record one each time).
 */
export async function checkpointAuditChain(
  db: Db,
  file: AuditCheckpointFile,
  options: { always?: boolean; intervalMs?: number } = {},
): Promise<CheckpointResult & { verification: AuditVerification }> {
  const log = await file.read();
  const verification = await verifyAuditChain(db, { checkpoints: log, intervalMs: options.intervalMs });
  const { head, intactFrom, checkpoints, unkeyed } = verification;
  const vouched = head && intactFrom && unkeyed === 0 && checkpoints.matched === checkpoints.checked && clean(log);
  const newest = log.checkpoints.at(-1);
  const rowsRead = verification.checked;
  if (!vouched || (!options.always && newest?.headId === head.id && newest.headHash === head.hash)) {
    return { checkpoint: null, verification, rowsRead, warning: null };
  }
  const { checkpoint, warning } = await write(file, { headId: head.id, headHash: head.hash, count: rowsRead });
  if (warning) verification.warnings.push(warning);
  return { checkpoint, verification, rowsRead, warning };
}

/**
 * The periodic checkpoint: verifies the rows after the newest checkpoint's head (keyed, each
 * linked to the one before) and checkpoints the new head; the full walk when the newest
 * checkpoint's head is gone or changed, the file is damaged, or a new row does not verify.
 */
export async function checkpointAuditHead(
  db: Db,
  file: AuditCheckpointFile,
  options: { intervalMs?: number } = {},
): Promise<CheckpointResult> {
  const key = auditKeyOf(db);
  const log = await file.read();
  const newest = log.checkpoints.at(-1);
  const full = () => checkpointAuditChain(db, file, options);
  if (!newest || !clean(log)) return full();
  const from = await db.auditEvent.findUnique({ where: { id: BigInt(newest.headId) } });
  if (!from || !same(from.hash, newest.headHash) || !same(from.hash, keyedHash(key, from.id, from))) return full();
  let prev = from.hash;
  let head: { id: bigint; hash: string } | null = null;
  let rowsRead = 1;
  for await (const row of rowsInOrder(db, { after: from.id })) {
    rowsRead++;
    if (row.prevHash !== prev || !same(row.hash, keyedHash(key, row.id, row))) return full();
    prev = row.hash;
    head = row;
  }
  if (!head) return { checkpoint: null, verification: null, rowsRead, warning: null };
  const written = await write(file, {
    headId: head.id.toString(),
    headHash: head.hash,
    count: newest.count + rowsRead - 1,
  });
  return { ...written, verification: null, rowsRead };
}
