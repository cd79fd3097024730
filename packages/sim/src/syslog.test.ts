// What the chassis models log around an ISSU: which messages, in which order, numbered by
// which RP, sent by which process; and who a session is in the messages it causes.
import { describe, expect, it } from 'vitest';
import { imagesOf } from './catalog.ts';
import { CiscoChassis } from './cisco/chassis.ts';
import { CISCO_PLATFORMS } from './cisco/platforms.ts';
import { ManualClock } from './clock.ts';
import { SimDevice } from './device.ts';
import type { SyslogEvent } from './events.ts';
import { generateFleet } from './fleet.ts';
import { JunosChassis } from './junos/chassis.ts';
import { loggingProfileOf } from './logging.ts';
import { BufferTerminal, settle } from './testing/terminal.ts';

const [SB8, SB9] = imagesOf('c10k').map((i) => i.fileName) as [string, string];
const RELOAD = CISCO_PLATFORMS.c10k.reloadMs;

function cisco() {
  const clock = new ManualClock();
  const log: SyslogEvent[] = [];
  const ch = new CiscoChassis({
    hostname: 'pe1',
    platform: CISCO_PLATFORMS.c10k,
    clock,
    timeScale: 1,
    lossWindowMs: 800,
    events: { syslog: (e) => log.push(e), dropSessions: () => undefined, reachability: () => undefined },
  });
  const ids = () => log.map((l) => l.msgId);
  return { ch, clock, log, ids };
}

describe('Cisco syslog', () => {
  it('logs the standby’s way back: insertion, bulk config sync, then the terminal state', () => {
    const s = cisco();
    expect(s.ch.loadVersion(['a', `disk0:${SB9}`, 'b', `stby-disk0:${SB9}`]).ok).toBe(true);
    s.clock.advance(RELOAD);
    expect(s.ids()).toEqual([
      'ISSU-5-ISSU_LOADVERSION',
      'REDUNDANCY-5-PEER_MONITOR_EVENT',
      'HA_CONFIG_SYNC-6-BULK_CFGSYNC_SUCCEED',
      'RF-5-RF_TERMINAL_STATE',
    ]);
    expect(s.log[2]).toMatchObject({
      severity: 6,
      appName: 'HA_CONFIG_SYNC',
      text: '%HA_CONFIG_SYNC-6-BULK_CFGSYNC_SUCCEED: Bulk Sync succeeded',
    });
    expect(s.log[3]!.text).toBe('%RF-5-RF_TERMINAL_STATE: Terminal state reached for (SSO)');
  });

  it('numbers messages with the counter of the RP that logs them: the new active’s after a switchover, the boot’s after a reload', () => {
    const s = cisco();
    s.ch.loadVersion(['a', `disk0:${SB9}`, 'b', `stby-disk0:${SB9}`]);
    s.clock.advance(RELOAD);
    const onA = s.log.map((l) => l.sequence!);
    expect(onA).toEqual(onA.map((_, i) => onA[0]! + i));
    s.ch.runVersion(['b', `stby-disk0:${SB9}`]);
    s.ch.commitRunVersion('admin on vty0 (10.0.0.5)');
    const reload = s.log.find((l) => l.msgId === 'SYS-5-RELOAD')!;
    // A logs its own reload as it goes; B, active now, numbers from its own (lower) counter.
    expect(reload).toMatchObject({
      sequence: onA.at(-1)! + 1,
      text: '%SYS-5-RELOAD: Reload requested by admin on vty0 (10.0.0.5). Reload Reason: ISSU runversion.',
    });
    const switched = s.log.find((l) => l.msgId === 'REDUNDANCY-3-SWITCHOVER')!;
    expect(switched.sequence).toBeLessThan(reload.sequence!);
    const onB = s.log.slice(s.log.indexOf(switched)).map((l) => l.sequence!);
    expect(onB).toEqual(onB.map((_, i) => onB[0]! + i));
    s.clock.advance(RELOAD);
    s.ch.acceptVersion([]);
    s.ch.commitVersion([]);
    s.clock.advance(RELOAD);
    const beforeReload = s.log.at(-1)!.sequence!;
    s.ch.reloadChassis();
    expect(s.log.at(-1)).toMatchObject({
      msgId: 'SYS-5-RELOAD',
      sequence: beforeReload + 1,
      text: '%SYS-5-RELOAD: Reload requested by console. Reload Reason: Reload Command.',
    });
    s.clock.advance(RELOAD);
    const restart = s.log.find((l) => l.msgId === 'SYS-5-RESTART')!;
    expect(restart.sequence).toBeLessThan(50);
  });

  it('logs the old active’s reload when the rollback timer rolls the device back', () => {
    const s = cisco();
    s.ch.loadVersion(['a', `disk0:${SB9}`, 'b', `stby-disk0:${SB9}`]);
    s.clock.advance(RELOAD);
    s.ch.runVersion([]);
    s.ch.commitRunVersion();
    s.clock.advance(45 * 60_000);
    expect(s.ids().slice(-4, -1)).toEqual([
      'ISSU-3-ROLLBACK_TIMER_EXPIRED',
      'ISSU-4-ISSU_ABORTVERSION',
      'SYS-5-RELOAD',
    ]);
    expect(s.log.findLast((l) => l.msgId === 'SYS-5-RELOAD')!.text).toBe(
      '%SYS-5-RELOAD: Reload requested by ISSU. Reload Reason: ISSU rollback timer expired.',
    );
    expect(s.ch.active.image).toBe(SB8);
  });

  it('names an SSH session by user, vty and address when it reloads the box; without an address it is the console', async () => {
    const clock = new ManualClock();
    const log: SyslogEvent[] = [];
    const spec = generateFleet({ devices: 1 })[0]!;
    const device = new SimDevice(spec, {
      clock,
      timeScale: 1,
      listener: { syslog: (_d, e) => log.push(e), drop: () => undefined, reachability: () => undefined },
    });
    const first = new BufferTerminal();
    device.openSession(first, { interactive: false, exec: 'show clock', peerAddress: '10.0.0.7' });
    const term = new BufferTerminal();
    const session = device.openSession(term, { interactive: true, peerAddress: '10.0.0.5' });
    await settle();
    for (const l of ['enable', spec.enableSecret!, 'reload', '']) {
      session.input(`${l}\r`);
      await settle();
    }
    clock.advance(100);
    expect(log.find((l) => l.msgId === 'SYS-5-RELOAD')!.text).toBe(
      '%SYS-5-RELOAD: Reload requested by admin on vty1 (10.0.0.5). Reload Reason: Reload Command.',
    );
  });
});

