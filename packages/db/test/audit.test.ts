// The audit chain against an attacker who is a superuser of the database: connected with the
// cluster's admin URL, triggers off (session_replication_role, ALTER TABLE … DISABLE TRIGGER),
// free to edit, delete, reorder and recompute hashes — but without the product's secret key and
// without the checkpoint file. Each attack is reported by verify, with its reason. Also the
// checkpoint file's own damage, the one-time re-key, the periodic checkpoint and ids. One file
// (past 300 lines) because every case shares the same fixtures: a chain, a file, a superuser.
import { randomBytes } from 'node:crypto';
import { appendFile, mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  AUDIT_REKEY_MIGRATION,
  deriveAuditKey,
  GENESIS_HASH,
  keyedHash,
  recordAudit,
  rekeyAfterMigrations,
  rekeyAuditChain,
  unkeyedHash,
} from '../src/audit.ts';
import { AuditCheckpointFile, deriveCheckpointKey } from '../src/audit-checkpoints.ts';
import { checkpointAuditChain, checkpointAuditHead } from '../src/audit-checkpointing.ts';
import { verifyAuditChain } from '../src/audit-verify.ts';
import type { AuditEvent } from '../src/generated/client.ts';
import { roleDatabase, type RoleDatabase } from './support.ts';

let d: RoleDatabase;
let dir: string;
let file: AuditCheckpointFile;
let ids: bigint[];

/** Writes n events through the product's own path, as the application role. */
async function record(n: number): Promise<void> {
  for (let i = 0; i < n; i++) {
    await d.app.$transaction(async (tx) => {
      await recordAudit(
        tx,
        { id: null, name: `actor-${i}`, ip: '127.0.0.1' },
        { action: 'device.updated', targetType: 'device', targetId: `d${i}`, details: { n: i, tags: ['a', 'b'] } },
      );
    });
  }
  ids = (await d.app.auditEvent.findMany({ orderBy: { id: 'asc' }, select: { id: true } })).map((r) => r.id);
}

/** As the superuser with every trigger off, as an attacker with superuser would. */
async function asSuperuser(statements: (c: pg.Client) => Promise<void>): Promise<void> {
  const c = new pg.Client({ connectionString: d.adminUrl });
  await c.connect();
  try {
    await c.query('SET session_replication_role = replica');
    await statements(c);
  } finally {
    await c.end();
  }
}

const rows = () => d.app.auditEvent.findMany({ orderBy: { id: 'asc' } });

/** Rewrites prevHash/hash from row `from` on with `hash`, as a forger recomputing the chain would. */
async function recompute(from: bigint, hash: (e: AuditEvent, prevHash: string) => string): Promise<void> {
  const all = await rows();
  let prev = all.filter((r) => r.id < from).at(-1)?.hash ?? GENESIS_HASH;
  await asSuperuser(async (c) => {
    for (const e of all.filter((r) => r.id >= from)) {
      const h = hash(e, prev);
      await c.query('UPDATE "AuditEvent" SET "prevHash" = $1, hash = $2 WHERE id = $3', [prev, h, e.id]);
      prev = h;
    }
  });
}

const verify = async () => verifyAuditChain(d.app, { checkpoints: await file.read() });

beforeEach(async () => {
  d = await roleDatabase();
  dir = await mkdtemp(path.join(os.tmpdir(), 'hitless-audit-'));
  file = new AuditCheckpointFile(path.join(dir, 'checkpoints.jsonl'), deriveCheckpointKey(d.secretKey));
  await record(5);
});
afterEach(async () => {
  await d.drop();
  await rm(dir, { recursive: true, force: true });
});

