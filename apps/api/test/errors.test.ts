// Error paths of routes whose other tests cover the happy path: unknown ids, clashes, things
// in use, bad fields, wrong roles and malformed requests. Each asserts the status, the stable
// `code`, and that the message names the field or the thing (key words, not full sentences).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { deviceBody, startHarness, type Client, type Harness } from './harness.ts';

let h: Harness;
let admin: Client;
let op: Client;
beforeAll(async () => {
  h = await startHarness();
  admin = await h.as('ADMIN');
  op = await h.as('OPERATOR');
});
afterAll(async () => h.close());

const MISSING = '00000000-0000-4000-8000-000000000000';
const JSON_HEADERS = { 'content-type': 'application/json' };

let seq = 0;
const image = (o: Record<string, unknown> = {}) => {
  seq++;
  return {
    vendor: 'CISCO_IOS',
    platformFamily: 'c10k',
    version: `12.2(33)SB${seq}`,
    fileName: `c10k-${seq}.bin`,
    sizeBytes: 20171492,
    sha256: 'a'.repeat(64),
    ...o,
  };
};
const entry = (o: Record<string, unknown> = {}) => {
  seq++;
  return {
    vendor: 'CISCO_IOSXE',
    platformFamily: 'cat4500',
    fromVersion: `03.05.${seq}.E`,
    toVersion: `03.06.${seq}.E`,
    level: 'C',
    ...o,
  };
};

async function created(client: Client, url: string, body: unknown): Promise<{ id: string } & Record<string, unknown>> {
  const res = await client.post(url, body);
  expect(res.statusCode, res.body).toBe(201);
  return res.json();
}

describe('compatibility entries', () => {
  it('reads one entry by id', async () => {
    const e = await created(
      op,
      '/api/v1/compatibility',
      entry({ fromVersion: '03.07.01.E', toVersion: '03.07.02.E', level: 'B', source: 'matrix 2024' }),
    );
    const res = await op.get(`/api/v1/compatibility/${e.id}`);
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({
      id: e.id,
      vendor: 'CISCO_IOSXE',
      fromVersion: '03.07.01.E',
      toVersion: '03.07.02.E',
      level: 'B',
      source: 'matrix 2024',
    });
  });

  it('answers 404 NOT_FOUND naming the entry for GET, PATCH and DELETE of an unknown id', async () => {
    for (const res of [
      await op.get(`/api/v1/compatibility/${MISSING}`),
      await op.patch(`/api/v1/compatibility/${MISSING}`, { level: 'I' }),
      await op.delete(`/api/v1/compatibility/${MISSING}`),
    ]) {
      expect(res.statusCode, res.body).toBe(404);
      expect(res.json().code).toBe('NOT_FOUND');
      expect(res.json().message).toMatch(/compatibility/i);
      expect(res.json().message).toContain(MISSING);
    }
    // Deleting twice: the second time the entry is gone.
    const e = await created(op, '/api/v1/compatibility', entry());
    expect((await op.delete(`/api/v1/compatibility/${e.id}`)).statusCode).toBe(204);
    const again = await op.delete(`/api/v1/compatibility/${e.id}`);
    expect(again.statusCode).toBe(404);
    expect(again.json().code).toBe('NOT_FOUND');
  });

  it('answers 409 CONFLICT when a PATCH would duplicate another (from, to) pair, and changes nothing', async () => {
    const a = await created(
      op,
      '/api/v1/compatibility',
      entry({ fromVersion: '16.9.1', toVersion: '16.9.2', level: 'C' }),
    );
    const b = await created(
      op,
      '/api/v1/compatibility',
      entry({ fromVersion: '16.9.1', toVersion: '16.9.3', level: 'I' }),
    );
    const res = await op.patch(`/api/v1/compatibility/${b.id}`, { toVersion: '16.9.2' });
    expect(res.statusCode, res.body).toBe(409);
    expect(res.json().code).toBe('CONFLICT');
    expect((await op.get(`/api/v1/compatibility/${b.id}`)).json()).toMatchObject({ toVersion: '16.9.3', level: 'I' });
    expect((await op.get(`/api/v1/compatibility/${a.id}`)).json()).toMatchObject({ toVersion: '16.9.2', level: 'C' });
    // Patching an entry to its own key is not a clash.
    expect((await op.patch(`/api/v1/compatibility/${a.id}`, { toVersion: '16.9.2', level: 'B' })).statusCode).toBe(200);
  });

  it('answers 400 naming the field for a bad PATCH', async () => {
    const e = await created(op, '/api/v1/compatibility', entry({ fromVersion: '17.1.1', toVersion: '17.1.2' }));
    const level = await op.patch(`/api/v1/compatibility/${e.id}`, { level: 'X' });
    expect(level.statusCode).toBe(400);
    expect(level.json().code).toBe('VALIDATION_FAILED');
    expect(level.json().message).toMatch(/level/);
    const same = await op.patch(`/api/v1/compatibility/${e.id}`, { toVersion: '17.1.1' });
    expect(same.statusCode).toBe(400);
    expect(same.json().code).toBe('VALIDATION_FAILED');
    expect(same.json().message).toMatch(/toVersion.*differ/);
    const empty = await op.patch(`/api/v1/compatibility/${e.id}`, {});
    expect(empty.statusCode).toBe(400);
    expect(empty.json().message).toMatch(/at least one field/);
  });
});

