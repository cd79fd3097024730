// The lab: simulated chassis on loopback addresses behind real SSH, sending syslog, with an
// authenticated HTTP API for faults, command counters and forwarding figures.
import { randomBytes } from 'node:crypto';
import {
  RealClock,
  SimDevice,
  unsupportedFaults,
  vendorOf,
  type DeviceSpec,
  type FaultName,
  type VendorId,
} from '@hitless/sim';
import type { FastifyInstance } from 'fastify';
import { buildLabApi } from './api.ts';
import { persistentHostKey, storeHostKey } from './host-keys.ts';
import { writeKnownHosts } from './known-hosts.ts';
import {
  generateHostKey,
  listenDevice,
  masterEngine,
  type DeviceEndpoint,
  type PresentedHostKey,
  type SshOptions,
  type SshProfile,
} from './ssh.ts';
import { SyslogSender, type SyslogTarget } from './syslog.ts';

export interface LabOptions {
  devices: DeviceSpec[];
  timeScale: number;
  syslog?: SyslogTarget | null;
  /** Faults per hostname, applied at start. */
  faults?: Record<string, FaultName[]>;
  /** Devices (by hostname) that offer only legacy SSH algorithms, like old IOS trains. */
  legacySsh?: string[];
  api?: { host: string; port: number; token?: string };
  /** Host keys by hostname (one per routing engine, slot order, for `engineHostKeys` devices), to keep device identities across restarts. */
  hostKeys?: Record<string, string | string[]>;
  /**
   * Devices (by hostname; `true`: all) whose routing engines each have their own SSH host key, as
   * on a dual-RE Junos router or a dual-RP box: the management address answers with the master's
   * key, the other one after a mastership switch. Default: one key per chassis.
   */
  engineHostKeys?: string[] | true;
  /**
   * Where the lab keeps its state across restarts: each device's host key is generated once and
   * read from here again (files 0600). Without it, every start generates new keys.
   */
  stateDir?: string;
  /** How many devices start listening at once. */
  concurrency?: number;
}

export interface LabDeviceInfo {
  id: string;
  hostname: string;
  vendor: VendorId;
  platform: string;
  family: string;
  address: string;
  port: number;
  username: string;
  password: string;
  enableSecret: string | null;
  sshProfile: SshProfile;
  /** The SSH host key it presents now (the master engine's): type and public blob (base64), and its SHA256 fingerprint. */
  hostKey: { algorithm: string; key: string; fingerprint: string };
  /** Every key it may present: the chassis key (engine null), or one per routing engine. */
  hostKeys: PresentedHostKey[];
}

export interface Lab {
  devices: Map<string, SimDevice>;
  endpoints: Map<string, DeviceEndpoint>;
  syslog: SyslogSender;
  api: FastifyInstance | null;
  apiUrl: string | null;
  apiToken: string;
  timeScale: number;
  /** `<stateDir>/known_hosts` with every device's host keys (null without a state directory). */
  knownHostsFile: string | null;
  info(): LabDeviceInfo[];
  /**
   * The device gets a new SSH host key (as after a re-install, or a box swapped behind its
   * address): its listener restarts with it on the same address and port, cutting its sessions.
   * With a key per routing engine, the engine given (slot index; default: the master) gets it.
   * Kept in the state directory when the lab has one. Returns the new fingerprint.
   */
  rekey(hostname: string, hostKey?: string, engine?: number): Promise<string>;
  stop(): Promise<void>;
}

export class LabError extends Error {
  override name = 'LabError';
}

