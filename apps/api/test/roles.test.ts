import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { deviceBody, startHarness, type Harness } from './harness.ts';

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(async () => h.close());

const MUTATING = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);
/** Mutations every logged-in user may do on their own account. */
const SELF_SERVICE = new Set([
  'POST /api/v1/auth/logout',
  'POST /api/v1/auth/password',
  'POST /api/v1/tokens',
  'DELETE /api/v1/tokens/{id}',
]);

describe('roles', () => {
  it('refuses every mutation to a viewer, before looking at the body', async () => {
    const admin = await h.as('ADMIN');
    const viewer = await h.as('VIEWER');
    const spec = (await admin.get('/docs/json')).json() as { paths: Record<string, Record<string, unknown>> };
    let checked = 0;
    for (const [path, methods] of Object.entries(spec.paths)) {
      for (const method of Object.keys(methods).map((m) => m.toUpperCase())) {
        if (
          !MUTATING.has(method) ||
          !path.startsWith('/api/') ||
          SELF_SERVICE.has(`${method} ${path}`) ||
          path === '/api/v1/auth/login'
        )
          continue;
        const url = path.replace(/\{[^}]+\}/g, '00000000-0000-4000-8000-000000000000');
        const res = await viewer.request({ method: method as 'POST', url, payload: {} });
        expect(res.statusCode, `${method} ${path}`).toBe(403);
        expect(res.json().message).toMatch(/requires role .* you are VIEWER/);
        checked++;
      }
    }
    expect(checked).toBeGreaterThanOrEqual(15);
  });

  it('lets operators edit inventory but not credentials or users', async () => {
    const op = await h.as('OPERATOR');
    expect((await op.post('/api/v1/devices', deviceBody())).statusCode).toBe(201);
    expect((await op.post('/api/v1/credentials', { name: 'x', username: 'u', secret: 's' })).statusCode).toBe(403);
    expect((await op.get('/api/v1/users')).statusCode).toBe(403);
    expect(
      (await op.post('/api/v1/users', { username: 'zz', role: 'ADMIN', password: 'x'.repeat(12) })).statusCode,
    ).toBe(403);
  });

  it('keeps approvers out of the inventory and admins in everything', async () => {
    const approver = await h.as('APPROVER');
    expect((await approver.get('/api/v1/devices')).statusCode).toBe(200);
    expect((await approver.post('/api/v1/devices', deviceBody())).statusCode).toBe(403);
    const admin = await h.as('ADMIN');
    expect((await admin.post('/api/v1/devices', deviceBody())).statusCode).toBe(201);
    expect((await admin.post('/api/v1/credentials', { name: 'lab', username: 'u', secret: 's' })).statusCode).toBe(201);
    expect((await admin.get('/api/v1/users')).statusCode).toBe(200);
  });

  it('takes a role change into account on the very next request', async () => {
    const op = await h.as('OPERATOR');
    expect((await op.post('/api/v1/devices', deviceBody())).statusCode).toBe(201);
    await h.database.db.user.update({ where: { id: op.userId }, data: { role: 'VIEWER' } });
    expect((await op.post('/api/v1/devices', deviceBody())).statusCode).toBe(403);
  });
});
