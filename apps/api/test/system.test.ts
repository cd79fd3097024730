import { writeHeartbeat } from '@hitless/messaging';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHarness, type Harness } from './harness.ts';

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(async () => h.close());

describe('health and system status', () => {
  it('answers liveness and readiness without authentication', async () => {
    expect((await h.app.inject({ method: 'GET', url: '/healthz' })).json()).toEqual({ status: 'ok' });
    expect((await h.app.inject({ method: 'GET', url: '/readyz' })).json()).toEqual({
      status: 'ok',
      database: 'up',
      redis: 'up',
    });
  });

  it('lists workers that reported a heartbeat', async () => {
    const now = new Date().toISOString();
    await writeHeartbeat(h.redis, h.config.redis.prefix, {
      id: 'w-1',
      hostname: 'test',
      pid: 1,
      startedAt: now,
      seenAt: now,
    });
    const viewer = await h.as('VIEWER');
    const status = (await viewer.get('/api/v1/system/status')).json();
    expect(status).toMatchObject({ database: 'up', redis: 'up', workers: [{ id: 'w-1', hostname: 'test' }] });
  });

  it('serves an OpenAPI 3 document and its UI to logged-in users', async () => {
    const viewer = await h.as('VIEWER');
    const spec = (await viewer.get('/docs/json')).json();
    expect(spec.openapi).toMatch(/^3\./);
    expect(Object.keys(spec.paths)).toEqual(
      expect.arrayContaining(['/api/v1/devices', '/api/v1/devices/import', '/api/v1/credentials/{id}']),
    );
    const post = spec.paths['/api/v1/devices'].post;
    expect(post.requestBody.content['application/json'].schema.required).toEqual(
      expect.arrayContaining(['hostname', 'mgmtAddress', 'vendor', 'platform']),
    );
    expect(Object.keys(post.responses)).toEqual(expect.arrayContaining(['201', '400', '401', '403', '409']));
    const ui = await viewer.get('/docs/');
    expect(ui.statusCode).toBe(200);
    expect(ui.headers['content-type']).toMatch(/text\/html/);
  });

  it('answers unknown API routes with a 404 body', async () => {
    const viewer = await h.as('VIEWER');
    const res = await viewer.get('/api/v1/nope');
    expect(res.statusCode).toBe(404);
    expect(res.json()).toMatchObject({ code: 'NOT_FOUND' });
  });
});