describe('an intact chain', () => {
  it('verifies, says since when, and checkpoints its head into a 0600 file', async () => {
    const { checkpoint, verification } = await checkpointAuditChain(d.app, file);
    expect(verification).toMatchObject({ ok: true, checked: 5, brokenAt: null, problem: null, problems: 0 });
    expect(verification.intactFrom?.id).toBe(ids[0]!.toString());
    expect(checkpoint).toMatchObject({ seq: 1, headId: ids[4]!.toString(), count: 5 });
    expect((await stat(file.file)).mode & 0o777).toBe(0o600);
    // An unchanged head is not checkpointed again.
    expect((await checkpointAuditChain(d.app, file)).checkpoint).toBeNull();
    const again = await verify();
    expect(again).toMatchObject({ ok: true, lastCheckpoint: { seq: 1, headId: ids[4]!.toString() } });
    expect(again.checkpoints).toEqual({ checked: 1, matched: 1, forged: 0, unreadable: 0, missing: false });
    expect(again).toMatchObject({ unkeyed: 0, warnings: [] });
  });

  it('covers the id: the same content under another id does not verify', async () => {
    const [e] = await rows();
    const key = deriveAuditKey(d.secretKey);
    expect(keyedHash(key, e!.id, e!)).toBe(e!.hash);
    expect(keyedHash(key, e!.id + 1n, e!)).not.toBe(e!.hash);
    expect(keyedHash(deriveAuditKey(randomBytes(32)), e!.id, e!)).not.toBe(e!.hash);
  });
});

