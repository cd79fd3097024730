import { CISCO_PLATFORMS, CiscoChassis, ciscoRender as render, imagesOf, ManualClock } from '@hitless/sim';
import { seed003Transcripts } from '@hitless/testkit/seeds';
import { describe, expect, it } from 'vitest';
import { ParseError } from '../errors.ts';
import { iosVersionOfPackage } from './packages.ts';
import * as p from './parsers.ts';

const seed = seed003Transcripts();
const seedOutput = (command: string, nth = 0) => seed.filter(([c]) => c === command)[nth]![1].join('\n');

describe('parsers on the seed 003 samples', () => {
  it('show issu state detail in Init, Run Version and after commit', () => {
    const init = p.parseIssuState(seedOutput('show issu state detail', 0));
    expect(init).toEqual({
      format: 'classic',
      slots: [
        {
          slot: 'A',
          rpState: 'Active',
          issuState: 'Init',
          bootVariable: [],
          operatingMode: 'SSO',
          primaryVersion: null,
          secondaryVersion: null,
          currentVersion: 'disk0:c10k2-p11-mz.1.20040830',
        },
        {
          slot: 'B',
          rpState: 'Standby',
          issuState: 'Init',
          bootVariable: [],
          operatingMode: 'SSO',
          primaryVersion: null,
          secondaryVersion: null,
          currentVersion: 'disk0:c10k2-p11-mz.1.20040830',
        },
      ],
    });
    const run = p.parseIssuState(seedOutput('show issu state detail', 1));
    expect(run.format === 'classic' && run.slots[0]).toMatchObject({
      slot: 'B',
      rpState: 'Active',
      issuState: 'Run Version',
      // The value wraps onto the next line in the document.
      bootVariable: ['disk0:c10k2-p11-mz.2.20040830', 'disk0:c10k2-p11-mz.1.20040830'],
      primaryVersion: 'disk0:c10k2-p11-mz.2.20040830',
      secondaryVersion: 'disk0:c10k2-p11-mz.1.20040830',
      currentVersion: 'disk0:c10k2-p11-mz.2.20040830',
    });
    const done = p.parseIssuState(seedOutput('show issu state detail', 2));
    expect(done.format === 'classic' && done.slots.map((s) => [s.slot, s.issuState, s.currentVersion])).toEqual([
      ['B', 'Init', 'disk0:c10k2-p11-mz.2.20040830'],
      ['A', 'Init', 'disk0:c10k2-p11-mz.2.20040830'],
    ]);
  });

  it('show issu state (without detail) during Load Version', () => {
    const s = p.parseIssuState(seedOutput('show issu state', 0), 'show issu state');
    expect(
      s.format === 'classic' && s.slots.map((x) => [x.slot, x.rpState, x.issuState, x.bootVariable.length]),
    ).toEqual([
      ['A', 'Active', 'Load Version', 1],
      ['B', 'Standby', 'Load Version', 2],
    ]);
  });

  it('show redundancy and show redundancy states, in both spacings of the peer state', () => {
    const r = p.parseRedundancy(seedOutput('show redundancy', 0));
    expect(r).toMatchObject({
      hardwareMode: 'Duplex',
      configuredMode: 'SSO',
      operatingMode: 'SSO',
      switchovers: 0,
      lastSwitchoverReason: 'none',
      active: {
        location: 'slot A',
        slot: 'A',
        state: 'ACTIVE',
        uptimeSeconds: 540,
        imageVersion: '12.2(20040825:224856)',
      },
      peer: { location: 'slot B', slot: 'B', state: 'STANDBY HOT', uptimeSeconds: 480 },
    });
    const after = p.parseRedundancy(seedOutput('show redundancy', 2));
    expect(after).toMatchObject({ switchovers: 1, active: { slot: 'B' }, peer: { slot: 'A', state: 'STANDBY HOT' } });
    expect(p.parseRedundancyStates(seedOutput('show redundancy states', 0))).toMatchObject({
      my: { code: 13, name: 'ACTIVE' },
      peer: { code: 8, name: 'STANDBY HOT' },
      unit: 'Primary',
      unitId: 0,
      operatingMode: 'SSO',
    });
    expect(p.parseRedundancyStates(seedOutput('show redundancy state', 0))).toMatchObject({
      peer: { code: 8, name: 'STANDBY HOT' },
    });
    expect(p.parseRedundancyStates('my state = 13-ACTIVE\npeer state = 8-STANDBY HOT\n').peer).toEqual({
      code: 8,
      name: 'STANDBY HOT',
    });
  });

  it('show issu rollback-timer', () => {
    expect(p.parseRollbackTimer(seedOutput('show issu rollback-timer'))).toEqual({
      inProgress: true,
      configuredSeconds: 2700,
      remainingSeconds: 29 * 60 + 3,
    });
    expect(
      p.parseRollbackTimer('Rollback Process State = Not in progress\nConfigured Rollback Time = 45:00\n'),
    ).toEqual({ inProgress: false, configuredSeconds: 2700, remainingSeconds: null });
  });

  it('directory disk0:', () => {
    const d = p.parseDir(seedOutput('directory disk0:'));
    expect(d).toMatchObject({ filesystem: 'disk0:', totalBytes: 64_253_952, freeBytes: 4_509_696 });
    expect(d.files.map((f) => f.name)).toEqual([
      'c10k2-p11-mz.122-16.BX1.bin',
      'c10k2-eboot-mz.122-16.BX1.bin',
      'c10k2-p11-mz.1.20040830',
      'c10k2-p11-mz.2.20040830',
    ]);
    expect(d.files[3]!.size).toBe(20_171_492);
  });
});