describe('software images', () => {
  it('reads one image by id', async () => {
    const img = await created(
      op,
      '/api/v1/images',
      image({ version: '15.0(2)SG', fileName: 'cat4500-15.bin', releaseDate: '2012-01-31' }),
    );
    const res = await op.get(`/api/v1/images/${img.id}`);
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({
      id: img.id,
      version: '15.0(2)SG',
      fileName: 'cat4500-15.bin',
      sizeBytes: 20171492,
      releaseDate: '2012-01-31',
    });
  });

  it('answers 404 NOT_FOUND naming the image for GET, PATCH and DELETE of an unknown id', async () => {
    for (const res of [
      await op.get(`/api/v1/images/${MISSING}`),
      await op.patch(`/api/v1/images/${MISSING}`, { notes: 'x' }),
      await op.delete(`/api/v1/images/${MISSING}`),
    ]) {
      expect(res.statusCode, res.body).toBe(404);
      expect(res.json().code).toBe('NOT_FOUND');
      expect(res.json().message).toMatch(/image/);
      expect(res.json().message).toContain(MISSING);
    }
  });

  it('answers 409 CONFLICT when a PATCH takes another image’s version or file name on the same platform family', async () => {
    await created(op, '/api/v1/images', image({ version: 'V-A', fileName: 'a.bin' }));
    const b = await created(op, '/api/v1/images', image({ version: 'V-B', fileName: 'b.bin' }));
    for (const patch of [{ version: 'V-A' }, { fileName: 'a.bin' }]) {
      const res = await op.patch(`/api/v1/images/${b.id}`, patch);
      expect(res.statusCode, JSON.stringify(patch)).toBe(409);
      expect(res.json().code).toBe('CONFLICT');
    }
    expect((await op.get(`/api/v1/images/${b.id}`)).json()).toMatchObject({ version: 'V-B', fileName: 'b.bin' });
    // The same version on another platform family is a different image.
    expect((await op.patch(`/api/v1/images/${b.id}`, { version: 'V-A', platformFamily: 'asr1000' })).statusCode).toBe(
      200,
    );
  });

  it('answers 400 naming the field for a bad PATCH', async () => {
    const img = await created(op, '/api/v1/images', image());
    const cases: [Record<string, unknown>, RegExp][] = [
      [{ sizeBytes: 0 }, /body\.sizeBytes/],
      [{ sizeBytes: 1.5 }, /body\.sizeBytes/],
      [{ md5: 'zz' }, /body\.md5/],
      [{ releaseDate: '2024-13-01' }, /body\.releaseDate/],
      [{ vendor: 'ARISTA' }, /body\.vendor/],
      [{ fileName: 'a b.bin' }, /body\.fileName/],
      [{}, /at least one field/],
    ];
    for (const [body, message] of cases) {
      const res = await op.patch(`/api/v1/images/${img.id}`, body);
      expect(res.statusCode, JSON.stringify(body)).toBe(400);
      expect(res.json().code).toBe('VALIDATION_FAILED');
      expect(res.json().message).toMatch(message);
    }
  });

  it('answers 409 CONFLICT to deleting an image a campaign or a run targets, and deletes nothing', async () => {
    const campaignImage = await created(op, '/api/v1/images', image());
    await h.database.db.campaign.create({
      data: {
        name: 'uses image',
        ticket: 'CHG-1',
        selection: { kind: 'ids', deviceIds: [] },
        windowStart: new Date(),
        windowEnd: new Date(Date.now() + 3_600_000),
        timeZone: 'UTC',
        createdById: op.userId,
        targets: { create: [{ imageId: campaignImage.id }] },
      },
    });
    const runImage = await created(op, '/api/v1/images', image());
    const device = await created(op, '/api/v1/devices', deviceBody());
    // A finished run still references its image.
    await h.database.db.deviceRun.create({
      data: {
        deviceId: device.id,
        imageId: runImage.id,
        procedure: 'CISCO_ISSU',
        toVersion: String(runImage['version']),
        status: 'COMPLETED',
        createdById: op.userId,
      },
    });
    for (const img of [campaignImage, runImage]) {
      const res = await op.delete(`/api/v1/images/${img.id}`);
      expect(res.statusCode, res.body).toBe(409);
      expect(res.json().code).toBe('CONFLICT');
      expect(res.json().message).toMatch(/campaign|run/);
      expect(res.json().message).toContain(String(img['version']));
      expect((await op.get(`/api/v1/images/${img.id}`)).statusCode).toBe(200);
      expect(await h.database.db.auditEvent.count({ where: { action: 'image.deleted', targetId: img.id } })).toBe(0);
    }
  });
});

