// Longer than 300 lines: the scenarios share one lab (started once, its devices carried from one
// test to the next, as an ISSU carries a chassis), and the pure framing cases sit beside them.
// Syslog from the lab, received on a real UDP socket; and the framing of each vendor, as pure functions.
import { execFile, spawn } from 'node:child_process';
import dgram from 'node:dgram';
import path from 'node:path';
import { promisify } from 'node:util';
import { loggingProfileOf, type SyslogEvent } from '@hitless/sim';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Lab, LabDeviceInfo } from '../src/lab.ts';
import { consoleForm, formatSyslog, type SyslogSource } from '../src/syslog.ts';
import { eventually } from '@hitless/testkit/poll';
import { labOf, privileged, uniqueBase } from './helpers.ts';

interface Received {
  text: string;
  from: string;
}

/** The sequence number at the head of a Cisco RFC 5424 MSG. */
const seq5424 = (text: string): number => Number(/^<\d+>1 \S+ \S+ \S+ - \S+ - (\d+): /.exec(text)![1]);

let lab: Lab;
let collector: dgram.Socket;
const received: Received[] = [];

beforeAll(async () => {
  collector = dgram.createSocket('udp4');
  collector.on('message', (msg, rinfo) => received.push({ text: msg.toString('utf8'), from: rinfo.address }));
  await new Promise<void>((resolve) => collector.bind(0, '127.0.0.1', resolve));
  // The first two carry the ISSU tests; the other Cisco boxes cover the logging variants:
  // lab-pe001 and lab-bng002 name themselves, lab-bng003 gives its address, lab-bng004 neither,
  // lab-pe002's clock was never set.
  lab = await labOf(['c10k', 'mx', 'asr1000', 'asr1000', 'c10k', 'c10k', 'c10k'], {
    syslog: { host: '127.0.0.1', port: collector.address().port, format: '5424' },
  });
});
afterAll(async () => {
  await lab.stop();
  collector.close();
});

