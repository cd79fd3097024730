import { Rooms, type AuthRevokedEvent, type Role, type UserCreate, type UserUpdate } from '@hitless/contracts';
import { conflict, notFound } from '@hitless/core';
import { hashPassword } from '@hitless/crypto';
import type { Db, Prisma } from '@hitless/db';
import { toUser } from '../mappers.ts';
import type { MutationContext } from '../types.ts';
import { recordAudit } from '@hitless/db';
import { publishAfterCommit } from './publish.ts';
import { sameText } from './filters.ts';
import { assertUncommonPassword } from './passwords.ts';

export async function listUsers(db: Db) {
  return (await db.user.findMany({ orderBy: { username: 'asc' } })).map(toUser);
}

export async function createUser(ctx: MutationContext, input: UserCreate) {
  const clash = await ctx.db.user.findFirst({ where: { username: sameText(input.username) } });
  if (clash) throw conflict(`user ${input.username} already exists`);
  await assertUncommonPassword(input.password, 'body.password');
  const passwordHash = await hashPassword(input.password);
  const user = await ctx.db.$transaction(async (tx) => {
    // An admin-set password is a one-time password: the user picks their own at first login.
    const u = await tx.user.create({
      data: {
        username: input.username,
        displayName: input.displayName ?? null,
        role: input.role,
        passwordHash,
        mustChangePassword: true,
      },
    });
    await recordAudit(tx, ctx.actor, {
      action: 'user.created',
      targetType: 'user',
      targetId: u.id,
      details: { username: u.username, role: u.role },
    });
    return u;
  });
  return toUser(user);
}

/** There must always be at least one enabled admin, or nobody can manage users again. */
async function assertAnotherAdmin(tx: Prisma.TransactionClient, userId: string) {
  const others = await tx.user.count({ where: { role: 'ADMIN', disabled: false, id: { not: userId } } });
  if (others === 0) throw conflict('this is the last enabled admin; make another admin first');
}

export async function updateUser(ctx: MutationContext, id: string, input: UserUpdate) {
  if (input.password) await assertUncommonPassword(input.password, 'body.password');
  const passwordHash = input.password ? await hashPassword(input.password) : undefined;
  const { user, revoked } = await ctx.db.$transaction(async (tx) => {
    const before = await tx.user.findUnique({ where: { id } });
    if (!before) throw notFound('user', id);
    const demoted = input.role !== undefined && input.role !== 'ADMIN' && before.role === 'ADMIN';
    const disabled = input.disabled === true && !before.disabled;
    if (id === ctx.actor.id && (demoted || disabled)) throw conflict('you cannot demote or disable yourself');
    if (before.role === 'ADMIN' && (demoted || disabled)) await assertAnotherAdmin(tx, id);
    const data: Prisma.UserUpdateInput = {
      ...(input.displayName !== undefined && { displayName: input.displayName }),
      ...(input.role !== undefined && { role: input.role as Role }),
      ...(input.disabled !== undefined && { disabled: input.disabled }),
      ...(passwordHash && { passwordHash, mustChangePassword: true }),
    };
    const u = await tx.user.update({ where: { id }, data });
    // A reset password or a disabled account ends every session of that user, and every socket.
    const revoked: AuthRevokedEvent['reason'] | null = disabled
      ? 'user_disabled'
      : passwordHash
        ? 'password_reset'
        : null;
    if (revoked) await tx.session.deleteMany({ where: { userId: id } });
    // Disabling also revokes the user's API tokens for good: enabling the account again brings back
    // neither its sessions nor its tokens (automation gets a new token on purpose).
    const tokensRevoked = disabled
      ? (await tx.apiToken.updateMany({ where: { userId: id, revokedAt: null }, data: { revokedAt: new Date() } }))
          .count
      : 0;
    await recordAudit(tx, ctx.actor, {
      action: 'user.updated',
      targetType: 'user',
      targetId: id,
      details: {
        username: u.username,
        ...(input.role !== undefined && { role: { from: before.role, to: u.role } }),
        ...(input.disabled !== undefined && { disabled: u.disabled }),
        ...(disabled && { tokensRevoked }),
        ...(passwordHash && { passwordReset: true }),
      },
    });
    return { user: u, revoked };
  });
  if (revoked) await publishAfterCommit(ctx, 'auth.revoked', [Rooms.user(id)], { reason: revoked });
  return toUser(user);
}

export async function deleteUser(ctx: MutationContext, id: string) {
  if (id === ctx.actor.id) throw conflict('you cannot delete yourself');
  await ctx.db.$transaction(async (tx) => {
    const before = await tx.user.findUnique({
      where: { id },
      include: { _count: { select: { campaigns: true, approvals: true, runs: true } } },
    });
    if (!before) throw notFound('user', id);
    if (before._count.campaigns + before._count.approvals + before._count.runs > 0) {
      throw conflict(`${before.username} appears in campaigns, approvals or runs; disable the account instead`);
    }
    if (before.role === 'ADMIN' && !before.disabled) await assertAnotherAdmin(tx, id);
    await tx.user.delete({ where: { id } });
    await recordAudit(tx, ctx.actor, {
      action: 'user.deleted',
      targetType: 'user',
      targetId: id,
      details: { username: before.username },
    });
  });
  await publishAfterCommit(ctx, 'auth.revoked', [Rooms.user(id)], { reason: 'user_deleted' });
}
