// Syslog from the lab, received on a real UDP socket.
import dgram from 'node:dgram';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Lab, LabDeviceInfo } from '../src/lab.ts';
import { eventually } from '@hitless/testkit/poll';
import { labOf, privileged } from './helpers.ts';

interface Received {
  text: string;
  from: string;
}

let lab: Lab;
let collector: dgram.Socket;
const received: Received[] = [];

beforeAll(async () => {
  collector = dgram.createSocket('udp4');
  collector.on('message', (msg, rinfo) => received.push({ text: msg.toString('utf8'), from: rinfo.address }));
  await new Promise<void>((resolve) => collector.bind(0, '127.0.0.1', resolve));
  lab = await labOf(['c10k', 'mx'], { syslog: { host: '127.0.0.1', port: collector.address().port, format: '5424' } });
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
    // <local7.notice>1 TIMESTAMP HOSTNAME APP-NAME PROCID MSGID SD MSG
    expect(load.text).toMatch(
      /^<189>1 \d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z lab-bng001 ISSU - ISSU-5-ISSU_LOADVERSION - %ISSU-5-ISSU_LOADVERSION: Loadversion of /,
    );
    await eventually(async () => received.find((r) => r.text.includes('RF-5-RF_TERMINAL_STATE')), {
      timeoutMs: 5000,
      what: 'standby hot message',
    });
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
    expect(boot).toMatch(/lab-bng001 SYS - SYS-5-RESTART - %SYS-5-RESTART: System restarted -- Cisco IOS Software/);
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
    // <daemon.crit>MMM DD HH:MM:SS HOST TAG: MSG
    expect(rdp[0]!.text).toMatch(
      /^<26>\w{3} [ \d]\d \d\d:\d\d:\d\d lab-mx001 fpc\[\d+\]: fpc0 RDP: Remote side reset connection: rdp\.\(fpc0:22528\)\.\(serverRouter:ppm\)$/,
    );
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
    expect(later().find((t) => t.includes('CHASSISD_RE_REBOOT'))).toMatch(/re1 rebooting/);
  });
});
