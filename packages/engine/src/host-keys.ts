// A device's SSH host keys, as the inventory keeps them: a set (one key per routing engine or
// route processor that may answer on the management address), read fresh before every
// connection, pinned on first use only while the set is empty (audited), and a key a device
// offered that is not in the set stored beside it (audited once per key) until an admin accepts
// it. The driver checks the key before any secret is sent; this is the bookkeeping.
import { lockDeviceRow, recordAudit, type Db, type Device } from '@hitless/db';
import type { HostKeyError, HostKeyPolicy, SeenHostKey } from '@hitless/drivers';
import { HostKeyRejected } from './errors.ts';

const SYSTEM = { id: null, name: 'system', ip: null };

/** The host key policy of a device as stored now (another worker may have pinned a key since the run loaded the device). */
export async function hostKeyPolicyOf(db: Db, deviceId: string, strict: boolean): Promise<HostKeyPolicy> {
  const rows = await db.deviceHostKey.findMany({
    where: { deviceId },
    select: { algorithm: true, key: true },
    orderBy: { pinnedAt: 'asc' },
  });
  return { pinned: rows, strict };
}

/**
 * Trust on first use: pins the key the device presented, only if the device still has no pinned
 * key (the device row is locked while we look, so two first connections pin one key, not two).
 * A set pinned meanwhile that holds this key is fine; one that does not is a mismatch.
 */
export async function pinOnFirstUse(db: Db, device: Device, seen: SeenHostKey): Promise<void> {
  const meanwhile = await db.$transaction(async (tx) => {
    await lockDeviceRow(tx, device.id);
    const pinned = await tx.deviceHostKey.findMany({
      where: { deviceId: device.id },
      select: { key: true, fingerprint: true },
    });
    if (pinned.length > 0) return pinned;
    await tx.deviceHostKey.create({
      data: {
        deviceId: device.id,
        algorithm: seen.algorithm,
        key: seen.key,
        fingerprint: seen.fingerprint,
        source: 'tofu',
      },
    });
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
    return [];
  });
  if (meanwhile.length === 0 || meanwhile.some((k) => k.key === seen.key)) return;
  const was = meanwhile.map((k) => k.fingerprint);
  await recordOffered(db, device, seen, was);
  throw new HostKeyRejected(
    `host key of ${device.hostname} is not pinned: offered ${seen.fingerprint}, pinned ${was.join(', ')} ` +
      '(pinned by another connection meanwhile); an admin must accept the new key before anything connects to it again',
    device.hostname,
    was,
    seen.fingerprint,
  );
}

/** The driver refused the device's key: the offered key goes on the device (audited once per key), and the run or discovery ends. */
export async function refuseHostKey(db: Db, device: Device, err: HostKeyError): Promise<HostKeyRejected> {
  await recordOffered(db, device, err.offered, err.pinnedFingerprints);
  const what =
    err.pinnedFingerprints.length === 0
      ? `${device.hostname} has no pinned SSH host key and strict host key checking is on; it offered ${err.offered.fingerprint}. ` +
        'Import its key, or an admin must accept the offered key, before anything connects to it'
      : `SSH host key of ${device.hostname} is not pinned: offered ${err.offered.fingerprint}, ` +
        `pinned ${err.pinnedFingerprints.join(', ')}. The connection was refused before logging in (no secret sent); ` +
        "an admin must accept the new key (after checking it: another routing engine's key is added to the set, " +
        'a replaced device replaces it) before anything connects to it again';
  return new HostKeyRejected(what, device.hostname, err.pinnedFingerprints, err.offered.fingerprint);
}

async function recordOffered(
  db: Db,
  device: Device,
  seen: SeenHostKey,
  pinnedFingerprints: readonly string[],
): Promise<void> {
  await db.$transaction(async (tx) => {
    // Refused before an admin accepted this very key: it is pinned now, not pending.
    if (await tx.deviceHostKey.findFirst({ where: { deviceId: device.id, key: seen.key }, select: { id: true } }))
      return;
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
      action: pinnedFingerprints.length === 0 ? 'device.host_key.unpinned_refused' : 'device.host_key.mismatch',
      targetType: 'device',
      targetId: device.id,
      details: {
        hostname: device.hostname,
        pinned: [...pinnedFingerprints],
        offered: seen.fingerprint,
        algorithm: seen.algorithm,
      },
    });
  });
}
