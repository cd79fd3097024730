// The ops server over a real socket: health, readiness against a real TCP dependency that goes
// away, metrics with and without a token. (A non-loopback peer cannot be made here, where every
// server binds to loopback: scrape.test.ts and the api's metrics test cover that refusal.)
import net from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  Counter,
  createRegistry,
  startOpsServer,
  startOpsServerOrWarn,
  type OpsServer,
  type ReadinessCheck,
} from '../src/index.ts';

const TOKEN = 'ops-token-0123456789abcdef';

/** A real dependency: a TCP listener the readiness check connects to. */
async function listener(): Promise<{ port: number; close(): Promise<void> }> {
  const server = net.createServer((s) => s.end());
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    port: (server.address() as net.AddressInfo).port,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

const tcpCheck = (name: string, port: number): ReadinessCheck => ({
  name,
  check: () =>
    new Promise<void>((resolve, reject) => {
      const s = net.connect(port, '127.0.0.1', () => {
        s.destroy();
        resolve();
      });
      s.once('error', reject);
    }),
});

const logs: { o: object; m: string }[] = [];
const logger = {
  info: (o: object, m: string) => logs.push({ o, m }),
  warn: (o: object, m: string) => logs.push({ o, m }),
};

describe('ops server', () => {
  let dep: Awaited<ReturnType<typeof listener>>;
  let open: OpsServer;
  let secured: OpsServer;
  const registry = createRegistry('worker');
  const counter = new Counter({
    name: 'hitless_test_things_total',
    help: 'things',
    labelNames: ['kind'],
    registers: [registry],
  });

  beforeAll(async () => {
    dep = await listener();
    const checks = [tcpCheck('database', dep.port)];
    open = await startOpsServer({ host: '127.0.0.1', port: 0, token: null, registry, checks, logger });
    secured = await startOpsServer({ host: '127.0.0.1', port: 0, token: TOKEN, registry, checks, logger });
  });
  afterAll(async () => {
    await open?.close();
    await secured?.close();
    await dep?.close().catch(() => undefined);
  });

  const url = (s: OpsServer, path: string) => `http://127.0.0.1:${s.port}${path}`;

  it('listens on an ephemeral port when asked for port 0, and logs the real one', () => {
    expect(open.port).toBeGreaterThan(0);
    expect(secured.port).not.toBe(open.port);
    expect(logs.map((l) => l.o)).toContainEqual({ host: '127.0.0.1', port: open.port });
  });

  it('serves Prometheus text to a loopback peer without a token', async () => {
    counter.inc({ kind: 'a' }, 3);
    const res = await fetch(url(open, '/metrics'));
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('text/plain; version=0.0.4; charset=utf-8');
    const text = await res.text();
    expect(text).toContain('# TYPE hitless_test_things_total counter');
    expect(text).toContain('hitless_test_things_total{kind="a",service="worker"} 3');
    // The process's own figures, prefixed and labelled.
    expect(text).toMatch(/^hitless_process_cpu_user_seconds_total\{service="worker"\} /m);
    expect(text).toMatch(/^hitless_nodejs_eventloop_lag_seconds\{service="worker"\} /m);
  });

  it('without a token, refuses a loopback peer that forwards for someone (a same-host proxy)', async () => {
    const proxied: Record<string, string>[] = [
      { 'x-forwarded-for': '192.0.2.7' },
      { forwarded: 'for=192.0.2.7' },
      { 'x-real-ip': '192.0.2.7' },
    ];
    for (const headers of proxied) {
      const res = await fetch(url(open, '/metrics'), { headers });
      expect(res.status, JSON.stringify(headers)).toBe(403);
      const body = await res.text();
      expect(body).toContain('set HITLESS_METRICS_TOKEN to scrape through a proxy');
      expect(body).not.toContain('hitless_');
    }
    const tokened = await fetch(url(secured, '/metrics'), {
      headers: { authorization: `Bearer ${TOKEN}`, 'x-forwarded-for': '192.0.2.7' },
    });
    expect(tokened.status).toBe(200);
  });

  it('with a token, wants it, whoever asks', async () => {
    const none = await fetch(url(secured, '/metrics'));
    expect(none.status).toBe(401);
    expect(none.headers.get('www-authenticate')).toBe('Bearer');
    const wrong = await fetch(url(secured, '/metrics'), { headers: { authorization: `Bearer ${TOKEN}x` } });
    expect(wrong.status).toBe(401);
    expect(await wrong.text()).not.toContain('hitless_');
    const right = await fetch(url(secured, '/metrics'), { headers: { authorization: `Bearer ${TOKEN}` } });
    expect(right.status).toBe(200);
    expect(await right.text()).toContain('hitless_test_things_total');
  });

  it('answers health without a token, and readiness from its checks (503 when one is down)', async () => {
    const health = await fetch(url(secured, '/healthz'));
    expect([health.status, await health.json()]).toEqual([200, { status: 'ok' }]);
    const ready = await fetch(url(secured, '/readyz'));
    expect([ready.status, await ready.json()]).toEqual([200, { status: 'ok', database: 'up' }]);
    await dep.close();
    const down = await fetch(url(open, '/readyz'));
    expect([down.status, await down.json()]).toEqual([503, { status: 'unavailable', database: 'down' }]);
  });

  it('serves nothing else: 404 for other paths, 405 for other methods, HEAD without a body', async () => {
    expect((await fetch(url(open, '/'))).status).toBe(404);
    expect((await fetch(url(open, '/metrics/../etc'))).status).toBe(404);
    const post = await fetch(url(open, '/metrics'), { method: 'POST', body: 'x' });
    expect([post.status, post.headers.get('allow')]).toEqual([405, 'GET, HEAD']);
    const head = await fetch(url(open, '/healthz'), { method: 'HEAD' });
    expect(head.status).toBe(200);
    expect(await head.text()).toBe('');
  });

  it('closes promptly even with a keep-alive connection open', async () => {
    const extra = await startOpsServer({ host: '127.0.0.1', port: 0, token: null, registry, checks: [], logger });
    await fetch(url(extra, '/healthz'), { keepalive: true });
    const t0 = Date.now();
    await extra.close();
    expect(Date.now() - t0).toBeLessThan(1000);
    await expect(fetch(url(extra, '/healthz'))).rejects.toThrow();
  });
});

describe('startOpsServerOrWarn', () => {
  it('answers null and warns when the port is taken, so the process runs on without its ops server', async () => {
    const taken = await listener();
    const warnings: { o: object; m: string }[] = [];
    const quiet = { info: () => undefined, warn: (o: object, m: string) => warnings.push({ o, m }) };
    try {
      const ops = await startOpsServerOrWarn({
        host: '127.0.0.1',
        port: taken.port,
        token: null,
        registry: createRegistry('collector'),
        checks: [],
        logger: quiet,
      });
      expect(ops).toBeNull();
      expect(warnings).toEqual([
        {
          o: expect.objectContaining({
            host: '127.0.0.1',
            port: taken.port,
            err: expect.objectContaining({ code: 'EADDRINUSE' }),
          }),
          m: 'ops server not started: no /metrics, /healthz or /readyz from this process (set HITLESS_METRICS_PORT)',
        },
      ]);
    } finally {
      await taken.close();
    }
  });

  it('starts the server when the port is free', async () => {
    const ops = await startOpsServerOrWarn({
      host: '127.0.0.1',
      port: 0,
      token: null,
      registry: createRegistry('collector'),
      checks: [],
      logger,
    });
    try {
      expect((await fetch(`http://127.0.0.1:${ops!.port}/healthz`)).status).toBe(200);
    } finally {
      await ops?.close();
    }
  });
});