describe('credentials', () => {
  const SECRET = 'Patch-S3cret-Never-Echoed';

  it('answers 404 NOT_FOUND naming the credential for PATCH and DELETE of an unknown id', async () => {
    for (const res of [
      await admin.patch(`/api/v1/credentials/${MISSING}`, { username: 'x' }),
      await admin.delete(`/api/v1/credentials/${MISSING}`),
    ]) {
      expect(res.statusCode, res.body).toBe(404);
      expect(res.json().code).toBe('NOT_FOUND');
      expect(res.json().message).toMatch(/credential/);
      expect(res.json().message).toContain(MISSING);
    }
  });

  it('answers 404, not 409, to a PATCH of an unknown id even when the new name is taken', async () => {
    await created(admin, '/api/v1/credentials', { name: 'taken-name', username: 'u', secret: 'x' });
    const res = await admin.patch(`/api/v1/credentials/${MISSING}`, { name: 'taken-name' });
    expect(res.statusCode, res.body).toBe(404);
    expect(res.json().code).toBe('NOT_FOUND');
  });

  it('answers 400 naming the field for a bad PATCH, never echoes the secret, and changes nothing', async () => {
    const c = await created(admin, '/api/v1/credentials', {
      name: 'bad-patch',
      username: 'netops',
      secret: 'original',
    });
    const before = await h.database.db.credential.findUniqueOrThrow({ where: { id: c.id } });
    const cases: [Record<string, unknown>, RegExp][] = [
      [{ name: '', secret: SECRET }, /body\.name/],
      [{ username: 'x'.repeat(65), secret: SECRET }, /body\.username/],
      [{ secret: '' }, /body\.secret/],
      [{ secret: `${SECRET}${'x'.repeat(1100)}` }, /body\.secret/],
      [{ enableSecret: 12345, secret: SECRET }, /body\.enableSecret/],
      [{}, /at least one field/],
    ];
    for (const [body, message] of cases) {
      const res = await admin.patch(`/api/v1/credentials/${c.id}`, body);
      expect(res.statusCode, JSON.stringify(body).slice(0, 60)).toBe(400);
      expect(res.json().code).toBe('VALIDATION_FAILED');
      expect(res.json().message).toMatch(message);
      expect(res.body).not.toContain(SECRET);
      expect(res.body).not.toMatch(/secretEnc|enableSecretEnc/);
    }
    const after = await h.database.db.credential.findUniqueOrThrow({ where: { id: c.id } });
    expect(after).toEqual(before);
    const read = await admin.get(`/api/v1/credentials/${c.id}`);
    expect(read.body).not.toContain('original');
    expect(read.body).not.toMatch(/secretEnc/);
    expect(h.logs.join('')).not.toContain(SECRET);
  });
});

