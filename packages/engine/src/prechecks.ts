// Gathering the evidence for the pre-checks from the device and the inventory, then asking the
// pure rules in @hitless/core for the verdicts.
import type { CompatLevel } from '@hitless/contracts';
import { ciscoFilesystems, ciscoPrechecks, junosPrechecks, type ImageFacts, type PrecheckOutcome } from '@hitless/core';
import type { Db, SoftwareImage } from '@hitless/db';
import type { CiscoDriver, JunosDriver } from '@hitless/drivers';

export function imageFacts(i: SoftwareImage): ImageFacts {
  return {
    fileName: i.fileName,
    version: i.version,
    sizeBytes: Number(i.sizeBytes),
    md5: i.md5,
    sha256: i.sha256,
    releaseDate: i.releaseDate ? i.releaseDate.toISOString().slice(0, 10) : null,
  };
}

async function compatLevel(db: Db, target: SoftwareImage, fromVersion: string): Promise<CompatLevel | null> {
  const entry = await db.compatibilityEntry.findFirst({
    where: { vendor: target.vendor, platformFamily: target.platformFamily, fromVersion, toVersion: target.version },
  });
  return entry?.level ?? null;
}

export interface CiscoPrecheckResult extends PrecheckOutcome {
  family: string;
  activeSlot: string;
  standbySlot: string;
  originalImage: string;
  fromVersion: string;
}

export async function runCiscoPrechecks(
  db: Db,
  driver: CiscoDriver,
  family: string,
  target: SoftwareImage,
  allowDisruptive: boolean,
): Promise<CiscoPrecheckResult> {
  const fs = ciscoFilesystems(family);
  const version = await driver.version();
  const redundancy = await driver.redundancy();
  const states = await driver.redundancyStates();
  const nsf = await driver.nsf();
  const issu = await driver.issuState();
  const activeDir = await driver.dir(fs.active);
  const standbyDir = await driver.dir(fs.standby);
  const present = (d: typeof activeDir) => d.files.some((f) => f.name === target.fileName);
  const digest = async (path: string, isPresent: boolean) => {
    if (!isPresent) return null;
    return (await driver.verify(path, target.md5 ? 'md5' : 'sha256')).digest;
  };
  const activeDigest = await digest(`${fs.active}${target.fileName}`, present(activeDir));
  const standbyDigest = await digest(`${fs.standby}${target.fileName}`, present(standbyDir));

  // Seed 003: the device's own stored matrix, beside the inventory's; either saying no is a no.
  const stored = await driver.compMatrix();
  const deviceLevel = stored.peers.find((p) => p.version === target.version)?.level ?? null;

  const originalImage = (version.imageFile ?? '').replace(/^[a-z0-9-]+:\/?/i, '');
  const current = await db.softwareImage.findFirst({
    where: { vendor: target.vendor, platformFamily: target.platformFamily, version: version.version },
  });
  let issuStates: string[];
  let standbyVersion: string | null;
  if (issu.format === 'classic') {
    issuStates = issu.slots.map((s) => s.issuState);
    const standby = issu.slots.find((s) => s.rpState !== 'Active');
    const active = issu.slots.find((s) => s.rpState === 'Active');
    standbyVersion =
      standby?.currentVersion && standby.currentVersion === active?.currentVersion
        ? version.version
        : (standby?.currentVersion ?? null);
  } else {
    issuStates = [issu.inProgress ? (issu.lastOperation ?? 'in progress') : 'Init'];
    standbyVersion =
      redundancy.peer?.imageVersion === redundancy.active.imageVersion
        ? version.version
        : (redundancy.peer?.imageVersion ?? null);
  }
  const outcome = ciscoPrechecks({
    family,
    hardwareMode: redundancy.hardwareMode,
    peerPresent: Boolean(redundancy.peer),
    configuredMode: redundancy.configuredMode,
    operatingMode: redundancy.operatingMode,
    peerState: states.peer.name,
    nsf,
    issuStates,
    runningVersions: { active: version.version, standby: standbyVersion },
    current: current ? imageFacts(current) : null,
    target: imageFacts(target),
    files: {
      active: { present: present(activeDir), freeBytes: activeDir.freeBytes },
      standby: { present: present(standbyDir), freeBytes: standbyDir.freeBytes },
    },
    digests: { active: activeDigest, standby: standbyDigest },
    compatLevel: await compatLevel(db, target, version.version),
    deviceMatrix: { myVersion: stored.myVersion, level: deviceLevel },
    allowDisruptive,
  });
  return {
    ...outcome,
    family,
    activeSlot: redundancy.active.slot ?? '?',
    standbySlot: redundancy.peer?.slot ?? '?',
    originalImage,
    fromVersion: version.version,
  };
}

export interface JunosPrecheckResult extends PrecheckOutcome {
  fromVersion: string;
  originalMaster: number;
}

export async function runJunosPrechecks(
  db: Db,
  driver: JunosDriver,
  target: SoftwareImage,
): Promise<JunosPrecheckResult> {
  const res = await driver.routingEngines();
  const versions = await driver.versions();
  const statements = [
    ...(await driver.configuration('chassis redundancy')),
    ...(await driver.configuration('routing-options')),
    ...(await driver.configuration('system commit')),
  ];
  const switchover = await driver.switchover();
  const files = await driver.files('/var/tmp');
  const packagePresent = files.files.some((f) => f.name === target.fileName);
  const packageDigest = packagePresent
    ? (await driver.checksum(`/var/tmp/${target.fileName}`, target.md5 ? 'md5' : 'sha-256')).digest
    : null;
  const storage = await driver.storage();
  const master = res.find((r) => r.state === 'Master');
  const versionOf = (slot: number) => versions.find((v) => v.re === `re${slot}`)?.version || null;
  const fromVersion = (master && versionOf(master.slot)) ?? versions[0]?.version ?? '?';
  const current = await db.softwareImage.findFirst({
    where: { vendor: target.vendor, platformFamily: target.platformFamily, version: fromVersion },
  });
  const outcome = junosPrechecks({
    routingEngines: res.map((r) => ({ slot: r.slot, state: r.state, version: versionOf(r.slot) })),
    statements,
    switchoverReady: switchover.ready,
    current: current ? imageFacts(current) : null,
    target: imageFacts(target),
    packagePresent,
    packageDigest,
    varAvailBytes: storage.find((f) => f.mountedOn === '/var')?.availBytes ?? null,
    compatLevel: await compatLevel(db, target, fromVersion),
  });
  return { ...outcome, fromVersion, originalMaster: master?.slot ?? 0 };
}
