import { JunosChassis, junosRender as render, ManualClock } from '@hitless/sim';
import { seed001IssuBlocks } from '@hitless/testkit/seeds';
import { describe, expect, it } from 'vitest';
import { ParseError } from '../errors.ts';
import * as p from './parsers.ts';

describe('Junos parsers, layout variants', () => {
  it('reads versions from old (JUNOS Base OS boot) and new (Junos:) layouts, per routing engine', () => {
    const old = [
      're0:',
      '-'.repeat(74),
      'Hostname: mx1',
      'Model: mx480',
      'JUNOS Base OS boot [10.1R1.8]',
      '',
      're1:',
      '-'.repeat(74),
      'Hostname: mx1',
      'Model: mx480',
      'JUNOS Base OS boot [10.3R2.11]',
    ].join('\n');
    expect(p.parseShowVersion(old)).toEqual([
      { re: 're0', hostname: 'mx1', model: 'mx480', version: '10.1R1.8' },
      { re: 're1', hostname: 'mx1', model: 'mx480', version: '10.3R2.11' },
    ]);
    const modern =
      'Hostname: mx2\nModel: mx960\nJunos: 18.4R3-S9.2\nJUNOS OS Kernel 64-bit  [20210601.2b0c6ba_builder_stable_11]\n';
    expect(p.parseShowVersion(modern)).toEqual([{ re: null, hostname: 'mx2', model: 'mx960', version: '18.4R3-S9.2' }]);
  });

  it('reads show chassis routing-engine in the older "Mastership state" layout and the newer one', () => {
    const older = [
      'Routing Engine status:',
      '  Slot 0:',
      '    Mastership state               Master',
      '    Mastership priority            Master',
      '    Uptime                         12 days, 3 hours, 1 minute, 2 seconds',
      '  Slot 1:',
      '    Mastership state               Backup',
      '    Uptime                         12 days, 3 hours, 1 minute, 1 second',
    ].join('\n');
    expect(p.parseChassisRoutingEngine(older).map((r) => [r.slot, r.state, r.uptimeSeconds])).toEqual([
      [0, 'Master', 12 * 86400 + 3 * 3600 + 62],
      [1, 'Backup', 12 * 86400 + 3 * 3600 + 61],
    ]);
    const newer = [
      'Routing Engine status:',
      '  Slot 0:',
      '    Current state                  Master',
      '    Election priority              Master (default)',
      '    5 sec CPU utilization:',
      '      User                       2 percent',
      '    Model                          RE-S-X6-64G',
      '    Serial ID                      9009210339',
      '    Start time                     2024-03-01 10:00:00 UTC',
      '    Uptime                         2 hours, 5 minutes, 3 seconds',
      '  Slot 1:',
      '    Current state                  Present',
    ].join('\n');
    expect(p.parseChassisRoutingEngine(newer)).toEqual([
      {
        slot: 0,
        state: 'Master',
        model: 'RE-S-X6-64G',
        serial: '9009210339',
        uptimeSeconds: 7503,
        startTime: '2024-03-01 10:00:00 UTC',
        lastRebootReason: null,
      },
      {
        slot: 1,
        state: 'Present',
        model: null,
        serial: null,
        uptimeSeconds: null,
        startTime: null,
        lastRebootReason: null,
      },
    ]);
  });

  it('reads BGP peers in the older "Establ" form with per-table lines, and in the counted form', () => {
    const old = [
      'Groups: 2 Peers: 2 Down peers: 1',
      'Peer                     AS      InPkt     OutPkt    OutQ   Flaps Last Up/Dwn State|#Active/Received/Accepted/Damped...',
      '10.0.0.2              65001      12345      12340       0       0     1w2d3h Establ',
      '  inet.0: 100/120/120/0',
      '10.0.0.6              65002          0          0       0       1       3:12 Active',
    ].join('\n');
    expect(p.parseBgpSummary(old)).toEqual({
      downPeers: 1,
      peers: [
        { address: '10.0.0.2', remoteAs: 65001, state: 'Established', activePrefixes: 100, receivedPrefixes: 120 },
        { address: '10.0.0.6', remoteAs: 65002, state: 'Active', activePrefixes: null, receivedPrefixes: null },
      ],
    });
  });

  it('maps the seed’s in-service-upgrade lines to phases', () => {
    const phases = seed001IssuBlocks()
      .flat()
      .map((l) => p.issuPhaseOf(l))
      .filter(Boolean);
    expect([...new Set(phases)]).toEqual([
      'checked',
      'validating',
      'backup-upgrade',
      'backup-reboot',
      'waiting-backup',
      'gres',
      'chassis-issu',
      'fru-upgrade',
      'switchover',
    ]);
    expect(p.issuPhaseOf('ERROR: ISSU Aborted!')).toBe('aborted');
  });

  it('raises a ParseError naming the command on unknown output', () => {
    for (const [fn, command] of [
      [p.parseChassisRoutingEngine, 'show chassis routing-engine'],
      [p.parseSystemSwitchover, 'show system switchover'],
      [p.parseSystemStorage, 'show system storage'],
      [p.parseBgpSummary, 'show bgp summary'],
      [p.parseInterfacesTerse, 'show interfaces terse'],
      [p.parseFileChecksum, 'file checksum'],
      [(t: string) => p.parseShowVersion(t), 'show version'],
    ] as const) {
      expect(() => (fn as (t: string) => unknown)('nothing to see here'), command).toThrow(ParseError);
    }
    expect(() => p.parseDisplaySet('chassis { redundancy; }')).toThrow(/is not a set statement/);
  });
});

