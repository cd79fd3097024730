// What the device page and the inventory read beside a device's own fields: its newest run, the
// ISSU state of its last discovery, its compliance against the family's golden release, and the
// campaigns it belongs to.
import { describe, expect, it } from 'vitest';
import { campaignBody, device, image } from './campaigns-fixtures.ts';
import { fileHarness } from './harness.ts';

const t = fileHarness();

const run = (deviceId: string, imageId: string, o: { toVersion: string; createdAt: Date; status?: 'COMPLETED' }) =>
  t.h.database.db.deviceRun.create({
    data: {
      deviceId,
      imageId,
      procedure: 'CISCO_ISSU',
      toVersion: o.toVersion,
      status: o.status ?? 'COMPLETED',
      createdById: t.op.userId,
      createdAt: o.createdAt,
      startedAt: o.createdAt,
      endedAt: new Date(o.createdAt.getTime() + 60_000),
    },
  });

describe('the device DTO', () => {
  it('carries the newest run, the discovered ISSU state and the compliance, in the list and alone', async () => {
    const d = await device(t.h, { version: '12.2(33)SB8', tag: 'dto-test' });
    const bare = (await t.viewer.get(`/api/v1/devices/${d.id}`)).json();
    expect(bare).toMatchObject({
      platformFamily: 'c10k',
      lastRun: null,
      issuState: null,
      compliance: { status: 'no-golden', goldenVersion: null },
    });

    const sb9 = await image(t.h, { version: '12.2(33)SB9' });
    const sb10 = await image(t.h, { version: '12.2(33)SB10' });
    await t.h.database.db.goldenImage.create({
      data: { vendor: 'CISCO_IOS', platformFamily: 'c10k', imageId: sb10.id },
    });
    const older = await run(d.id, sb9.id, { toVersion: '12.2(33)SB9', createdAt: new Date('2026-01-01T10:00:00Z') });
    const newer = await run(d.id, sb10.id, { toVersion: '12.2(33)SB10', createdAt: new Date('2026-02-01T10:00:00Z') });
    await t.h.database.db.device.update({
      where: { id: d.id },
      data: { facts: { issuState: 'Init', family: 'c10k' }, factsUpdatedAt: new Date() },
    });

    const one = (await t.viewer.get(`/api/v1/devices/${d.id}`)).json();
    expect(one.lastRun).toEqual({
      id: newer.id,
      status: 'COMPLETED',
      targetVersion: '12.2(33)SB10',
      startedAt: '2026-02-01T10:00:00.000Z',
      finishedAt: '2026-02-01T10:01:00.000Z',
    });
    expect(one.lastRun.id).not.toBe(older.id);
    expect(one.issuState).toBe('Init');
    expect(one.compliance).toEqual({ status: 'behind', goldenVersion: '12.2(33)SB10' });

    // The list answers the same, for every row of the page.
    const other = await device(t.h, { version: '12.2(33)SB10', tag: 'dto-test' });
    const list = (await t.viewer.get('/api/v1/devices?tag=dto-test')).json();
    const byId = new Map(list.items.map((x: { id: string }) => [x.id, x]));
    expect(byId.get(d.id)).toMatchObject({ lastRun: { id: newer.id }, issuState: 'Init', compliance: one.compliance });
    expect(byId.get(other.id)).toMatchObject({
      lastRun: null,
      issuState: null,
      compliance: { status: 'compliant', goldenVersion: '12.2(33)SB10' },
    });

    // Another family's golden release is not this one's; a device on a newer release is ahead.
    const mx = await device(t.h, { vendor: 'JUNOS', platform: 'MX480', version: '17.4R1', tag: 'dto-test' });
    expect((await t.viewer.get(`/api/v1/devices/${mx.id}`)).json()).toMatchObject({
      platformFamily: 'mx',
      compliance: { status: 'no-golden' },
    });
    const mxGolden = await image(t.h, { vendor: 'JUNOS', family: 'mx', version: '17.3R3' });
    await t.h.database.db.goldenImage.create({ data: { vendor: 'JUNOS', platformFamily: 'mx', imageId: mxGolden.id } });
    expect((await t.viewer.get(`/api/v1/devices/${mx.id}`)).json().compliance).toEqual({
      status: 'ahead',
      goldenVersion: '17.3R3',
    });
  });

  it('answers a duplicate hostname with a 409 that names the field', async () => {
    const d = await device(t.h);
    const res = await t.op.post('/api/v1/devices', {
      hostname: d.hostname.toUpperCase(),
      mgmtAddress: '127.41.0.9',
      vendor: 'CISCO_IOS',
      platform: 'c10k',
    });
    expect(res.statusCode).toBe(409);
    expect(res.json()).toMatchObject({
      code: 'CONFLICT',
      message: `a device named ${d.hostname.toUpperCase()} already exists`,
      issues: [{ path: 'body.hostname', message: `${d.hostname} is already in the inventory` }],
    });
    // No internal id in what people read.
    expect(res.body).not.toContain(d.id);
  });

  it('says "is required" for a missing or an empty required field alike', async () => {
    for (const body of [
      { hostname: 'x.lab', mgmtAddress: '127.41.0.10', vendor: 'CISCO_IOS' },
      { hostname: 'x.lab', mgmtAddress: '127.41.0.10', vendor: 'CISCO_IOS', platform: ' ' },
    ]) {
      const res = await t.op.post('/api/v1/devices', body);
      expect(res.statusCode).toBe(400);
      expect(res.json().message).toBe('body.platform: is required');
    }
  });
});

