import { mkdtemp, rm, stat, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { asSuperuser as superuser } from '@hitless/testkit';
import { eventually } from '@hitless/testkit/poll';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { deviceBody, startHarness, type Harness } from './harness.ts';

let h: Harness;

/** As the cluster's superuser with triggers off: what an attacker with superuser can do. */
const asSuperuser = (statement: string) => superuser(h.database, statement);

beforeAll(async () => {
  h = await startHarness();
});
afterAll(async () => h.close());

describe('audit trail', () => {
  it('records who did what, newest first, filterable by target', async () => {
    const op = await h.as('OPERATOR');
    const device = (await op.post('/api/v1/devices', deviceBody({ hostname: 'audited.lab' }))).json();
    await op.patch(`/api/v1/devices/${device.id}`, { notes: 'moved' });
    const res = await op.get(`/api/v1/audit?targetType=device&targetId=${device.id}`);
    expect(res.statusCode).toBe(200);
    const { items, total } = res.json();
    expect(total).toBe(2);
    expect(items.map((e: { action: string }) => e.action)).toEqual(['device.updated', 'device.created']);
    expect(items[0]).toMatchObject({ actorName: op.username, targetId: device.id, ip: expect.any(String) });
  });

  it('names the request that made each change, as its answer said in X-Request-Id; the id is hashed', async () => {
    const op = await h.as('OPERATOR');
    const created = await op.post('/api/v1/devices', deviceBody());
    const again = await op.patch(`/api/v1/devices/${created.json().id}`, { notes: 'x' });
    const ids = [created, again].map((r) => String(r.headers['x-request-id']));
    for (const id of ids) expect(id).toMatch(/^[0-9a-f-]{36}$/);
    expect(ids[0]).not.toBe(ids[1]);
    const { items } = (await op.get(`/api/v1/audit?targetType=device&targetId=${created.json().id}`)).json();
    expect(items.map((e: { requestId: string }) => e.requestId)).toEqual([ids[1], ids[0]]);
    const approver = await h.as('APPROVER');
    expect((await approver.get('/api/v1/audit/verify')).json()).toMatchObject({ ok: true });
    // The request id is covered by the row's hash: changing it breaks the chain there.
    const row = await h.database.db.auditEvent.findFirstOrThrow({ where: { requestId: ids[0] } });
    await asSuperuser(`UPDATE "AuditEvent" SET "requestId" = '${ids[1]}' WHERE id = ${row.id}`);
    expect((await approver.get('/api/v1/audit/verify')).json()).toMatchObject({
      ok: false,
      brokenAt: row.id.toString(),
    });
    await asSuperuser(`UPDATE "AuditEvent" SET "requestId" = '${ids[0]}' WHERE id = ${row.id}`);
    expect((await approver.get('/api/v1/audit/verify')).json()).toMatchObject({ ok: true });
  });

  it('verifies the hash chain, and finds the first tampered event', async () => {
    const op = await h.as('OPERATOR');
    for (let i = 0; i < 3; i++) await op.post('/api/v1/devices', deviceBody());
    const approver = await h.as('APPROVER');
    const ok = (await approver.get('/api/v1/audit/verify')).json();
    expect(ok).toMatchObject({ ok: true, brokenAt: null });
    expect(ok.checked).toBeGreaterThanOrEqual(6);
    expect((await op.get('/api/v1/audit/verify')).statusCode).toBe(403);

    const victim = await h.database.db.auditEvent.findFirstOrThrow({
      where: { action: 'device.created' },
      orderBy: { id: 'asc' },
    });
    // The api's own role may not touch the trail…
    await expect(
      h.database.db.$executeRaw`UPDATE "AuditEvent" SET "actorName" = 'someone-else' WHERE id = ${victim.id}`,
    ).rejects.toThrow(/permission denied/);
    // …a superuser, with the trigger off, can, and verify says where and why.
    await asSuperuser(`UPDATE "AuditEvent" SET "actorName" = 'someone-else' WHERE id = ${victim.id}`);
    const broken = (await approver.get('/api/v1/audit/verify')).json();
    expect(broken).toMatchObject({ ok: false, brokenAt: victim.id.toString(), problem: { reason: 'content-changed' } });
    await asSuperuser(`UPDATE "AuditEvent" SET "actorName" = '${victim.actorName}' WHERE id = ${victim.id}`);
    expect((await approver.get('/api/v1/audit/verify')).json()).toMatchObject({ ok: true });
  });

  it('exports the trail with a signed checkpoint kept outside the database, which then shows a deleted tail', async () => {
    const op = await h.as('OPERATOR');
    await op.post('/api/v1/devices', deviceBody());
    const approver = await h.as('APPROVER');
    expect((await op.get('/api/v1/audit/export')).statusCode).toBe(403);
    const res = await approver.get('/api/v1/audit/export');
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-disposition']).toMatch(/^attachment; filename="hitless-audit-/);
    const exported = res.json();
    const newest = exported.events.at(-1);
    expect(exported.checkpoint).toMatchObject({
      headId: newest.id,
      headHash: newest.hash,
      count: exported.events.length,
    });
    expect(exported.events[1].prevHash).toBe(exported.events[0].hash);
    expect(exported.verification).toMatchObject({ ok: true });
    expect((await stat(h.config.audit.checkpointFile)).mode & 0o777).toBe(0o600);

    await asSuperuser(`DELETE FROM "AuditEvent" WHERE id = ${newest.id}`);
    const v = (await approver.get('/api/v1/audit/verify')).json();
    expect(v).toMatchObject({
      ok: false,
      brokenAt: null,
      problem: { reason: 'rows-missing-after-checkpoint', checkpoint: { headId: newest.id } },
      intactFrom: { id: exported.events[0].id },
    });

    await asSuperuser('DELETE FROM "AuditEvent"');
    expect((await approver.get('/api/v1/audit/verify')).json()).toMatchObject({
      ok: false,
      checked: 0,
      problem: { reason: 'table-emptied' },
    });
  });

  it('a checkpoint file the api cannot write: warned at start, in every verify, and the export still answers (H3)', async () => {
    // As in a container whose volume the api's user may not write: here, a path through a file.
    const dir = await mkdtemp(path.join(os.tmpdir(), 'hitless-audit-blocked-'));
    await writeFile(path.join(dir, 'volume'), '');
    const blocked = await startHarness({
      HITLESS_AUDIT_CHECKPOINT_FILE: path.join(dir, 'volume', 'checkpoints.jsonl'),
    });
    try {
      await eventually(() =>
        expect(blocked.logs.join('')).toMatch(/checkpoints\.jsonl cannot be written \((ENOTDIR|EEXIST)\)/),
      );
      const op = await blocked.as('OPERATOR');
      await op.post('/api/v1/devices', deviceBody());
      const approver = await blocked.as('APPROVER');
      const res = await approver.get('/api/v1/audit/export');
      expect(res.statusCode).toBe(200);
      const exported = res.json();
      expect(exported).toMatchObject({ checkpoint: null, warning: expect.stringMatching(/cannot be written/) });
      expect(exported.events.length).toBeGreaterThan(0);
      const v = (await approver.get('/api/v1/audit/verify')).json();
      expect(v).toMatchObject({ ok: true, checkpoints: { missing: true, unreadable: 0 } });
      expect(v.warnings).toEqual([expect.stringMatching(/checkpoints\.jsonl cannot be written \((ENOTDIR|EEXIST)\)/)]);
    } finally {
      await rm(path.join(dir, 'volume')); // the harness removes the checkpoint file: let it find none
      await blocked.close();
      await rm(dir, { recursive: true, force: true });
    }
  });
});
