// What the dashboard's audit page asks for: the time range filter (from / to) on the list, and the
// CSV and JSON exports with the same filters (streamed), for the roles that may verify the trail.
import { AUDIT_CSV_COLUMNS } from '@hitless/contracts';
import { recordAudit } from '@hitless/db';
import { parse } from 'csv-parse/sync';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { deviceBody, startHarness, type Client, type Harness } from './harness.ts';

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(async () => h.close());

type Row = Record<(typeof AUDIT_CSV_COLUMNS)[number], string>;
const csvRows = (body: string): Row[] => parse(body, { columns: true, skip_empty_lines: true });
const q = (params: Record<string, string>) => new URLSearchParams(params).toString();

/** Three device changes by one new operator, with instants taken between them. */
async function threeChanges(op: Client) {
  const before = new Date().toISOString();
  const device = (await op.post('/api/v1/devices', deviceBody())).json();
  const afterCreate = new Date().toISOString();
  await op.patch(`/api/v1/devices/${device.id}`, { notes: 'one' });
  const afterFirstEdit = new Date().toISOString();
  await op.patch(`/api/v1/devices/${device.id}`, { notes: 'two, with "quotes", and a comma' });
  const after = new Date().toISOString();
  return { device, before, afterCreate, afterFirstEdit, after };
}

describe('audit list: time range', () => {
  it('keeps the events from `from` and up to `to`, with the other filters', async () => {
    const op = await h.as('OPERATOR');
    const t = await threeChanges(op);
    const list = async (params: Record<string, string>) => {
      const res = await op.get(`/api/v1/audit?${q({ actor: op.username, action: 'device.', ...params })}`);
      expect(res.statusCode).toBe(200);
      return (res.json().items as { action: string; details: { notes?: string } }[]).map((e) => e.action);
    };
    expect(await list({})).toEqual(['device.updated', 'device.updated', 'device.created']);
    expect(await list({ from: t.afterCreate })).toEqual(['device.updated', 'device.updated']);
    expect(await list({ to: t.afterCreate })).toEqual(['device.created']);
    expect(await list({ from: t.afterCreate, to: t.afterFirstEdit })).toEqual(['device.updated']);
    expect(await list({ from: t.after })).toEqual([]);
    expect(await list({ to: t.before })).toEqual([]);
    // An offset other than Z is the same instant.
    const plusTwo = new Date(Date.parse(t.afterCreate) + 2 * 3600_000).toISOString().replace('Z', '+02:00');
    expect(await list({ from: plusTwo })).toEqual(['device.updated', 'device.updated']);
    expect(await list({ from: t.before, action: 'device.created' })).toEqual(['device.created']);
    expect(await list({ action: 'auth.' })).toEqual(['auth.login']);
    // Blank values are no filter, as on the other lists.
    expect(await list({ from: '', to: ' ' })).toHaveLength(3);
  });

  it('answers 400 naming the field for a date it cannot read, or a range that ends before it starts', async () => {
    const op = await h.as('VIEWER');
    for (const [params, field] of [
      [{ from: 'yesterday' }, 'from'],
      [{ to: '2026-13-01T00:00:00Z' }, 'to'],
      [{ from: '2026-12-02' }, 'from'],
      [{ from: '2026-12-02T10:00:00' }, 'from'],
      [{ from: '2026-12-02T10:00:00Z', to: '2026-12-01T10:00:00Z' }, 'to'],
    ] as const) {
      const res = await op.get(`/api/v1/audit?${q(params)}`);
      expect(res.statusCode, JSON.stringify(params)).toBe(400);
      expect(res.json()).toMatchObject({ code: 'VALIDATION_FAILED', issues: [{ path: `querystring.${field}` }] });
      expect(res.json().message).toContain(field);
    }
  });
});

