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
// staying secret: it is only in postgres.password (0600) and no product process uses it. The
// same holds for the HMAC key itself: such a superuser can also read .data/secret.key
// (pg_read_file, COPY … FROM PROGRAM) and then sign rows and checkpoints as the product does.
// An operator who needs the trail to hold against a database superuser should run PostgreSQL as
// another OS user (an external server, or the launcher as root), or keep the secret key outside
// the data directory (HITLESS_SECRET_KEY from a secret store) so the server's user cannot read
// it. Keep exports (which carry the last checkpoint) elsewhere for the strongest evidence;
// `chattr +a` on the file makes it append-only for everyone but root.
//
// The file's own damage is found too: line N carries seq N (signed), so a removed or repeated
// line shows as a jump in seq; a line that does not parse is tampering unless it is a torn write
// (the file's last line, cut short by a crash, or one that the next checkpoint says it found
// torn); a line that parses but whose signature fails was written without the key.
import { constants } from 'node:fs';
import { access, mkdir, open, readFile } from 'node:fs/promises';
import { createHmac, hkdfSync } from 'node:crypto';
import path from 'node:path';
import { canonicalJson } from '@hitless/core';
import { timingSafeEqualText } from '@hitless/crypto';

export interface AuditCheckpoint {
  /** The line's position in the file: 1 for the first line, then one more per line. */
  seq: number;
  at: string;
  /** The newest row at that moment, and how many rows the chain had up to it. */
  headId: string;
  headHash: string;
  count: number;
  /** When the previous line was found torn (a crash cut its write short): that line's position. */
  tornLine?: number;
  sig: string;
}

export interface CheckpointLog {
  /** Lines whose signature verifies, oldest first (also those in `gaps`: they are authentic). */
  checkpoints: AuditCheckpoint[];
  /** Lines that parse but whose signature does not verify: someone wrote the file without the key. */
  forged: number[];
  /** Lines that do not parse and are not a torn write: the file was edited. */
  unreadable: number[];
  /** Where a signed line's seq is not its position (lines before it were removed, or added/repeated). */
  gaps: { line: number; seq: number }[];
  /** Torn writes (the last line cut short, or one a later line vouches for): ignored. */
  torn: number[];
  /** The file does not exist (never written, or deleted). */
  missing: boolean;
}

export const emptyCheckpointLog = (): CheckpointLog => ({
  checkpoints: [],
  forged: [],
  unreadable: [],
  gaps: [],
  torn: [],
  missing: true,
});

/** The key that signs checkpoints: the product's secret key through HKDF, with its own label. */
export function deriveCheckpointKey(secretKey: Buffer): Buffer {
  return Buffer.from(hkdfSync('sha256', secretKey, Buffer.alloc(0), 'hitless audit checkpoint v1', 32));
}

type Unsigned = Omit<AuditCheckpoint, 'sig'>;

const sign = (key: Buffer, c: Unsigned) =>
  createHmac('sha256', key)
    .update(
      // canonicalJson drops an undefined tornLine: lines without it sign exactly as before.
      canonicalJson({
        v: 1,
        seq: c.seq,
        at: c.at,
        headId: c.headId,
        headHash: c.headHash,
        count: c.count,
        tornLine: c.tornLine,
      }),
    )
    .digest('hex');

function isCheckpoint(v: unknown): v is AuditCheckpoint {
  const c = v as Record<string, unknown> | null;
  return (
    !!c &&
    typeof c.seq === 'number' &&
    typeof c.at === 'string' &&
    typeof c.headId === 'string' &&
    /^\d+$/.test(c.headId) &&
    typeof c.headHash === 'string' &&
    typeof c.count === 'number' &&
    (c.tornLine === undefined || typeof c.tornLine === 'number') &&
    typeof c.sig === 'string'
  );
}

const parse = (line: string): AuditCheckpoint | null => {
  try {
    const value: unknown = JSON.parse(line);
    return isCheckpoint(value) ? value : null;
  } catch {
    return null;
  }
};

