// Reaching a device from its inventory record: its management address, the credential opened
// from its sealed form only here, for the session, and never logged, the host keys pinned for it
// (read fresh before every connection, pinned on first use), and the legacy SSH algorithms only
// for a device or a platform family marked as needing them.
import type { EngineConfig } from '@hitless/config';
import { familyNeedsLegacySsh, notFound, platformFamily, preconditionFailed } from '@hitless/core';
import { openSecret } from '@hitless/crypto';
import type { Db, Device } from '@hitless/db';
import {
  CiscoDriver,
  CliSession,
  HostKeyError,
  JunosDriver,
  type SessionObserver,
  type SshTarget,
  type Transcript,
  type Vendor,
} from '@hitless/drivers';
import { hostKeyPolicyOf, pinOnFirstUse, refuseHostKey } from './host-keys.ts';

export type AnyDriver = { kind: 'cisco'; driver: CiscoDriver } | { kind: 'junos'; driver: JunosDriver };

export function vendorOf(device: Pick<Device, 'vendor'>): Vendor {
  return device.vendor === 'JUNOS' ? 'junos' : 'cisco';
}

/** Whether the device may be offered the legacy SSH algorithms: marked itself, or its family is. */
export function needsLegacySsh(device: Pick<Device, 'legacySsh' | 'vendor' | 'platform'>): boolean {
  return device.legacySsh || familyNeedsLegacySsh(platformFamily(device.vendor, device.platform));
}

/** Address and credential of a device; its host key policy is filled in by `connect`, fresh each time. */
export async function sshTargetOf(db: Db, key: Buffer, device: Device): Promise<SshTarget> {
  if (!device.credentialId)
    throw preconditionFailed(`${device.hostname} has no credential; assign one in the inventory first`);
  const credential = await db.credential.findUnique({ where: { id: device.credentialId } });
  if (!credential) throw notFound('credential', device.credentialId);
  return {
    host: device.mgmtAddress,
    port: device.port,
    username: credential.username,
    password: openSecret(key, credential.secretEnc),
    enableSecret: credential.enableSecretEnc ? openSecret(key, credential.enableSecretEnc) : null,
    hostKeys: { pinned: [], strict: true },
    legacySsh: needsLegacySsh(device),
  };
}

export function driverFor(session: CliSession): AnyDriver {
  return session.vendor === 'junos'
    ? { kind: 'junos', driver: new JunosDriver(session) }
    : { kind: 'cisco', driver: new CiscoDriver(session) };
}

export interface ConnectOptions {
  engine: EngineConfig;
  transcript?: Transcript;
  /** Retry until this moment (epoch ms); one attempt when absent. */
  retryUntil?: number;
  retryIntervalMs?: number;
  onAttempt?: (attempt: number, err: unknown) => void;
  shouldStop?: () => boolean;
  observer?: SessionObserver;
}

/**
 * Opens a session to the device. Its pinned host keys are loaded first (any one is accepted); a key
 * the driver refuses is recorded on the device and ends in HostKeyRejected (never retried); the key
 * of a device that had none is pinned before the session is used.
 */
export async function connect(
  db: Db,
  device: Device,
  credential: SshTarget,
  options: ConnectOptions,
): Promise<AnyDriver> {
  const target = { ...credential, hostKeys: await hostKeyPolicyOf(db, device.id, options.engine.strictHostKeys) };
  const vendor = vendorOf(device);
  let session: CliSession;
  try {
    session = await open(target, vendor, options);
  } catch (err) {
    if (err instanceof HostKeyError) throw await refuseHostKey(db, device, err);
    throw err;
  }
  if (target.hostKeys.pinned.length === 0) {
    try {
      await pinOnFirstUse(db, device, session.hostKey);
    } catch (err) {
      session.close();
      throw err;
    }
  }
  return driverFor(session);
}

async function open(target: SshTarget, vendor: Vendor, options: ConnectOptions): Promise<CliSession> {
  const sessionOptions = {
    vendor,
    commandTimeoutMs: options.engine.commandTimeoutMs,
    connectTimeoutMs: 15_000,
    ...(options.transcript && { transcript: options.transcript }),
    ...(options.observer && { observer: options.observer }),
  };
  return options.retryUntil
    ? await CliSession.openWithRetry(target, sessionOptions, {
        deadline: options.retryUntil,
        intervalMs: options.retryIntervalMs ?? Math.max(200, Math.min(5000, options.engine.pollMs)),
        ...(options.onAttempt && { onAttempt: options.onAttempt }),
        ...(options.shouldStop && { shouldStop: options.shouldStop }),
      })
    : await CliSession.open(target, sessionOptions);
}