describe('audit export as CSV', () => {
  it('gives one row per event, oldest first, under a header row, with the filters applied', async () => {
    const op = await h.as('OPERATOR');
    const t = await threeChanges(op);
    const approver = await h.as('APPROVER');

    const res = await approver.get(`/api/v1/audit/export.csv?${q({ actor: op.username, action: 'device.' })}`);
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toBe('text/csv; charset=utf-8');
    expect(res.headers['content-disposition']).toMatch(/^attachment; filename="hitless-audit-\d{4}-\d{2}-\d{2}\.csv"$/);
    expect(res.body.split('\n')[0]).toBe(AUDIT_CSV_COLUMNS.join(','));
    const rows = csvRows(res.body);
    expect(rows.map((r) => r.action)).toEqual(['device.created', 'device.updated', 'device.updated']);
    const listed = (await op.get(`/api/v1/audit?${q({ actor: op.username, action: 'device.' })}`))
      .json()
      .items.reverse();
    rows.forEach((row, i) => {
      const e = listed[i];
      expect(row).toEqual({
        id: e.id,
        at: e.at,
        actorName: op.username,
        actorId: op.userId,
        action: e.action,
        targetType: 'device',
        targetId: t.device.id,
        requestId: e.requestId,
        ip: e.ip,
        details: JSON.stringify(e.details),
        hash: e.hash,
      });
    });
    // The details cell is JSON, with its own quotes and commas, read back whole.
    expect(JSON.parse(rows[2]!.details)).toMatchObject({ changed: ['notes'], hostname: t.device.hostname });

    const ranged = await approver.get(
      `/api/v1/audit/export.csv?${q({ actor: op.username, action: 'device.', from: t.afterCreate, to: t.afterFirstEdit })}`,
    );
    expect(csvRows(ranged.body).map((r) => r.id)).toEqual([listed[1].id]);
    const none = await approver.get(`/api/v1/audit/export.csv?${q({ actor: op.username, from: t.after })}`);
    expect(none.statusCode).toBe(200);
    expect(none.body.trim()).toBe(AUDIT_CSV_COLUMNS.join(','));
  });

  it('without a filter exports the whole trail, every event once', async () => {
    const approver = await h.as('APPROVER');
    await threeChanges(await h.as('OPERATOR'));
    const rows = csvRows((await approver.get('/api/v1/audit/export.csv')).body);
    const count = await h.database.db.auditEvent.count();
    expect(rows).toHaveLength(count);
    expect(new Set(rows.map((r) => r.id)).size).toBe(count);
    const ids = rows.map((r) => BigInt(r.id));
    expect(ids).toEqual([...ids].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0)));
  });

  it('keeps a spreadsheet from running a cell as a formula (a user name may start with @ or -)', async () => {
    const suffix = Math.random().toString(36).slice(2, 8);
    for (const name of [`@sum-${suffix}`, `-minus-${suffix}`]) {
      const user = await h.createUser('VIEWER', { username: name });
      await h.login(user.username, user.password);
    }
    const approver = await h.as('APPROVER');
    const rows = csvRows((await approver.get(`/api/v1/audit/export.csv?action=auth.login`)).body);
    const names = rows.map((r) => r.actorName);
    expect(names).toContain(`'@sum-${suffix}`);
    expect(names).toContain(`'-minus-${suffix}`);
    expect(names.every((n) => !/^[=+\-@]/.test(n))).toBe(true);
  });

  it('is refused to viewers and operators, and to anonymous callers; a bad date is a 400', async () => {
    for (const role of ['VIEWER', 'OPERATOR'] as const) {
      const res = await (await h.as(role)).get('/api/v1/audit/export.csv');
      expect(res.statusCode, role).toBe(403);
      expect(res.body).not.toContain('device.created');
    }
    const anonymous = await h.app.inject({ method: 'GET', url: '/api/v1/audit/export.csv' });
    expect(anonymous.statusCode).toBe(401);
    const approver = await h.as('APPROVER');
    const bad = await approver.get('/api/v1/audit/export.csv?from=soon');
    expect(bad.statusCode).toBe(400);
    expect(bad.json().issues).toEqual([expect.objectContaining({ path: 'querystring.from' })]);
    expect((await (await h.as('ADMIN')).get('/api/v1/audit/export.csv')).statusCode).toBe(200);
  });
});