describe('as a superuser', () => {
  it('(a) an edited row with every later hash recomputed the old, unkeyed way is found, at that row', async () => {
    await asSuperuser((c) => c.query(`UPDATE "AuditEvent" SET "actorName" = 'mallory' WHERE id = $1`, [ids[2]]).then());
    await recompute(ids[2]!, (e, prevHash) => unkeyedHash({ ...e, prevHash }));
    const v = await verify();
    expect(v).toMatchObject({ ok: false, checked: 5, brokenAt: ids[2]!.toString() });
    expect(v.problem).toMatchObject({ reason: 'content-changed', message: expect.stringMatching(/unkeyed hash/) });
    expect(v.intactFrom).toBeNull();
  });

  it('(a) … and recomputed with a wrong key, at that row', async () => {
    const wrong = deriveAuditKey(randomBytes(32));
    await asSuperuser((c) => c.query(`UPDATE "AuditEvent" SET details = '{"n":99}' WHERE id = $1`, [ids[1]]).then());
    await recompute(ids[1]!, (e, prevHash) => keyedHash(wrong, e.id, { ...e, prevHash }));
    const v = await verify();
    expect(v).toMatchObject({ ok: false, brokenAt: ids[1]!.toString(), problem: { reason: 'content-changed' } });
    expect(v.problems).toBe(4);
  });

  it('(a) an edit left as it is: found at that row, intact again from the next', async () => {
    await asSuperuser((c) => c.query(`UPDATE "AuditEvent" SET ip = '10.0.0.1' WHERE id = $1`, [ids[3]]).then());
    const v = await verify();
    expect(v).toMatchObject({ ok: false, brokenAt: ids[3]!.toString(), problem: { reason: 'content-changed' } });
    expect(v.intactFrom?.id).toBe(ids[4]!.toString());
  });

  it('(b) a deleted middle row', async () => {
    await asSuperuser((c) => c.query('DELETE FROM "AuditEvent" WHERE id = $1', [ids[2]]).then());
    const v = await verify();
    expect(v).toMatchObject({ ok: false, checked: 4, brokenAt: ids[3]!.toString() });
    expect(v.problem).toMatchObject({
      reason: 'row-missing',
      message: `a row between #${ids[1]} and #${ids[3]} is missing`,
    });
    expect(v.intactFrom?.id).toBe(ids[3]!.toString());
  });

  it('(c) a deleted newest row: rows missing after the last checkpoint', async () => {
    await checkpointAuditChain(d.app, file);
    await record(1);
    const second = (await checkpointAuditChain(d.app, file)).checkpoint!;
    expect(second).toMatchObject({ seq: 2, headId: ids[5]!.toString(), count: 6 });
    await asSuperuser((c) => c.query('DELETE FROM "AuditEvent" WHERE id = $1', [ids[5]]).then());
    const v = await verify();
    expect(v).toMatchObject({ ok: false, checked: 5, brokenAt: null });
    expect(v.problem).toMatchObject({
      reason: 'rows-missing-after-checkpoint',
      checkpoint: { seq: 2, at: second.at, headId: ids[5]!.toString() },
    });
    expect(v.problem!.message).toContain(`rows after #${ids[4]} are missing`);
    // Intact since the first row, and it still matches checkpoint #1.
    expect(v.intactFrom?.id).toBe(ids[0]!.toString());
    expect(v.lastCheckpoint).toMatchObject({ seq: 1, headId: ids[4]!.toString() });
    // The shorter chain is not vouched for by a new checkpoint.
    await record(1);
    expect((await checkpointAuditChain(d.app, file)).checkpoint).toBeNull();
    expect((await verify()).problem?.reason).toBe('row-missing');
  });

  it('(d) a reorder: two rows swapping their ids', async () => {
    await asSuperuser(async (c) => {
      await c.query('UPDATE "AuditEvent" SET id = -1 WHERE id = $1', [ids[1]]);
      await c.query('UPDATE "AuditEvent" SET id = $1 WHERE id = $2', [ids[1], ids[3]]);
      await c.query('UPDATE "AuditEvent" SET id = $1 WHERE id = -1', [ids[3]]);
    });
    const v = await verify();
    expect(v).toMatchObject({ ok: false, brokenAt: ids[1]!.toString() });
    expect(v.problem).toMatchObject({
      reason: 'order-changed',
      message: `row #${ids[1]} holds the event written as #${ids[3]}: rows were reordered`,
    });
  });

  it('(d) a reorder: two rows swapping their contents and hashes', async () => {
    const [a, b] = [(await rows())[0]!, (await rows())[2]!];
    const put = (c: pg.Client, id: bigint, e: AuditEvent, hash: string) =>
      c.query(
        `UPDATE "AuditEvent" SET at = $2, "actorName" = $3, "targetId" = $4, details = $5, "prevHash" = $6, hash = $7 WHERE id = $1`,
        [id, e.at, e.actorName, e.targetId, JSON.stringify(e.details), e.prevHash, hash],
      );
    await asSuperuser(async (c) => {
      await c.query(`UPDATE "AuditEvent" SET hash = 'swap' WHERE id = $1`, [a.id]);
      await put(c, b.id, a, a.hash);
      await put(c, a.id, b, b.hash);
    });
    const v = await verify();
    expect(v).toMatchObject({ ok: false, brokenAt: ids[0]!.toString(), problem: { reason: 'order-changed' } });
  });

  it('(e) an emptied table', async () => {
    const { checkpoint } = await checkpointAuditChain(d.app, file);
    const c = new pg.Client({ connectionString: d.adminUrl });
    await c.connect();
    await c.query('ALTER TABLE "AuditEvent" DISABLE TRIGGER "AuditEvent_append_only"');
    await c.query('TRUNCATE "AuditEvent"');
    await c.query('ALTER TABLE "AuditEvent" ENABLE TRIGGER "AuditEvent_append_only"');
    await c.end();
    const v = await verify();
    expect(v).toMatchObject({ ok: false, checked: 0, intactFrom: null, head: null, lastCheckpoint: null });
    expect(v.problem).toMatchObject({
      reason: 'table-emptied',
      message: `the audit table is empty, but checkpoint #1 (${checkpoint!.at}) recorded 5 rows up to #${ids[4]}`,
    });
    // New events after the purge do not hide it.
    await record(2);
    expect((await verify()).problem).toMatchObject({ reason: 'row-missing', checkpoint: { seq: 1 } });
  });

  it('a checkpoint line written without the key', async () => {
    await checkpointAuditChain(d.app, file);
    const forged = { seq: 2, at: new Date().toISOString(), headId: '1', headHash: 'x', count: 1, sig: 'f'.repeat(64) };
    await appendFile(file.file, `${JSON.stringify(forged)}\n{"torn`);
    const v = await verify();
    expect(v.problem).toMatchObject({
      reason: 'checkpoint-forged',
      message: "line 2 of the checkpoint file is not signed with the product's key",
    });
    // The torn last line (a crash mid-write) is not counted as damage.
    expect(v.checkpoints).toEqual({ checked: 1, matched: 1, forged: 1, unreadable: 0, missing: false });
    expect(v.problems).toBe(1);
  });
});

