import { describe, expect, it } from 'vitest';
import { crossesIssuBarrier, failed, monthsBetween } from './checks.ts';
import { ciscoPrechecks, type CiscoPrecheckInput } from './cisco-prechecks.ts';
import { junosPrechecks, type JunosPrecheckInput } from './junos-prechecks.ts';
import { comparePostchecks } from './postchecks.ts';

const target = {
  fileName: 'new.bin',
  version: '12.2(33)SB9',
  sizeBytes: 40_000_000,
  md5: 'a'.repeat(32),
  sha256: null,
  releaseDate: '2011-02-21',
};
const current = {
  fileName: 'old.bin',
  version: '12.2(33)SB8',
  sizeBytes: 39_000_000,
  md5: null,
  sha256: null,
  releaseDate: '2010-05-14',
};

const healthy = (o: Partial<CiscoPrecheckInput> = {}): CiscoPrecheckInput => ({
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

const verdicts = (o: Partial<CiscoPrecheckInput>) =>
  Object.fromEntries(ciscoPrechecks(healthy(o)).results.map((r) => [r.rule, r.verdict]));

describe('Cisco pre-checks', () => {
  it('pass on a healthy pair and choose ISSU', () => {
    const out = ciscoPrechecks(healthy());
    expect(failed(out.results)).toEqual([]);
    expect(out.decision).toBe('ISSU');
    expect(out.results.map((r) => r.rule)).toEqual([
      'two-rps',
      'sso',
      'standby-hot',
      'nsf',
      'issu-init',
      'same-version',
      'image-active',
      'checksum-active',
      'image-standby',
      'checksum-standby',
      'compatibility',
      'device-matrix',
      'issu-barrier',
      'support-window',
    ]);
  });

  it('fail each rule on its own evidence', () => {
    expect(verdicts({ peerPresent: false, hardwareMode: 'Simplex' })['two-rps']).toBe('fail');
    expect(verdicts({ operatingMode: 'RPR' }).sso).toBe('fail');
    expect(verdicts({ peerState: 'STANDBY COLD' })['standby-hot']).toBe('fail');
    expect(verdicts({ nsf: { configured: false, evidence: [] } }).nsf).toBe('fail');
    expect(verdicts({ issuStates: ['Load Version', 'Load Version'] })['issu-init']).toBe('fail');
    expect(verdicts({ runningVersions: { active: 'a', standby: 'b' } })['same-version']).toBe('fail');
    expect(
      verdicts({ files: { active: { present: true, freeBytes: 1e9 }, standby: { present: false, freeBytes: 1000 } } })[
        'image-standby'
      ],
    ).toBe('fail');
    expect(verdicts({ digests: { active: 'a'.repeat(32), standby: 'b'.repeat(32) } })['checksum-standby']).toBe('fail');
    expect(ciscoPrechecks(healthy({ peerState: 'STANDBY COLD' })).decision).toBe('REFUSE');
  });

  it('goes on C, warns on B, refuses I unless a disruptive upgrade is allowed (then FSU)', () => {
    expect(verdicts({ compatLevel: 'B' }).compatibility).toBe('warn');
    expect(ciscoPrechecks(healthy({ compatLevel: 'B' })).decision).toBe('ISSU');
    expect(ciscoPrechecks(healthy({ compatLevel: 'I' })).decision).toBe('REFUSE');
    expect(ciscoPrechecks(healthy({ compatLevel: 'I', allowDisruptive: true })).decision).toBe('FSU');
    expect(ciscoPrechecks(healthy({ compatLevel: null })).decision).toBe('REFUSE');
  });

  it("refuses when the device's own matrix says incompatible, whatever the inventory says", () => {
    const device = (level: 'C' | 'B' | 'I' | null) => ({ deviceMatrix: { myVersion: '12.2(33)SB8', level } });
    const refused = ciscoPrechecks(healthy(device('I')));
    expect(refused.decision).toBe('REFUSE');
    const rule = refused.results.find((r) => r.rule === 'device-matrix')!;
    expect(rule).toMatchObject({ verdict: 'fail', evidence: { level: 'I', inventoryLevel: 'C' } });
    expect(rule.detail).toMatch(/incompatible \(Incomp\).*though the inventory's matrix says C/);
    // Allowed to be disruptive: the stricter answer (I) chooses the Fast Software Upgrade.
    expect(ciscoPrechecks(healthy({ ...device('I'), allowDisruptive: true })).decision).toBe('FSU');
    expect(verdicts(device('B'))['device-matrix']).toBe('warn');
    expect(ciscoPrechecks(healthy(device('B'))).decision).toBe('ISSU');
    // An old image that does not know the target yet is no refusal, but worth a warning.
    expect(verdicts(device(null))['device-matrix']).toBe('warn');
    expect(ciscoPrechecks(healthy(device(null))).decision).toBe('ISSU');
    // The inventory saying no is a no even when the device says yes.
    expect(ciscoPrechecks(healthy({ compatLevel: 'I' })).decision).toBe('REFUSE');
  });

  it('enforces the Catalyst 4500 ISSU barrier and warns outside the 18-month window', () => {
    expect(crossesIssuBarrier('cat4500', '03.05.01.E', '03.06.00.E')).toBe(true);
    expect(crossesIssuBarrier('cat4500', '03.06.00.E', '03.05.00.E')).toBe(true);
    expect(crossesIssuBarrier('cat4500', '03.06.00.E', '03.06.04.E')).toBe(false);
    expect(crossesIssuBarrier('c10k', '03.05.01.E', '03.06.00.E')).toBe(false);
    const cat = healthy({
      family: 'cat4500',
      current: { ...current, version: '03.05.01.E' },
      target: { ...target, version: '03.06.00.E' },
      compatLevel: 'C',
    });
    expect(ciscoPrechecks(cat).decision).toBe('REFUSE');
    expect(ciscoPrechecks({ ...cat, allowDisruptive: true }).decision).toBe('FSU');
    expect(monthsBetween('2010-05-14', '2012-01-30')).toBe(20);
    expect(monthsBetween('2010-05-14', '2011-02-21')).toBe(9);
    expect(verdicts({ target: { ...target, releaseDate: '2012-01-30' } })['support-window']).toBe('warn');
  });
});

describe('Junos pre-checks', () => {
  const base = (o: Partial<JunosPrecheckInput> = {}): JunosPrecheckInput => ({
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

  it('need GRES, NSR and commit synchronize, the package with its checksum, and room in /var', () => {
    expect(junosPrechecks(base()).decision).toBe('ISSU');
    const missing = junosPrechecks(base({ statements: ['set chassis redundancy graceful-switchover'] }));
    expect(missing.decision).toBe('REFUSE');
    expect(failed(missing.results).map((r) => r.rule)).toEqual(['nsr', 'commit-sync']);
    expect(failed(junosPrechecks(base({ packageDigest: 'f'.repeat(32) })).results).map((r) => r.rule)).toEqual([
      'checksum',
    ]);
    expect(failed(junosPrechecks(base({ varAvailBytes: 12e6 })).results).map((r) => r.rule)).toEqual(['storage']);
    expect(failed(junosPrechecks(base({ packagePresent: false })).results).map((r) => r.rule)).toEqual(['package']);
    expect(junosPrechecks(base({ compatLevel: 'I' })).decision).toBe('REFUSE');
  });
});

describe('post-checks', () => {
  const before = {
    interfaces: [
      { name: 'ge-0/0/0', up: true },
      { name: 'ge-0/0/1', up: true },
      { name: 'ge-0/0/2', up: false },
    ],
    bgp: [
      { peer: '10.0.0.2', established: true, prefixes: 1000 },
      { peer: '10.0.0.6', established: true, prefixes: 500 },
    ],
  };
  it('pass when everything that was up is up, ignoring interfaces that were already down', () => {
    const r = comparePostchecks(
      before,
      { ...before, interfaces: before.interfaces.map((i) => ({ ...i })) },
      { expected: 'T', actual: 'T' },
    );
    expect(r.map((c) => c.verdict)).toEqual(['pass', 'pass', 'pass']);
  });
  it('fail on a lost interface, a lost BGP session or the wrong release; warn on shrunk prefixes', () => {
    const after = {
      interfaces: [
        { name: 'ge-0/0/0', up: true },
        { name: 'ge-0/0/1', up: false },
      ],
      bgp: [
        { peer: '10.0.0.2', established: false, prefixes: null },
        { peer: '10.0.0.6', established: true, prefixes: 500 },
      ],
    };
    const r = comparePostchecks(before, after, { expected: 'T', actual: 'O' });
    expect(r.map((c) => [c.rule, c.verdict])).toEqual([
      ['post-version', 'fail'],
      ['post-interfaces', 'fail'],
      ['post-bgp', 'fail'],
    ]);
    expect(r[1]!.detail).toBe('down after the switchover: ge-0/0/1');
    const shrunk = comparePostchecks(
      before,
      { ...before, bgp: [before.bgp[0]!, { peer: '10.0.0.6', established: true, prefixes: 100 }] },
      { expected: 'T', actual: 'T' },
    );
    expect(shrunk[2]!.verdict).toBe('warn');
  });
});
