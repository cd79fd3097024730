// Pinned SSH host keys: an admin accepts the different key a device offered or forgets a pinned
// key (the known_hosts import is in known-hosts-import.ts). The worker pins on first use and records
// a changed key (packages/engine); this side only moves keys an admin has seen, each change audited.
import { Rooms } from '@hitless/contracts';
import { conflict, notFound } from '@hitless/core';
import { hostKeyFingerprint } from '@hitless/crypto';
import { recordAudit } from '@hitless/db';
import { toDevice } from '../mappers.ts';
import type { MutationContext } from '../types.ts';
import { publishAfterCommit } from './publish.ts';

const include = { credential: { select: { name: true } } } as const;

/** Every change of the pinned key clears the offered one: if the device still presents another, the worker records it again. */
export const NO_OFFERED_KEY = {
  offeredHostKeyAlgorithm: null,
  offeredHostKey: null,
  offeredHostKeyFingerprint: null,
  offeredHostKeyAt: null,
} as const;

async function published(ctx: MutationContext, row: Parameters<typeof toDevice>[0]) {
  const device = toDevice(row);
  await publishAfterCommit(ctx, 'device.updated', [Rooms.inventory], { action: 'updated', id: device.id, device });
  return device;
}

/** Pins the key the device offered, if it is the one the admin saw (`fingerprint`). */
export async function acceptHostKey(ctx: MutationContext, input: { id: string; fingerprint: string }) {
  const row = await ctx.db.$transaction(async (tx) => {
    const d = await tx.device.findUnique({ where: { id: input.id } });
    if (!d) throw notFound('device', input.id);
    if (!d.offeredHostKey || !d.offeredHostKeyAlgorithm) {
      throw conflict(`${d.hostname} has not offered a different host key; there is nothing to accept`);
    }
    // The fingerprint of the stored blob, not the stored fingerprint: the blob is what gets pinned.
    const offered = hostKeyFingerprint(d.offeredHostKey);
    if (offered !== input.fingerprint) {
      throw conflict(
        `the key ${d.hostname} offers has the fingerprint ${offered}, not ${input.fingerprint}; nothing was accepted`,
      );
    }
    // Only if the offered key is still the one read above (a worker may record another meanwhile).
    const { count } = await tx.device.updateMany({
      where: { id: d.id, offeredHostKey: d.offeredHostKey },
      data: {
        hostKeyAlgorithm: d.offeredHostKeyAlgorithm,
        hostKey: d.offeredHostKey,
        hostKeyFingerprint: offered,
        hostKeyPinnedAt: new Date(),
        hostKeySource: 'accepted',
        ...NO_OFFERED_KEY,
      },
    });
    if (count !== 1) throw conflict(`${d.hostname} offered another key meanwhile; nothing was accepted`);
    await recordAudit(tx, ctx.actor, {
      action: 'device.host_key.accepted',
      targetType: 'device',
      targetId: d.id,
      details: {
        hostname: d.hostname,
        previousAlgorithm: d.hostKeyAlgorithm,
        previousFingerprint: d.hostKeyFingerprint,
        algorithm: d.offeredHostKeyAlgorithm,
        fingerprint: offered,
        offeredAt: d.offeredHostKeyAt?.toISOString() ?? null,
      },
    });
    return tx.device.findUniqueOrThrow({ where: { id: d.id }, include });
  });
  return published(ctx, row);
}

/** Forgets the pinned key (and any offered one): the next connection trusts on first use again. */
export async function forgetHostKey(ctx: MutationContext, input: { id: string }) {
  const row = await ctx.db.$transaction(async (tx) => {
    const d = await tx.device.findUnique({ where: { id: input.id } });
    if (!d) throw notFound('device', input.id);
    if (!d.hostKey) throw conflict(`${d.hostname} has no pinned host key; there is nothing to forget`);
    const updated = await tx.device.update({
      where: { id: d.id },
      data: {
        hostKeyAlgorithm: null,
        hostKey: null,
        hostKeyFingerprint: null,
        hostKeyPinnedAt: null,
        hostKeySource: null,
        ...NO_OFFERED_KEY,
      },
      include,
    });
    await recordAudit(tx, ctx.actor, {
      action: 'device.host_key.forgotten',
      targetType: 'device',
      targetId: d.id,
      details: {
        hostname: d.hostname,
        algorithm: d.hostKeyAlgorithm,
        fingerprint: d.hostKeyFingerprint,
        source: d.hostKeySource,
        offeredFingerprint: d.offeredHostKeyFingerprint,
      },
    });
    return updated;
  });
  return published(ctx, row);
}