describe('rows from before keyed hashes', () => {
  /** Rewrites the whole chain with the old unkeyed hashes, as installations before issue 9 have it. */
  const legacy = () => recompute(ids[0]!, (e, prevHash) => unkeyedHash({ ...e, prevHash }));
  const rekey = () => rekeyAuditChain(d.owner, { checkpointFile: file });

  it('are reported as unkeyed, and re-keyed once by the owner, who checkpoints the new head', async () => {
    await legacy();
    const before = await verify();
    expect(before).toMatchObject({ ok: false, brokenAt: ids[0]!.toString(), problem: { reason: 'unkeyed' } });
    expect(before.unkeyed).toBe(5);
    // The application role may not rewrite them (the trigger); the owner may.
    await expect(rekeyAuditChain(d.app, { checkpointFile: file })).rejects.toThrow(/permission denied|append-only/);
    const done = await rekey();
    expect(done).toMatchObject({ rekeyed: 5, checkpoint: { seq: 1, headId: ids[4]!.toString(), count: 5 } });
    expect(await verify()).toMatchObject({ ok: true, checked: 5, unkeyed: 0, lastCheckpoint: { seq: 1 } });
    await record(1);
    expect(await verify()).toMatchObject({ ok: true, checked: 6 });
  });

  it('(H1) never get a checkpoint while any is unkeyed, also with keyed events written after them', async () => {
    await legacy();
    expect((await checkpointAuditChain(d.app, file)).checkpoint).toBeNull();
    // An api started before the re-key appends keyed events linked to the old rows: still no checkpoint…
    await record(2);
    const { checkpoint, verification } = await checkpointAuditChain(d.app, file, { always: true });
    expect(checkpoint).toBeNull();
    expect(verification).toMatchObject({ unkeyed: 5, intactFrom: { id: ids[5]!.toString() } });
    expect((await checkpointAuditHead(d.app, file)).checkpoint).toBeNull();
    // …so the genuine old rows stay "unkeyed", never "content-changed".
    expect((await verify()).problem).toMatchObject({ reason: 'unkeyed', rowId: ids[0]!.toString() });
    expect((await file.read()).missing).toBe(true);
  });

  it('(H2) are re-keyed only once: never after the chain was keyed', async () => {
    await legacy();
    await rekey();
    // A superuser rewrites every row with plain SHA-256 hashes and garbles the checkpoint file.
    await legacy();
    await writeFile(file.file, '{"garbled": true}\n');
    const v = await verify();
    expect(v.problem).toMatchObject({ reason: 'content-changed', message: expect.stringMatching(/unkeyed hash/) });
    expect(JSON.stringify(v)).not.toMatch(/re-key/);
    await expect(rekey()).rejects.toThrow(/checkpoint file .* exists, so the chain has been keyed/);
    // Without the file, a keyed row (an event written since) still refuses the re-key.
    await rm(file.file);
    await record(1);
    await expect(rekey()).rejects.toThrow(new RegExp(`audit row #${ids[5]} is keyed`));
  });

  it('(H2) are re-keyed in the run that applies the roles migration, and in no other', async () => {
    await legacy();
    expect(await rekeyAfterMigrations(d.owner, [], { checkpointFile: file })).toBeNull();
    expect((await verify()).problem?.reason).toBe('unkeyed');
    expect(await rekeyAfterMigrations(d.owner, [AUDIT_REKEY_MIGRATION], { checkpointFile: file })).toMatchObject({
      rekeyed: 5,
    });
    expect(await verify()).toMatchObject({ ok: true });
  });

  it('an empty trail re-keyed leaves the genesis mark: a later all-unkeyed trail is a rewrite, never re-keyed', async () => {
    await asSuperuser((c) => c.query('DELETE FROM "AuditEvent"').then());
    const done = await rekey();
    expect(done).toMatchObject({ rekeyed: 0, checkpoint: { seq: 1, headId: '0', count: 0 } });
    expect(await verify()).toMatchObject({ ok: true, checked: 0, checkpoints: { checked: 0, forged: 0 } });
    await record(2);
    expect(await verify()).toMatchObject({ ok: true, checked: 2 });
    // A superuser rewrites every row the old, unkeyed way (and could re-apply the roles migration).
    await legacy();
    expect((await verify()).problem).toMatchObject({ reason: 'content-changed', rowId: ids[0]!.toString() });
    await expect(rekey()).rejects.toThrow(/checkpoint file .* exists/);
  });

  it('refuses, not warns, when the mark cannot be written', async () => {
    await legacy();
    // A file where its directory should be: not writable, whoever runs this.
    await writeFile(path.join(dir, 'blocker'), '');
    const blocked = new AuditCheckpointFile(
      path.join(dir, 'blocker', 'checkpoints.jsonl'),
      deriveCheckpointKey(d.secretKey),
    );
    await expect(rekeyAuditChain(d.owner, { checkpointFile: blocked })).rejects.toThrow(
      /its mark could not be written/,
    );
  });

  it('are not re-keyed when the old chain was changed', async () => {
    await legacy();
    await asSuperuser((c) => c.query(`UPDATE "AuditEvent" SET "actorName" = 'mallory' WHERE id = $1`, [ids[2]]).then());
    await expect(rekey()).rejects.toThrow(new RegExp(`audit row #${ids[2]} does not verify`));
    expect((await file.read()).missing).toBe(true);
  });
});