describe('Junos syslog', () => {
  function junos() {
    const clock = new ManualClock();
    const log: SyslogEvent[] = [];
    const ch = new JunosChassis({
      hostname: 'mx1',
      clock,
      timeScale: 1,
      lossWindowMs: 500,
      events: { syslog: (e) => log.push(e), dropSessions: () => undefined, reachability: () => undefined },
    });
    return { ch, clock, log };
  }

  it('has the releasing RE say so before the new master takes over, each RE’s chassisd its own process', () => {
    const s = junos();
    s.ch.switchMastership('user');
    const [release, switched] = s.log;
    expect(release).toMatchObject({
      appName: 'chassisd',
      msgId: 'CHASSISD_RELEASE_MASTERSHIP',
      text: 'Release mastership notification',
    });
    expect(switched).toMatchObject({ appName: 'chassisd', msgId: 'CHASSISD_MASTERSHIP_SWITCH' });
    expect(release!.procId).toMatch(/^\d+$/);
    expect(release!.procId).not.toBe(switched!.procId);
  });

  it('relays the seed’s RDP lines under each FPC’s name after the ISSU switchover', () => {
    const s = junos();
    s.ch.startIssu(`/var/tmp/${imagesOf('mx')[1]!.fileName}`, false);
    for (let i = 0; i < 90; i++) s.clock.advance(60_000);
    expect(s.log.filter((l) => l.msgId === 'RDP').map((l) => [l.appName, l.procId])).toEqual([
      ['fpc0', undefined],
      ['fpc1', undefined],
    ]);
  });

  it('gives mgd’s command record its structured-data parameters', () => {
    const s = junos();
    s.ch.logCommand('admin', 'request system reboot');
    expect(s.log[0]).toMatchObject({
      appName: 'mgd',
      msgId: 'UI_CMDLINE_READ_LINE',
      text: "User 'admin', command 'request system reboot '",
      params: { username: 'admin', command: 'request system reboot ' },
    });
  });
});

describe('logging profiles', () => {
  it('are stable per hostname, and a fleet holds every Cisco variant', () => {
    const fleet = generateFleet({ devices: 40 }).filter((d) => d.family !== 'mx');
    const profiles = fleet.map((d) => loggingProfileOf(d.hostname, 'CISCO_IOS'));
    expect(new Set(profiles.map((p) => p.originId))).toEqual(new Set(['hostname', 'ip', null]));
    expect(new Set(profiles.map((p) => p.clockMark))).toEqual(new Set(['', '.', '*']));
    // A minority's clock is marked.
    expect(profiles.filter((p) => p.clockMark !== '').length).toBeLessThan(profiles.length / 2);
    expect(loggingProfileOf('lab-bng001', 'CISCO_IOS')).toEqual(loggingProfileOf('lab-bng001', 'CISCO_IOS'));
    expect(loggingProfileOf('lab-mx001', 'JUNOS')).toEqual({ originId: null, clockMark: '' });
  });
});
