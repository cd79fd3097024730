import type { CompatibilityCreate, CompatibilityUpdate, Vendor } from '@hitless/contracts';
import { conflict, invalid, notFound } from '@hitless/core';
import type { Db } from '@hitless/db';
import { toCompat } from '../mappers.ts';
import type { MutationContext } from '../types.ts';
import { recordAudit } from '@hitless/db';
import { sameText } from './filters.ts';

type Filter = {
  vendor?: Vendor | undefined;
  platformFamily?: string | undefined;
  fromVersion?: string | undefined;
  toVersion?: string | undefined;
};

export async function listCompatibility(db: Db, f: Filter) {
  const rows = await db.compatibilityEntry.findMany({
    where: {
      ...(f.vendor && { vendor: f.vendor }),
      ...(f.platformFamily && { platformFamily: sameText(f.platformFamily) }),
      ...(f.fromVersion && { fromVersion: f.fromVersion }),
      ...(f.toVersion && { toVersion: f.toVersion }),
    },
    orderBy: [{ vendor: 'asc' }, { platformFamily: 'asc' }, { fromVersion: 'asc' }, { toVersion: 'asc' }],
  });
  return rows.map(toCompat);
}

export async function getCompatibility(db: Db, id: string) {
  const row = await db.compatibilityEntry.findUnique({ where: { id } });
  if (!row) throw notFound('compatibility entry', id);
  return toCompat(row);
}

async function assertUnique(
  db: Db,
  k: { vendor: Vendor; platformFamily: string; fromVersion: string; toVersion: string },
  exceptId?: string,
) {
  const key = {
    vendor: k.vendor,
    platformFamily: k.platformFamily,
    fromVersion: k.fromVersion,
    toVersion: k.toVersion,
  };
  const clash = await db.compatibilityEntry.findFirst({
    where: { ...key, ...(exceptId && { id: { not: exceptId } }) },
  });
  if (clash)
    throw conflict(`${k.platformFamily} ${k.fromVersion} → ${k.toVersion} already has an entry (level ${clash.level})`);
}

export async function createCompatibility(ctx: MutationContext, input: CompatibilityCreate) {
  await assertUnique(ctx.db, input);
  const row = await ctx.db.$transaction(async (tx) => {
    const c = await tx.compatibilityEntry.create({
      data: { ...input, source: input.source ?? null, notes: input.notes ?? null },
    });
    await recordAudit(tx, ctx.actor, {
      action: 'compatibility.created',
      targetType: 'compatibility',
      targetId: c.id,
      details: { from: c.fromVersion, to: c.toVersion, level: c.level },
    });
    return c;
  });
  return toCompat(row);
}

export async function updateCompatibility(ctx: MutationContext, id: string, input: CompatibilityUpdate) {
  const before = await ctx.db.compatibilityEntry.findUnique({ where: { id } });
  if (!before) throw notFound('compatibility entry', id);
  const key = {
    vendor: input.vendor ?? before.vendor,
    platformFamily: input.platformFamily ?? before.platformFamily,
    fromVersion: input.fromVersion ?? before.fromVersion,
    toVersion: input.toVersion ?? before.toVersion,
  };
  if (key.fromVersion === key.toVersion)
    throw invalid([{ path: 'toVersion', message: 'from and to versions must differ' }]);
  await assertUnique(ctx.db, key, id);
  const row = await ctx.db.$transaction(async (tx) => {
    const c = await tx.compatibilityEntry.update({ where: { id }, data: input });
    await recordAudit(tx, ctx.actor, {
      action: 'compatibility.updated',
      targetType: 'compatibility',
      targetId: id,
      details: { from: c.fromVersion, to: c.toVersion, level: { from: before.level, to: c.level } },
    });
    return c;
  });
  return toCompat(row);
}

export async function deleteCompatibility(ctx: MutationContext, id: string) {
  await ctx.db.$transaction(async (tx) => {
    const before = await tx.compatibilityEntry.findUnique({ where: { id } });
    if (!before) throw notFound('compatibility entry', id);
    await tx.compatibilityEntry.delete({ where: { id } });
    await recordAudit(tx, ctx.actor, {
      action: 'compatibility.deleted',
      targetType: 'compatibility',
      targetId: id,
      details: { from: before.fromVersion, to: before.toVersion, level: before.level },
    });
  });
}
