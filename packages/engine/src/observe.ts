// Reading a device's actual state, turned into the shapes the core decision functions take.
// Every turn of a run starts here; nothing is assumed from what the run did before.
import type { CiscoObserved, HealthSnapshot, JunosObserved } from '@hitless/core';
import { cisco, iosVersionOfPackage, type CiscoDriver, type JunosDriver } from '@hitless/drivers';

const stripFs = (path: string | null): string | null => (path ? path.replace(/^[a-z0-9-]+:\/?/i, '') : null);

export interface CiscoImages {
  original: string;
  target: string;
}

/** ISSU state, which image each RP runs, the standby's RF state, the rollback timer, the boot variable. */
export async function observeCisco(
  driver: CiscoDriver,
  images: CiscoImages,
): Promise<CiscoObserved & { evidence: Record<string, unknown> }> {
  const issu = await driver.issuState();
  const states = await driver.redundancyStates();
  const timer = await driver.rollbackTimer();
  const standbyState = states.peer.name;
  if (issu.format === 'classic') {
    const active = issu.slots.find((s) => s.rpState === 'Active') ?? issu.slots[0]!;
    const standby = issu.slots.find((s) => s !== active);
    return {
      issuState: normaliseIssuState(active.issuState),
      active: { slot: active.slot, image: stripFs(active.currentVersion) },
      standby: {
        slot: standby?.slot ?? '?',
        image: standbyState === 'DISABLED' ? null : stripFs(standby?.currentVersion ?? null),
        state: standbyState,
      },
      rollback: {
        inProgress: timer.inProgress,
        remainingSeconds: timer.remainingSeconds,
        configuredSeconds: timer.configuredSeconds,
      },
      bootImages: active.bootVariable.map((b) => stripFs(b)!),
      evidence: { issu, peerState: states.peer, rollbackTimer: timer },
    };
  }
  // IOS-XE: the active image from show version; the standby's from its IOS version, matched
  // against the two packages this run is about (Cisco names carry the IOS version).
  const version = await driver.version();
  const redundancy = await driver.redundancy();
  const peerIos = redundancy.peer?.imageVersion ?? null;
  const standbyImage =
    standbyState === 'DISABLED' || !peerIos
      ? null
      : ([images.target, images.original].find((f) => iosVersionOfPackage(f) === peerIos) ??
        `unknown (IOS ${peerIos})`);
  const issuState: CiscoObserved['issuState'] = !issu.inProgress
    ? 'Init'
    : issu.lastOperation === 'loadversion'
      ? 'Load Version'
      : 'Run Version';
  return {
    issuState,
    active: { slot: redundancy.active.slot ?? '?', image: stripFs(version.imageFile) },
    standby: { slot: redundancy.peer?.slot ?? '?', image: standbyImage, state: standbyState },
    rollback: {
      inProgress: timer.inProgress,
      remainingSeconds: timer.remainingSeconds,
      configuredSeconds: timer.configuredSeconds,
    },
    bootImages: cisco.parseBootVariable(redundancy.active.boot ?? '').map((b) => stripFs(b)!),
    evidence: {
      issu,
      peerState: states.peer,
      rollbackTimer: timer,
      activeImage: version.imageFile,
      peerIosVersion: peerIos,
    },
  };
}

function normaliseIssuState(s: string): CiscoObserved['issuState'] {
  if (s === 'Load Version') return 'Load Version';
  if (s === 'Run Version' || s === 'Accept Version') return 'Run Version';
  return 'Init';
}

export async function observeJunos(
  driver: JunosDriver,
): Promise<JunosObserved & { evidence: Record<string, unknown> }> {
  const res = await driver.routingEngines();
  const versions = await driver.versions();
  const status = await driver.issuStatus();
  const versionOf = (slot: number) => versions.find((v) => v.re === `re${slot}`)?.version || null;
  const master = res.find((r) => r.state === 'Master');
  if (!master) throw new Error('no master routing engine in show chassis routing-engine');
  const other = res.find((r) => r.slot !== master.slot);
  return {
    master: { slot: master.slot, version: versionOf(master.slot) },
    backup: other
      ? { slot: other.slot, version: other.state === 'Backup' ? versionOf(other.slot) : null, state: other.state }
      : null,
    issuInProgress: status.inProgress,
    evidence: { routingEngines: res, versions, issuStatus: status.status },
  };
}

export async function ciscoSnapshot(driver: CiscoDriver): Promise<HealthSnapshot> {
  const [interfaces, bgp] = [await driver.interfaces(), await driver.bgp()];
  return {
    interfaces: interfaces.map((i) => ({ name: i.name, up: i.status === 'up' && i.protocol === 'up' })),
    bgp: bgp.neighbors.map((n) => ({ peer: n.address, established: n.state === 'Established', prefixes: n.prefixes })),
  };
}

export async function junosSnapshot(driver: JunosDriver): Promise<HealthSnapshot> {
  const [interfaces, bgp] = [await driver.interfaces(), await driver.bgp()];
  return {
    // Physical interfaces only: logical units follow their parent.
    interfaces: interfaces
      .filter((i) => !i.name.includes('.'))
      .map((i) => ({ name: i.name, up: i.admin === 'up' && i.link === 'up' })),
    bgp: bgp.peers.map((p) => ({
      peer: p.address,
      established: p.state === 'Established',
      prefixes: p.activePrefixes,
    })),
  };
}
