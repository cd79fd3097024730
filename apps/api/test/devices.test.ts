import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { deviceBody, startHarness, type Client, type Harness } from './harness.ts';

let h: Harness;
let op: Client;
beforeAll(async () => {
  h = await startHarness();
  op = await h.as('OPERATOR');
});
afterAll(async () => h.close());

describe('devices', () => {
  it('creates, reads, updates and deletes a device, auditing each change', async () => {
    const created = await op.post(
      '/api/v1/devices',
      deviceBody({ hostname: 'crud1.lab', mgmtAddress: '127.30.0.1', tags: ['a', 'b', 'a'] }),
    );
    expect(created.statusCode).toBe(201);
    const device = created.json();
    expect(device).toMatchObject({
      hostname: 'crud1.lab',
      port: 22,
      tags: ['a', 'b'],
      credentialId: null,
      facts: null,
    });

    expect((await op.get(`/api/v1/devices/${device.id}`)).json().hostname).toBe('crud1.lab');

    const updated = await op.patch(`/api/v1/devices/${device.id}`, { platform: 'ASR1006', site: null, port: 2222 });
    expect(updated.statusCode).toBe(200);
    expect(updated.json()).toMatchObject({ platform: 'ASR1006', site: null, port: 2222 });

    expect((await op.delete(`/api/v1/devices/${device.id}`)).statusCode).toBe(204);
    expect((await op.get(`/api/v1/devices/${device.id}`)).statusCode).toBe(404);

    const audit = await h.database.db.auditEvent.findMany({ where: { targetId: device.id }, orderBy: { id: 'asc' } });
    expect(audit.map((a) => a.action)).toEqual(['device.created', 'device.updated', 'device.deleted']);
    expect(audit.every((a) => a.actorName === op.username)).toBe(true);
    expect(audit[1]!.details).toMatchObject({ changed: ['platform', 'port', 'site'] });
  });

  it('names the field in every validation error', async () => {
    const cases: [Record<string, unknown>, string][] = [
      [deviceBody({ hostname: 'bad host!' }), 'body.hostname: must be a valid host name'],
      [deviceBody({ mgmtAddress: '999.1.1.1' }), 'body.mgmtAddress: must be an IPv4/IPv6 address or a DNS name'],
      [deviceBody({ port: 70000 }), 'body.port: must be between 1 and 65535'],
      // JSON takes a number as a number: no coercion of true, "22" or [22].
      [deviceBody({ port: true }), 'body.port: must be a number'],
      [deviceBody({ port: '22' }), 'body.port: must be a number'],
      [deviceBody({ port: [22] }), 'body.port: must be a number'],
      [deviceBody({ vendor: 'ARISTA' }), 'body.vendor:'],
      [deviceBody({ platform: '' }), 'body.platform: is required'],
      [deviceBody({ tags: ['ok', 'not ok'] }), 'body.tags.1: tags may contain'],
      [{ ...deviceBody(), hostname: undefined }, 'body.hostname: is required'],
      [deviceBody({ credentialId: 'nope' }), 'body.credentialId: must be a UUID'],
    ];
    for (const [body, message] of cases) {
      const res = await op.post('/api/v1/devices', body);
      expect(res.statusCode, message).toBe(400);
      expect(res.json().code).toBe('VALIDATION_FAILED');
      expect(res.json().message).toContain(message);
    }
    const unknownCredential = await op.post(
      '/api/v1/devices',
      deviceBody({ credentialId: '00000000-0000-4000-8000-000000000000' }),
    );
    expect(unknownCredential.statusCode).toBe(400);
    expect(unknownCredential.json().message).toMatch(/^credentialId: no credential/);
    expect((await op.patch('/api/v1/devices/00000000-0000-4000-8000-000000000000', {})).json().message).toMatch(
      /at least one field/,
    );
  });

  it('answers 409 for a duplicate hostname (any case) or management address', async () => {
    await op.post('/api/v1/devices', deviceBody({ hostname: 'dup.lab', mgmtAddress: '127.31.0.1' }));
    const sameName = await op.post('/api/v1/devices', deviceBody({ hostname: 'DUP.lab', mgmtAddress: '127.31.0.2' }));
    expect(sameName.statusCode).toBe(409);
    expect(sameName.json().message).toMatch(/a device named DUP.lab already exists/);
    const sameAddress = await op.post(
      '/api/v1/devices',
      deviceBody({ hostname: 'dup2.lab', mgmtAddress: '127.31.0.1' }),
    );
    expect(sameAddress.statusCode).toBe(409);
    expect(sameAddress.json().message).toBe('127.31.0.1:22 is already the management address of dup.lab');
    // Same address on another port is a different device (e.g. a console server).
    expect(
      (await op.post('/api/v1/devices', deviceBody({ hostname: 'dup3.lab', mgmtAddress: '127.31.0.1', port: 2001 })))
        .statusCode,
    ).toBe(201);
  });

  it('answers 404 for unknown ids and 400 for malformed ones', async () => {
    const missing = await op.get('/api/v1/devices/00000000-0000-4000-8000-000000000000');
    expect(missing.statusCode).toBe(404);
    expect(missing.json().message).toBe('device 00000000-0000-4000-8000-000000000000 was not found');
    const malformed = await op.get('/api/v1/devices/123');
    expect(malformed.statusCode).toBe(400);
    expect(malformed.json().message).toBe('params.id: must be a UUID');
    expect((await op.delete('/api/v1/devices/00000000-0000-4000-8000-000000000000')).statusCode).toBe(404);
  });

  it('filters by vendor, platform, site, every tag and free text, and pages in a stable order', async () => {
    const mk = (o: Record<string, unknown>) => op.post('/api/v1/devices', deviceBody(o));
    await mk({ hostname: 'f-ams-1', vendor: 'JUNOS', platform: 'MX480', site: 'AMS', tags: ['edge', 'p1'] });
    await mk({ hostname: 'f-ams-2', vendor: 'JUNOS', platform: 'MX480', site: 'AMS', tags: ['edge'] });
    await mk({
      hostname: 'f-fra-1',
      vendor: 'CISCO_IOSXE',
      platform: 'ASR1006',
      site: 'FRA',
      tags: ['core', 'p1'],
      currentVersion: '03.16.05.S',
    });
    const q = async (qs: string) => (await op.get(`/api/v1/devices?${qs}`)).json();
    expect((await q('vendor=JUNOS&q=f-')).items.map((d: { hostname: string }) => d.hostname)).toEqual([
      'f-ams-1',
      'f-ams-2',
    ]);
    expect((await q('platform=mx480')).total).toBe(2);
    expect((await q('site=fra')).items[0].hostname).toBe('f-fra-1');
    expect((await q('tag=p1&q=f-')).total).toBe(2);
    expect((await q('tag=p1&tag=edge')).items.map((d: { hostname: string }) => d.hostname)).toEqual(['f-ams-1']);
    expect((await q('q=03.16')).items.map((d: { hostname: string }) => d.hostname)).toEqual(['f-fra-1']);
    const page1 = await q('q=f-&pageSize=2&page=1&sort=-hostname');
    const page2 = await q('q=f-&pageSize=2&page=2&sort=-hostname');
    expect(page1).toMatchObject({ total: 3, page: 1, pageSize: 2 });
    expect([...page1.items, ...page2.items].map((d: { hostname: string }) => d.hostname)).toEqual([
      'f-fra-1',
      'f-ams-2',
      'f-ams-1',
    ]);
    // Every sort the contract offers works (platform and updatedAt once answered 500).
    const hostnames = async (sort: string) =>
      (await q(`q=f-&sort=${sort}`)).items.map((d: { hostname: string }) => d.hostname);
    expect(await hostnames('platform')).toEqual(['f-fra-1', 'f-ams-1', 'f-ams-2']);
    expect(await hostnames('-platform')).toEqual(['f-ams-1', 'f-ams-2', 'f-fra-1']);
    expect(await hostnames('-site')).toEqual(['f-fra-1', 'f-ams-1', 'f-ams-2']);
    expect(await hostnames('-updatedAt')).toEqual(['f-fra-1', 'f-ams-2', 'f-ams-1']);
    expect(await hostnames('updatedAt')).toEqual(['f-ams-1', 'f-ams-2', 'f-fra-1']);
    const bad = await op.get('/api/v1/devices?pageSize=100000&vendor=x');
    expect(bad.statusCode).toBe(400);
    expect(bad.json().message).toMatch(/querystring.vendor/);
    const facets = (await op.get('/api/v1/devices/facets')).json();
    expect(facets.sites).toEqual(expect.arrayContaining(['AMS', 'FRA']));
    expect(facets.tags).toEqual(expect.arrayContaining(['core', 'edge', 'p1']));
  });

  it('never answers 500 to malformed requests', async () => {
    const bodies = [
      { payload: '{"hostname": ', headers: { 'content-type': 'application/json' } },
      { payload: '[]', headers: { 'content-type': 'application/json' } },
      { payload: 'null', headers: { 'content-type': 'application/json' } },
      { payload: '"x"', headers: { 'content-type': 'application/json' } },
      { payload: 'hostname=x', headers: { 'content-type': 'application/x-www-form-urlencoded' } },
      {
        payload: JSON.stringify({ ...deviceBody(), notes: 'x'.repeat(2_000_000) }),
        headers: { 'content-type': 'application/json' },
      },
      { payload: JSON.stringify({ ...deviceBody(), tags: 'lab' }), headers: { 'content-type': 'application/json' } },
      { payload: JSON.stringify({ ...deviceBody(), port: '22abc' }), headers: { 'content-type': 'application/json' } },
      {
        payload: JSON.stringify({ ...deviceBody(), hostname: 'x'.repeat(300) }),
        headers: { 'content-type': 'application/json' },
      },
      {
        payload: JSON.stringify(deviceBody()).replace('{', '{"__proto__":{"admin":true},'),
        headers: { 'content-type': 'application/json' },
      },
    ];
    for (const b of bodies) {
      const res = await op.request({ method: 'POST', url: '/api/v1/devices', ...b });
      expect(res.statusCode, b.payload.slice(0, 40)).toBeGreaterThanOrEqual(400);
      expect(res.statusCode, b.payload.slice(0, 40)).toBeLessThan(500);
      expect(res.json().code).toBeDefined();
    }
    for (const url of [
      '/api/v1/devices?page=-1',
      '/api/v1/devices?sort=drop%20table',
      '/api/v1/devices/%00',
      '/api/v1/devices?tag=%20',
    ]) {
      const res = await op.get(url);
      expect(res.statusCode, url).toBeLessThan(500);
    }
  });
});
