// A device's SSH host key, as the inventory keeps it: read fresh before every connection,
// pinned on first use (only while none is pinned; audited), and a different key a device
// offered after that stored beside the pinned one (audited once per key) until an admin
// accepts it. The driver checks the key before any secret is sent; this is the bookkeeping.
import { hostKeyFingerprint } from '@hitless/crypto';
import { recordAudit, type Db, type Device } from '@hitless/db';
import type { HostKeyError, HostKeyPolicy, SeenHostKey } from '@hitless/drivers';
import { HostKeyRejected } from './errors.ts';

const SYSTEM = { id: null, name: 'system', ip: null };

/** The host key policy of a device as stored now (another worker may have pinned it since the run loaded the device). */
export async function hostKeyPolicyOf(db: Db, deviceId: string, strict: boolean): Promise<HostKeyPolicy> {
  const row = await db.device.findUniqueOrThrow({
    where: { id: deviceId },
    select: { hostKey: true, hostKeyAlgorithm: true },
  });
  return {
    pinned: row.hostKey ? { algorithm: row.hostKeyAlgorithm ?? 'unknown', key: row.hostKey } : null,
    strict,
  };
}

/**
 * Trust on first use: pins the key the device presented, unless a key got pinned meanwhile (by
 * another connection). The same key pinned meanwhile is fine; another one is a mismatch.
 */
export async function pinOnFirstUse(db: Db, device: Device, seen: SeenHostKey): Promise<void> {
  const pinned = await db.$transaction(async (tx) => {
    const { count } = await tx.device.updateMany({
      where: { id: device.id, hostKey: null },
      data: {
        hostKey: seen.key,
        hostKeyAlgorithm: seen.algorithm,
        hostKeyFingerprint: seen.fingerprint,
        hostKeyPinnedAt: new Date(),
        hostKeySource: 'tofu',
      },
    });
    if (count === 0) return false;
    // A key it offered before (refused in strict mode) is the pinned one now: no longer pending.
    await tx.device.updateMany({
      where: { id: device.id, offeredHostKey: seen.key },
      data: {
        offeredHostKey: null,
        offeredHostKeyAlgorithm: null,
        offeredHostKeyFingerprint: null,
        offeredHostKeyAt: null,
      },
    });
    await recordAudit(tx, SYSTEM, {
      action: 'device.host_key.pinned',
      targetType: 'device',
      targetId: device.id,
      details: { hostname: device.hostname, source: 'tofu', algorithm: seen.algorithm, fingerprint: seen.fingerprint },
    });
    return true;
  });
  if (pinned) return;
  const now = await db.device.findUniqueOrThrow({ where: { id: device.id }, select: { hostKey: true } });
  if (now.hostKey === seen.key) return;
  const was = now.hostKey ? hostKeyFingerprint(now.hostKey) : 'none';
  await recordOffered(db, device, seen, was);
  throw new HostKeyRejected(
    `host key of ${device.hostname} changed: pinned ${was} (pinned by another connection meanwhile), offered ${seen.fingerprint}; ` +
      'an admin must accept the new key before anything connects to it again',
    device.hostname,
    was,
    seen.fingerprint,
  );
}

/** The driver refused the device's key: the offered key goes on the device (audited once per key), and the run or discovery ends. */
export async function refuseHostKey(db: Db, device: Device, err: HostKeyError): Promise<HostKeyRejected> {
  await recordOffered(db, device, err.offered, err.pinnedFingerprint);
  const what =
    err.pinnedFingerprint === null
      ? `${device.hostname} has no pinned SSH host key and strict host key checking is on; it offered ${err.offered.fingerprint}. ` +
        'Import its key, or an admin must accept the offered key, before anything connects to it'
      : `SSH host key of ${device.hostname} changed: pinned ${err.pinnedFingerprint}, offered ${err.offered.fingerprint}. ` +
        'The connection was refused before logging in (no secret sent); an admin must accept the new key (after checking it) before anything connects to it again';
  return new HostKeyRejected(what, device.hostname, err.pinnedFingerprint, err.offered.fingerprint);
}

async function recordOffered(
  db: Db,
  device: Device,
  seen: SeenHostKey,
  pinnedFingerprint: string | null,
): Promise<void> {
  await db.$transaction(async (tx) => {
    const { count } = await tx.device.updateMany({
      where: { id: device.id, OR: [{ offeredHostKey: null }, { offeredHostKey: { not: seen.key } }] },
      data: {
        offeredHostKey: seen.key,
        offeredHostKeyAlgorithm: seen.algorithm,
        offeredHostKeyFingerprint: seen.fingerprint,
        offeredHostKeyAt: new Date(),
      },
    });
    // The same key offered again (every retry, every run) is already recorded and audited.
    if (count === 0) return;
    await recordAudit(tx, SYSTEM, {
      action: pinnedFingerprint === null ? 'device.host_key.unpinned_refused' : 'device.host_key.mismatch',
      targetType: 'device',
      targetId: device.id,
      details: {
        hostname: device.hostname,
        pinned: pinnedFingerprint,
        offered: seen.fingerprint,
        algorithm: seen.algorithm,
      },
    });
  });
}