describe('syslog', () => {
  it('sends RFC 5424 messages from the device’s own address as the ISSU progresses', async () => {
    const [c10k] = lab.info() as [LabDeviceInfo];
    const sh = await privileged(c10k);
    await sh.run('issu loadversion a disk0:c10k3-p11-mz.122-33.SB9.bin b stby-disk0:c10k3-p11-mz.122-33.SB9.bin');
    sh.end();
    const load = await eventually(async () => received.find((r) => r.text.includes('ISSU-5-ISSU_LOADVERSION')), {
      timeoutMs: 5000,
      what: 'loadversion message',
    });
    expect(load.from).toBe(c10k.address);
    // <local7.notice>1 TIMESTAMP HOSTNAME APP-NAME PROCID MSGID SD MSG, the MSG led by the sequence number
    expect(load.text).toMatch(
      /^<189>1 \d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z lab-bng001 ISSU - ISSU-5-ISSU_LOADVERSION - \d+: %ISSU-5-ISSU_LOADVERSION: Loadversion of /,
    );
    await eventually(async () => received.find((r) => r.text.includes('RF-5-RF_TERMINAL_STATE')), {
      timeoutMs: 5000,
      what: 'standby hot message',
    });
    // The standby's way back: insertion seen, bulk sync, terminal state, numbered one after another.
    const fromC10k = received.filter((r) => r.from === c10k.address).map((r) => r.text);
    const seqs = fromC10k.map(seq5424);
    expect(seqs.every((n, i) => i === 0 || n === seqs[i - 1]! + 1)).toBe(true);
    expect(fromC10k.map((t) => /- \d+: %(\S+):/.exec(t)![1])).toEqual([
      'ISSU-5-ISSU_LOADVERSION',
      'REDUNDANCY-5-PEER_MONITOR_EVENT',
      'HA_CONFIG_SYNC-6-BULK_CFGSYNC_SUCCEED',
      'RF-5-RF_TERMINAL_STATE',
    ]);
    expect(fromC10k[2]).toMatch(
      /^<190>1 \S+ lab-bng001 HA_CONFIG_SYNC - HA_CONFIG_SYNC-6-BULK_CFGSYNC_SUCCEED - \d+: %HA_CONFIG_SYNC-6-BULK_CFGSYNC_SUCCEED: Bulk Sync succeeded$/,
    );
  });

  it('sends the switchover, the rollback timer start and expiry, and the boot of a reloaded chassis', async () => {
    const [c10k] = lab.info() as [LabDeviceInfo];
    const since = received.length;
    const later = () =>
      received
        .slice(since)
        .filter((r) => r.from === c10k.address)
        .map((r) => r.text);
    const run = await privileged(c10k);
    run.client.on('error', () => undefined);
    await run.send('issu runversion\r', /\[confirm\]/);
    run.send('\r', /never/).catch(() => undefined); // confirms; the switchover then ends the session
    await run.closed;
    await eventually(async () => later().some((t) => t.includes('REDUNDANCY-3-SWITCHOVER')), {
      timeoutMs: 5000,
      what: 'switchover message',
    });
    expect(later().find((t) => t.includes('ISSU-5-ROLLBACK_TIMER_START'))).toMatch(
      /Rollback timer started: \d\d:\d\d$/,
    );
    // 45:00 at time scale 600 is 4.5 s: the device rolls itself back.
    await eventually(async () => later().some((t) => t.includes('ISSU-3-ROLLBACK_TIMER_EXPIRED')), {
      timeoutMs: 15_000,
      what: 'rollback message',
    });
    expect(later().filter((t) => t.includes('REDUNDANCY-3-SWITCHOVER'))).toHaveLength(2);
    // The old active says it reloads; from the switchover on, the new active numbers with its own
    // counter (each RP keeps one), which then counts on by one.
    const first = later();
    const reloadAt = first.findIndex((t) => t.includes('SYS-5-RELOAD'));
    expect(first[reloadAt]).toMatch(
      /%SYS-5-RELOAD: Reload requested by \S+ on vty\d+ \(127\.0\.0\.1\)\. Reload Reason: ISSU runversion\.$/,
    );
    expect(first[reloadAt + 1]).toContain('REDUNDANCY-3-SWITCHOVER');
    const afterSwitch = first.slice(reloadAt + 1, first.findIndex((t) => t.includes('ROLLBACK_TIMER_EXPIRED')) + 1);
    const numbers = afterSwitch.map(seq5424);
    expect(numbers.every((n, i) => i === 0 || n === numbers[i - 1]! + 1)).toBe(true);
    expect(numbers[0]).not.toBe(seq5424(first[reloadAt]!) + 1);
    await eventually(async () => later().filter((t) => t.includes('RF-5-RF_TERMINAL_STATE')).length >= 2, {
      timeoutMs: 10_000,
      what: 'standby hot after the rollback',
    });
    const reload = await eventually(() => privileged(c10k).catch(() => null), {
      timeoutMs: 10_000,
      what: 'the device answers again',
    });
    reload.client.on('error', () => undefined);
    await reload.send('reload\r', /\[confirm\]/);
    reload.send('\r', /never/).catch(() => undefined); // confirms; the reload then ends the session
    await reload.closed;
    const boot = await eventually(async () => later().find((t) => t.includes('SYS-5-RESTART')), {
      timeoutMs: 10_000,
      what: 'boot message',
    });
    expect(boot).toMatch(
      /lab-bng001 SYS - SYS-5-RESTART - \d+: %SYS-5-RESTART: System restarted -- Cisco IOS Software/,
    );
    const reloadRequest = later().find((t) => t.includes('Reload Reason: Reload Command.'))!;
    expect(reloadRequest).toMatch(
      /%SYS-5-RELOAD: Reload requested by \S+ on vty\d+ \(127\.0\.0\.1\)\. Reload Reason: Reload Command\.$/,
    );
    // The reloaded box counts from its boot again.
    expect(seq5424(boot)).toBeLessThan(seq5424(reloadRequest));
  });

  it('sends the seed’s RDP lines from the new Junos master after the ISSU switchover, and RFC 3164 when asked', async () => {
    const [, mx] = lab.info() as [LabDeviceInfo, LabDeviceInfo];
    lab.syslog.target = { ...lab.syslog.target!, format: '3164' };
    const sh = await privileged(mx);
    await sh.send(
      'request system software in-service-upgrade /var/tmp/jinstall-10.3R2.11-domestic-signed.tgz\r',
      /Chassis ISSU Check Done/,
    );
    await sh.closed;
    const rdp = await eventually(
      async () => {
        const lines = received.filter((r) => r.text.includes('RDP: Remote side reset connection'));
        return lines.length >= 2 && lines;
      },
      { timeoutMs: 15_000, what: 'RDP lines' },
    );
    expect(rdp.length).toBeGreaterThanOrEqual(2);
    expect(rdp[0]!.from).toBe(mx.address);
    // <daemon.crit>MMM DD HH:MM:SS HOST MSG: the line card's relayed line has no tag of its own
    expect(rdp[0]!.text).toMatch(
      /^<26>\w{3} [ \d]\d \d\d:\d\d:\d\d lab-mx001 fpc0 RDP: Remote side reset connection: rdp\.\(fpc0:22528\)\.\(serverRouter:ppm\)$/,
    );
    expect(rdp[1]!.text).toMatch(/ lab-mx001 fpc1 RDP: Remote side reset connection: rdp\.\(fpc1:4096\)/);
    const reboot = received.find((r) => r.text.includes('CHASSISD_RE_REBOOT'));
    expect(reboot?.text).toMatch(/lab-mx001 chassisd\[\d+\]: CHASSISD_RE_REBOOT: re1 rebooting/);
  });

  it('logs the Junos recovery after a switchover: mastership back, the upgraded RE rolled back and rebooted, the pending package dropped', async () => {
    // Continues on the MX the previous test upgraded: re1 master on 10.3R2.11, re0 backup on 10.1R1.8.
    const [, mx] = lab.info() as [LabDeviceInfo, LabDeviceInfo];
    lab.syslog.target = { ...lab.syslog.target!, format: '5424' };
    const from = received.length;
    const later = () => received.slice(from).map((r) => r.text);
    const sh = await eventually(() => privileged(mx).catch(() => null), {
      timeoutMs: 10_000,
      what: 'the new master answers',
    });
    await sh.send('request chassis routing-engine master switch\r', /\[yes,no\] \(no\) $/);
    sh.send('yes\r', /never/).catch(() => undefined); // the switch ends the session
    await sh.closed;
    const back = await eventually(() => privileged(mx).catch(() => null), {
      timeoutMs: 10_000,
      what: 're0 master again',
    });
    expect(await back.run('request system software rollback other-routing-engine')).toMatch(
      /re1:\n-+\nRestoring boot file package\nJUNOS 10\.1R1\.8 will become active at next reboot\nWARNING: A reboot is required to load this software correctly/,
    );
    await back.send('request system reboot other-routing-engine\r', /\[yes,no\] \(no\) $/);
    expect(await back.send('yes\r', />\s*$/)).toContain('Rebooting re1');
    expect(await back.run('request system software rollback')).toMatch(
      /Removing pending package jinstall-10\.3R2\.11\nJUNOS 10\.1R1\.8 will stay active at next reboot/,
    );
    back.end();
    await eventually(() => later().some((t) => t.includes("command 'request system software rollback '")), {
      what: 'the last command logged',
    });
    const tags = later().map((t) => /lab-mx001 (\S+) \S+ (\S+) /.exec(t)?.slice(1, 3).join(' '));
    expect(tags).toEqual(
      expect.arrayContaining([
        'chassisd CHASSISD_MASTERSHIP_SWITCH',
        'mgd UI_CMDLINE_READ_LINE',
        'chassisd CHASSISD_RE_REBOOT',
      ]),
    );
    const commands = later()
      .filter((t) => t.includes('UI_CMDLINE_READ_LINE'))
      .map((t) => /command '([^']*) '/.exec(t)![1]);
    expect(commands).toEqual([
      'request chassis routing-engine master switch',
      'request system software rollback other-routing-engine',
      'request system reboot other-routing-engine',
      'request system software rollback',
    ]);
    // structured-data: the tag's parameters under Juniper's SD-ID for the MX480.
    expect(later().find((t) => t.includes('UI_CMDLINE_READ_LINE'))).toMatch(
      /^<30>1 \S+ lab-mx001 mgd \d+ UI_CMDLINE_READ_LINE \[junos@2636\.1\.1\.1\.2\.25 username="admin" command="request chassis routing-engine master switch "\] User 'admin', command 'request chassis routing-engine master switch '$/,
    );
    // The releasing RE's chassisd and the new master's are two processes.
    const pid = (tag: string) => / chassisd (\d+) /.exec(later().find((t) => t.includes(` ${tag} `))!)![1];
    expect(later().find((t) => t.includes('CHASSISD_RELEASE_MASTERSHIP'))).toMatch(
      /chassisd \d+ CHASSISD_RELEASE_MASTERSHIP \[junos@2636\.1\.1\.1\.2\.25\] Release mastership notification$/,
    );
    expect(pid('CHASSISD_RELEASE_MASTERSHIP')).not.toBe(pid('CHASSISD_MASTERSHIP_SWITCH'));
    expect(later().find((t) => t.includes('CHASSISD_RE_REBOOT'))).toMatch(/re1 rebooting/);
  });

  it('frames Cisco RFC 3164 as IOS does: sequence number, origin-id, msec timestamps, clock marks, per device', async () => {
    lab.syslog.target = { ...lab.syslog.target!, format: '3164' };
    const boxes = lab.info().slice(2);
    const since = received.length;
    await Promise.all(
      boxes.map(async (box) => {
        const sh = await privileged(box);
        await sh.send('redundancy reload peer\r', /\[confirm\]/);
        await sh.run('');
        sh.end();
      }),
    );
    const fromBox = (box: LabDeviceInfo) =>
      received.slice(since).filter((r) => r.text.includes(box.hostname) || r.from === box.address);
    await eventually(
      async () => boxes.every((b) => fromBox(b).some((r) => r.text.includes('RF-5-RF_TERMINAL_STATE'))),
      { timeoutMs: 10_000, what: 'every standby hot again' },
    );
    const origins = new Set<string | null>();
    for (const box of boxes) {
      const lines = fromBox(box);
      // From the device's own address, each line's number one more than the one before.
      expect(lines.every((r) => r.from === box.address)).toBe(true);
      const profile = loggingProfileOf(box.hostname, box.vendor);
      origins.add(profile.originId);
      const origin =
        profile.originId === 'hostname' ? `${box.hostname}: ` : profile.originId === 'ip' ? `${box.address}: ` : '';
      const shape = new RegExp(
        `^<(\\d+)>(\\d+): ${origin.replace(/\./g, '\\.')}${profile.clockMark.replace(/[.*]/, '\\$&')}[A-Z][a-z]{2} [ \\d]\\d \\d\\d:\\d\\d:\\d\\d\\.\\d{3} UTC: %([A-Z_]+-\\d-[A-Z_]+): `,
      );
      const parsed = lines.map((r) => {
        const m = shape.exec(r.text);
        expect(m, r.text).not.toBeNull();
        return { pri: Number(m![1]), seq: Number(m![2]), event: m![3] };
      });
      expect(parsed.map((p) => p.event)).toEqual([
        'REDUNDANCY-5-PEER_RELOAD',
        'REDUNDANCY-5-PEER_MONITOR_EVENT',
        'HA_CONFIG_SYNC-6-BULK_CFGSYNC_SUCCEED',
        'RF-5-RF_TERMINAL_STATE',
      ]);
      expect(parsed.map((p) => p.pri)).toEqual([189, 189, 190, 189]);
      const seqs = parsed.map((p) => p.seq);
      expect(seqs).toEqual(seqs.map((_, i) => seqs[0]! + i));
    }
    // Every way of naming the origin occurs in this lab, and a clock that was never set.
    expect(origins).toEqual(new Set(['hostname', 'ip', null]));
    expect(boxes.some((b) => loggingProfileOf(b.hostname, b.vendor).clockMark === '*')).toBe(true);
  });
});