describe('the checkpoint file itself (M4)', () => {
  /** Three checkpoints over three heads. */
  async function threeCheckpoints() {
    for (let i = 0; i < 3; i++) {
      await record(1);
      await checkpointAuditChain(d.app, file);
    }
    return (await readFile(file.file, 'utf8')).split('\n').filter(Boolean);
  }

  it('a garbled middle line is reported; only a torn write is forgiven', async () => {
    const lines = await threeCheckpoints();
    await writeFile(file.file, `${lines[0]}\n${lines[1]!.slice(0, 20)}\n${lines[2]}\n`);
    const v = await verify();
    expect(v.problem).toMatchObject({
      reason: 'checkpoint-forged',
      message: 'line 2 of the checkpoint file is unreadable and not a torn write: the file was edited',
    });
    expect(v.checkpoints).toMatchObject({ checked: 2, matched: 2, unreadable: 1 });
  });

  it('a torn last line, and the checkpoint written after it, verify', async () => {
    await threeCheckpoints();
    await appendFile(file.file, '{"seq":4,"at":"20');
    expect((await verify()).ok).toBe(true);
    await record(1);
    const { checkpoint } = await checkpointAuditChain(d.app, file);
    expect(checkpoint).toMatchObject({ seq: 5, tornLine: 4 });
    const v = await verify();
    expect(v).toMatchObject({ ok: true, lastCheckpoint: { seq: 5 } });
    expect(v.checkpoints).toMatchObject({ checked: 4, matched: 4, unreadable: 0 });
  });

  it('a deleted middle line is reported', async () => {
    const lines = await threeCheckpoints();
    await writeFile(file.file, `${lines[0]}\n${lines[2]}\n`);
    const v = await verify();
    expect(v.problem).toMatchObject({
      reason: 'checkpoints-missing',
      message: 'line 2 of the checkpoint file holds checkpoint #3: 1 line(s) before it were removed',
      checkpoint: { seq: 3 },
    });
    // A repeated line is reported too.
    await writeFile(file.file, `${lines[0]}\n${lines[1]}\n${lines[1]}\n`);
    expect((await verify()).problem).toMatchObject({ reason: 'checkpoints-missing' });
  });

  it('a missing file is warned about once keyed rows are older than one checkpoint interval', async () => {
    expect((await verify()).warnings).toEqual([]);
    const later = await verifyAuditChain(d.app, {
      checkpoints: await file.read(),
      intervalMs: 60_000,
      now: new Date(Date.now() + 120_000),
    });
    expect(later).toMatchObject({ ok: true, checkpoints: { missing: true } });
    expect(later.warnings).toEqual([
      expect.stringMatching(/checkpoint file is missing although the chain has keyed rows/),
    ]);
  });

  it('(H3) a file that cannot be written: no checkpoint, a warning, and writeProblem says so', async () => {
    await writeFile(path.join(dir, 'not-a-dir'), '');
    const blocked = new AuditCheckpointFile(path.join(dir, 'not-a-dir', 'c.jsonl'), deriveCheckpointKey(d.secretKey));
    expect(await blocked.writeProblem()).toMatch(/cannot be written \((ENOTDIR|EEXIST)\)/);
    expect(await file.writeProblem()).toBeNull();
    const { checkpoint, warning, verification } = await checkpointAuditChain(d.app, blocked, { always: true });
    expect(checkpoint).toBeNull();
    expect(warning).toMatch(/c\.jsonl cannot be written/);
    expect(verification.warnings).toContain(warning);
  });
});

