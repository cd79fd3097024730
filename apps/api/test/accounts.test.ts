// Account hygiene: passwords on the list of the most common ones are refused wherever a password is
// chosen; a disabled user's API tokens stay revoked when the user comes back; tokens may expire.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sha256Hex } from '@hitless/crypto';
import { startHarness, type Client, type Harness } from './harness.ts';

let h: Harness;
let admin: Client;
beforeAll(async () => {
  h = await startHarness();
  admin = await h.as('ADMIN');
});
afterAll(async () => h.close());

const COMMON = ['passwordpassword', 'Password1234', 'qwerty123456', '123456789012', '  1q2w3e4r5t6y'];
const MESSAGE = /is one of the most common passwords; choose another/;

describe('common passwords', () => {
  it('are refused, whatever their case, when an admin creates a user or resets a password', async () => {
    for (const password of COMMON) {
      const res = await admin.post('/api/v1/users', {
        username: `common-${COMMON.indexOf(password)}`,
        role: 'VIEWER',
        password,
      });
      expect(res.statusCode, password).toBe(400);
      expect(res.json(), password).toMatchObject({
        code: 'VALIDATION_FAILED',
        message: expect.stringMatching(new RegExp(`^body\\.password: ${MESSAGE.source}`)),
        issues: [{ path: 'body.password', message: expect.stringMatching(MESSAGE) }],
      });
    }
    expect(await h.database.db.user.count({ where: { username: { startsWith: 'common-' } } })).toBe(0);
    const u = await h.createUser('VIEWER');
    const reset = await admin.patch(`/api/v1/users/${u.id}`, { password: 'password1234' });
    expect(reset.statusCode).toBe(400);
    expect(reset.json().message).toMatch(new RegExp(`^body\\.password: ${MESSAGE.source}`));
    expect(
      (
        await admin.post('/api/v1/users', {
          username: 'uncommon',
          role: 'VIEWER',
          password: 'correct horse battery staple 9',
        })
      ).statusCode,
    ).toBe(201);
  });

  it('are refused when users change their own password', async () => {
    const u = await h.createUser('OPERATOR');
    const cookie = await h.login(u.username, u.password);
    const change = (newPassword: string) =>
      h.app.inject({
        method: 'POST',
        url: '/api/v1/auth/password',
        headers: { cookie, origin: h.origin },
        payload: { currentPassword: u.password, newPassword },
      });
    const res = await change('Qwerty123456');
    expect(res.statusCode).toBe(400);
    expect(res.json().message).toMatch(new RegExp(`^body\\.newPassword: ${MESSAGE.source}`));
    await h.login(u.username, u.password);
    expect((await change('a rarely seen passphrase')).statusCode).toBe(204);
  });
});

