// GET /metrics on the api's own port: Prometheus text with the api's series, served to loopback
// peers only when no token is configured, and only for the token when one is; the health routes
// stay as they were; requests are counted under their route's pattern, never their raw URL.
import { randomUUID } from 'node:crypto';
import { parseMetrics, samplesOf } from '@hitless/metrics';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHarness, type Harness } from './harness.ts';

const TOKEN = 'api-metrics-token-0123456789';

const API_SERIES = [
  'hitless_http_request_duration_seconds',
  'hitless_socketio_clients',
  'hitless_runs',
  'hitless_campaigns',
  'hitless_queue_jobs',
];

describe('api /metrics without a token', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness();
  });
  afterAll(async () => h?.close());

  const scrape = async (remoteAddress = '127.0.0.1') => {
    const res = await h.app.inject({ method: 'GET', url: '/metrics', remoteAddress });
    expect(res.statusCode, res.body).toBe(200);
    return parseMetrics(res.body);
  };

  it('answers a loopback peer with Prometheus text naming the api series', async () => {
    await h.app.inject({ method: 'GET', url: '/healthz' });
    const res = await h.app.inject({ method: 'GET', url: '/metrics' });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toBe('text/plain; version=0.0.4; charset=utf-8');
    expect(res.headers['cache-control']).toBe('no-store');
    for (const name of API_SERIES) expect(res.body).toContain(`# TYPE ${name} `);
    const samples = parseMetrics(res.body);
    expect(samplesOf(samples, 'hitless_process_resident_memory_bytes', { service: 'api' })).toHaveLength(1);
    // Every status is there, counted from PostgreSQL (none yet).
    expect(samplesOf(samples, 'hitless_runs').map((s) => [s.labels.status, s.value])).toEqual(
      expect.arrayContaining([
        ['QUEUED', 0],
        ['COMPLETED', 0],
        ['REFUSED', 0],
      ]),
    );
    expect(samplesOf(samples, 'hitless_runs')).toHaveLength(9);
    expect(samplesOf(samples, 'hitless_campaigns')).toHaveLength(11);
    for (const queue of ['device-upgrade', 'device-discovery', 'campaign-tick', 'campaign-precheck'])
      for (const state of ['waiting', 'active', 'delayed', 'failed', 'completed'])
        expect(samplesOf(samples, 'hitless_queue_jobs', { queue, state, service: 'api' }), `${queue} ${state}`).toEqual(
          [expect.objectContaining({ value: 0 })],
        );
    expect(samplesOf(samples, 'hitless_socketio_clients')[0]!.value).toBe(0);
    // Every loopback form is loopback.
    for (const peer of ['127.0.0.1', '127.3.2.1', '::1', '::ffff:127.0.0.1']) await scrape(peer);
  });

  it('refuses a peer that is not loopback, whatever it sends', async () => {
    for (const headers of [{}, { authorization: `Bearer ${TOKEN}` }]) {
      const res = await h.app.inject({ method: 'GET', url: '/metrics', remoteAddress: '192.0.2.7', headers });
      expect(res.statusCode).toBe(403);
      expect(res.json()).toMatchObject({ code: 'FORBIDDEN' });
      expect(res.body).not.toContain('hitless_');
    }
    // A logged-in user from afar is not a scraper either.
    const viewer = await h.as('VIEWER');
    const res = await viewer.request({ method: 'GET', url: '/metrics', remoteAddress: '192.0.2.7' });
    expect(res.statusCode).toBe(403);
  });

  it('refuses a loopback peer that forwards for someone (a same-host proxy), saying how to scrape through one', async () => {
    for (const headers of [
      { 'x-forwarded-for': '192.0.2.7' },
      { forwarded: 'for=192.0.2.7' },
      { 'x-real-ip': '192.0.2.7' },
      // Even one that claims loopback: the proxy's client is not known to be this host.
      { 'x-forwarded-for': '127.0.0.1' },
    ]) {
      const res = await h.app.inject({ method: 'GET', url: '/metrics', remoteAddress: '127.0.0.1', headers });
      expect(res.statusCode, JSON.stringify(headers)).toBe(403);
      expect(res.json()).toMatchObject({ code: 'FORBIDDEN' });
      expect(res.json().message).toContain('set HITLESS_METRICS_TOKEN to scrape through a proxy');
      expect(res.body).not.toContain('hitless_');
    }
  });

  it('leaves /healthz and /readyz as they were, for any peer', async () => {
    for (const remoteAddress of ['127.0.0.1', '192.0.2.7']) {
      expect((await h.app.inject({ method: 'GET', url: '/healthz', remoteAddress })).json()).toEqual({ status: 'ok' });
      const ready = await h.app.inject({ method: 'GET', url: '/readyz', remoteAddress });
      expect([ready.statusCode, ready.json()]).toEqual([200, { status: 'ok', database: 'up', redis: 'up' }]);
    }
  });

  it('counts a request to a parameterised route under its pattern, and an unknown path as unmatched', async () => {
    const viewer = await h.as('VIEWER');
    const id = randomUUID();
    const key = { method: 'GET', route: '/api/v1/devices/:id', status_code: '404' };
    const before = samplesOf(await scrape(), 'hitless_http_request_duration_seconds_count', key)[0]?.value ?? 0;
    expect((await viewer.get(`/api/v1/devices/${id}`)).statusCode).toBe(404);
    expect((await viewer.get(`/api/v1/devices/${randomUUID()}`)).statusCode).toBe(404);
    const junk = `/nothing-here-${randomUUID()}`;
    expect((await h.app.inject({ method: 'GET', url: junk })).statusCode).toBe(404);

    const res = await h.app.inject({ method: 'GET', url: '/metrics' });
    const samples = parseMetrics(res.body);
    expect(samplesOf(samples, 'hitless_http_request_duration_seconds_count', key)[0]!.value).toBe(before + 2);
    const inf = samplesOf(samples, 'hitless_http_request_duration_seconds_bucket', { ...key, le: '+Inf' });
    expect(inf[0]!.value).toBe(before + 2);
    expect(
      samplesOf(samples, 'hitless_http_request_duration_seconds_count', { route: 'unmatched', status_code: '404' })[0]!
        .value,
    ).toBeGreaterThanOrEqual(1);
    // The raw URLs are nowhere: ids never become labels.
    expect(res.body).not.toContain(id);
    expect(res.body).not.toContain(junk);
    const routes = new Set(
      samplesOf(samples, 'hitless_http_request_duration_seconds_count').map((s) => s.labels.route),
    );
    for (const route of routes) expect(route === 'unmatched' || !/[0-9a-f]{8}-[0-9a-f]{4}/.test(route!)).toBe(true);
  });
});