describe('syslog framing', () => {
  const at = new Date('2010-12-29T19:11:57.042Z');
  const cisco = (hostname: string): SyslogSource => ({
    vendor: 'CISCO_IOS',
    model: 'c10k',
    spec: { hostname, address: '127.10.0.9' },
  });
  const mx: SyslogSource = { vendor: 'JUNOS', model: 'MX480', spec: { hostname: 'lab-mx001', address: '127.10.0.2' } };
  const bulk: SyslogEvent = {
    severity: 6,
    appName: 'HA_CONFIG_SYNC',
    msgId: 'HA_CONFIG_SYNC-6-BULK_CFGSYNC_SUCCEED',
    text: '%HA_CONFIG_SYNC-6-BULK_CFGSYNC_SUCCEED: Bulk Sync succeeded',
    sequence: 151,
  };
  const rdp: SyslogEvent = {
    severity: 2,
    appName: 'fpc0',
    msgId: 'RDP',
    text: 'fpc0 RDP: Remote side reset connection: rdp.(fpc0:22528).(serverRouter:ppm)',
  };

  it('writes each Cisco variant the lab configures', () => {
    // lab-bng001 names itself, lab-bng003 gives its address, lab-bng004 neither; lab-bng005's clock was never set, lab-bng012's is out of sync.
    expect(formatSyslog(cisco('lab-bng001'), bulk, at, '3164')).toBe(
      '<190>151: lab-bng001: Dec 29 19:11:57.042 UTC: %HA_CONFIG_SYNC-6-BULK_CFGSYNC_SUCCEED: Bulk Sync succeeded',
    );
    expect(formatSyslog(cisco('lab-bng003'), bulk, at, '3164')).toMatch(/^<190>151: 127\.10\.0\.9: Dec 29 /);
    expect(formatSyslog(cisco('lab-bng004'), bulk, at, '3164')).toMatch(/^<190>151: Dec 29 19:11:57\.042 UTC: %HA/);
    expect(formatSyslog(cisco('lab-bng005'), bulk, at, '3164')).toMatch(/^<190>151: \*Dec 29 19:11:57\.042 UTC: /);
    expect(formatSyslog(cisco('lab-bng012'), bulk, at, '3164')).toMatch(/^<190>151: lab-bng012: \.Dec 29 /);
    expect(formatSyslog(cisco('lab-bng001'), { ...bulk }, new Date('2011-03-01T00:10:29.471Z'), '3164')).toContain(
      ': Mar  1 00:10:29.471 UTC: ',
    );
    expect(formatSyslog(cisco('lab-bng001'), bulk, at, '5424')).toBe(
      '<190>1 2010-12-29T19:11:57.042Z lab-bng001 HA_CONFIG_SYNC - HA_CONFIG_SYNC-6-BULK_CFGSYNC_SUCCEED - 151: %HA_CONFIG_SYNC-6-BULK_CFGSYNC_SUCCEED: Bulk Sync succeeded',
    );
  });

  it('writes Junos BSD lines and structured data, escaping parameter values', () => {
    const read: SyslogEvent = {
      severity: 6,
      appName: 'mgd',
      msgId: 'UI_CMDLINE_READ_LINE',
      text: `User 'admin', command 'show log "a]b\\c" '`,
      procId: '4163',
      params: { username: 'admin', command: 'show log "a]b\\c" ' },
    };
    expect(formatSyslog(mx, read, at, '3164')).toBe(
      `<30>Dec 29 19:11:57 lab-mx001 mgd[4163]: UI_CMDLINE_READ_LINE: User 'admin', command 'show log "a]b\\c" '`,
    );
    expect(formatSyslog(mx, read, at, '5424')).toBe(
      `<30>1 2010-12-29T19:11:57.042Z lab-mx001 mgd 4163 UI_CMDLINE_READ_LINE [junos@2636.1.1.1.2.25 username="admin" command="show log \\"a\\]b\\\\c\\" "] User 'admin', command 'show log "a]b\\c" '`,
    );
    expect(formatSyslog(mx, rdp, at, '3164')).toBe(
      '<26>Dec 29 19:11:57 lab-mx001 fpc0 RDP: Remote side reset connection: rdp.(fpc0:22528).(serverRouter:ppm)',
    );
    expect(formatSyslog(mx, rdp, at, '5424')).toBe(
      '<26>1 2010-12-29T19:11:57.042Z lab-mx001 fpc0 - - - RDP: Remote side reset connection: rdp.(fpc0:22528).(serverRouter:ppm)',
    );
  });

  it('frames each vendor as it sends when the format is auto: Cisco RFC 3164 as IOS, Junos RFC 5424 with structured data', () => {
    const reboot: SyslogEvent = {
      severity: 4,
      appName: 'chassisd',
      msgId: 'CHASSISD_RE_REBOOT',
      text: 're1 rebooting',
      procId: '1503',
    };
    expect(formatSyslog(cisco('lab-bng001'), bulk, at, 'auto')).toBe(
      '<190>151: lab-bng001: Dec 29 19:11:57.042 UTC: %HA_CONFIG_SYNC-6-BULK_CFGSYNC_SUCCEED: Bulk Sync succeeded',
    );
    expect(formatSyslog(cisco('lab-bng005'), bulk, at, 'auto')).toMatch(/^<190>151: \*Dec 29 19:11:57\.042 UTC: /);
    expect(formatSyslog(mx, reboot, at, 'auto')).toBe(
      '<28>1 2010-12-29T19:11:57.042Z lab-mx001 chassisd 1503 CHASSISD_RE_REBOOT [junos@2636.1.1.1.2.25] re1 rebooting',
    );
    expect(formatSyslog(mx, rdp, at, 'auto')).toBe(formatSyslog(mx, rdp, at, '5424'));
  });

  it('renders the console broadcast of seed 001', () => {
    expect(consoleForm('lab-mx001', rdp, at)).toBe(
      '\r\n\x07Message from syslogd@lab-mx001 at Dec 29 19:11:57 ...\r\nfpc0 RDP: Remote side reset connection: rdp.(fpc0:22528).(serverRouter:ppm)\r\n',
    );
    const reboot: SyslogEvent = {
      severity: 4,
      appName: 'chassisd',
      msgId: 'CHASSISD_RE_REBOOT',
      text: 're1 rebooting',
      procId: '1503',
    };
    expect(consoleForm('lab-mx001', reboot, new Date('2011-01-05T08:00:00Z')).split('\r\n')).toEqual([
      '',
      '\x07Message from syslogd@lab-mx001 at Jan  5 08:00:00 ...',
      'chassisd[1503]: CHASSISD_RE_REBOOT: re1 rebooting',
      '',
    ]);
  });
});

