import { describe, expect, it } from 'vitest';
import { ciscoPrechecks, type CiscoPrecheckInput } from '../issu/cisco-prechecks.ts';
import { junosPrechecks, type JunosPrecheckInput } from '../issu/junos-prechecks.ts';
import { impactOf } from './impact.ts';

const target = {
  fileName: 'new.bin',
  version: '12.2(33)SB9',
  sizeBytes: 40_000_000,
  md5: 'a'.repeat(32),
  sha256: null,
  releaseDate: '2011-02-21',
};
const current = { ...target, fileName: 'old.bin', version: '12.2(33)SB8', md5: null, releaseDate: '2010-05-14' };

const cisco = (o: Partial<CiscoPrecheckInput> = {}): CiscoPrecheckInput => ({
  family: 'c10k',
  hardwareMode: 'Duplex',
  peerPresent: true,
  configuredMode: 'SSO',
  operatingMode: 'SSO',
  peerState: 'STANDBY HOT',
  nsf: { configured: true, evidence: ['router ospf 1: nsf'] },
  issuStates: ['Init', 'Init'],
  runningVersions: { active: '12.2(33)SB8', standby: '12.2(33)SB8' },
  current,
  target,
  files: { active: { present: true, freeBytes: 1e9 }, standby: { present: true, freeBytes: 1e9 } },
  digests: { active: 'a'.repeat(32), standby: 'a'.repeat(32) },
  compatLevel: 'C',
  deviceMatrix: { myVersion: '12.2(33)SB8', level: 'C' },
  allowDisruptive: false,
  ...o,
});

const junos = (o: Partial<JunosPrecheckInput> = {}): JunosPrecheckInput => ({
  routingEngines: [
    { slot: 0, state: 'Master', version: '10.1R1.8' },
    { slot: 1, state: 'Backup', version: '10.1R1.8' },
  ],
  statements: [
    'set chassis redundancy graceful-switchover',
    'set routing-options nonstop-routing',
    'set system commit synchronize',
  ],
  switchoverReady: true,
  current: null,
  target: { ...target, version: '10.3R2.11', fileName: 'jinstall.tgz', sizeBytes: 400e6 },
  packagePresent: true,
  packageDigest: 'a'.repeat(32),
  varAvailBytes: 5e9,
  compatLevel: 'C',
  ...o,
});

describe('impactOf', () => {
  it('is a hitless ISSU (C) when both matrices say compatible', () => {
    expect(impactOf(ciscoPrechecks(cisco()))).toEqual({ impact: 'ISSU_C', reason: null });
    expect(impactOf(junosPrechecks(junos()))).toEqual({ impact: 'ISSU_C', reason: null });
  });

  it('is ISSU_B when the inventory matrix says Base, naming the subsystems that lose state', () => {
    const r = impactOf(ciscoPrechecks(cisco({ compatLevel: 'B' })));
    expect(r.impact).toBe('ISSU_B');
    expect(r.reason).toBe(
      'Compatibility matrix: images are base-level compatible (B): the upgrade succeeds but some subsystems will not keep state',
    );
    expect(impactOf(junosPrechecks(junos({ compatLevel: 'B' }))).impact).toBe('ISSU_B');
  });

  it("is ISSU_B when only the device's own matrix says Base", () => {
    const r = impactOf(ciscoPrechecks(cisco({ deviceMatrix: { myVersion: '12.2(33)SB8', level: 'B' } })));
    expect(r.impact).toBe('ISSU_B');
    expect(r.reason).toContain("The device's own compatibility matrix:");
    expect(r.reason).toContain('some subsystems will not keep state');
    expect(r.reason).not.toContain('Compatibility matrix: images');
  });

  it('is FSU when the images are incompatible and a disruptive upgrade was allowed', () => {
    const r = impactOf(ciscoPrechecks(cisco({ compatLevel: 'I', allowDisruptive: true })));
    expect(r.impact).toBe('FSU');
    expect(r.reason).toContain('disruptive Fast Software Upgrade');
    expect(r.reason).toContain('images are incompatible (I)');
  });

  it('is REFUSED with every failing check’s title and detail', () => {
    const r = impactOf(ciscoPrechecks(cisco({ peerState: 'STANDBY COLD', nsf: { configured: false, evidence: [] } })));
    expect(r).toEqual({
      impact: 'REFUSED',
      reason:
        'Standby RP STANDBY HOT: peer state is STANDBY COLD, not STANDBY HOT; Nonstop forwarding: NSF is not configured on any routing process (seed 003 prerequisite)',
    });
    expect(impactOf(junosPrechecks(junos({ compatLevel: 'I' })))).toEqual({
      impact: 'REFUSED',
      reason:
        'Compatibility matrix: images are incompatible (I): ISSU is impossible and a disruptive upgrade was not allowed',
    });
    expect(impactOf(junosPrechecks(junos({ packagePresent: false }))).reason).toBe(
      'Package in /var/tmp: jinstall.tgz is not in /var/tmp',
    );
  });

  it('gives a reason even when a refusal names no failing check', () => {
    expect(impactOf({ results: [], decision: 'REFUSE' }).reason).toContain('no upgrade procedure');
  });
});
