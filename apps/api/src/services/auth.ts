// Sessions, API tokens and passwords. Only SHA-256 digests of session and API tokens are
// stored; the raw values exist in the client's cookie or the automation's config only.
import { Rooms, type ApiTokenCreate, type ChangePasswordBody } from '@hitless/contracts';
import { conflict, DomainError, notFound, unauthenticated } from '@hitless/core';
import { dummyPasswordHash, generateToken, hashPassword, sha256Hex, verifyPassword } from '@hitless/crypto';
import type { Db } from '@hitless/db';
import type { z } from 'zod';
import type { Actor, MutationContext, Principal } from '../types.ts';
import { recordAudit } from '@hitless/db';
import { assertUncommonPassword } from './passwords.ts';
import { publishAfterCommit } from './publish.ts';

export const SESSION_COOKIE = 'hitless_session';
const SESSION_PREFIX = 'hls';
const TOKEN_PREFIX = 'hlt';
/** Refresh lastSeenAt / lastUsedAt (and slide the expiry) at most this often. */
const TOUCH_EVERY_MS = 60_000;

export interface LoginResult {
  token: string;
  expiresAt: Date;
  principal: Principal;
}

const INVALID_LOGIN = 'invalid username or password';

export async function login(
  db: Db,
  input: { username: string; password: string; ip: string | null; userAgent: string | null; ttlMs: number },
): Promise<LoginResult> {
  const user = await db.user.findUnique({ where: { username: input.username } });
  // Verify against a dummy hash when the user is unknown, so timing does not reveal usernames.
  const ok = await verifyPassword(input.password, user?.passwordHash ?? (await dummyPasswordHash()));
  if (!user || !ok || user.disabled) {
    await db.$transaction((tx) =>
      recordAudit(
        tx,
        { id: user?.id ?? null, name: input.username, ip: input.ip },
        {
          action: 'auth.login_failed',
          targetType: 'user',
          targetId: user?.id ?? null,
          details: { reason: !user ? 'unknown user' : user.disabled ? 'disabled' : 'wrong password' },
        },
      ),
    );
    throw unauthenticated(INVALID_LOGIN);
  }
  const token = generateToken(SESSION_PREFIX);
  const expiresAt = new Date(Date.now() + input.ttlMs);
  const session = await db.$transaction(async (tx) => {
    const s = await tx.session.create({
      data: {
        tokenHash: sha256Hex(token),
        userId: user.id,
        expiresAt,
        ip: input.ip,
        userAgent: input.userAgent?.slice(0, 256) ?? null,
      },
    });
    await tx.user.update({ where: { id: user.id }, data: { lastLoginAt: new Date() } });
    await recordAudit(
      tx,
      { id: user.id, name: user.username, ip: input.ip },
      { action: 'auth.login', targetType: 'user', targetId: user.id },
    );
    return s;
  });
  return {
    token,
    expiresAt,
    principal: {
      userId: user.id,
      username: user.username,
      role: user.role,
      mustChangePassword: user.mustChangePassword,
      via: 'session',
      sessionId: session.id,
    },
  };
}

export async function logout(ctx: MutationContext, principal: Principal): Promise<void> {
  const { sessionId } = principal;
  if (!sessionId) return;
  await ctx.db.$transaction(async (tx) => {
    await tx.session.deleteMany({ where: { id: sessionId } });
    await recordAudit(tx, ctx.actor, { action: 'auth.logout', targetType: 'user', targetId: principal.userId });
  });
  await publishAfterCommit(ctx, 'auth.revoked', [Rooms.session(sessionId)], { reason: 'logout' });
}

export async function principalFromSession(db: Db, token: string, ttlMs: number): Promise<Principal | null> {
  const session = await db.session.findUnique({ where: { tokenHash: sha256Hex(token) }, include: { user: true } });
  const now = Date.now();
  if (!session || session.expiresAt.getTime() <= now || session.user.disabled) return null;
  if (now - session.lastSeenAt.getTime() > TOUCH_EVERY_MS) {
    await db.session.update({
      where: { id: session.id },
      data: { lastSeenAt: new Date(now), expiresAt: new Date(now + ttlMs) },
    });
  }
  const { user } = session;
  return {
    userId: user.id,
    username: user.username,
    role: user.role,
    mustChangePassword: user.mustChangePassword,
    via: 'session',
    sessionId: session.id,
  };
}

export async function principalFromApiToken(db: Db, token: string): Promise<Principal | null> {
  const checked = await checkApiToken(db, token);
  return 'refused' in checked ? null : checked;
}

/** The principal of an API token, or why it is refused (said to the token's holder only). */
export async function checkApiToken(db: Db, token: string): Promise<Principal | { refused: string }> {
  if (!token.startsWith(`${TOKEN_PREFIX}_`)) return { refused: 'invalid API token' };
  const row = await db.apiToken.findUnique({ where: { tokenHash: sha256Hex(token) }, include: { user: true } });
  const now = Date.now();
  if (!row) return { refused: 'invalid API token' };
  if (row.revokedAt) return { refused: `API token revoked at ${row.revokedAt.toISOString()}` };
  if (row.expiresAt && row.expiresAt.getTime() <= now)
    return { refused: `API token expired at ${row.expiresAt.toISOString()}; create a new one` };
  if (row.user.disabled) return { refused: 'API token of a disabled user' };
  if (!row.lastUsedAt || now - row.lastUsedAt.getTime() > TOUCH_EVERY_MS) {
    await db.apiToken.update({ where: { id: row.id }, data: { lastUsedAt: new Date(now) } });
  }
  const { user } = row;
  // A token acts as its user, but a one-time password never blocks automation that an admin set up.
  return {
    userId: user.id,
    username: user.username,
    role: user.role,
    mustChangePassword: false,
    via: 'token',
    tokenId: row.id,
  };
}

