import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHarness, type Harness } from './harness.ts';

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(async () => h.close());

const PUBLIC = new Set(['POST /api/v1/auth/login', 'GET /healthz', 'GET /readyz']);

/** Every route in the OpenAPI document, with path parameters filled in. */
function routes(spec: { paths: Record<string, Record<string, unknown>> }) {
  return Object.entries(spec.paths).flatMap(([path, methods]) =>
    Object.keys(methods).map((m) => ({
      method: m.toUpperCase(),
      path,
      url: path.replace(/\{[^}]+\}/g, '00000000-0000-4000-8000-000000000000'),
    })),
  );
}

describe('authentication', () => {
  it('requires authentication on every route except login, healthz and readyz', async () => {
    const admin = await h.as('ADMIN');
    const spec = (await admin.get('/docs/json')).json();
    const all = routes(spec);
    expect(all.length).toBeGreaterThan(25);
    for (const r of all) {
      const res = await h.app.inject({ method: r.method as 'GET', url: r.url });
      if (PUBLIC.has(`${r.method} ${r.path}`)) {
        expect(res.statusCode, `${r.method} ${r.path}`).not.toBe(401);
      } else {
        expect(res.statusCode, `${r.method} ${r.path}`).toBe(401);
        expect(res.json().code).toBe('UNAUTHENTICATED');
      }
    }
    // The documentation itself is not public either.
    expect((await h.app.inject({ method: 'GET', url: '/docs/json' })).statusCode).toBe(401);
  });

  it('cannot be walked around by percent-encoding the path', async () => {
    const admin = await h.as('ADMIN');
    const all = routes((await admin.get('/docs/json')).json()).filter((r) => !PUBLIC.has(`${r.method} ${r.path}`));
    const encodings = [
      (u: string) => u.replace('/api/', '/%61pi/'),
      (u: string) => u.replace('/v1/', '/%76%31/'),
      (u: string) => u.replace(/\/v1\/(\w)/, (_m, c: string) => `/v1/%${c.charCodeAt(0).toString(16)}`),
    ];
    for (const r of all) {
      for (const encode of encodings) {
        const url = encode(r.url);
        const res = await h.app.inject({
          method: r.method as 'GET',
          url,
          payload: r.method === 'GET' || r.method === 'DELETE' ? undefined : {},
        });
        expect(res.statusCode, `${r.method} ${url}`).toBe(401);
      }
    }
    for (const url of ['/%64ocs/json', '/docs/%6Ason', '/%64ocs']) {
      expect((await h.app.inject({ method: 'GET', url })).statusCode, url).not.toBe(200);
    }
    const res = await h.app.inject({
      method: 'POST',
      url: '/%61pi/v1/users',
      payload: { username: 'intruder', displayName: 'x', role: 'ADMIN', password: 'long-enough-password-1' },
    });
    expect(res.statusCode).toBe(401);
    // Nothing was created on the way.
    expect((await admin.get('/api/v1/users')).json().items.map((u: { username: string }) => u.username)).not.toContain(
      'intruder',
    );
  });

  it('logs in with an HTTP-only, SameSite=Strict session cookie and says who you are', async () => {
    const u = await h.createUser('OPERATOR');
    const res = await h.app.inject({
      method: 'POST',
      url: '/api/v1/auth/login',
      payload: { username: u.username, password: u.password },
    });
    expect(res.statusCode).toBe(200);
    const cookie = res.cookies.find((c) => c.name === 'hitless_session')!;
    expect(cookie.httpOnly).toBe(true);
    expect(cookie.sameSite).toBe('Strict');
    expect(cookie.path).toBe('/');
    expect(res.json().user).toMatchObject({ username: u.username, role: 'OPERATOR' });
    expect(res.body).not.toContain('passwordHash');
    const me = await h.app.inject({
      method: 'GET',
      url: '/api/v1/auth/me',
      headers: { cookie: `hitless_session=${cookie.value}` },
    });
    expect(me.json().user.username).toBe(u.username);
    // Only a digest of the token is stored.
    const stored = await h.database.db.session.findMany({ where: { userId: u.id } });
    expect(stored).toHaveLength(1);
    expect(stored[0]!.tokenHash).not.toContain(cookie.value);
  });

  it('gives the same answer for a wrong password, an unknown user and a disabled user', async () => {
    const u = await h.createUser('VIEWER');
    const disabled = await h.createUser('VIEWER');
    await h.database.db.user.update({ where: { id: disabled.id }, data: { disabled: true } });
    for (const payload of [
      { username: u.username, password: 'wrong-password-123' },
      { username: 'nobody-here', password: 'whatever-123456' },
      { username: disabled.username, password: disabled.password },
    ]) {
      const res = await h.app.inject({ method: 'POST', url: '/api/v1/auth/login', payload });
      expect(res.statusCode).toBe(401);
      expect(res.json()).toEqual({ statusCode: 401, code: 'UNAUTHENTICATED', message: 'invalid username or password' });
    }
    const failures = await h.database.db.auditEvent.count({ where: { action: 'auth.login_failed' } });
    expect(failures).toBeGreaterThanOrEqual(3);
  });

  it('names the missing field on a bad login body', async () => {
    const res = await h.app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { username: 'x' } });
    expect(res.statusCode).toBe(400);
    expect(res.json()).toMatchObject({ code: 'VALIDATION_FAILED', message: 'body.password: is required' });
  });

  it('ends the session on logout', async () => {
    const c = await h.as('VIEWER');
    expect((await c.get('/api/v1/devices')).statusCode).toBe(200);
    expect((await c.post('/api/v1/auth/logout')).statusCode).toBe(204);
    expect((await c.get('/api/v1/devices')).statusCode).toBe(401);
  });

  it('refuses an expired session', async () => {
    const c = await h.as('VIEWER');
    await h.database.db.session.updateMany({
      where: { userId: c.userId },
      data: { expiresAt: new Date(Date.now() - 1000) },
    });
    expect((await c.get('/api/v1/devices')).statusCode).toBe(401);
  });

  it('holds a one-time password user to changing it first, then ends their other sessions', async () => {
    const u = await h.createUser('OPERATOR', { mustChangePassword: true });
    const first = await h.login(u.username, u.password);
    const second = await h.login(u.username, u.password);
    const blocked = await h.app.inject({ method: 'GET', url: '/api/v1/devices', headers: { cookie: first } });
    expect(blocked.statusCode).toBe(403);
    expect(blocked.json().message).toMatch(/change your one-time password/);
    const weak = await h.app.inject({
      method: 'POST',
      url: '/api/v1/auth/password',
      headers: { cookie: first, origin: h.origin },
      payload: { currentPassword: u.password, newPassword: 'short' },
    });
    expect(weak.statusCode).toBe(400);
    expect(weak.json().message).toBe('body.newPassword: must be at least 12 characters');
    const changed = await h.app.inject({
      method: 'POST',
      url: '/api/v1/auth/password',
      headers: { cookie: first, origin: h.origin },
      payload: { currentPassword: u.password, newPassword: 'a much better passphrase' },
    });
    expect(changed.statusCode).toBe(204);
    expect((await h.app.inject({ method: 'GET', url: '/api/v1/devices', headers: { cookie: first } })).statusCode).toBe(
      200,
    );
    expect(
      (await h.app.inject({ method: 'GET', url: '/api/v1/devices', headers: { cookie: second } })).statusCode,
    ).toBe(401);
    await expect(h.login(u.username, u.password)).rejects.toThrow(/401/);
    await h.login(u.username, 'a much better passphrase');
  });
});

