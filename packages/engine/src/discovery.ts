// Discovery: a device's facts read from the device itself (model, route processors or routing
// engines with their software, redundancy mode, ISSU state and prerequisites).
import type { DeviceFacts } from '@hitless/contracts';
import { platformFamily } from '@hitless/core';
import type { Device } from '@hitless/db';
import type { AnyDriver } from './device-access.ts';

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
      })),
      issuState: null,
      prerequisites: {
        gracefulSwitchover: statements.includes('set chassis redundancy graceful-switchover'),
        nonstopRouting: statements.includes('set routing-options nonstop-routing'),
        commitSynchronize: statements.includes('set system commit synchronize'),
        backupInSync: switchover.ready,
      },
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
    },
  ];
  if (redundancy.peer) {
    const classic = issu.format === 'classic' ? issu.slots.find((s) => s.rpState !== 'Active') : undefined;
    const sameImage = redundancy.peer.imageVersion === redundancy.active.imageVersion;
    processors.push({
      slot: redundancy.peer.slot ?? redundancy.peer.location,
      role: 'standby',
      state: redundancy.peer.state,
      version: sameImage ? version.version : redundancy.peer.imageVersion,
      image: classic ? stripFs(classic.currentVersion) : sameImage ? stripFs(version.imageFile) : null,
    });
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
  };
}