export async function changePassword(
  ctx: MutationContext,
  principal: Principal,
  body: z.infer<typeof ChangePasswordBody>,
): Promise<void> {
  const user = await ctx.db.user.findUnique({ where: { id: principal.userId } });
  if (!user) throw notFound('user', principal.userId);
  if (!(await verifyPassword(body.currentPassword, user.passwordHash))) {
    throw new DomainError('VALIDATION_FAILED', 'currentPassword: is not your current password', [
      { path: 'currentPassword', message: 'is not your current password' },
    ]);
  }
  if (body.newPassword === body.currentPassword) {
    throw new DomainError('VALIDATION_FAILED', 'newPassword: must differ from the current password', [
      { path: 'newPassword', message: 'must differ from the current password' },
    ]);
  }
  await assertUncommonPassword(body.newPassword, 'body.newPassword');
  const passwordHash = await hashPassword(body.newPassword);
  const ended = await ctx.db.$transaction(async (tx) => {
    await tx.user.update({ where: { id: user.id }, data: { passwordHash, mustChangePassword: false } });
    // Every other session of this user ends: whoever knew the old password is logged out.
    const others = { userId: user.id, ...(principal.sessionId && { id: { not: principal.sessionId } }) };
    const sessions = await tx.session.findMany({ where: others, select: { id: true } });
    await tx.session.deleteMany({ where: others });
    await recordAudit(tx, ctx.actor, { action: 'auth.password_changed', targetType: 'user', targetId: user.id });
    return sessions;
  });
  if (ended.length > 0)
    await publishAfterCommit(
      ctx,
      'auth.revoked',
      ended.map((s) => Rooms.session(s.id)),
      { reason: 'password_changed' },
    );
}

/** Tokens live at most this long (also the longest `expiresInDays`). */
const MAX_TOKEN_LIFETIME_MS = 3650 * 86_400_000;

function tokenExpiry(body: z.infer<typeof ApiTokenCreate>, now: number): Date | null {
  if (body.expiresInDays) return new Date(now + body.expiresInDays * 86_400_000);
  if (!body.expiresAt) return null;
  const at = new Date(body.expiresAt);
  const problem =
    at.getTime() <= now
      ? 'must be in the future'
      : at.getTime() > now + MAX_TOKEN_LIFETIME_MS
        ? 'must be within 10 years'
        : null;
  if (problem)
    throw new DomainError('VALIDATION_FAILED', `body.expiresAt: ${problem}`, [
      { path: 'body.expiresAt', message: problem },
    ]);
  return at;
}

export async function createApiToken(db: Db, principal: Principal, actor: Actor, body: z.infer<typeof ApiTokenCreate>) {
  const expiresAt = tokenExpiry(body, Date.now());
  const existing = await db.apiToken.count({ where: { userId: principal.userId, name: body.name, revokedAt: null } });
  if (existing > 0) throw conflict(`you already have an active token named "${body.name}"`);
  const token = generateToken(TOKEN_PREFIX);
  const row = await db.$transaction(async (tx) => {
    // Disabling a user revokes its tokens in one transaction that updates the user row: holding
    // the row (FOR SHARE) here means a token is created either before that (and revoked by it)
    // or after it (and refused), never slipped in between.
    const [user] = await tx.$queryRaw<{ disabled: boolean }[]>`
      SELECT "disabled" FROM "User" WHERE "id" = ${principal.userId}::uuid FOR SHARE`;
    if (!user || user.disabled) throw unauthenticated('this user is disabled');
    const created = await tx.apiToken.create({
      data: {
        name: body.name,
        prefix: token.slice(0, 10),
        tokenHash: sha256Hex(token),
        userId: principal.userId,
        expiresAt,
      },
    });
    await recordAudit(tx, actor, {
      action: 'token.created',
      targetType: 'api_token',
      targetId: created.id,
      details: { name: body.name, ...(expiresAt && { expiresAt: expiresAt.toISOString() }) },
    });
    return created;
  });
  return { row, token };
}

export async function revokeApiToken(ctx: MutationContext, principal: Principal, id: string) {
  const row = await ctx.db.apiToken.findFirst({ where: { id, userId: principal.userId } });
  if (!row) throw notFound('API token', id);
  if (row.revokedAt) return row;
  const updated = await ctx.db.$transaction(async (tx) => {
    const revoked = await tx.apiToken.update({ where: { id }, data: { revokedAt: new Date() } });
    await recordAudit(tx, ctx.actor, {
      action: 'token.revoked',
      targetType: 'api_token',
      targetId: id,
      details: { name: row.name },
    });
    return revoked;
  });
  await publishAfterCommit(ctx, 'auth.revoked', [Rooms.token(id)], { reason: 'token_revoked' });
  return updated;
}
