// Reaching a device from its inventory record: its management address, and the credential
// opened from its sealed form only here, for the session, and never logged.
import type { EngineConfig } from '@hitless/config';
import { notFound, preconditionFailed } from '@hitless/core';
import { openSecret } from '@hitless/crypto';
import type { Db, Device } from '@hitless/db';
import { CiscoDriver, CliSession, JunosDriver, type SshTarget, type Transcript, type Vendor } from '@hitless/drivers';

export type AnyDriver = { kind: 'cisco'; driver: CiscoDriver } | { kind: 'junos'; driver: JunosDriver };

export function vendorOf(device: Pick<Device, 'vendor'>): Vendor {
  return device.vendor === 'JUNOS' ? 'junos' : 'cisco';
}

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
}

export async function connect(target: SshTarget, vendor: Vendor, options: ConnectOptions): Promise<AnyDriver> {
  const sessionOptions = {
    vendor,
    commandTimeoutMs: options.engine.commandTimeoutMs,
    connectTimeoutMs: 15_000,
    ...(options.transcript && { transcript: options.transcript }),
  };
  const session = options.retryUntil
    ? await CliSession.openWithRetry(target, sessionOptions, {
        deadline: options.retryUntil,
        intervalMs: options.retryIntervalMs ?? Math.max(200, Math.min(5000, options.engine.pollMs)),
        ...(options.onAttempt && { onAttempt: options.onAttempt }),
        ...(options.shouldStop && { shouldStop: options.shouldStop }),
      })
    : await CliSession.open(target, sessionOptions);
  return driverFor(session);
}
