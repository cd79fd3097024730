import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { deviceBody, startHarness, type Harness } from './harness.ts';

let h: Harness;
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
    await h.database.db.$executeRaw`UPDATE "AuditEvent" SET "actorName" = 'someone-else' WHERE id = ${victim.id}`;
    const broken = (await approver.get('/api/v1/audit/verify')).json();
    expect(broken).toMatchObject({ ok: false, brokenAt: victim.id.toString() });
  });
});