export async function startLab(options: LabOptions): Promise<Lab> {
  const clock = new RealClock();
  const syslog = new SyslogSender(options.syslog ?? null);
  const devices = new Map<string, SimDevice>();
  const endpoints = new Map<string, DeviceEndpoint>();
  const byHostname = new Map(options.devices.map((d) => [d.hostname, d]));
  for (const host of Object.keys(options.faults ?? {})) {
    if (!byHostname.has(host)) throw new LabError(`fault file names ${host}, which is not a device of this lab`);
  }
  const legacy = new Set(options.legacySsh ?? []);
  const profileOf = (device: SimDevice): SshProfile => (legacy.has(device.spec.hostname) ? 'legacy' : 'modern');
  const perEngine = (device: SimDevice) =>
    options.engineHostKeys === true || (options.engineHostKeys ?? []).includes(device.spec.hostname);
  /** The private keys of a device at start: given, else from the state directory, else new ones. */
  const keysOf = async (device: SimDevice): Promise<Pick<SshOptions, 'hostKey' | 'engineHostKeys'>> => {
    const profile = profileOf(device);
    const given = options.hostKeys?.[device.spec.hostname];
    const keys = typeof given === 'string' ? [given] : (given ?? []);
    const count = perEngine(device) ? 2 : 1;
    const all = await Promise.all(
      Array.from(
        { length: count },
        async (_, i) =>
          keys[i] ??
          (options.stateDir
            ? await persistentHostKey(options.stateDir, device.spec.hostname, profile, i)
            : generateHostKey(profile)),
      ),
    );
    return count > 1 ? { engineHostKeys: all } : { hostKey: all[0]! };
  };
  const privateKeys = new Map<string, Pick<SshOptions, 'hostKey' | 'engineHostKeys'>>();

  const listener = {
    syslog: (device: SimDevice, event: Parameters<SyslogSender['send']>[1]) => syslog.send(device, event),
    drop: (device: SimDevice) => endpoints.get(device.spec.id)?.dropAll(),
    reachability: (device: SimDevice, up: boolean) => endpoints.get(device.spec.id)?.reachable(up),
  };

  for (const [host, faults] of Object.entries(options.faults ?? {})) {
    const unsupported = unsupportedFaults(vendorOf(byHostname.get(host)!.family), faults);
    if (unsupported.length > 0) throw new LabError(`fault file: ${host}: ${unsupported.join('; ')}`);
  }
  for (const spec of options.devices) {
    const faults = options.faults?.[spec.hostname];
    const device = new SimDevice(
      { ...spec, ...(faults && { faults }) },
      { clock, timeScale: options.timeScale, listener },
    );
    devices.set(spec.id, device);
  }

  const all = [...devices.values()];
  const concurrency = options.concurrency ?? 256;
  const stopAll = async () => {
    await Promise.all([...endpoints.values()].map((e) => e.close()));
  };
  try {
    for (let i = 0; i < all.length; i += concurrency) {
      await Promise.all(
        all.slice(i, i + concurrency).map(async (device) => {
          const profile = profileOf(device);
          const keys = await keysOf(device);
          privateKeys.set(device.spec.id, keys);
          const endpoint = await listenDevice(device, { profile, ...keys }).catch((err: NodeJS.ErrnoException) => {
            const where = `${device.spec.address}:${device.spec.port}`;
            if (err.code === 'EACCES')
              throw new LabError(
                `cannot listen on ${where}: ports below 1024 need root; use --port 2222 (or 0 for any free port)`,
              );
            if (err.code === 'EADDRINUSE')
              throw new LabError(
                `cannot listen on ${where}: something else is listening there; use another --base-address or --port`,
              );
            if (err.code === 'EADDRNOTAVAIL')
              throw new LabError(`cannot listen on ${where}: the address is not local (the lab needs 127.0.0.0/8)`);
            throw err;
          });
          endpoints.set(device.spec.id, endpoint);
        }),
      );
    }
  } catch (err) {
    await stopAll();
    throw err;
  }

  const apiToken = options.api?.token ?? randomBytes(24).toString('base64url');
  const lab: Lab = {
    devices,
    endpoints,
    syslog,
    api: null,
    apiUrl: null,
    apiToken,
    timeScale: options.timeScale,
    knownHostsFile: null,
    info: () =>
      all.map((d) => ({
        id: d.spec.id,
        hostname: d.spec.hostname,
        vendor: d.vendor,
        platform: d.model,
        family: d.spec.family,
        address: d.spec.address,
        port: endpoints.get(d.spec.id)?.port ?? d.spec.port,
        username: d.spec.username,
        password: d.spec.password,
        enableSecret: d.spec.enableSecret,
        sshProfile: profileOf(d),
        hostKey: {
          ...endpoints.get(d.spec.id)!.hostKey,
          fingerprint: endpoints.get(d.spec.id)!.hostKeyFingerprint,
        },
        hostKeys: endpoints.get(d.spec.id)!.hostKeys,
      })),
    rekey: async (hostname, given, engine) => {
      const device = all.find((d) => d.spec.hostname === hostname);
      if (!device) throw new LabError(`no device ${hostname} in this lab`);
      const profile = profileOf(device);
      const hostKey = given ?? generateHostKey(profile);
      const keys = privateKeys.get(device.spec.id)!;
      const slot = keys.engineHostKeys ? (engine ?? masterEngine(device)) : 0;
      const next = keys.engineHostKeys
        ? { engineHostKeys: keys.engineHostKeys.map((k, i) => (i === slot ? hostKey : k)) }
        : { hostKey };
      if (options.stateDir)
        await storeHostKey(options.stateDir, hostname, profile, hostKey, { replace: true, engine: slot });
      privateKeys.set(device.spec.id, next);
      const old = endpoints.get(device.spec.id)!;
      await old.close();
      const endpoint = await listenDevice(device, { profile, ...next }, old.port);
      endpoints.set(device.spec.id, endpoint);
      if (options.stateDir) await writeKnownHosts(options.stateDir, lab.info());
      return endpoint.hostKeyFingerprint;
    },
    stop: async () => {
      await lab.api?.close();
      for (const d of devices.values()) d.dispose();
      await stopAll();
      syslog.close();
      clock.clearAll();
    },
  };

  if (options.stateDir) {
    try {
      lab.knownHostsFile = await writeKnownHosts(options.stateDir, lab.info());
    } catch (err) {
      await lab.stop();
      throw err;
    }
  }
  if (options.api) {
    const api = await buildLabApi(lab, apiToken);
    const url = await api.listen({ host: options.api.host, port: options.api.port });
    lab.api = api;
    lab.apiUrl = url;
  }
  return lab;
}