describe('GET /api/v1/devices/:id/campaigns', () => {
  it("lists the device's campaigns newest first, with its own state and target, to any signed-in user", async () => {
    const d = await device(t.h, { vendor: 'CISCO_IOSXE', platform: 'ASR1006', version: '03.16.05.S' });
    const target = await image(t.h, { vendor: 'CISCO_IOSXE', family: 'asr1000', version: '03.16.08.S' });
    expect((await t.viewer.get(`/api/v1/devices/${d.id}/campaigns`)).json()).toEqual({ items: [] });

    const first = await t.op.post('/api/v1/campaigns', campaignBody([d.id], [target.id]));
    expect(first.statusCode, first.body).toBe(201);
    const second = await t.op.post('/api/v1/campaigns', campaignBody([d.id], [target.id]));
    expect(second.statusCode, second.body).toBe(201);
    // A draft names the device before its preview plans it.
    const unplanned = (await t.viewer.get(`/api/v1/devices/${d.id}/campaigns`)).json().items;
    expect(unplanned.map((c: { id: string }) => c.id)).toEqual([second.json().id, first.json().id]);
    expect(unplanned[0]).toMatchObject({ deviceState: null, wave: null, targetVersion: '03.16.08.S' });
    // Another device's draft is not this one's.
    const other = await device(t.h, { vendor: 'CISCO_IOSXE', platform: 'ASR1006', version: '03.16.05.S' });
    expect((await t.op.post('/api/v1/campaigns', campaignBody([other.id], [target.id]))).statusCode).toBe(201);
    expect((await t.viewer.get(`/api/v1/devices/${d.id}/campaigns`)).json().items).toHaveLength(2);
    // The preview plans the draft's devices.
    for (const c of [first, second])
      expect((await t.op.post(`/api/v1/campaigns/${c.json().id}/preview`)).statusCode).toBe(202);

    const res = await t.viewer.get(`/api/v1/devices/${d.id}/campaigns`);
    expect(res.statusCode).toBe(200);
    const { items } = res.json();
    expect(items.map((c: { id: string }) => c.id)).toEqual([second.json().id, first.json().id]);
    expect(items[0]).toMatchObject({
      name: second.json().name,
      ticket: second.json().ticket,
      status: 'DRAFT',
      deviceState: 'PENDING',
      runId: null,
      runStatus: null,
      targetVersion: '03.16.08.S',
      timeZone: 'Europe/Paris',
    });
  });

  it('answers 404 for an unknown device, 400 for a bad id, 401 without a session', async () => {
    expect((await t.viewer.get('/api/v1/devices/00000000-0000-4000-8000-000000000000/campaigns')).statusCode).toBe(404);
    const bad = await t.viewer.get('/api/v1/devices/nope/campaigns');
    expect(bad.statusCode).toBe(400);
    expect(bad.json().message).toContain('must be a UUID');
    const anonymous = await t.h.app.inject({
      method: 'GET',
      url: '/api/v1/devices/00000000-0000-4000-8000-000000000000/campaigns',
    });
    expect(anonymous.statusCode).toBe(401);
  });
});
