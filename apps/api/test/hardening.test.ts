// HTTP hardening: trust-proxy is a list of proxies (never everyone), so X-Forwarded-For from
// anyone else cannot choose the address the login rate limit counts; API answers are never
// cached; HSTS only when the product is served over HTTPS; the dashboard's source maps are not served.
import { mkdtemp, mkdir, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { ConfigError, loadConfig } from '@hitless/config';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHarness, type Harness } from './harness.ts';

const base = {
  DATABASE_URL: 'postgresql://u:p@127.0.0.1:1/db',
  REDIS_URL: 'redis://127.0.0.1:1',
  HITLESS_SECRET_KEY: 'a'.repeat(64),
};

describe('HITLESS_TRUST_PROXY', () => {
  it('takes a list of proxy addresses and networks, and refuses to trust everyone at start-up', () => {
    expect(loadConfig(base).http.trustProxy).toEqual([]);
    expect(loadConfig({ ...base, HITLESS_TRUST_PROXY: 'false' }).http.trustProxy).toEqual([]);
    expect(
      loadConfig({ ...base, HITLESS_TRUST_PROXY: ' 10.0.0.0/8, 127.0.0.1,::1,fd00::/8 ' }).http.trustProxy,
    ).toEqual(['10.0.0.0/8', '127.0.0.1', '::1', 'fd00::/8']);
    expect(loadConfig({ ...base, HITLESS_TRUST_PROXY: '::ffff:10.0.0.0/104' }).http.trustProxy).toEqual([
      '::ffff:10.0.0.0/104',
    ]);
    expect(loadConfig({ ...base, HITLESS_TRUST_PROXY: 'loopback,uniquelocal' }).http.trustProxy).toEqual([
      'loopback',
      'uniquelocal',
    ]);
    const halves = [
      '0.0.0.0/1,128.0.0.0/1',
      '::ffff:0.0.0.0/96',
      '::ffff:0:0/96',
      '0::ffff:0:0/96',
      '0:0:0:0:0:ffff:0:0/96',
      '::/1,8000::/1',
      '1.0.0.0/7',
    ];
    for (const everyone of ['true', '*', '1', 'yes', '0.0.0.0/0', '::/0', ...halves]) {
      expect(() => loadConfig({ ...base, HITLESS_TRUST_PROXY: everyone }), everyone).toThrow(ConfigError);
      expect(() => loadConfig({ ...base, HITLESS_TRUST_PROXY: everyone }), everyone).toThrow(
        /HITLESS_TRUST_PROXY: .*list the addresses or networks of your reverse proxies/,
      );
    }
    for (const bad of ['proxy.example.net', '10.0.0.0/33', '300.1.1.1', '127.0.0.1/8/8']) {
      expect(() => loadConfig({ ...base, HITLESS_TRUST_PROXY: bad }), bad).toThrow(/HITLESS_TRUST_PROXY/);
    }
  });

  it('lets only a trusted proxy say who the client is: a spoofed X-Forwarded-For does not get around the login limit', async () => {
    // The proxy we trust is elsewhere; these requests come straight from 127.9.9.9.
    const direct = await startHarness({ HITLESS_LOGIN_RATE_LIMIT: '3', HITLESS_TRUST_PROXY: '10.1.2.3' });
    try {
      const attempt = (i: number) =>
        direct.app.inject({
          method: 'POST',
          url: '/api/v1/auth/login',
          payload: { username: 'victim', password: `guess-${i}` },
          remoteAddress: '127.9.9.9',
          headers: { 'x-forwarded-for': `203.0.113.${i}` },
        });
      for (let i = 0; i < 3; i++) expect((await attempt(i)).statusCode).toBe(401);
      expect((await attempt(3)).statusCode).toBe(429);
      const failures = await direct.database.db.auditEvent.findMany({ where: { action: 'auth.login_failed' } });
      expect(new Set(failures.map((f) => f.ip))).toEqual(new Set(['127.9.9.9']));
    } finally {
      await direct.close();
    }
    // Behind the trusted proxy, its X-Forwarded-For names the client (its right-most untrusted entry).
    const proxied = await startHarness({ HITLESS_LOGIN_RATE_LIMIT: '3', HITLESS_TRUST_PROXY: '127.9.9.0/24' });
    try {
      const attempt = (client: string) =>
        proxied.app.inject({
          method: 'POST',
          url: '/api/v1/auth/login',
          payload: { username: 'victim', password: 'guess' },
          remoteAddress: '127.9.9.9',
          headers: { 'x-forwarded-for': `198.51.100.1, ${client}` },
        });
      for (let i = 0; i < 3; i++) expect((await attempt('203.0.113.7')).statusCode).toBe(401);
      expect((await attempt('203.0.113.7')).statusCode).toBe(429);
      expect((await attempt('203.0.113.8')).statusCode).toBe(401);
      const ips = (await proxied.database.db.auditEvent.findMany({ where: { action: 'auth.login_failed' } })).map(
        (f) => f.ip,
      );
      expect(new Set(ips)).toEqual(new Set(['203.0.113.7', '203.0.113.8']));
    } finally {
      await proxied.close();
    }
  });
});

