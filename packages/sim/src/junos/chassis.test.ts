import { describe, expect, it } from 'vitest';
import { imagesOf } from '../catalog.ts';
import { ManualClock } from '../clock.ts';
import type { SyslogEvent } from '../events.ts';
import type { FaultName } from '../faults.ts';
import { JunosChassis, PREREQUISITES } from './chassis.ts';

const [V101, V103, V104] = imagesOf('mx') as [
  ReturnType<typeof imagesOf>[0],
  ReturnType<typeof imagesOf>[0],
  ReturnType<typeof imagesOf>[0],
];
const PKG = `/var/tmp/${V103.fileName}`;
const MINUTE = 60_000;

function setup(faults: FaultName[] = [], prerequisites = true) {
  const clock = new ManualClock();
  const log: SyslogEvent[] = [];
  const drops: string[] = [];
  const ch = new JunosChassis({
    hostname: 'mx1',
    clock,
    timeScale: 1,
    lossWindowMs: 500,
    faults,
    prerequisites,
    events: { syslog: (e) => log.push(e), dropSessions: (r) => drops.push(r), reachability: () => undefined },
  });
  return { ch, clock, log, drops };
}

function runToEnd(s: ReturnType<typeof setup>, minutes = 90) {
  for (let i = 0; i < minutes; i++) s.clock.advance(MINUTE);
}