describe('parser variants', () => {
  it('reads `Stateful Switchover` and `sso` as SSO, and Catalyst locations', () => {
    expect(p.normaliseMode('Stateful Switchover')).toBe('SSO');
    expect(p.normaliseMode('sso')).toBe('SSO');
    expect(p.normaliseMode('Non-redundant')).toBe('NONE');
    expect(p.slotFromLocation('switch 1')).toBe('1');
    expect(p.slotFromLocation('chassis 2/R0')).toBe('R0');
    expect(p.slotFromLocation('slot 6')).toBe('R0');
    const catalyst = [
      'Redundant System Information :',
      '------------------------------',
      '       Available system uptime = 1 week, 2 days, 3 hours, 4 minutes',
      'Switchovers system experienced = 2',
      '    Configured Redundancy Mode = Stateful Switchover',
      '     Operating Redundancy Mode = Stateful Switchover',
      '',
      'Current Processor Information :',
      '-------------------------------',
      '               Active Location = switch 1',
      '        Current Software state = ACTIVE',
      '       Uptime in current state = 2 days, 3 hours',
      '                 Image Version = Cisco IOS Software, IOS-XE Software, Catalyst L3 Switch Software (CAT3K_CAA-UNIVERSALK9-M), Version 03.06.06E RELEASE SOFTWARE (fc1)',
      '',
      'Peer Processor Information :',
      '----------------------------',
      '              Standby Location = switch 2',
      '        Current Software state = STANDBY HOT',
    ].join('\n');
    expect(p.parseRedundancy(catalyst)).toMatchObject({
      configuredMode: 'SSO',
      switchovers: 2,
      active: { slot: '1', imageVersion: '03.06.06E' },
      peer: { slot: '2', state: 'STANDBY HOT' },
    });
  });

  it('reads the IOS-XE text blocks of show issu state detail', () => {
    const xe = [
      '--- Starting local lock acquisition on R0 ---',
      'Finished local lock acquisition on R0',
      '',
      '                     Slot being modified: R1',
      '                       Loadversion time: 20261121 10:02:03 on vty 0',
      '                         Last operation: runversion',
      '                               Rollback: automatic, remaining time before rollback: 00:44:58',
      '              Original (rollback) image: bootflash:asr1000rp2-adventerprisek9.03.16.05.S.155-3.S5-ext.bin',
      '                          Running image: bootflash:asr1000rp2-adventerprisek9.03.16.06.S.155-3.S6-ext.bin',
      '                         Operating mode: sso, terminal state not reached',
      '                                  Notes: runversion executed, active RP is being provisioned',
    ].join('\n');
    expect(p.parseIssuState(xe)).toEqual({
      format: 'iosxe',
      inProgress: true,
      slotBeingModified: 'R1',
      lastOperation: 'runversion',
      rollback: {
        automatic: true,
        remainingSeconds: 2698,
        text: 'automatic, remaining time before rollback: 00:44:58',
      },
      originalImage: 'bootflash:asr1000rp2-adventerprisek9.03.16.05.S.155-3.S5-ext.bin',
      runningImage: 'bootflash:asr1000rp2-adventerprisek9.03.16.06.S.155-3.S6-ext.bin',
      standbyImage: null,
      operatingMode: 'SSO',
      terminalStateReached: false,
      notes: 'runversion executed, active RP is being provisioned',
    });
    expect(
      p.parseIssuState(
        '--- Starting local lock acquisition on R0 ---\nFinished local lock acquisition on R0\n\nNo ISSU operation is in progress\n',
      ),
    ).toMatchObject({ format: 'iosxe', inProgress: false });
  });

  it('reads the IOS version out of IOS-XE package names', () => {
    expect(iosVersionOfPackage('bootflash:asr1000rp2-adventerprisek9.03.16.05.S.155-3.S5-ext.bin')).toBe('15.5(3)S5');
    expect(iosVersionOfPackage('cat4500e-universalk9.SPA.03.06.04.E.152-2.E4.bin')).toBe('15.2(2)E4');
    expect(iosVersionOfPackage('c10k3-p11-mz.122-33.SB10.bin')).toBe('12.2(33)SB10');
    expect(iosVersionOfPackage('c10k2-p11-mz.2.20040830')).toBeNull();
  });

  it('reads interfaces, including administratively down ones, and BGP neighbours in every state', () => {
    const itf = p.parseIpInterfaceBrief(
      [
        'Interface              IP-Address      OK? Method Status                Protocol',
        'GigabitEthernet0/0     10.0.0.1        YES NVRAM  up                    up',
        'GigabitEthernet0/1     unassigned      YES unset  administratively down down',
      ].join('\n'),
    );
    expect(itf).toEqual([
      { name: 'GigabitEthernet0/0', address: '10.0.0.1', status: 'up', protocol: 'up' },
      { name: 'GigabitEthernet0/1', address: null, status: 'administratively down', protocol: 'down' },
    ]);
    const bgp = p.parseIpBgpSummary(
      [
        'BGP router identifier 10.255.0.1, local AS number 65000',
        'Neighbor        V           AS MsgRcvd MsgSent   TblVer  InQ OutQ Up/Down  State/PfxRcd',
        '10.0.0.2        4        65001    1234    1230     1234    0    0 1d02h          120',
        '10.0.0.6        4        65002       0       0        1    0    0 never    Idle (Admin)',
        '10.0.0.10       4        65003       0       0        1    0    0 00:00:12 Active',
      ].join('\n'),
    );
    expect(bgp.neighbors.map((n) => [n.address, n.state, n.prefixes])).toEqual([
      ['10.0.0.2', 'Established', 120],
      ['10.0.0.6', 'Idle (Admin)', null],
      ['10.0.0.10', 'Active', null],
    ]);
  });

  it('raises a ParseError that names the command and shows the text, instead of guessing', () => {
    const garbage = 'Welcome to the jungle\nwe got fun and games';
    for (const [fn, command] of [
      [p.parseIssuState, 'show issu state detail'],
      [p.parseRedundancy, 'show redundancy'],
      [p.parseRedundancyStates, 'show redundancy states'],
      [p.parseRollbackTimer, 'show issu rollback-timer'],
      [p.parseDir, 'dir'],
      [p.parseShowVersion, 'show version'],
      [p.parseIpInterfaceBrief, 'show ip interface brief'],
      [p.parseIpBgpSummary, 'show ip bgp summary'],
      [p.parseVerify, 'verify'],
    ] as const) {
      const err = (() => {
        try {
          (fn as (t: string) => unknown)(garbage);
        } catch (e) {
          return e;
        }
        return null;
      })();
      expect(err, command).toBeInstanceOf(ParseError);
      expect((err as ParseError).command).toBe(command);
      expect((err as ParseError).message).toContain('we got fun and games');
    }
    expect(() => p.parseRedundancyStates('my state = ACTIVE\npeer state = hot\n')).toThrow(/not "<number> -<NAME>"/);
  });
});