describe('api /metrics with a token', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness({ HITLESS_METRICS_TOKEN: TOKEN });
  });
  afterAll(async () => h?.close());

  it('wants the bearer token, from loopback too, and takes it from anywhere', async () => {
    const viewer = await h.as('VIEWER');
    const refused = [
      h.app.inject({ method: 'GET', url: '/metrics' }),
      h.app.inject({ method: 'GET', url: '/metrics', headers: { authorization: `Bearer ${TOKEN}-wrong` } }),
      h.app.inject({ method: 'GET', url: '/metrics', headers: { authorization: `Bearer ${TOKEN.slice(1)}` } }),
      h.app.inject({ method: 'GET', url: '/metrics', headers: { authorization: TOKEN } }),
      // A session is not the metrics token.
      viewer.get('/metrics'),
    ];
    for (const res of await Promise.all(refused)) {
      expect(res.statusCode).toBe(401);
      expect(res.headers['www-authenticate']).toBe('Bearer');
      expect(res.json()).toMatchObject({ code: 'UNAUTHENTICATED' });
      expect(res.body).not.toContain('hitless_');
    }
    for (const remoteAddress of ['127.0.0.1', '192.0.2.7']) {
      const res = await h.app.inject({
        method: 'GET',
        url: '/metrics',
        remoteAddress,
        headers: { authorization: `Bearer ${TOKEN}` },
      });
      expect(res.statusCode).toBe(200);
      expect(res.body).toContain('# TYPE hitless_runs gauge');
    }
    // Through a proxy, the token is what counts.
    const proxied = await h.app.inject({
      method: 'GET',
      url: '/metrics',
      headers: { authorization: `Bearer ${TOKEN}`, 'x-forwarded-for': '192.0.2.7' },
    });
    expect(proxied.statusCode).toBe(200);
    // The token is never logged.
    expect(h.logs.join('')).not.toContain(TOKEN);
  });
});

describe('api /metrics behind a trusted proxy, without a token', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness({ HITLESS_TRUST_PROXY: '127.0.0.1' });
  });
  afterAll(async () => h?.close());

  it('refuses by the forwarding headers, even when request.ip (from the trusted proxy) is loopback', async () => {
    const res = await h.app.inject({
      method: 'GET',
      url: '/metrics',
      remoteAddress: '127.0.0.1',
      headers: { 'x-forwarded-for': '127.0.0.2' },
    });
    expect(res.statusCode).toBe(403);
    expect(res.json().message).toContain('set HITLESS_METRICS_TOKEN to scrape through a proxy');
    expect((await h.app.inject({ method: 'GET', url: '/metrics', remoteAddress: '127.0.0.1' })).statusCode).toBe(200);
  });
});