describe('Junos in-service software upgrade', () => {
  it('refuses unless graceful-switchover, nonstop-routing and commit synchronize are configured', () => {
    const s = setup([], false);
    expect(s.ch.missingPrerequisites().map((p) => p.label)).toEqual([
      'graceful-switchover',
      'nonstop-routing',
      'commit synchronize',
    ]);
    const refusal = s.ch.issuRefusal(PKG);
    expect(refusal).toHaveLength(4);
    expect(refusal.at(-1)).toBe('error: ISSU Aborted!');
    for (const p of PREREQUISITES) s.ch.candidate.add(p.statement);
    s.ch.commit(false);
    expect(s.ch.issuRefusal(PKG)).toEqual([]);
  });

  it('upgrades the backup, switches mastership, and leaves the old master on the old code with the package pending', () => {
    const s = setup();
    const run = s.ch.startIssu(PKG, false);
    s.clock.advance(10 * MINUTE);
    expect(s.ch.backup.state).toBe('Rebooting');
    expect(run.lines).toContain('Waiting for Backup RE reboot');
    runToEnd(s);
    expect(run).toMatchObject({ done: true, result: 'switched-over' });
    expect(run.lines.at(-1)).toBe('ISSU: Ready for Switchover');
    expect(s.drops).toEqual(['mastership switch']);
    expect(s.ch.masterSlot).toBe(1);
    expect(s.ch.master).toMatchObject({ version: V103.version, state: 'Master' });
    expect(s.ch.backup).toMatchObject({ slot: 0, version: V101.version, pending: V103.version, state: 'Backup' });
    expect(s.log.filter((l) => l.msgId === 'RDP').map((l) => l.text)).toEqual([
      'fpc0 RDP: Remote side reset connection: rdp.(fpc0:22528).(serverRouter:ppm)',
      'fpc1 RDP: Remote side reset connection: rdp.(fpc1:4096).(serverRouter:ppm)',
    ]);
    expect(s.ch.lastSwitchover).toMatchObject({ lossMs: 500, reason: 'ISSU' });
  });

  it('takes about 40 minutes at time scale 1, as in the field notes', () => {
    const s = setup();
    const run = s.ch.startIssu(PKG, true);
    let minutes = 0;
    while (!run.done) {
      s.clock.advance(MINUTE);
      minutes++;
    }
    // The old master's reboot onto the new code follows the switchover.
    while (s.ch.backup.state === 'Rebooting') {
      s.clock.advance(MINUTE);
      minutes++;
    }
    expect(minutes).toBeGreaterThanOrEqual(35);
    expect(minutes).toBeLessThanOrEqual(45);
  });

  it('with `reboot`, the old master reboots onto the new code by itself', () => {
    const s = setup();
    s.ch.startIssu(PKG, true);
    runToEnd(s);
    expect(s.ch.res.map((re) => re.version)).toEqual([V103.version, V103.version]);
  });

  it('rebooting the old master installs the pending package; a mastership switch restores re0', () => {
    const s = setup();
    s.ch.startIssu(PKG, false);
    runToEnd(s);
    s.ch.rebootRe(s.ch.backup, null, 'manual');
    expect(s.ch.mastershipSwitchRefusal()).toMatch(/not ready/);
    s.clock.advance(11 * MINUTE);
    expect(s.ch.backup).toMatchObject({ slot: 0, version: V103.version, pending: null, state: 'Backup' });
    expect(s.ch.mastershipSwitchRefusal()).toBeNull();
    s.ch.switchMastership('user request');
    expect(s.ch.masterSlot).toBe(0);
    expect(s.drops).toHaveLength(2);
  });

  it('reports a running upgrade, and rolls a routing engine back to its previous release', () => {
    const s = setup();
    expect(s.ch.issuStatus()).toBe('Idle');
    s.ch.startIssu(PKG, false);
    s.clock.advance(MINUTE);
    expect(s.ch.issuStatus()).toMatch(/^In progress \(/);
    runToEnd(s);
    expect(s.ch.issuStatus()).toBe('Idle (last upgrade completed)');
    // The new master (re1) goes back to 10.1 after a rollback and a reboot.
    const re1 = s.ch.res[1];
    expect(s.ch.softwareRollback(re1).join(' ')).toMatch(/JUNOS 10.1R1.8 will become active at next reboot/);
    s.ch.switchMastership('recovery');
    s.ch.rebootRe(re1, null, 'rollback');
    s.clock.advance(11 * MINUTE);
    expect(s.ch.res.map((re) => re.version)).toEqual([V101.version, V101.version]);
    // re0 still has 10.3 pending from the upgrade: deleting it keeps 10.1.
    expect(s.ch.softwareRollback(s.ch.res[0]).join(' ')).toMatch(/Removing pending package jinstall-10.3R2.11/);
    expect(s.ch.res[0].pending).toBeNull();
  });

  it('refuses a second upgrade while one runs, and a package that is not there', () => {
    const s = setup();
    s.ch.startIssu(PKG, false);
    expect(s.ch.issuRefusal(PKG)[0]).toMatch(/in progress/);
    const t = setup();
    expect(t.ch.issuRefusal('/var/tmp/nope.tgz')[0]).toMatch(/No such file/);
    expect(t.ch.issuRefusal(`/var/tmp/${V101.fileName}`)[0]).toMatch(/No such file|already running/);
  });

  it('commit synchronize commits on both routing engines', () => {
    const s = setup();
    expect(s.ch.commit(true)).toEqual([
      're0: ',
      'configuration check succeeds',
      're1: ',
      'commit complete',
      're0: ',
      'commit complete',
    ]);
  });
});

describe('Junos faults', () => {
  it('image-corrupt: validation fails and the upgrade stops before touching the backup', () => {
    const s = setup(['image-corrupt']);
    const run = s.ch.startIssu(PKG, false);
    runToEnd(s, 5);
    expect(run.result).toBe('aborted');
    expect(run.lines.at(-2)).toMatch(/signature verification failed/);
    expect(run.lines.at(-1)).toBe('ERROR: ISSU Aborted!');
    expect(s.ch.backup).toMatchObject({ version: V101.version, state: 'Backup' });
    expect(s.ch.digests(V103.fileName)!.md5).not.toBe(V103.md5);
  });

  it('incompatible: refused at the compatibility check', () => {
    const s = setup(['incompatible']);
    const run = s.ch.startIssu(PKG, false);
    runToEnd(s, 3);
    expect(run.result).toBe('aborted');
    expect(run.lines).toContain('Checking compatibility with configuration');
    expect(run.lines.join('\n')).toMatch(/incompatible/);
  });

  it('disk-full: /var is full, the packages are gone, and the upgrade cannot start', () => {
    const s = setup(['disk-full']);
    expect(s.ch.tmp.size).toBe(0);
    expect(s.ch.varBytes - s.ch.varUsedBytes()).toBeLessThan(20 * 1024 * 1024);
    expect(s.ch.issuRefusal(PKG)[0]).toMatch(/No such file/);
  });

  it('standby-never-hot: the backup never comes back; the upgrade aborts and the backup returns to the old code', () => {
    const s = setup(['standby-never-hot']);
    const run = s.ch.startIssu(PKG, false);
    runToEnd(s, 60);
    expect(run.done).toBe(false);
    runToEnd(s, 10);
    expect(run.result).toBe('aborted');
    expect(run.lines.join('\n')).toMatch(/did not come back/);
    s.ch.setFaults([]);
    // The rollback reboot of the backup (onto its own version) is not held up by the fault.
    runToEnd(s, 15);
    expect(s.ch.res.map((re) => [re.version, re.state])).toEqual([
      [V101.version, 'Master'],
      [V101.version, 'Backup'],
    ]);
    expect(s.drops).toEqual([]);
  });

  it('post-check-failure: after the switchover one BGP peer and one interface are down', () => {
    const s = setup(['post-check-failure']);
    s.ch.startIssu(PKG, false);
    runToEnd(s);
    expect(s.ch.net.neighbors.filter((n) => !n.up)).toHaveLength(1);
    expect(s.ch.net.interfaces.filter((i) => !i.up)).toHaveLength(1);
  });

  it('slow-standby-boot: the backup takes four times longer to come back', () => {
    const s = setup(['slow-standby-boot']);
    const run = s.ch.startIssu(PKG, false);
    runToEnd(s, 40);
    expect(run.done).toBe(false);
    runToEnd(s, 40);
    expect(run.result).toBe('switched-over');
  });

  it('10.1 to 10.4 skips a release but is still allowed', () => {
    const s = setup();
    expect(s.ch.issuRefusal(`/var/tmp/${V104.fileName}`)).toEqual([]);
  });
});
