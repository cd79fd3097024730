// Pinned SSH host keys: a set per device (a dual-RE / dual-RP box whose management address follows
// the master has one key per routing engine). An admin accepts the key a device offered (added to
// the set, or replacing it), forgets one pinned key or all of them (the known_hosts import is in
// known-hosts-import.ts). The worker pins on first use and records an offered key that is not
// pinned (packages/engine); this side only moves keys an admin has seen, each change audited. Every
// change locks the device row first, so it never interleaves with the worker's first-use pin.
import { Rooms } from '@hitless/contracts';
import { conflict, notFound } from '@hitless/core';
import { hostKeyFingerprint } from '@hitless/crypto';
import { lockDeviceRow, recordAudit, type Db } from '@hitless/db';
import { DEVICE_INCLUDE, type DeviceRow } from '../mappers.ts';
import { deviceDto } from './device-dto.ts';
import type { MutationContext } from '../types.ts';
import { publishAfterCommit } from './publish.ts';

type Tx = Parameters<Parameters<Db['$transaction']>[0]>[0];

/** Clears the offered key: if the device still presents one that is not pinned, the worker records it again. */
export const NO_OFFERED_KEY = {
  offeredHostKeyAlgorithm: null,
  offeredHostKey: null,
  offeredHostKeyFingerprint: null,
  offeredHostKeyAt: null,
} as const;

/** The device row, locked until the transaction ends (FOR UPDATE), with its pinned keys. */
export async function lockDevice(tx: Tx, id: string) {
  if (!(await lockDeviceRow(tx, id))) throw notFound('device', id);
  return tx.device.findUniqueOrThrow({ where: { id }, include: { hostKeys: { orderBy: { pinnedAt: 'asc' } } } });
}

const pinsOf = (keys: { algorithm: string; fingerprint: string; source: string }[]) =>
  keys.map((k) => ({ algorithm: k.algorithm, fingerprint: k.fingerprint, source: k.source }));

async function published(ctx: MutationContext, row: DeviceRow) {
  const device = await deviceDto(ctx.db, row);
  await publishAfterCommit(ctx, 'device.updated', [Rooms.inventory], { action: 'updated', id: device.id, device });
  return device;
}

/**
 * Pins the key the device offered, if it is the one the admin saw (`fingerprint`): added to the
 * pinned set (another routing engine's key), or with `replace` the only pinned key (the device, or
 * a routing engine, was replaced or re-keyed).
 */
export async function acceptHostKey(
  ctx: MutationContext,
  input: { id: string; fingerprint: string; replace: boolean },
) {
  const row = await ctx.db.$transaction(async (tx) => {
    const d = await lockDevice(tx, input.id);
    if (!d.offeredHostKey || !d.offeredHostKeyAlgorithm) {
      throw conflict(`${d.hostname} has not offered a key that is not pinned; there is nothing to accept`);
    }
    // The fingerprint of the stored blob, not the stored fingerprint: the blob is what gets pinned.
    const offered = hostKeyFingerprint(d.offeredHostKey);
    if (offered !== input.fingerprint) {
      throw conflict(
        `the key ${d.hostname} offers has the fingerprint ${offered}, not ${input.fingerprint}; nothing was accepted`,
      );
    }
    if (input.replace) await tx.deviceHostKey.deleteMany({ where: { deviceId: d.id } });
    const removed = input.replace ? d.hostKeys.filter((k) => k.key !== d.offeredHostKey) : [];
    await tx.deviceHostKey.upsert({
      where: { deviceId_key: { deviceId: d.id, key: d.offeredHostKey } },
      create: {
        deviceId: d.id,
        algorithm: d.offeredHostKeyAlgorithm,
        key: d.offeredHostKey,
        fingerprint: offered,
        source: 'accepted',
      },
      update: { source: 'accepted', pinnedAt: new Date() },
    });
    await tx.device.update({ where: { id: d.id }, data: NO_OFFERED_KEY });
    await recordAudit(tx, ctx.actor, {
      action: 'device.host_key.accepted',
      targetType: 'device',
      targetId: d.id,
      details: {
        hostname: d.hostname,
        replace: input.replace,
        algorithm: d.offeredHostKeyAlgorithm,
        fingerprint: offered,
        offeredAt: d.offeredHostKeyAt?.toISOString() ?? null,
        previousFingerprints: d.hostKeys.map((k) => k.fingerprint),
        removed: pinsOf(removed),
      },
    });
    return tx.device.findUniqueOrThrow({ where: { id: d.id }, include: DEVICE_INCLUDE });
  });
  return published(ctx, row);
}

/**
 * Forgets pinned keys: all of them (and any offered key; the next connection trusts on first use
 * again), or the one with `fingerprint` (the others stay pinned).
 */
export async function forgetHostKey(ctx: MutationContext, input: { id: string; fingerprint?: string }) {
  const row = await ctx.db.$transaction(async (tx) => {
    const d = await lockDevice(tx, input.id);
    const forgotten = input.fingerprint ? d.hostKeys.filter((k) => k.fingerprint === input.fingerprint) : d.hostKeys;
    if (forgotten.length === 0) {
      throw conflict(
        input.fingerprint
          ? `${d.hostname} has no pinned host key ${input.fingerprint}; there is nothing to forget`
          : `${d.hostname} has no pinned host key; there is nothing to forget`,
      );
    }
    await tx.deviceHostKey.deleteMany({ where: { id: { in: forgotten.map((k) => k.id) } } });
    // With no key left the next connection trusts on first use: an offer pending from before is moot.
    if (forgotten.length === d.hostKeys.length) await tx.device.update({ where: { id: d.id }, data: NO_OFFERED_KEY });
    await recordAudit(tx, ctx.actor, {
      action: 'device.host_key.forgotten',
      targetType: 'device',
      targetId: d.id,
      details: {
        hostname: d.hostname,
        all: !input.fingerprint,
        forgotten: pinsOf(forgotten),
        kept: pinsOf(d.hostKeys.filter((k) => !forgotten.includes(k))),
        offeredFingerprint: d.offeredHostKeyFingerprint,
      },
    });
    return tx.device.findUniqueOrThrow({ where: { id: d.id }, include: DEVICE_INCLUDE });
  });
  return published(ctx, row);
}
