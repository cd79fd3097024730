// Device credentials. Secrets are sealed with AES-256-GCM before they reach the database and
// are opened only by the worker that logs into a device.
import {
  CREDENTIAL_USED_BY_SHOWN,
  type CredentialCreate,
  type CredentialDevice,
  type CredentialRotate,
  type CredentialUpdate,
} from '@hitless/contracts';
import { conflict, notFound } from '@hitless/core';
import { sealSecret } from '@hitless/crypto';
import type { Db } from '@hitless/db';
import { toCredential } from '../mappers.ts';
import type { MutationContext } from '../types.ts';
import { recordAudit } from '@hitless/db';
import { sameText } from './filters.ts';

/** A credential row as it becomes a DTO: how many devices use it, and the first of them by hostname. */
const withCount = {
  _count: { select: { devices: true } },
  devices: { select: { id: true, hostname: true }, orderBy: { hostname: 'asc' }, take: CREDENTIAL_USED_BY_SHOWN },
} as const;

/** Every device that logs in with this credential, by hostname. */
export async function credentialDevices(db: Db, id: string): Promise<CredentialDevice[]> {
  if (!(await db.credential.findUnique({ where: { id }, select: { id: true } }))) throw notFound('credential', id);
  return db.device.findMany({
    where: { credentialId: id },
    select: { id: true, hostname: true },
    orderBy: { hostname: 'asc' },
  });
}

/** "pe1, pe2 and 3 more": the devices a refusal names. */
function nameDevices(hostnames: string[], total: number): string {
  const more = total - hostnames.length;
  return more > 0 ? `${hostnames.join(', ')} and ${more} more` : hostnames.join(', ');
}

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
        ...(input.secret !== undefined && { secretEnc: sealSecret(key, input.secret), secretRotatedAt: new Date() }),
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

/** A new secret (and optionally enable secret): the old one is gone for good; the audit says only that it changed. */
export async function rotateCredential(ctx: MutationContext, key: Buffer, id: string, input: CredentialRotate) {
  const row = await ctx.db.$transaction(async (tx) => {
    if (!(await tx.credential.findUnique({ where: { id }, select: { id: true } }))) throw notFound('credential', id);
    const c = await tx.credential.update({
      where: { id },
      data: {
        secretEnc: sealSecret(key, input.secret),
        ...(input.enableSecret !== undefined && { enableSecretEnc: sealSecret(key, input.enableSecret) }),
        secretRotatedAt: new Date(),
      },
      include: withCount,
    });
    await recordAudit(tx, ctx.actor, {
      action: 'credential.rotated',
      targetType: 'credential',
      targetId: id,
      details: { name: c.name, enableSecret: input.enableSecret !== undefined, devices: c._count.devices },
    });
    return c;
  });
  return toCredential(row);
}

export async function deleteCredential(ctx: MutationContext, id: string) {
  await ctx.db.$transaction(async (tx) => {
    const before = await tx.credential.findUnique({ where: { id }, include: withCount });
    if (!before) throw notFound('credential', id);
    const count = before._count.devices;
    if (count > 0)
      throw conflict(
        `credential ${before.name} is used by ${count} device${count === 1 ? '' : 's'} (${nameDevices(
          before.devices.map((d) => d.hostname),
          count,
        )}); give them another credential first`,
      );
    await tx.credential.delete({ where: { id } });
    await recordAudit(tx, ctx.actor, {
      action: 'credential.deleted',
      targetType: 'credential',
      targetId: id,
      details: { name: before.name },
    });
  });
}