describe('API tokens', () => {
  const bearer = (token: string) =>
    h.app.inject({ method: 'GET', url: '/api/v1/auth/me', headers: { authorization: `Bearer ${token}` } });

  it('of a disabled user stay revoked when the user is enabled again', async () => {
    const u = await h.createUser('OPERATOR');
    const cookie = await h.login(u.username, u.password);
    const created = await h.app.inject({
      method: 'POST',
      url: '/api/v1/tokens',
      headers: { cookie, origin: h.origin },
      payload: { name: 'nightly' },
    });
    const { token, id } = created.json() as { token: string; id: string };
    expect((await bearer(token)).statusCode).toBe(200);

    expect((await admin.patch(`/api/v1/users/${u.id}`, { disabled: true })).statusCode).toBe(200);
    expect((await bearer(token)).statusCode).toBe(401);
    const row = await h.database.db.apiToken.findUniqueOrThrow({ where: { id } });
    expect(row.revokedAt).not.toBeNull();

    expect((await admin.patch(`/api/v1/users/${u.id}`, { disabled: false })).statusCode).toBe(200);
    const after = await bearer(token);
    expect(after.statusCode).toBe(401);
    expect(after.json()).toMatchObject({ code: 'UNAUTHENTICATED', message: expect.stringMatching(/revoked/) });
    // Nor does the session come back; a fresh login works.
    expect((await h.app.inject({ method: 'GET', url: '/api/v1/auth/me', headers: { cookie } })).statusCode).toBe(401);
    await h.login(u.username, u.password);
    const audit = await h.database.db.auditEvent.findFirstOrThrow({
      where: { action: 'user.updated', targetId: u.id },
      orderBy: { at: 'asc' },
    });
    expect(audit.details).toMatchObject({ disabled: true, tokensRevoked: 1 });
  });

  it('may carry an expiry (expiresAt or expiresInDays) and are refused once it has passed, saying so', async () => {
    const op = await h.as('OPERATOR');
    const at = new Date(Date.now() + 3 * 86_400_000).toISOString();
    const dated = await op.post('/api/v1/tokens', { name: 'dated', expiresAt: at });
    expect(dated.statusCode, dated.body).toBe(201);
    expect(dated.json().expiresAt).toBe(at);
    const days = await op.post('/api/v1/tokens', { name: 'days', expiresInDays: 1 });
    expect(days.statusCode).toBe(201);
    const expected = Date.now() + 86_400_000;
    expect(Math.abs(Date.parse(days.json().expiresAt) - expected)).toBeLessThan(60_000);

    for (const [body, message] of [
      [
        { name: 'past', expiresAt: new Date(Date.now() - 1000).toISOString() },
        /^body\.expiresAt: must be in the future/,
      ],
      [{ name: 'far', expiresAt: '2999-01-01T00:00:00Z' }, /^body\.expiresAt: must be within 10 years/],
      [{ name: 'junk', expiresAt: 'tomorrow' }, /^body\.expiresAt: /],
      [{ name: 'both', expiresAt: at, expiresInDays: 3 }, /give expiresAt or expiresInDays, not both/],
    ] as const) {
      const res = await op.post('/api/v1/tokens', body);
      expect(res.statusCode, JSON.stringify(body)).toBe(400);
      expect(res.json().message, JSON.stringify(body)).toMatch(message);
    }

    const { token, id } = dated.json() as { token: string; id: string };
    expect((await bearer(token)).statusCode).toBe(200);
    await h.database.db.apiToken.update({ where: { id }, data: { expiresAt: new Date(Date.now() - 1000) } });
    const expired = await bearer(token);
    expect(expired.statusCode).toBe(401);
    expect(expired.json()).toMatchObject({
      code: 'UNAUTHENTICATED',
      message: expect.stringMatching(/^API token expired at /),
    });
  });

  it('are listed to their own user only, stored as a digest, and say when they were last used', async () => {
    const op = await h.as('OPERATOR');
    const other = await h.as('VIEWER');
    const created = await op.post('/api/v1/tokens', { name: 'mine' });
    const { token, id } = created.json() as { token: string; id: string };
    expect(created.json().lastUsedAt).toBeNull();
    await other.post('/api/v1/tokens', { name: 'theirs' });
    const row = await h.database.db.apiToken.findUniqueOrThrow({ where: { id } });
    expect(row.tokenHash).toBe(sha256Hex(token));
    expect(JSON.stringify(row)).not.toContain(token);
    expect(token.startsWith(row.prefix)).toBe(true);

    const before = Date.now();
    const used = await h.app.inject({
      method: 'GET',
      url: '/api/v1/devices',
      headers: { authorization: `Bearer ${token}` },
    });
    expect(used.statusCode).toBe(200);
    const listed = (await op.get('/api/v1/tokens')).json().items as { id: string; name: string; lastUsedAt: string }[];
    expect(listed.map((t) => t.name)).toEqual(['mine']);
    expect(Date.parse(listed[0]!.lastUsedAt)).toBeGreaterThanOrEqual(before - 1000);
    expect((await op.get('/api/v1/tokens')).body).not.toContain(token);
  });
});