describe('parsers on the lab’s output, for every command', () => {
  const clock = new ManualClock();
  const events = { syslog: () => undefined, dropSessions: () => undefined, reachability: () => undefined };
  for (const family of ['c10k', 'asr1000', 'cat4500'] as const) {
    it(`${family}`, () => {
      // The Catalyst starts past the 3.6.0E barrier, where ISSU is possible.
      const [first, second] = imagesOf(family).slice(family === 'cat4500' ? 1 : 0);
      const ch = new CiscoChassis({
        hostname: 'r1',
        platform: CISCO_PLATFORMS[family],
        clock,
        timeScale: 1,
        lossWindowMs: 100,
        events,
        version: first!.version,
      });
      expect(p.parseShowVersion(render.showVersion(ch, clock.now()).join('\n'))).toMatchObject({
        version: first!.version,
        imageFile: `${ch.platform.fs[0]}${first!.fileName}`,
        serial: expect.stringMatching(/^FOX\d{8}$/),
      });
      expect(p.parseRedundancy(render.showRedundancy(ch, clock.now()).join('\n'))).toMatchObject({
        operatingMode: 'SSO',
        active: { slot: ch.platform.slots[0] },
        peer: { slot: ch.platform.slots[1], state: 'STANDBY HOT' },
      });
      expect(p.parseRedundancyStates(render.showRedundancyStates(ch).join('\n'))).toMatchObject({
        peer: { name: 'STANDBY HOT' },
      });
      const state = p.parseIssuState(render.showIssuState(ch, true, clock.now()).join('\n'));
      expect(state.format).toBe(ch.platform.issuDetail);
      expect(p.parseRollbackTimer(render.showRollbackTimer(ch).join('\n'))).toMatchObject({
        inProgress: false,
        configuredSeconds: 2700,
      });
      expect(p.parseCompMatrixStored(render.showCompMatrix(ch, 'stored').join('\n')).peers.length).toBeGreaterThan(0);
      const dir = p.parseDir(render.dir(ch, ch.platform.fs[1])!.join('\n'));
      expect(dir.files.map((f) => f.name)).toContain(second!.fileName);
      expect(p.parseIpInterfaceBrief(render.showIpInterfaceBrief(ch).join('\n')).length).toBe(5);
      expect(
        p
          .parseIpBgpSummary(render.showIpBgpSummary(ch, clock.now()).join('\n'))
          .neighbors.every((n) => n.state === 'Established'),
      ).toBe(true);
      expect(p.parsePing(render.ping(ch, ch.net.neighbors[0]!.address).join('\n')).successPercent).toBe(100);
      expect(p.parseNsf(render.runningConfig(ch).join('\n')).configured).toBe(true);
      ch.loadVersion([`${ch.platform.fs[0]}${second!.fileName}`]);
      clock.advance(ch.platform.reloadMs);
      const loaded = p.parseIssuState(render.showIssuState(ch, true, clock.now()).join('\n'));
      if (loaded.format === 'classic')
        expect(loaded.slots.map((s) => s.issuState)).toEqual(['Load Version', 'Load Version']);
      else expect(loaded).toMatchObject({ inProgress: true, lastOperation: 'loadversion', terminalStateReached: true });
      ch.commitRunVersion();
      expect(p.parseRollbackTimer(render.showRollbackTimer(ch).join('\n'))).toMatchObject({
        inProgress: true,
        remainingSeconds: 2700,
      });
    });
  }
});