describe('Junos parsers on the lab’s output, for every command', () => {
  it('reads everything the lab prints', () => {
    const clock = new ManualClock();
    const ch = new JunosChassis({
      hostname: 'mx1',
      clock,
      timeScale: 1,
      lossWindowMs: 100,
      events: { syslog: () => undefined, dropSessions: () => undefined, reachability: () => undefined },
    });
    const now = clock.now();
    expect(p.parseShowVersion(render.showVersion(ch, true).join('\n')).map((v) => [v.re, v.version])).toEqual([
      ['re0', '10.1R1.8'],
      ['re1', '10.1R1.8'],
    ]);
    expect(
      p.parseChassisRoutingEngine(render.showChassisRoutingEngine(ch, now).join('\n')).map((r) => r.state),
    ).toEqual(['Master', 'Backup']);
    expect(p.parseSystemSwitchover(render.showSystemSwitchover(ch).join('\n'))).toMatchObject({
      gracefulSwitchover: true,
      ready: true,
    });
    const var_ = p.parseSystemStorage(render.showSystemStorage(ch).join('\n')).find((f) => f.mountedOn === '/var')!;
    expect(var_.availBytes).toBeGreaterThan(1e9);
    expect(p.parseFileList(render.fileList(ch, '/var/tmp', true).join('\n')).files.map((f) => f.name)).toContain(
      'jinstall-10.3R2.11-domestic-signed.tgz',
    );
    expect(p.parseFileList(render.fileList(ch, '/var/tmp', false).join('\n')).files[0]!.size).toBeNull();
    expect(p.parseDisplaySet(render.showConfiguration(ch.config, ['routing-options'], true).join('\n'))).toEqual([
      'set routing-options nonstop-routing',
    ]);
    expect(
      p
        .parseBgpSummary(render.showBgpSummary(ch, now).join('\n'))
        .peers.every((x) => x.state === 'Established' && (x.activePrefixes ?? 0) > 0),
    ).toBe(true);
    expect(
      p.parseInterfacesTerse(render.showInterfacesTerse(ch).join('\n')).filter((i) => i.link === 'up').length,
    ).toBeGreaterThan(4);
    expect(p.parseChassisIssuStatus(['ISSU status: Idle'].join('\n'))).toEqual({ inProgress: false, status: 'Idle' });
  });
});
