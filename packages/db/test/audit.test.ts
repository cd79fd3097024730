// The audit chain against an attacker who is a superuser of the database: connected with the
// cluster's admin URL, triggers off (session_replication_role, ALTER TABLE … DISABLE TRIGGER),
// free to edit, delete, reorder and recompute hashes — but without the product's secret key and
// without the checkpoint file. Each attack is reported by verify, with its reason.
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm, stat, appendFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { deriveAuditKey, GENESIS_HASH, keyedHash, recordAudit, rekeyAuditChain, unkeyedHash } from '../src/audit.ts';
import { AuditCheckpointFile, deriveCheckpointKey } from '../src/audit-checkpoints.ts';
import { checkpointAuditChain, verifyAuditChain } from '../src/audit-verify.ts';
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
    expect(again.checkpoints).toEqual({ checked: 1, matched: 1, forged: 0 });
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
    expect(v.checkpoints).toEqual({ checked: 1, matched: 1, forged: 1 });
  });
});

describe('rows from before keyed hashes', () => {
  /** Rewrites the whole chain with the old unkeyed hashes, as installations before issue 9 have it. */
  const legacy = () => recompute(ids[0]!, (e, prevHash) => unkeyedHash({ ...e, prevHash }));

  it('are reported as unkeyed, and re-keyed once by the owner', async () => {
    await legacy();
    const before = await verify();
    expect(before).toMatchObject({ ok: false, brokenAt: ids[0]!.toString(), problem: { reason: 'unkeyed' } });
    // The application role may not rewrite them (the trigger); the owner may.
    await expect(rekeyAuditChain(d.app)).rejects.toThrow(/permission denied|append-only/);
    expect(await rekeyAuditChain(d.owner)).toEqual({ rekeyed: 5 });
    expect(await verify()).toMatchObject({ ok: true, checked: 5 });
    expect(await rekeyAuditChain(d.owner)).toEqual({ rekeyed: 0 });
    await record(1);
    expect(await verify()).toMatchObject({ ok: true, checked: 6 });
  });

  it('are not re-keyed when the old chain was changed, or when the chain was ever checkpointed', async () => {
    await checkpointAuditChain(d.app, file);
    await legacy();
    await expect(rekeyAuditChain(d.owner, { checkpoints: await file.read() })).rejects.toThrow(
      /not re-keying a rewrite/,
    );
    await asSuperuser((c) => c.query(`UPDATE "AuditEvent" SET "actorName" = 'mallory' WHERE id = $1`, [ids[2]]).then());
    await expect(rekeyAuditChain(d.owner)).rejects.toThrow(new RegExp(`audit row #${ids[2]} does not verify`));
  });
});