describe('API tokens', () => {
  it('are shown once, act as their user, and stop working when revoked', async () => {
    const c = await h.as('OPERATOR');
    const created = await c.post('/api/v1/tokens', { name: 'ci', expiresInDays: 30 });
    expect(created.statusCode).toBe(201);
    const { token, id } = created.json();
    expect(token).toMatch(/^hlt_/);
    const list = await c.get('/api/v1/tokens');
    expect(list.body).not.toContain(token);
    expect(list.json().items[0]).toMatchObject({ id, name: 'ci', revokedAt: null });

    const bearer = { authorization: `Bearer ${token}` };
    const viaToken = await h.app.inject({ method: 'GET', url: '/api/v1/auth/me', headers: bearer });
    expect(viaToken.json().user.username).toBe(c.username);
    expect(
      (await h.app.inject({ method: 'POST', url: '/api/v1/devices', headers: bearer, payload: {} })).statusCode,
    ).toBe(400);

    expect((await c.post('/api/v1/tokens', { name: 'ci' })).statusCode).toBe(409);
    expect((await c.delete(`/api/v1/tokens/${id}`)).json().revokedAt).not.toBeNull();
    const revoked = await h.app.inject({ method: 'GET', url: '/api/v1/auth/me', headers: bearer });
    expect(revoked.statusCode).toBe(401);
    expect(revoked.json().message).toMatch(/revoked/);
  });

  it('rejects malformed and unknown bearer tokens', async () => {
    expect(
      (await h.app.inject({ method: 'GET', url: '/api/v1/devices', headers: { authorization: 'Basic abc' } }))
        .statusCode,
    ).toBe(401);
    expect(
      (await h.app.inject({ method: 'GET', url: '/api/v1/devices', headers: { authorization: 'Bearer hlt_nope' } }))
        .statusCode,
    ).toBe(401);
  });

  it("cannot revoke someone else's token", async () => {
    const a = await h.as('OPERATOR');
    const b = await h.as('OPERATOR');
    const { id } = (await a.post('/api/v1/tokens', { name: 'mine' })).json();
    expect((await b.delete(`/api/v1/tokens/${id}`)).statusCode).toBe(404);
  });
});

describe('login rate limit', () => {
  it('answers 429 after too many attempts at one account from one address', async () => {
    const limited = await startHarness({ HITLESS_LOGIN_RATE_LIMIT: '3' });
    try {
      const attempt = (username: string, remoteAddress = '127.9.9.9') =>
        limited.app.inject({
          method: 'POST',
          url: '/api/v1/auth/login',
          payload: { username, password: 'y' },
          remoteAddress,
        });
      for (let i = 0; i < 3; i++) expect((await attempt('victim')).statusCode).toBe(401);
      const res = await attempt('VICTIM');
      expect(res.statusCode).toBe(429);
      expect(res.json()).toMatchObject({ code: 'RATE_LIMITED', message: expect.stringMatching(/try again in \d+ s/) });
      // Neither another account from this address nor this account from another address is affected.
      expect((await attempt('someone-else')).statusCode).toBe(401);
      expect((await attempt('victim', '127.9.9.10')).statusCode).toBe(401);
      // One address trying many accounts meets the looser per-address limit (10× per account).
      const spray = '127.9.9.11';
      for (let i = 0; i < 30; i++) expect((await attempt(`user${i}`, spray)).statusCode).toBe(401);
      const sprayed = await attempt('user30', spray);
      expect(sprayed.statusCode).toBe(429);
      expect(sprayed.json()).toMatchObject({
        code: 'RATE_LIMITED',
        message: expect.stringMatching(/from this address; try again in \d+ s/),
      });
      expect((await attempt('user31', '127.9.9.12')).statusCode).toBe(401);
    } finally {
      await limited.close();
    }
  });
});
