// Filters match literally: `%`, `_` and `\` in a device, image or matrix filter (or a clash check)
// are characters, never LIKE wildcards or escapes; and nothing in a query string makes a 500.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { deviceBody, startHarness, type Client, type Harness } from './harness.ts';

let h: Harness;
let admin: Client;
beforeAll(async () => {
  h = await startHarness();
  admin = await h.as('ADMIN');
});
afterAll(async () => h.close());

const hostnames = async (query: string) => {
  const res = await admin.get(`/api/v1/devices?${query}`);
  expect(res.statusCode, `${query}: ${res.body}`).toBe(200);
  return (res.json() as { items: { hostname: string }[] }).items.map((d) => d.hostname).sort();
};

describe('literal filters', () => {
  it('devices: % _ and \\ in q, site and platform are plain characters', async () => {
    const made = [
      deviceBody({ hostname: 'lit-pct.lab', site: '50%', platform: 'mx_1' }),
      deviceBody({ hostname: 'lit-500.lab', site: '500', platform: 'mxa1' }),
      deviceBody({ hostname: 'lit_und.lab', site: 'LAB_1', redundancyGroup: 'g\\1' }),
      deviceBody({ hostname: 'litxund.lab', site: 'LABX1', currentVersion: '15.0\\' }),
    ];
    for (const d of made) expect((await admin.post('/api/v1/devices', d)).statusCode).toBe(201);

    const q = (s: string) => `q=${encodeURIComponent(s)}`;
    expect(await hostnames(q('50%'))).toEqual(['lit-pct.lab']);
    expect(await hostnames(q('%'))).toEqual(['lit-pct.lab']);
    expect(await hostnames(q('lit_'))).toEqual(['lit_und.lab']);
    expect(await hostnames(q('_'))).toEqual(['lit_und.lab', 'lit-pct.lab'].sort());
    expect(await hostnames(q('\\'))).toEqual(['lit_und.lab', 'litxund.lab']);
    expect(await hostnames(q('15.0\\'))).toEqual(['litxund.lab']);
    expect(await hostnames(q('g\\1'))).toEqual(['lit_und.lab']);
    expect(await hostnames(q('\\\\'))).toEqual([]);
    expect(await hostnames(`site=${encodeURIComponent('LAB_1')}`)).toEqual(['lit_und.lab']);
    expect(await hostnames(`site=${encodeURIComponent('lab_1')}`)).toEqual(['lit_und.lab']);
    expect(await hostnames(`site=${encodeURIComponent('5%')}`)).toEqual([]);
    expect(await hostnames(`site=${encodeURIComponent('50\\')}`)).toEqual([]);
    expect(await hostnames(`platform=${encodeURIComponent('MX_1')}`)).toEqual(['lit-pct.lab']);
    expect(await hostnames(`platform=${encodeURIComponent('mx%')}`)).toEqual([]);
    // The CSV export shares the filter.
    const csv = await admin.get(`/api/v1/devices/export.csv?${q('%')}`);
    expect(csv.statusCode).toBe(200);
    expect(csv.body).toContain('lit-pct.lab');
    expect(csv.body).not.toContain('lit-500.lab');
  });

  it('images and the compatibility matrix: % _ and \\ are plain characters', async () => {
    const image = (version: string, fileName: string, platformFamily = 'fam_a') =>
      admin.post('/api/v1/images', {
        vendor: 'CISCO_IOS',
        platformFamily,
        version,
        fileName,
        sizeBytes: 1,
        sha256: 'a'.repeat(64),
      });
    expect((await image('1_0', 'img-1_0.bin')).statusCode).toBe(201);
    expect((await image('1x0', 'img-1x0.bin', 'famxa')).statusCode).toBe(201);
    expect((await image('2%0\\', 'img-2pct.bin')).statusCode).toBe(201);
    const versions = async (query: string) => {
      const res = await admin.get(`/api/v1/images?${query}`);
      expect(res.statusCode, `${query}: ${res.body}`).toBe(200);
      return (res.json() as { items: { version: string }[] }).items.map((i) => i.version).sort();
    };
    expect(await versions('q=1_0')).toEqual(['1_0']);
    expect(await versions(`q=${encodeURIComponent('%')}`)).toEqual(['2%0\\']);
    expect(await versions(`q=${encodeURIComponent('0\\')}`)).toEqual(['2%0\\']);
    expect(await versions(`q=${encodeURIComponent('\\')}`)).toEqual(['2%0\\']);
    expect(await versions('platformFamily=fam_a')).toEqual(['1_0', '2%0\\']);
    expect(await versions(`platformFamily=${encodeURIComponent('fam%')}`)).toEqual([]);
    expect(await versions(`platformFamily=${encodeURIComponent('fam\\')}`)).toEqual([]);

    const entry = (platformFamily: string) =>
      admin.post('/api/v1/compatibility', {
        vendor: 'CISCO_IOS',
        platformFamily,
        fromVersion: '1',
        toVersion: '2',
        level: 'C',
      });
    expect((await entry('fam_a')).statusCode).toBe(201);
    expect((await entry('famxa')).statusCode).toBe(201);
    const families = async (query: string) => {
      const res = await admin.get(`/api/v1/compatibility?${query}`);
      expect(res.statusCode, `${query}: ${res.body}`).toBe(200);
      return (res.json() as { items: { platformFamily: string }[] }).items.map((i) => i.platformFamily).sort();
    };
    expect(await families('platformFamily=fam_a')).toEqual(['fam_a']);
    expect(await families(`platformFamily=${encodeURIComponent('fam%')}`)).toEqual([]);
    expect(await families(`platformFamily=${encodeURIComponent('fam\\')}`)).toEqual([]);
    expect(await families(`fromVersion=${encodeURIComponent('\\')}`)).toEqual([]);
  });

  it('clash checks compare literally: an _ in a new name does not collide with another character', async () => {
    expect((await admin.post('/api/v1/devices', deviceBody({ hostname: 'clashx1.lab' }))).statusCode).toBe(201);
    const underscore = await admin.post('/api/v1/devices', deviceBody({ hostname: 'clash_1.lab' }));
    expect(underscore.statusCode, underscore.body).toBe(201);
    // Case still does not make a different device.
    expect((await admin.post('/api/v1/devices', deviceBody({ hostname: 'CLASH_1.lab' }))).statusCode).toBe(409);

    await h.createUser('VIEWER', { username: 'opsxa' });
    const user = await admin.post('/api/v1/users', {
      username: 'ops_a',
      role: 'VIEWER',
      password: 'a long and unusual passphrase',
    });
    expect(user.statusCode, user.body).toBe(201);

    const cred = (name: string) => admin.post('/api/v1/credentials', { name, username: 'u', secret: 's' });
    expect((await cred('lab%all')).statusCode).toBe(201);
    expect((await cred('lab%')).statusCode).toBe(201);
    expect((await cred('LAB%')).statusCode).toBe(409);
  });
  it('the audit list: an action prefix is literal too', async () => {
    const total = async (action: string) => {
      const res = await admin.get(`/api/v1/audit?action=${encodeURIComponent(action)}`);
      expect(res.statusCode, `${action}: ${res.body}`).toBe(200);
      return (res.json() as { total: number }).total;
    };
    expect(await total('auth.log')).toBeGreaterThan(0);
    expect(await total('auth.log_')).toBe(0);
    expect(await total('auth.%')).toBe(0);
    expect(await total('auth.\\')).toBe(0);
  });
});