describe('users', () => {
  it('answers 400 naming the field for a bad PATCH, never echoing a password', async () => {
    const u = await h.createUser('VIEWER');
    const cases: [Record<string, unknown>, RegExp][] = [
      [{ role: 'ROOT' }, /body\.role/],
      [{ disabled: 'yes' }, /body\.disabled/],
      [{ displayName: '' }, /body\.displayName/],
      [{ password: 'short-pw' }, /body\.password.*12/],
    ];
    for (const [body, message] of cases) {
      const res = await admin.patch(`/api/v1/users/${u.id}`, body);
      expect(res.statusCode, JSON.stringify(body)).toBe(400);
      expect(res.json().code).toBe('VALIDATION_FAILED');
      expect(res.json().message).toMatch(message);
      expect(res.body).not.toContain('short-pw');
    }
    expect(await h.database.db.auditEvent.count({ where: { action: 'user.updated', targetId: u.id } })).toBe(0);
  });

  it('answers 400 to an empty PATCH, like every other resource, and audits nothing', async () => {
    const u = await h.createUser('VIEWER');
    const res = await admin.patch(`/api/v1/users/${u.id}`, {});
    expect(res.statusCode, res.body).toBe(400);
    expect(res.json().code).toBe('VALIDATION_FAILED');
    expect(res.json().message).toMatch(/at least one field/);
    expect(await h.database.db.auditEvent.count({ where: { action: 'user.updated', targetId: u.id } })).toBe(0);
  });

  it('answers 404 NOT_FOUND naming the user for PATCH of an unknown id', async () => {
    const res = await admin.patch(`/api/v1/users/${MISSING}`, { role: 'VIEWER' });
    expect(res.statusCode, res.body).toBe(404);
    expect(res.json().code).toBe('NOT_FOUND');
    expect(res.json().message).toMatch(/user/);
    expect(res.json().message).toContain(MISSING);
  });

  it('answers 403 FORBIDDEN to an operator creating, changing or deleting users, and changes nothing', async () => {
    const u = await h.createUser('VIEWER');
    const attempts = [
      await op.post('/api/v1/users', { username: 'op-made', role: 'ADMIN', password: 'x'.repeat(12) }),
      await op.patch(`/api/v1/users/${u.id}`, { role: 'ADMIN' }),
      await op.patch(`/api/v1/users/${op.userId}`, { role: 'ADMIN' }),
      await op.delete(`/api/v1/users/${u.id}`),
      await op.delete(`/api/v1/users/${MISSING}`),
    ];
    for (const res of attempts) {
      expect(res.statusCode, res.body).toBe(403);
      expect(res.json().code).toBe('FORBIDDEN');
      expect(res.json().message).toMatch(/users:manage/);
      expect(res.json().message).toMatch(/OPERATOR/);
    }
    expect(await h.database.db.user.findUnique({ where: { username: 'op-made' } })).toBeNull();
    expect((await h.database.db.user.findUniqueOrThrow({ where: { id: u.id } })).role).toBe('VIEWER');
    expect((await h.database.db.user.findUniqueOrThrow({ where: { id: op.userId } })).role).toBe('OPERATOR');
  });
});