/** The file's lines; `unterminated` when the last has no newline (a torn write, or one whose newline was cut). */
const linesOf = (text: string) => {
  const unterminated = text.length > 0 && !text.endsWith('\n');
  const lines = text.length === 0 ? [] : text.split('\n');
  if (!unterminated) lines.pop();
  return { lines, unterminated };
};

export class AuditCheckpointFile {
  constructor(
    readonly file: string,
    private readonly key: Buffer,
  ) {}

  private async text(): Promise<string | null> {
    try {
      return await readFile(this.file, 'utf8');
    } catch (err) {
      // No such file (or a path through a non-directory): nothing was ever written there.
      const code = (err as NodeJS.ErrnoException).code;
      if (code === 'ENOENT' || code === 'ENOTDIR') return null;
      throw err;
    }
  }

  async read(): Promise<CheckpointLog> {
    const text = await this.text();
    if (text === null) return emptyCheckpointLog();
    const log: CheckpointLog = { ...emptyCheckpointLog(), missing: false };
    const { lines, unterminated } = linesOf(text);
    const vouchedTorn = new Set<number>();
    const unparsed: number[] = [];
    let offset = 0;
    lines.forEach((line, i) => {
      const position = i + 1;
      const value = parse(line);
      if (!value) return void unparsed.push(position);
      if (!timingSafeEqualText(sign(this.key, value), value.sig)) return void log.forged.push(position);
      log.checkpoints.push(value);
      if (value.tornLine !== undefined && value.tornLine === position - 1) vouchedTorn.add(value.tornLine);
      // Report where the offset between seq and position changes, not every line after it.
      if (value.seq - position !== offset) {
        log.gaps.push({ line: position, seq: value.seq });
        offset = value.seq - position;
      }
    });
    for (const position of unparsed) {
      if (vouchedTorn.has(position) || (unterminated && position === lines.length)) log.torn.push(position);
      else log.unreadable.push(position);
    }
    return log;
  }

  /** Why a checkpoint cannot be written here now (null: it can), without writing one. */
  async writeProblem(): Promise<string | null> {
    const dir = path.dirname(this.file);
    try {
      await mkdir(dir, { recursive: true, mode: 0o700 });
      const exists = await access(this.file).then(
        () => true,
        () => false,
      );
      await access(exists ? this.file : dir, constants.W_OK);
      return null;
    } catch (err) {
      return cannotWrite(this.file, err);
    }
  }

  /** Appends a signed line (one write of a short line with O_APPEND: concurrent writers do not interleave). */
  async append(head: { headId: string; headHash: string; count: number }, at = new Date()): Promise<AuditCheckpoint> {
    const text = (await this.text()) ?? '';
    const { lines, unterminated: torn } = linesOf(text);
    // After a torn last line, start a new line and say so in the signed one, so read() knows the
    // torn line was a crash and not an edit.
    const tornLine = torn && !parse(lines.at(-1)!) ? lines.length : undefined;
    const unsigned: Unsigned = { seq: lines.length + 1, at: at.toISOString(), ...head, tornLine };
    const checkpoint: AuditCheckpoint = { ...unsigned, sig: sign(this.key, unsigned) };
    if (tornLine === undefined) delete checkpoint.tornLine;
    await mkdir(path.dirname(this.file), { recursive: true, mode: 0o700 });
    const handle = await open(this.file, 'a', 0o600);
    try {
      await handle.write(`${torn ? '\n' : ''}${JSON.stringify(checkpoint)}\n`);
      await handle.sync();
    } finally {
      await handle.close();
    }
    return checkpoint;
  }
}

/** The message for a checkpoint file that cannot be written (its errno, never its contents). */
export function cannotWrite(file: string, err: unknown): string {
  const code = (err as NodeJS.ErrnoException).code ?? (err instanceof Error ? err.message : String(err));
  return `the audit checkpoint file ${file} cannot be written (${code}): no checkpoint is recorded, so a deleted tail of the audit trail would go unnoticed; give the api's user write access to it (packages/db/README.md)`;
}
