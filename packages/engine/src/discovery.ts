// Discovery: a device's facts read from the device itself (model, route processors or routing
// engines with their software, redundancy mode, ISSU state and prerequisites).
import type { EngineConfig } from '@hitless/config';
import { Rooms, type DeviceFacts } from '@hitless/contracts';
import { ciscoFilesystems, DomainError, platformFamily } from '@hitless/core';
import { recordAudit, type Db, type Device, type Prisma } from '@hitless/db';
import type { EventPublisher } from '@hitless/messaging';
import type { Logger } from 'pino';
import { connect, sshTargetOf, type AnyDriver } from './device-access.ts';
import { firstLine, HostKeyRejected, isDeviceProblem } from './errors.ts';
import type { EngineObserver } from './observer.ts';

const stripFs = (path: string | null) => (path ? path.replace(/^[a-z0-9-]+:\/?/i, '') : null);

export async function discover(device: Device, access: AnyDriver, now = new Date()): Promise<DeviceFacts> {
  const family = platformFamily(device.vendor, device.platform);
  if (access.kind === 'junos') {
    const d = access.driver;
    const versions = await d.versions();
    const res = await d.routingEngines();
    const statements = [
      ...(await d.configuration('chassis redundancy')),
      ...(await d.configuration('routing-options')),
      ...(await d.configuration('system commit')),
    ];
    const switchover = await d.switchover();
    const storage = await d.storage();
    const master = res.find((r) => r.state === 'Master');
    const versionOf = (slot: number) => versions.find((v) => v.re === `re${slot}`)?.version || null;
    return {
      discoveredAt: now.toISOString(),
      hostname: versions[0]?.hostname ?? null,
      model: versions[0]?.model ?? null,
      family,
      softwareVersion: master ? versionOf(master.slot) : null,
      redundancyMode: switchover.gracefulSwitchover ? 'GRES' : 'none',
      processors: res.map((r) => ({
        slot: `re${r.slot}`,
        role: r.state === 'Master' ? 'active' : 'standby',
        state: r.state,
        version: versionOf(r.slot),
        image: null,
        serial: r.serial,
      })),
      issuState: null,
      prerequisites: {
        gracefulSwitchover: statements.includes('set chassis redundancy graceful-switchover'),
        nonstopRouting: statements.includes('set routing-options nonstop-routing'),
        commitSynchronize: statements.includes('set system commit synchronize'),
        backupInSync: switchover.ready,
      },
      // `show system storage` answers for the RE the session is on: the master.
      filesystems: storage.map((f) => ({
        slot: master ? `re${master.slot}` : null,
        name: f.mountedOn,
        totalBytes: f.sizeBytes,
        freeBytes: f.availBytes,
      })),
    };
  }
  const d = access.driver;
  const version = await d.version();
  const redundancy = await d.redundancy();
  const issu = await d.issuState();
  const nsf = await d.nsf();
  const processors: DeviceFacts['processors'] = [
    {
      slot: redundancy.active.slot ?? redundancy.active.location,
      role: 'active',
      state: redundancy.active.state,
      version: version.version,
      image: stripFs(version.imageFile),
      serial: version.serial,
    },
  ];
  const fs = ciscoFilesystems(family);
  const listings = [{ slot: processors[0]!.slot, name: fs.active }];
  if (redundancy.peer) {
    const classic = issu.format === 'classic' ? issu.slots.find((s) => s.rpState !== 'Active') : undefined;
    const sameImage = redundancy.peer.imageVersion === redundancy.active.imageVersion;
    processors.push({
      slot: redundancy.peer.slot ?? redundancy.peer.location,
      role: 'standby',
      state: redundancy.peer.state,
      version: sameImage ? version.version : redundancy.peer.imageVersion,
      image: classic ? stripFs(classic.currentVersion) : sameImage ? stripFs(version.imageFile) : null,
      serial: null,
    });
    listings.push({ slot: processors[1]!.slot, name: fs.standby });
  }
  const filesystems: NonNullable<DeviceFacts['filesystems']> = [];
  for (const l of listings) {
    const dir = await d.dir(l.name);
    filesystems.push({ slot: l.slot, name: dir.filesystem, totalBytes: dir.totalBytes, freeBytes: dir.freeBytes });
  }
  return {
    discoveredAt: now.toISOString(),
    hostname: version.hostname,
    model: version.processor,
    family,
    softwareVersion: version.version,
    redundancyMode: redundancy.operatingMode,
    processors,
    issuState:
      issu.format === 'classic'
        ? (issu.slots[0]?.issuState ?? null)
        : issu.inProgress
          ? (issu.lastOperation ?? 'in progress')
          : 'Init',
    prerequisites: {
      sso: redundancy.operatingMode === 'SSO',
      standbyHot: redundancy.peer?.state === 'STANDBY HOT',
      nsf: nsf.configured,
    },
    filesystems,
  };
}