describe('API tokens', () => {
  it('answers 400 naming the field for a bad POST /tokens body, and creates nothing', async () => {
    const viewer = await h.as('VIEWER');
    const cases: [unknown, RegExp][] = [
      [{}, /body\.name/],
      [{ name: '' }, /body\.name/],
      [{ name: 'x'.repeat(65) }, /body\.name/],
      [{ name: 'ci', expiresInDays: 0 }, /body\.expiresInDays/],
      [{ name: 'ci', expiresInDays: 3651 }, /body\.expiresInDays/],
      [{ name: 'ci', expiresInDays: 1.5 }, /body\.expiresInDays/],
      [{ name: 'ci', expiresInDays: '30' }, /body\.expiresInDays/],
    ];
    for (const [body, message] of cases) {
      const res = await viewer.post('/api/v1/tokens', body);
      expect(res.statusCode, JSON.stringify(body).slice(0, 60)).toBe(400);
      expect(res.json().code).toBe('VALIDATION_FAILED');
      expect(res.json().message).toMatch(message);
      expect(res.json().token).toBeUndefined();
    }
    expect(await h.database.db.apiToken.count({ where: { userId: viewer.userId } })).toBe(0);
  });
});

describe('malformed requests', () => {
  it('answers 400 VALIDATION_FAILED, not 500, to a malformed JSON body on every kind of write', async () => {
    const img = await created(op, '/api/v1/images', image());
    const requests = [
      { method: 'POST' as const, url: '/api/v1/compatibility' },
      { method: 'POST' as const, url: '/api/v1/images' },
      { method: 'PATCH' as const, url: `/api/v1/images/${img.id}` },
      { method: 'POST' as const, url: '/api/v1/tokens' },
    ];
    for (const r of requests) {
      for (const payload of ['{"level": ', '{level: "C"}', "{'a': 1}", '{"a": 1,}']) {
        const res = await op.request({ ...r, payload, headers: JSON_HEADERS });
        expect(res.statusCode, `${r.method} ${r.url} ${payload}`).toBe(400);
        expect(res.json().code).toBe('VALIDATION_FAILED');
        expect(res.json().message).toMatch(/json/i);
      }
    }
    const admins = [
      { method: 'PATCH' as const, url: `/api/v1/users/${op.userId}` },
      { method: 'PATCH' as const, url: `/api/v1/credentials/${MISSING}` },
    ];
    for (const r of admins) {
      const res = await admin.request({ ...r, payload: '{"role": ', headers: JSON_HEADERS });
      expect(res.statusCode, `${r.method} ${r.url}`).toBe(400);
      expect(res.json().code).toBe('VALIDATION_FAILED');
    }
  });

  it('answers 400 naming the body to JSON that is not an object', async () => {
    for (const payload of ['[]', '"x"', '42', 'null']) {
      const res = await op.request({ method: 'POST', url: '/api/v1/compatibility', payload, headers: JSON_HEADERS });
      expect(res.statusCode, payload).toBe(400);
      expect(res.json().code).toBe('VALIDATION_FAILED');
      expect(res.json().message).toMatch(/body/);
    }
  });

  it('answers a 4xx, never 500, to a body that is not JSON; 415 UNSUPPORTED_MEDIA_TYPE to an unknown content type', async () => {
    // text/plain has a parser: the body arrives as a string and fails validation as one.
    const text = await op.request({
      method: 'POST',
      url: '/api/v1/images',
      payload: 'vendor=JUNOS',
      headers: { 'content-type': 'text/plain' },
    });
    expect([400, 415], text.body).toContain(text.statusCode);
    expect(['VALIDATION_FAILED', 'UNSUPPORTED_MEDIA_TYPE']).toContain(text.json().code);
    const xml = await op.request({
      method: 'POST',
      url: '/api/v1/images',
      payload: '<image/>',
      headers: { 'content-type': 'application/xml' },
    });
    expect(xml.statusCode, xml.body).toBe(415);
    expect(xml.json().code).toBe('UNSUPPORTED_MEDIA_TYPE');
  });

  it('answers 400 naming params.id, never 500, to an id that is not a UUID', async () => {
    const urls: [string, Client][] = [
      ['/api/v1/compatibility/123', op],
      ['/api/v1/images/not-a-uuid', op],
      ['/api/v1/credentials/00000000-0000-4000-8000-00000000000', admin],
      ['/api/v1/users/abc', admin],
      ['/api/v1/runs/1%20OR%201=1', op],
      ["/api/v1/images/'%3B%20DROP%20TABLE", op],
    ];
    for (const [url, client] of urls) {
      for (const method of ['GET', 'PATCH', 'DELETE'] as const) {
        if (method !== 'GET' && url.includes('/runs/')) continue;
        if (method === 'GET' && url.includes('/users/')) continue;
        const res = await client.request({ method, url, ...(method === 'PATCH' && { payload: { notes: 'x' } }) });
        expect(res.statusCode, `${method} ${url} ${res.body}`).toBe(400);
        expect(res.json().code).toBe('VALIDATION_FAILED');
        expect(res.json().message).toMatch(/params\.id/);
        expect(res.json().message).toMatch(/UUID/);
      }
    }
    // Longer than the router accepts: a 4xx either way, never a 500.
    const long = await op.get(`/api/v1/images/${'a'.repeat(300)}`);
    expect(long.statusCode).toBeGreaterThanOrEqual(400);
    expect(long.statusCode).toBeLessThan(500);
    expect(long.json().code).toBeDefined();
  });

  it('answers 400 naming the parameter to unknown values of enum filters', async () => {
    const cases: [string, RegExp][] = [
      ['/api/v1/images?vendor=ARISTA', /querystring\.vendor/],
      ['/api/v1/images?vendor=junos', /querystring\.vendor/],
      ['/api/v1/compatibility?vendor=HUAWEI', /querystring\.vendor/],
      ['/api/v1/devices?vendor=NOKIA', /querystring\.vendor/],
      ['/api/v1/devices?sort=password', /querystring\.sort/],
      ['/api/v1/runs?status=DONE', /querystring\.status/],
      ['/api/v1/runs?deviceId=123', /querystring\.deviceId/],
    ];
    for (const [url, message] of cases) {
      const res = await op.get(url);
      expect(res.statusCode, url).toBe(400);
      expect(res.json().code).toBe('VALIDATION_FAILED');
      expect(res.json().message, url).toMatch(message);
    }
  });

  it('answers 400 naming pageSize or page when out of range or not a number', async () => {
    const cases: [string, RegExp][] = [
      ['/api/v1/devices?pageSize=501', /querystring\.pageSize/],
      ['/api/v1/devices?pageSize=100000', /querystring\.pageSize/],
      ['/api/v1/runs?pageSize=501', /querystring\.pageSize/],
      ['/api/v1/audit?pageSize=1000', /querystring\.pageSize/],
      ['/api/v1/audit?pageSize=0', /querystring\.pageSize/],
      ['/api/v1/devices?pageSize=abc', /querystring\.pageSize/],
      ['/api/v1/devices?pageSize=2.5', /querystring\.pageSize/],
      ['/api/v1/runs?page=0', /querystring\.page/],
    ];
    for (const [url, message] of cases) {
      const res = await op.get(url);
      expect(res.statusCode, url).toBe(400);
      expect(res.json().code).toBe('VALIDATION_FAILED');
      expect(res.json().message, url).toMatch(message);
    }
    // The maximum itself is fine.
    expect((await op.get('/api/v1/devices?pageSize=500')).statusCode).toBe(200);
  });
});