describe('query strings', () => {
  /** Every GET route of the OpenAPI document with its declared query parameters. */
  async function getRoutes() {
    const spec = (await admin.get('/docs/json')).json() as {
      paths: Record<string, Record<string, { parameters?: { in: string; name: string }[] }>>;
    };
    return Object.entries(spec.paths).flatMap(([path, methods]) =>
      methods.get
        ? [
            {
              url: path.replace(/\{[^}]+\}/g, '00000000-0000-4000-8000-000000000000'),
              query: (methods.get.parameters ?? []).filter((p) => p.in === 'query').map((p) => p.name),
            },
          ]
        : [],
    );
  }

  const NASTY = [
    '\\',
    'a\\',
    '%',
    '_',
    "'; DROP TABLE x; --",
    '1e400',
    '99999999999999999999',
    '9007199254740993',
    '-1',
    '0',
    '1.5',
    'NaN',
    'Infinity',
    '0x10',
    'true',
    'not-a-uuid',
    '00000000-0000-0000-0000-00000000000g',
    '2024-13-45T99:99:99Z',
    '',
    ' ',
    'x'.repeat(5000),
    '\u{1F600}\u0301',
  ];

  it('never answers 5xx, whatever the parameters hold (bad types, huge numbers, arrays, unknown keys)', async () => {
    const routes = await getRoutes();
    expect(routes.filter((r) => r.query.length > 0).length).toBeGreaterThanOrEqual(6);
    const failures: string[] = [];
    const check = async (url: string) => {
      const res = await admin.get(url);
      if (res.statusCode >= 500) failures.push(`${url.slice(0, 120)} → ${res.statusCode} ${res.body.slice(0, 200)}`);
    };
    for (const r of routes) {
      await check(`${r.url}?unknown=1&__proto__=x&constructor[prototype]=y`);
      for (const name of r.query) {
        for (const value of NASTY) await check(`${r.url}?${name}=${encodeURIComponent(value)}`);
        // Repeated keys arrive as arrays; bracketed keys and raw, malformed escapes as they are.
        await check(`${r.url}?${name}=a&${name}=b`);
        await check(`${r.url}?${name}[]=a&${name}[x]=b`);
        await check(`${r.url}?${name}=%E0%A4%A&${name}%=%`);
      }
    }
    expect(failures).toEqual([]);
  });

  it('refuses bad numbers, ids and dates with a 400 naming the parameter', async () => {
    const cases: [string, RegExp][] = [
      ['/api/v1/devices?page=1e400', /^querystring\.page: /],
      ['/api/v1/devices?page=99999999999999999999', /^querystring\.page: /],
      ['/api/v1/devices?page=9007199254740991', /^querystring\.page: /],
      ['/api/v1/devices?pageSize=501', /^querystring\.pageSize: /],
      ['/api/v1/devices?page=abc', /^querystring\.page: /],
      ['/api/v1/devices?vendor=CISCO&vendor=JUNOS', /^querystring\.vendor: /],
      ['/api/v1/devices?q=a&q=b', /^querystring\.q: /],
      ['/api/v1/runs?deviceId=not-a-uuid', /^querystring\.deviceId: must be a UUID/],
      ['/api/v1/runs?page=9999999999', /^querystring\.page: /],
      ['/api/v1/audit?page=1e400', /^querystring\.page: /],
    ];
    for (const [url, message] of cases) {
      const res = await admin.get(url);
      expect(res.statusCode, url).toBe(400);
      expect(res.json(), url).toMatchObject({ code: 'VALIDATION_FAILED', message: expect.stringMatching(message) });
    }
  });
});
