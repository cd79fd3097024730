// Device credentials. Secrets are sealed with AES-256-GCM before they reach the database and
// are opened only by the worker that logs into a device.
import type { CredentialCreate, CredentialUpdate } from '@hitless/contracts';
import { conflict, notFound } from '@hitless/core';
import { sealSecret } from '@hitless/crypto';
import type { Db } from '@hitless/db';
import { toCredential } from '../mappers.ts';
import type { MutationContext } from '../types.ts';
import { recordAudit } from '@hitless/db';
import { sameText } from './filters.ts';

const withCount = { _count: { select: { devices: true } } } as const;

export async function listCredentials(db: Db) {
  return (await db.credential.findMany({ include: withCount, orderBy: { name: 'asc' } })).map(toCredential);
}

export async function getCredential(db: Db, id: string) {
  const row = await db.credential.findUnique({ where: { id }, include: withCount });
  if (!row) throw notFound('credential', id);
  return toCredential(row);
}

async function assertNameFree(db: Db, name: string, exceptId?: string) {
  const clash = await db.credential.findFirst({
    where: { name: sameText(name), ...(exceptId && { id: { not: exceptId } }) },
  });
  if (clash) throw conflict(`a credential named ${name} already exists`);
}

export async function createCredential(ctx: MutationContext, key: Buffer, input: CredentialCreate) {
  await assertNameFree(ctx.db, input.name);
  const row = await ctx.db.$transaction(async (tx) => {
    const c = await tx.credential.create({
      data: {
        name: input.name,
        username: input.username,
        description: input.description ?? null,
        secretEnc: sealSecret(key, input.secret),
        enableSecretEnc: input.enableSecret ? sealSecret(key, input.enableSecret) : null,
      },
      include: withCount,
    });
    await recordAudit(tx, ctx.actor, {
      action: 'credential.created',
      targetType: 'credential',
      targetId: c.id,
      details: { name: c.name },
    });
    return c;
  });
  return toCredential(row);
}

export async function updateCredential(ctx: MutationContext, key: Buffer, id: string, input: CredentialUpdate) {
  // An unknown id is a 404 whatever else the request says; only then can a name clash.
  if (!(await ctx.db.credential.findUnique({ where: { id }, select: { id: true } }))) throw notFound('credential', id);
  if (input.name) await assertNameFree(ctx.db, input.name, id);
  const row = await ctx.db.$transaction(async (tx) => {
    const before = await tx.credential.findUnique({ where: { id } });
    if (!before) throw notFound('credential', id);
    const c = await tx.credential.update({
      where: { id },
      data: {
        ...(input.name !== undefined && { name: input.name }),
        ...(input.username !== undefined && { username: input.username }),
        ...(input.description !== undefined && { description: input.description }),
        ...(input.secret !== undefined && { secretEnc: sealSecret(key, input.secret) }),
        ...(input.enableSecret !== undefined && {
          enableSecretEnc: input.enableSecret === null ? null : sealSecret(key, input.enableSecret),
        }),
      },
      include: withCount,
    });
    // The audit names what changed, never a value of a secret.
    await recordAudit(tx, ctx.actor, {
      action: 'credential.updated',
      targetType: 'credential',
      targetId: id,
      details: { name: c.name, changed: Object.keys(input) },
    });
    return c;
  });
  return toCredential(row);
}

export async function deleteCredential(ctx: MutationContext, id: string) {
  await ctx.db.$transaction(async (tx) => {
    const before = await tx.credential.findUnique({ where: { id }, include: withCount });
    if (!before) throw notFound('credential', id);
    if (before._count.devices > 0)
      throw conflict(`credential ${before.name} is used by ${before._count.devices} device(s)`);
    await tx.credential.delete({ where: { id } });
    await recordAudit(tx, ctx.actor, {
      action: 'credential.deleted',
      targetType: 'credential',
      targetId: id,
      details: { name: before.name },
    });
  });
}