describe('audit export as JSON', () => {
  it('holds the events matching the filters, each with its prevHash, and a checkpoint of the whole chain', async () => {
    const op = await h.as('OPERATOR');
    const t = await threeChanges(op);
    const approver = await h.as('APPROVER');
    const filter = { actor: op.username, action: 'device.', from: t.afterCreate };
    const res = await approver.get(`/api/v1/audit/export?${q(filter)}`);
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toBe('application/json; charset=utf-8');
    expect(res.headers['content-disposition']).toMatch(
      /^attachment; filename="hitless-audit-\d{4}-\d{2}-\d{2}\.json"$/,
    );
    const exported = res.json();
    expect(exported.filter).toEqual(filter);
    expect(exported.events.map((e: { action: string }) => e.action)).toEqual(['device.updated', 'device.updated']);
    const listed = (await op.get(`/api/v1/audit?${q(filter)}`)).json().items.reverse();
    expect(exported.events.map((e: { id: string }) => e.id)).toEqual(listed.map((e: { id: string }) => e.id));
    for (const e of exported.events) {
      expect(e).toMatchObject({ actorName: op.username, targetId: t.device.id, prevHash: expect.any(String) });
    }
    // The checkpoint signs the chain's head, not the filtered set; the events end at or before it.
    const all = await h.database.db.auditEvent.count();
    expect(exported.checkpoint).toMatchObject({ count: all });
    expect(exported.verification).toMatchObject({ ok: true, checked: all });
    expect(BigInt(exported.events.at(-1).id) <= BigInt(exported.checkpoint.headId)).toBe(true);

    const none = (await approver.get(`/api/v1/audit/export?${q({ actor: op.username, from: t.after })}`)).json();
    expect(none.events).toEqual([]);
    expect(none.checkpoint).not.toBeNull();
  });

  it('without a filter is the whole chain up to the signed head, each prevHash the hash before it', async () => {
    await threeChanges(await h.as('OPERATOR'));
    const approver = await h.as('APPROVER');
    const exported = (await approver.get('/api/v1/audit/export?action=')).json();
    expect(exported.filter).toBeNull();
    expect(exported.events).toHaveLength(exported.checkpoint.count);
    expect(exported.events.at(-1)).toMatchObject({
      id: exported.checkpoint.headId,
      hash: exported.checkpoint.headHash,
    });
    for (let i = 1; i < exported.events.length; i++) {
      expect(exported.events[i].prevHash).toBe(exported.events[i - 1].hash);
    }
  });

  it('is refused to viewers and operators; bad filters are a 400 naming the field', async () => {
    for (const role of ['VIEWER', 'OPERATOR'] as const) {
      const res = await (await h.as(role)).get('/api/v1/audit/export?actor=admin');
      expect(res.statusCode, role).toBe(403);
      expect(res.body).not.toContain('prevHash');
    }
    expect((await h.app.inject({ method: 'GET', url: '/api/v1/audit/export' })).statusCode).toBe(401);
    const approver = await h.as('APPROVER');
    for (const [params, field] of [
      [{ to: 'tomorrow' }, 'to'],
      [{ from: '2026-12-02T10:00:00Z', to: '2026-12-01T10:00:00Z' }, 'to'],
      [{ actor: 'x'.repeat(65) }, 'actor'],
    ] as const) {
      const res = await approver.get(`/api/v1/audit/export?${q(params)}`);
      expect(res.statusCode, JSON.stringify(params)).toBe(400);
      expect(res.json()).toMatchObject({ code: 'VALIDATION_FAILED', issues: [{ path: `querystring.${field}` }] });
    }
  });
});

describe('audit exports of a long trail', () => {
  it('stream every matching event once, in order, across the batches they are read in', async () => {
    const action = `bulk.${Math.random().toString(36).slice(2, 8)}`;
    const n = 1234; // more than one batch of 1,000
    await h.database.db.$transaction(
      async (tx) => {
        for (let i = 0; i < n; i++) {
          await recordAudit(
            tx,
            { id: null, name: 'system', ip: null },
            { action, targetType: 'device', targetId: `d${i}` },
          );
        }
      },
      { timeout: 120_000 },
    );
    const approver = await h.as('APPROVER');
    const rows = csvRows((await approver.get(`/api/v1/audit/export.csv?action=${action}`)).body);
    expect(rows.map((r) => r.targetId)).toEqual(Array.from({ length: n }, (_, i) => `d${i}`));
    const exported = (await approver.get(`/api/v1/audit/export?action=${action}`)).json();
    expect(exported.events.map((e: { targetId: string }) => e.targetId)).toEqual(rows.map((r) => r.targetId));
    expect(exported.events.map((e: { id: string }) => e.id)).toEqual(rows.map((r) => r.id));
  }, 120_000);
});
