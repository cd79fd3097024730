// Signed checkpoints of the audit chain's head, kept OUTSIDE the database.
//
// A hash chain shows that no row was changed, inserted or removed between two rows it still
// has; it cannot show that its newest rows, or all of them, were deleted. A checkpoint records
// the head (id, hash, row count) at a moment, signed with a key derived from the product's secret
// key, and verify then requires every checkpointed head to still be in the table.
//
// Where: an append-only JSON-lines file (mode 0600) in the api's data directory
// (HITLESS_AUDIT_CHECKPOINT_FILE), written by the api process — it is the one that verifies and
// exports. Not in the database, because the attacker this guards against is one who can do
// anything there (a superuser can empty the audit table, and any table beside it, in one
// statement). The file is out of their reach when PostgreSQL runs as another OS user (an external
// server; the embedded one when the product runs as root, as the `postgres` user), or on another
// host. With the embedded server under the product's own OS user, a database superuser can run
// programs as that user (COPY … TO PROGRAM), so there the file rests on the superuser's password
// staying secret: it is only in postgres.password (0600) and no product process uses it. Keep
// exports (which carry the last checkpoint) elsewhere for the strongest evidence; `chattr +a`
// on the file makes it append-only for everyone but root.
import { createHmac, hkdfSync, timingSafeEqual } from 'node:crypto';
import { mkdir, open, readFile } from 'node:fs/promises';
import path from 'node:path';
import { canonicalJson } from '@hitless/core';

export interface AuditCheckpoint {
  /** 1 for the file's first line, then one more per line. */
  seq: number;
  at: string;
  /** The newest row at that moment, and how many rows the chain had up to it. */
  headId: string;
  headHash: string;
  count: number;
  sig: string;
}

export interface CheckpointLog {
  /** Lines whose signature verifies, oldest first. */
  checkpoints: AuditCheckpoint[];
  /** Lines that parse but whose signature does not verify: someone wrote the file without the key. */
  forged: number[];
  /** Lines that do not parse (a write cut short by a crash); ignored. */
  unreadable: number[];
}

/** The key that signs checkpoints: the product's secret key through HKDF, with its own label. */
export function deriveCheckpointKey(secretKey: Buffer): Buffer {
  return Buffer.from(hkdfSync('sha256', secretKey, Buffer.alloc(0), 'hitless audit checkpoint v1', 32));
}

type Unsigned = Omit<AuditCheckpoint, 'sig'>;

const sign = (key: Buffer, c: Unsigned) =>
  createHmac('sha256', key)
    .update(canonicalJson({ v: 1, seq: c.seq, at: c.at, headId: c.headId, headHash: c.headHash, count: c.count }))
    .digest('hex');

function isCheckpoint(v: unknown): v is AuditCheckpoint {
  const c = v as Record<string, unknown> | null;
  return (
    !!c &&
    typeof c.seq === 'number' &&
    typeof c.at === 'string' &&
    typeof c.headId === 'string' &&
    typeof c.headHash === 'string' &&
    typeof c.count === 'number' &&
    typeof c.sig === 'string'
  );
}

export class AuditCheckpointFile {
  constructor(
    readonly file: string,
    private readonly key: Buffer,
  ) {}

  async read(): Promise<CheckpointLog> {
    let text: string;
    try {
      text = await readFile(this.file, 'utf8');
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return { checkpoints: [], forged: [], unreadable: [] };
      throw err;
    }
    const log: CheckpointLog = { checkpoints: [], forged: [], unreadable: [] };
    text.split('\n').forEach((line, i) => {
      if (!line.trim()) return;
      let value: unknown;
      try {
        value = JSON.parse(line);
      } catch {
        return void log.unreadable.push(i + 1);
      }
      if (!isCheckpoint(value)) return void log.unreadable.push(i + 1);
      const expected = Buffer.from(sign(this.key, value), 'utf8');
      const given = Buffer.from(value.sig, 'utf8');
      if (expected.length === given.length && timingSafeEqual(expected, given)) log.checkpoints.push(value);
      else log.forged.push(i + 1);
    });
    return log;
  }

  /** Appends a signed line (one write of a short line with O_APPEND: concurrent writers do not interleave). */
  async append(head: { headId: string; headHash: string; count: number }, at = new Date()): Promise<AuditCheckpoint> {
    const { checkpoints, forged, unreadable } = await this.read();
    const unsigned: Unsigned = {
      seq: checkpoints.length + forged.length + unreadable.length + 1,
      at: at.toISOString(),
      ...head,
    };
    const checkpoint = { ...unsigned, sig: sign(this.key, unsigned) };
    await mkdir(path.dirname(this.file), { recursive: true, mode: 0o700 });
    const handle = await open(this.file, 'a', 0o600);
    try {
      await handle.write(`${JSON.stringify(checkpoint)}\n`);
      await handle.sync();
    } finally {
      await handle.close();
    }
    return checkpoint;
  }
}