describe('npm run lab --syslog', () => {
  it('frames each vendor its own way by default (auto), and its API reads and sets the format', async () => {
    const main = path.resolve(import.meta.dirname, '../src/main.ts');
    const args = ['--devices', '1', '--port', '0', '--base-address', uniqueBase(), '--json'];
    const child = spawn(
      process.execPath,
      ['--import', 'tsx', main, ...args, '--syslog', `127.0.0.1:${collector.address().port}`],
      { stdio: ['ignore', 'pipe', 'pipe'] },
    );
    try {
      const line = await new Promise<string>((resolve, reject) => {
        let out = '';
        child.stdout.on('data', (d: Buffer) => {
          out += d.toString();
          if (out.includes('\n')) resolve(out.split('\n')[0]!);
        });
        child.once('exit', (code) => reject(new Error(`lab exited ${code}`)));
      });
      const { apiUrl, apiToken } = JSON.parse(line) as { apiUrl: string; apiToken: string };
      const call = async (method: string, body?: object) => {
        const res = await fetch(`${apiUrl}/api/syslog`, {
          method,
          headers: { authorization: `Bearer ${apiToken}`, ...(body && { 'content-type': 'application/json' }) },
          ...(body && { body: JSON.stringify(body) }),
        });
        return { status: res.status, body: (await res.json()) as { target?: { format: string } } };
      };
      expect((await call('GET')).body.target).toEqual({
        host: '127.0.0.1',
        port: collector.address().port,
        format: 'auto',
      });
      expect((await call('PUT', { host: '127.0.0.1', port: 5514, format: '3164' })).body.target?.format).toBe('3164');
      expect((await call('PUT', { host: '127.0.0.1', port: 5514, format: 'auto' })).body.target?.format).toBe('auto');
      expect((await call('PUT', { host: '127.0.0.1', port: 5514 })).body.target?.format).toBe('auto');
      expect((await call('GET')).body.target?.format).toBe('auto');
      expect((await call('PUT', { host: '127.0.0.1', port: 5514, format: 'rfc' })).status).toBe(400);
    } finally {
      child.kill('SIGTERM');
    }
    // A format the lab does not know is refused at start, naming the choices.
    const bad = await promisify(execFile)(process.execPath, ['--import', 'tsx', main, '--syslog-format', 'rfc'], {
      timeout: 30_000,
    }).catch((e: { code: number; stderr: string }) => e);
    expect(bad).toMatchObject({
      code: 2,
      stderr: expect.stringContaining('--syslog-format must be auto, 5424 or 3164'),
    });
  });
});