export interface DiscoveryDeps {
  db: Db;
  events: EventPublisher;
  key: Buffer;
  engine: EngineConfig;
  log: Logger;
  /** Told of the SSH session (the worker's metrics). */
  observer?: EngineObserver;
}

/**
 * A discovery job (requested through the API, done here: only workers reach the management
 * network): connect, read the facts, store them on the device and on the discovery, audited.
 * Device problems end the discovery FAILED with the reason; nothing is thrown for them.
 */
export async function runDiscovery(deps: DiscoveryDeps, discoveryId: string): Promise<void> {
  const { db } = deps;
  const row = await db.discovery.findUnique({
    where: { id: discoveryId },
    include: { device: true, requestedBy: { select: { username: true } } },
  });
  if (!row || row.status === 'SUCCEEDED' || row.status === 'FAILED') return;
  await db.discovery.update({ where: { id: discoveryId }, data: { status: 'RUNNING', startedAt: new Date() } });
  const device = row.device;
  let facts: DeviceFacts;
  try {
    const target = await sshTargetOf(db, deps.key, device);
    const engine = { ...deps.engine, commandTimeoutMs: Math.min(deps.engine.commandTimeoutMs, 30_000) };
    const access = await connect(db, device, target, { engine, ...(deps.observer && { observer: deps.observer }) });
    try {
      facts = await discover(device, access);
    } finally {
      access.driver.close();
    }
  } catch (err) {
    if (!isDeviceProblem(err) && !(err instanceof DomainError) && !(err instanceof HostKeyRejected)) throw err;
    const error = `discovery of ${device.hostname} failed: ${firstLine(err)}`;
    await db.discovery.update({ where: { id: discoveryId }, data: { status: 'FAILED', error, endedAt: new Date() } });
    deps.log.info({ discoveryId, device: device.hostname, error }, 'discovery failed');
    return;
  }
  const json = facts as unknown as Prisma.InputJsonValue;
  await db.$transaction(async (tx) => {
    await tx.device.update({
      where: { id: device.id },
      data: {
        facts: json,
        factsUpdatedAt: new Date(),
        ...(facts.softwareVersion && { currentVersion: facts.softwareVersion }),
      },
    });
    await tx.discovery.update({
      where: { id: discoveryId },
      data: { status: 'SUCCEEDED', facts: json, endedAt: new Date() },
    });
    // The user who asked; the worker did the reading.
    const actor = { id: row.requestedById, name: row.requestedBy?.username ?? 'worker', ip: null };
    await recordAudit(tx, actor, {
      action: 'device.discovered',
      targetType: 'device',
      targetId: device.id,
      details: { hostname: device.hostname, version: facts.softwareVersion, discovery: discoveryId },
    });
  });
  try {
    await deps.events.publish('device.updated', [Rooms.inventory, Rooms.device(device.id)], {
      action: 'updated',
      id: device.id,
    });
  } catch (err) {
    deps.log.warn({ err }, 'live event not published');
  }
}