describe('the periodic checkpoint (M6)', () => {
  it('verifies only the rows after the newest checkpoint', async () => {
    await checkpointAuditChain(d.app, file);
    await record(2);
    // An old row edited behind the checkpoint: the full walk's business, not the increment's.
    await asSuperuser((c) => c.query(`UPDATE "AuditEvent" SET ip = '10.9.9.9' WHERE id = $1`, [ids[1]]).then());
    const r = await checkpointAuditHead(d.app, file);
    expect(r).toMatchObject({
      verification: null,
      rowsRead: 3,
      checkpoint: { seq: 2, headId: ids[6]!.toString(), count: 7 },
    });
    expect((await checkpointAuditHead(d.app, file)).checkpoint).toBeNull();
    expect((await verify()).problem).toMatchObject({ reason: 'content-changed', rowId: ids[1]!.toString() });
  });

  it('falls back to the full walk when the checkpointed head is gone, and vouches for nothing', async () => {
    await checkpointAuditChain(d.app, file);
    await asSuperuser((c) => c.query('DELETE FROM "AuditEvent" WHERE id = $1', [ids[4]]).then());
    await record(1);
    const r = await checkpointAuditHead(d.app, file);
    expect(r.checkpoint).toBeNull();
    expect(r.verification).toMatchObject({ ok: false, problem: { reason: 'row-missing' } });
  });
});

describe('ids (L3)', () => {
  it('follow the chain when the sequence is behind its newest row', async () => {
    const high = ids[4]! + 1000n;
    // A row inserted with a high explicit id (the app role has INSERT; or a restore without a sequence reset).
    await d.app.$executeRaw`INSERT INTO "AuditEvent" (id, at, "actorName", action, "targetType", "prevHash", hash)
      VALUES (${high}, now(), 'restore', 'x', 'x', ${(await rows()).at(-1)!.hash}, 'not-keyed')`;
    await record(1);
    const newest = (await rows()).at(-1)!;
    expect(newest).toMatchObject({ id: high + 1n, actorName: 'actor-0' });
    const v = await verify();
    expect(v.problem).toMatchObject({ reason: 'content-changed', rowId: high.toString() });
    expect(v.intactFrom?.id).toBe((high + 1n).toString());
  });
});
