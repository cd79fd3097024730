// Every command the lab implements, typed into the stock OpenSSH client (through sshpass) as a
// person would, on a Cisco 10000 and a Juniper MX480, ISSU included.
import { spawn } from 'node:child_process';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Lab, LabDeviceInfo } from '../src/lab.ts';
import { eventually } from '@hitless/testkit/poll';
import { labOf, requireOpenSsh } from './helpers.ts';

let lab: Lab;
let c10k: LabDeviceInfo;
let mx: LabDeviceInfo;

beforeAll(async () => {
  requireOpenSsh();
  lab = await labOf(['c10k', 'mx']);
  [c10k, mx] = lab.info() as [LabDeviceInfo, LabDeviceInfo];
});
afterAll(async () => lab?.stop());

/** Output without Junos's `[edit …]` banner lines. */
const edit = (output: string) => output.replace(/^\[edit[^\]]*\]$/gm, '').trim();

const PROMPT = /(?:[\w.-]+(?:\(config\))?[>#]|[\w.-]+@[\w.-]+[>#] )$/;

interface OpenSsh {
  /** Types a line and resolves with what the device printed up to the next prompt. */
  run(line: string, until?: RegExp): Promise<string>;
  /** Resolves when the session has ended (the device dropped it, or we logged out). */
  closed: Promise<void>;
  close(): void;
}

/** An interactive OpenSSH session (`ssh -tt`) on a device, at its prompt. */
async function openssh(info: LabDeviceInfo): Promise<OpenSsh> {
  const args = [
    '-p',
    info.password,
    'ssh',
    '-tt',
    '-o',
    'StrictHostKeyChecking=no',
    '-o',
    'UserKnownHostsFile=/dev/null',
    '-o',
    'LogLevel=ERROR',
    '-p',
    String(info.port),
    `${info.username}@${info.address}`,
  ];
  const child = spawn('sshpass', args, { stdio: ['pipe', 'pipe', 'pipe'] });
  let out = '';
  let ended = false;
  child.stdout.on('data', (d: Buffer) => (out += d.toString('utf8').replace(/\r/g, '')));
  child.stderr.on('data', (d: Buffer) => (out += d.toString('utf8')));
  child.stdin.on('error', () => undefined);
  const closed = new Promise<void>((resolve) =>
    child.once('exit', () => {
      ended = true;
      resolve();
    }),
  );
  const waitFor = async (re: RegExp, from: number, timeoutMs = 10_000): Promise<string> => {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const chunk = out.slice(from);
      if (re.test(chunk)) return chunk;
      if (ended) throw new Error(`session ended while waiting for ${re}: ${JSON.stringify(chunk)}`);
      if (Date.now() > deadline) throw new Error(`timed out waiting for ${re}: ${JSON.stringify(chunk)}`);
      await sleep(20);
    }
  };
  await waitFor(PROMPT, 0);
  return {
    run: async (line, until = PROMPT) => {
      const from = out.length;
      child.stdin.write(`${line}\n`);
      const chunk = await waitFor(new RegExp(`\\n[^\\n]*(?:${until.source})`), from);
      // Drop the echoed command line and the trailing prompt.
      return chunk
        .split('\n')
        .slice(1, until === PROMPT ? -1 : undefined)
        .join('\n');
    },
    closed,
    close: () => child.kill('SIGTERM'),
  };
}

/** Waits for the device to take new sessions again (after a switchover or reload); Junos paging off. */
async function reconnect(info: LabDeviceInfo): Promise<OpenSsh> {
  const sh = await eventually(() => openssh(info).catch(() => null), {
    timeoutMs: 15_000,
    what: `${info.hostname} answers again`,
  });
  if (info.vendor === 'JUNOS') await sh.run('set cli screen-length 0');
  return sh;
}

describe('the stock OpenSSH client on a Cisco 10000', () => {
  it('runs every command, and a whole ISSU from loadversion to commitversion', async () => {
    const [OLD, NEW] = ['c10k3-p11-mz.122-33.SB8.bin', 'c10k3-p11-mz.122-33.SB9.bin'];
    let sh = await openssh(c10k);
    expect(await sh.run('show version')).toMatch(/^Cisco IOS Software, 10000 Software/);
    expect(await sh.run('show ip interface brief')).toMatch(/Interface\s+IP-Address\s+OK\? Method Status\s+Protocol/);
    expect(await sh.run('show ip bgp summary')).toMatch(/Neighbor\s+V\s+AS/);
    expect(await sh.run('ping 192.0.2.1')).toMatch(/Success rate is \d+ percent/);
    expect(await sh.run('show redundancy')).toMatch(/% Invalid input|% Type "enable"|not authorized/i);
    await sh.run('enable', /Password: $/);
    expect(await sh.run(c10k.enableSecret ?? '')).toBe('');
    expect(await sh.run('terminal length 0')).toBe('');
    expect(await sh.run('dir disk0:')).toMatch(
      new RegExp(`Directory of disk0:/[\\s\\S]*${NEW.replace(/\./g, '\\.')}[\\s\\S]*bytes total \\(\\d+ bytes free\\)`),
    );
    expect(await sh.run('dir stby-disk0:')).toMatch(/Directory of stby-disk0:\//);
    expect(await sh.run('show redundancy')).toMatch(
      /Redundant System Information :[\s\S]*Peer Processor Information :/,
    );
    expect(await sh.run('show redundancy states')).toMatch(/peer state = 8 {2}-STANDBY HOT/);
    expect(await sh.run('show issu state')).toMatch(/ISSU State = Init/);
    expect(await sh.run('show issu state detail')).toMatch(
      new RegExp(`Current Version = disk0:${OLD.replace(/\./g, '\\.')}`),
    );
    // 45:00, shown scaled by the lab's time scale (600 here).
    expect(await sh.run('show issu rollback-timer')).toMatch(
      /Rollback Process State = Not in progress\nConfigured Rollback Time = 00:05/,
    );
    expect(await sh.run('show issu comp-matrix negotiated')).toMatch(
      /Cid\s+Eid\s+Sid\s+pSid\s+pUid\s+Compatibility\n=+\n(?:\d+\s+.*COMPATIBLE\n?)+$/,
    );
    expect(await sh.run('show issu comp-matrix stored')).toMatch(
      /My Image ver:\s+12\.2\(33\)SB8[\s\S]*12\.2\(33\)SB9\s+Comp/,
    );
    expect(await sh.run('configure terminal')).toMatch(/Enter configuration commands/);
    expect(await sh.run('configure issu set rollback-timer 3600')).toBe('');
    expect(await sh.run('end')).toBe('');
    expect(await sh.run('show issu rollback-timer')).toMatch(/Configured Rollback Time = 00:06/);
    expect(await sh.run('issu runversion')).toMatch(/^% ISSU runversion is not allowed in state Init/);
    expect(await sh.run('issu abortversion')).toMatch(/^% ISSU is not in progress/);

    expect(await sh.run(`issu loadversion a disk0:${NEW} b stby-disk0:${NEW}`)).toMatch(
      /^% issu loadversion executed successfully/,
    );
    await eventually(async () => /peer state = 8 {2}-STANDBY HOT/.test(await sh.run('show redundancy states')), {
      timeoutMs: 10_000,
      what: 'standby hot on the new image',
    });
    expect(await sh.run('show issu state')).toMatch(/ISSU State = Load Version/);
    await sh.run('issu runversion', /\[confirm\]$/);
    sh.run('').catch(() => undefined);
    await sh.closed; // the switchover drops every session, as on the real box

    sh = await reconnect(c10k);
    await sh.run('enable', /Password: $/);
    await sh.run(c10k.enableSecret ?? '');
    expect(await sh.run('show issu state detail')).toMatch(
      /Slot = B\n\s*RP State = Active\n\s*ISSU State = Run Version/,
    );
    expect(await sh.run('show issu rollback-timer')).toMatch(
      /Rollback Process State = In progress[\s\S]*Automatic Rollback Time = \d\d:\d\d/,
    );
    await eventually(async () => /peer state = 8 {2}-STANDBY HOT/.test(await sh.run('show redundancy states')), {
      timeoutMs: 10_000,
      what: 'old active back hot',
    });
    expect(await sh.run('issu acceptversion')).toMatch(/^% Rollback timer stopped/);
    expect(await sh.run('show issu rollback-timer')).toMatch(/Rollback Process State = Not in progress/);
    expect(await sh.run('issu commitversion')).toMatch(/^% issu commitversion executed successfully/);
    await eventually(async () => /peer state = 8 {2}-STANDBY HOT/.test(await sh.run('show redundancy states')), {
      timeoutMs: 10_000,
      what: 'standby hot after commit',
    });
    const detail = await sh.run('show issu state detail');
    expect(detail.match(new RegExp(`Current Version = disk0:${NEW.replace(/\./g, '\\.')}`, 'g'))).toHaveLength(2);
    expect(detail).not.toMatch(/ISSU State = (?!Init)/);

    await sh.run('reload', /\[confirm\]$/);
    sh.run('').catch(() => undefined);
    await sh.closed;
    sh = await reconnect(c10k);
    // Back from the reload on the committed image, with a fresh uptime (scaled 600×: minutes).
    const version = await sh.run('show version');
    expect(version).toContain(`System image file is "disk0:${NEW}"`);
    expect(version).toMatch(/uptime is (?:\d+ minutes?|1 hour(?:, \d+ minutes?)?)$/m);
    await sh.run('exit', /$/);
    await sh.closed;
    expect(lab.devices.get(c10k.id)!.commandCounts.get('issu commitversion')).toBe(1);
  });
});

describe('the stock OpenSSH client on a Juniper MX480', () => {
  it('runs every command, configures the ISSU prerequisites, upgrades, reboots the old master and gives mastership back', async () => {
    let sh = await openssh(mx);
    expect(await sh.run('set cli screen-length 0')).toMatch(/Screen length set to 0/);
    expect(await sh.run('show version invoke-on all-routing-engines')).toMatch(/re0:[\s\S]*JUNOS[\s\S]*re1:/);
    expect(await sh.run('show chassis routing-engine')).toMatch(/Current state\s+Master[\s\S]*Current state\s+Backup/);
    expect(await sh.run('show system switchover')).toMatch(/Graceful switchover: On/i);
    expect(await sh.run('show system storage')).toMatch(/Filesystem\s+Size\s+Used\s+Avail\s+Capacity\s+Mounted on/);
    expect(await sh.run('file list /var/tmp')).toMatch(/jinstall-10\.3R2\.11-domestic-signed\.tgz/);
    expect(await sh.run('show bgp summary')).toMatch(/Peer\s+AS\s+InPkt/);
    expect(await sh.run('show interfaces terse')).toMatch(/Interface\s+Admin\s+Link\s+Proto/);

    // Take the prerequisites away and put them back, as an operator following the seed would.
    expect(await sh.run('configure')).toMatch(/Entering configuration mode/);
    for (const path of [
      'chassis redundancy graceful-switchover',
      'routing-options nonstop-routing',
      'system commit synchronize',
    ])
      await sh.run(`delete ${path}`);
    expect(await sh.run('commit synchronize')).toMatch(/commit complete/);
    await sh.run('exit configuration-mode');
    expect(
      await sh.run('request system software in-service-upgrade /var/tmp/jinstall-10.3R2.11-domestic-signed.tgz'),
    ).toMatch(/error|not/i);
    await sh.run('configure');
    expect(edit(await sh.run('set chassis redundancy graceful-switchover'))).toBe('');
    expect(edit(await sh.run('set routing-options nonstop-routing'))).toBe('');
    expect(edit(await sh.run('set system commit synchronize'))).toBe('');
    expect(await sh.run('commit synchronize')).toMatch(
      /^re0: \nconfiguration check succeeds\nre1: \ncommit complete\nre0: \ncommit complete/,
    );
    await sh.run('exit');
    expect(await sh.run('show configuration chassis redundancy | display set')).toBe(
      'set chassis redundancy graceful-switchover',
    );
    expect(await sh.run('show configuration routing-options | display set')).toContain(
      'set routing-options nonstop-routing',
    );
    expect(await sh.run('show configuration system commit | display set')).toBe('set system commit synchronize');

    const stream = await sh.run(
      'request system software in-service-upgrade /var/tmp/jinstall-10.3R2.11-domestic-signed.tgz',
      /ISSU: Ready for Switchover/,
    );
    expect(stream).toMatch(
      /^Chassis ISSU Check Done\nISSU: Validating Image[\s\S]*Backup upgrade done\nRebooting Backup RE[\s\S]*GRES operational[\s\S]*ISSU: Starting Upgrade for FRUs/,
    );
    await sh.closed; // mastership moves to re1: the session on the old master ends

    sh = await reconnect(mx);
    const [re0, re1] = (await sh.run('show version invoke-on all-routing-engines')).split(/^re1:$/m) as [
      string,
      string,
    ];
    expect(re1).toContain('10.3R2.11');
    expect(re0).not.toContain('10.3R2.11'); // the old master stays on the old code until rebooted
    expect(await sh.run('request system reboot other-routing-engine', /\[yes,no\] \(no\) $/)).toMatch(
      /^Reboot the other routing engine \? \[yes,no\] \(no\) $/,
    );
    expect(await sh.run('yes')).toMatch(
      /Rebooting re0[\s\S]*Shutdown NOW![\s\S]*jinstall 10\.3R2\.11 will complete installation upon reboot/,
    );
    await eventually(
      async () =>
        /re0:[\s\S]*10\.3R2\.11[\s\S]*re1:[\s\S]*10\.3R2\.11/.test(
          await sh.run('show version invoke-on all-routing-engines'),
        ),
      { timeoutMs: 15_000, what: 're0 on the new release' },
    );
    await eventually(async () => /Current state\s+Backup/.test(await sh.run('show chassis routing-engine')), {
      timeoutMs: 15_000,
      what: 're0 back as backup',
    });
    await sh.run('request chassis routing-engine master switch', /\[yes,no\] \(no\) $/);
    sh.run('yes').catch(() => undefined);
    await sh.closed;
    sh = await reconnect(mx);
    expect(await sh.run('show chassis routing-engine')).toMatch(/Slot 0:\s*\n\s*Current state\s+Master/);

    // The seed's plain reboot, on the master: answering no changes nothing, yes reboots it and
    // the backup takes over.
    expect(await sh.run('request system reboot', /\[yes,no\] \(no\) $/)).toMatch(
      /^Reboot the system \? \[yes,no\] \(no\) $/,
    );
    await sh.run('no');
    expect(await sh.run('show chassis routing-engine')).toMatch(/Slot 0:\s*\n\s*Current state\s+Master/);
    await sh.run('request system reboot', /\[yes,no\] \(no\) $/);
    sh.run('yes').catch(() => undefined);
    await sh.closed;
    sh = await reconnect(mx);
    expect(await sh.run('show chassis routing-engine')).toMatch(/Slot 1:\s*\n\s*Current state\s+Master/);
    sh.close();
    await sh.closed;
  });
});