describe('response headers', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness();
  });
  afterAll(async () => h?.close());

  it('marks every API answer Cache-Control: no-store, errors included', async () => {
    const viewer = await h.as('VIEWER');
    const answers = [
      await viewer.get('/api/v1/devices'),
      await viewer.get('/api/v1/auth/me'),
      await viewer.get('/api/v1/nope'),
      await viewer.get('/api/v1/devices?page=0'),
      await h.app.inject({ method: 'GET', url: '/api/v1/devices' }),
      await h.app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { username: 'x', password: 'y' } }),
    ];
    expect(answers.map((r) => r.statusCode)).toEqual([200, 200, 404, 400, 401, 401]);
    for (const res of answers) expect(res.headers['cache-control'], res.body).toBe('no-store');
  });

  it('sends no HSTS over plain HTTP', async () => {
    for (const url of ['/healthz', '/api/v1/auth/me', '/api/v1/devices']) {
      const res = await h.app.inject({ method: 'GET', url });
      expect(res.headers['strict-transport-security'], url).toBeUndefined();
      // The rest of helmet's headers are still there.
      expect(res.headers['x-content-type-options'], url).toBe('nosniff');
    }
  });

  it('sends HSTS when the product is served over HTTPS (HITLESS_PUBLIC_URL is https)', async () => {
    const tls = await startHarness({ HITLESS_PUBLIC_URL: 'https://hitless.example.test' });
    try {
      const res = await tls.app.inject({ method: 'GET', url: '/healthz' });
      expect(res.headers['strict-transport-security']).toMatch(/^max-age=\d+/);
    } finally {
      await tls.close();
    }
  });
});

describe('the dashboard files', () => {
  let dist: string;
  let h: Harness;
  beforeAll(async () => {
    dist = await mkdtemp(path.join(os.tmpdir(), 'hitless-web-'));
    await mkdir(path.join(dist, 'assets'));
    await writeFile(path.join(dist, 'index.html'), '<!doctype html><title>Hitless</title>');
    await writeFile(path.join(dist, 'assets/index-abc123.js'), 'console.log(1);\n');
    await writeFile(path.join(dist, 'assets/index-abc123.js.map'), '{"version":3,"sources":["../src/secret.ts"]}');
    h = await startHarness({ HITLESS_WEB_DIST: dist });
  });
  afterAll(async () => {
    await h?.close();
    await rm(dist, { recursive: true, force: true });
  });

  it('serves the app and its assets but never a source map (404, not index.html)', async () => {
    const get = (url: string) => h.app.inject({ method: 'GET', url });
    expect((await get('/assets/index-abc123.js')).statusCode).toBe(200);
    expect((await get('/devices/some-page')).body).toContain('<title>Hitless</title>');
    for (const url of ['/assets/index-abc123.js.map', '/assets/other.js.map', '/index-abc123.js.map']) {
      const res = await get(url);
      expect(res.statusCode, url).toBe(404);
      expect(res.body, url).not.toContain('sources');
    }
    // A missing asset is a 404 too, not the app's HTML under a .js name.
    expect((await get('/assets/gone-0000.js')).statusCode).toBe(404);
  });

  it('builds source maps without linking them from the bundle (vite build.sourcemap "hidden" or off)', async () => {
    const { default: viteConfig } = (await import('../../web/vite.config.ts')) as {
      default: { build?: { sourcemap?: unknown } };
    };
    expect(['hidden', false, undefined]).toContain(viteConfig.build?.sourcemap);
  });
});
