import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHarness, type Client, type Harness } from './harness.ts';

let h: Harness;
let admin: Client;
beforeAll(async () => {
  h = await startHarness();
  admin = await h.as('ADMIN');
});
afterAll(async () => h.close());

describe('users', () => {
  it('creates users with a one-time password and manages their role', async () => {
    const res = await admin.post('/api/v1/users', {
      username: 'alice',
      displayName: 'Alice',
      role: 'APPROVER',
      password: 'initial-password-1',
    });
    expect(res.statusCode).toBe(201);
    expect(res.json()).toMatchObject({ username: 'alice', role: 'APPROVER', mustChangePassword: true });
    expect(res.body).not.toContain('initial-password-1');
    expect(
      (await admin.post('/api/v1/users', { username: 'ALICE', role: 'VIEWER', password: 'initial-password-1' }))
        .statusCode,
    ).toBe(409);
    const promoted = await admin.patch(`/api/v1/users/${res.json().id}`, { role: 'OPERATOR' });
    expect(promoted.json().role).toBe('OPERATOR');
    expect((await admin.get('/api/v1/users')).json().items.map((u: { username: string }) => u.username)).toContain(
      'alice',
    );
  });

  it('ends all sessions of a user whose password is reset or who is disabled', async () => {
    const u = await h.createUser('OPERATOR');
    const cookie = await h.login(u.username, u.password);
    await admin.patch(`/api/v1/users/${u.id}`, { password: 'a-new-temporary-pass' });
    expect((await h.app.inject({ method: 'GET', url: '/api/v1/auth/me', headers: { cookie } })).statusCode).toBe(401);
    const again = await h.login(u.username, 'a-new-temporary-pass');
    expect((await h.app.inject({ method: 'GET', url: '/api/v1/devices', headers: { cookie: again } })).statusCode).toBe(
      403,
    );
    await admin.patch(`/api/v1/users/${u.id}`, { disabled: true });
    expect((await h.app.inject({ method: 'GET', url: '/api/v1/auth/me', headers: { cookie: again } })).statusCode).toBe(
      401,
    );
  });

  it('never leaves the system without an enabled admin, and admins cannot lock themselves out', async () => {
    const self = await admin.patch(`/api/v1/users/${admin.userId}`, { role: 'VIEWER' });
    expect(self.statusCode).toBe(409);
    expect(self.json().message).toBe('you cannot demote or disable yourself');
    expect((await admin.patch(`/api/v1/users/${admin.userId}`, { disabled: true })).statusCode).toBe(409);
    expect((await admin.get('/api/v1/auth/me')).json().user).toMatchObject({ role: 'ADMIN', disabled: false });
    expect((await admin.delete(`/api/v1/users/${admin.userId}`)).statusCode).toBe(409);
    const solo = await startHarness();
    try {
      const only = await solo.as('ADMIN');
      const second = await solo.createUser('ADMIN');
      const c2 = await solo.login(second.username, second.password);
      const demote = await solo.app.inject({
        method: 'PATCH',
        url: `/api/v1/users/${only.userId}`,
        headers: { cookie: c2, origin: solo.origin },
        payload: { disabled: true },
      });
      expect(demote.statusCode).toBe(200);
      const last = await solo.app.inject({
        method: 'DELETE',
        url: `/api/v1/users/${second.id}`,
        headers: { cookie: c2, origin: solo.origin },
      });
      expect(last.statusCode).toBe(409);
    } finally {
      await solo.close();
    }
  });

  it('is managed by admins only: other roles get 403 for every users route', async () => {
    const target = await h.createUser('VIEWER');
    for (const role of ['VIEWER', 'OPERATOR', 'APPROVER'] as const) {
      const c = await h.as(role);
      const calls = [
        await c.get('/api/v1/users'),
        await c.post('/api/v1/users', { username: `x-${role}`, role: 'ADMIN', password: 'a long enough pass 1' }),
        await c.patch(`/api/v1/users/${target.id}`, { role: 'ADMIN' }),
        await c.patch(`/api/v1/users/${c.userId}`, { role: 'ADMIN' }),
        await c.delete(`/api/v1/users/${target.id}`),
      ];
      expect(
        calls.map((r) => r.statusCode),
        role,
      ).toEqual([403, 403, 403, 403, 403]);
    }
    expect(await h.database.db.user.count({ where: { username: { startsWith: 'x-' } } })).toBe(0);
  });

  it('deletes a user without history and answers 404 after', async () => {
    const u = await h.createUser('VIEWER');
    expect((await admin.delete(`/api/v1/users/${u.id}`)).statusCode).toBe(204);
    expect((await admin.delete(`/api/v1/users/${u.id}`)).statusCode).toBe(404);
  });
});
