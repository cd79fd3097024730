// Text the database cannot store (a NUL character, an unpaired UTF-16 surrogate) is refused
// with a 400 naming the field, on every kind of input, before anything is written.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { deviceBody, startHarness, type Harness } from './harness.ts';

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(async () => h.close());

describe('unstorable text', () => {
  it('gets a 400 naming the field, never a 500, on bodies, queries, CSV and the public login', async () => {
    const admin = await h.as('ADMIN');
    const json = (url: string, payload: string, method: 'POST' | 'PATCH' = 'POST') =>
      admin.request({ method, url, payload, headers: { 'content-type': 'application/json' } });
    const cases: [Promise<{ statusCode: number; json(): { code: string; message: string } }>, RegExp][] = [
      [
        h.app.inject({
          method: 'POST',
          url: '/api/v1/auth/login',
          payload: { username: 'ad\u0000min', password: 'x' },
        }),
        /^body\.username: contains a NUL character/,
      ],
      [
        admin.post('/api/v1/devices', deviceBody({ platform: 'c10\u0000k' })),
        /^body\.platform: contains a NUL character at position 3/,
      ],
      [
        admin.post('/api/v1/devices', deviceBody({ notes: 'fine', tags: ['ok', 'b\u0000d'] })),
        /^body\.tags\.1: contains a NUL/,
      ],
      // A JSON escape decodes to a lone surrogate, which PostgreSQL's UTF-8 cannot hold.
      [
        json('/api/v1/devices', JSON.stringify(deviceBody()).replace('"c10k"', '"x\\ud800"')),
        /^body\.platform: contains an unpaired UTF-16 surrogate/,
      ],
      [admin.get('/api/v1/devices?q=%00'), /^querystring\.q: contains a NUL/],
      [admin.get('/api/v1/devices?site=a%00'), /^querystring\.site: contains a NUL/],
      [admin.get('/api/v1/images?q=%00'), /^querystring\.q: contains a NUL/],
      [admin.get('/api/v1/audit?actor=%00'), /^querystring\.actor: contains a NUL/],
      [
        admin.post('/api/v1/credentials', { name: 'n\u0000', username: 'u', secret: 's' }),
        /^body\.name: contains a NUL/,
      ],
      [admin.post('/api/v1/tokens', { name: 't\u0000' }), /^body\.name: contains a NUL/],
      [
        admin.request({
          method: 'POST',
          url: '/api/v1/devices/import',
          payload: 'hostname,mgmt_address,vendor,platform\nnul1.lab,127.21.0.1,JUNOS,m\u0000x\n',
          headers: { 'content-type': 'text/csv' },
        }),
        /^body: contains a NUL character/,
      ],
    ];
    for (const [pending, message] of cases) {
      const res = await pending;
      expect(res.statusCode, String(message)).toBe(400);
      expect(res.json(), String(message)).toMatchObject({
        code: 'VALIDATION_FAILED',
        message: expect.stringMatching(message),
      });
    }
    // A body nested far deeper than any real one is refused, not a crash.
    for (const payload of [
      '['.repeat(200_000) + ']'.repeat(200_000),
      '{"a":'.repeat(100_000) + '1' + '}'.repeat(100_000),
    ]) {
      const deep = await h.app.inject({
        method: 'POST',
        url: '/api/v1/auth/login',
        payload,
        headers: { 'content-type': 'application/json' },
      });
      expect(deep.statusCode).toBe(400);
    }
    // Nothing was written on the way.
    expect((await admin.get('/api/v1/devices?q=nul1')).json().total).toBe(0);
    expect((await admin.get('/api/v1/credentials')).json().items).toEqual([]);
  });
});
