// Real SSH against the lab: the ssh2 library and the stock OpenSSH client.
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Lab, LabDeviceInfo } from '../src/lab.ts';
import { generateHostKey } from '../src/ssh.ts';
import ssh2 from 'ssh2';
import { connect, exec, labOf, privileged, requireOpenSsh, shell } from './helpers.ts';

const run = promisify(execFile);
let lab: Lab;
let c10k: LabDeviceInfo;
let asr: LabDeviceInfo;
let mx: LabDeviceInfo;
let legacy: LabDeviceInfo;

beforeAll(async () => {
  requireOpenSsh();
  lab = await labOf(['c10k', 'asr1000', 'mx', 'cat4500'], { legacySsh: ['lab-agg001'] });
  [c10k, asr, mx, legacy] = lab.info() as [LabDeviceInfo, LabDeviceInfo, LabDeviceInfo, LabDeviceInfo];
});
afterAll(async () => lab.stop());

/** sshpass + OpenSSH arguments: the lab's password, host keys not remembered. */
function ssh(info: LabDeviceInfo, ...extra: string[]): string[] {
  return [
    '-p',
    info.password,
    'ssh',
    '-o',
    'StrictHostKeyChecking=no',
    '-o',
    'UserKnownHostsFile=/dev/null',
    '-o',
    'LogLevel=ERROR',
    '-p',
    String(info.port),
    ...extra,
    `${info.username}@${info.address}`,
  ];
}

describe('SSH with ssh2', () => {
  it('gives each device its own loopback address and a shell with the device prompt', async () => {
    expect(new Set(lab.info().map((d) => d.address)).size).toBe(4);
    const sh = await privileged(c10k);
    expect(await sh.run('show issu state')).toMatch(/ISSU State = Init/);
    expect(await sh.run('show redundancy states')).toMatch(/peer state = 8 {2}-STANDBY HOT/);
    sh.end();
    const xe = await privileged(asr);
    expect(await xe.run('show issu state detail')).toContain('No ISSU operation is in progress');
    expect(await xe.run('dir stby-bootflash:')).toMatch(/Directory of stby-bootflash:\//);
    xe.end();
  });

  it('serves Junos with user@host prompts', async () => {
    const sh = await privileged(mx);
    expect(await sh.run('show version invoke-on all-routing-engines')).toMatch(/re0:[\s\S]*re1:/);
    expect(await sh.run('show configuration chassis redundancy | display set')).toBe(
      'set chassis redundancy graceful-switchover',
    );
    sh.end();
  });

  it('runs exec requests with privileges and an exit status', async () => {
    const client = await connect(c10k);
    const res = await exec(client, 'show issu rollback-timer');
    // 45:00 divided by the lab's time scale of 600.
    expect(res.output).toContain('Configured Rollback Time = 00:05');
    expect(res.code).toBe(0);
    client.end();
  });

  it('refuses a wrong password', async () => {
    await expect(connect(c10k, { password: 'nope' })).rejects.toThrow(/authentication/i);
  });

  it('offers only legacy algorithms on a legacy device, and a client with legacy algorithms gets in', async () => {
    await expect(connect(legacy)).rejects.toThrow();
    const client = await connect(legacy, { legacy: true });
    const sh = await shell(client);
    expect(await sh.run('show version')).toMatch(/Catalyst 4500/);
    client.end();
  });

  it('counts every command a device receives', async () => {
    const device = lab.devices.get(c10k.id)!;
    device.commandCounts.clear();
    const sh = await privileged(c10k);
    await sh.run('show version');
    await sh.run('show version');
    sh.end();
    expect(device.commandCounts.get('show version')).toBe(2);
    expect(device.commandCounts.get('terminal length 0')).toBe(1);
  });
});

describe('host keys', () => {
  it('are always parseable (ssh2 alone gets about one ed25519 key in 256 wrong)', () => {
    for (let i = 0; i < 1500; i++) expect(ssh2.utils.parseKey(generateHostKey('modern'))).not.toBeInstanceOf(Error);
  });
});

describe('SSH with the stock OpenSSH client', () => {
  it('runs a command given on the command line', async () => {
    const res = await run('sshpass', [...ssh(c10k), 'show version'], { timeout: 15_000 });
    expect(res.stdout).toMatch(/^Cisco IOS Software, 10000 Software/);
  });

  it('gives an interactive prompt where every command works', async () => {
    const script = [
      'enable',
      c10k.enableSecret,
      'terminal length 0',
      'show issu state detail',
      'show ip bgp summary',
      'exit',
      '',
    ].join('\n');
    const child = execFile('sshpass', ssh(c10k, '-tt'), { timeout: 15_000 });
    let out = '';
    child.stdout!.on('data', (d: Buffer) => (out += d.toString()));
    // Type as a person would, a line at a time after each prompt.
    const lines = script.split('\n');
    const typed = (async () => {
      for (const l of lines) {
        const before = out.length;
        const deadline = Date.now() + 5000;
        while (!/[>#:] ?$/.test(out.slice(before > 0 ? before - 40 : 0)) && Date.now() < deadline)
          await new Promise((r) => setTimeout(r, 50));
        child.stdin!.write(`${l}\n`);
        await new Promise((r) => setTimeout(r, 150));
      }
    })();
    await new Promise((resolve) => child.once('exit', resolve));
    await typed;
    expect(out).toContain('lab-bng001>');
    expect(out).toContain('lab-bng001#');
    expect(out).toContain('Current Version = disk0:');
    expect(out).toMatch(/Neighbor\s+V\s+AS/);
    expect(out).not.toContain(c10k.enableSecret!);
  });

  it('works against Junos and against a legacy-only device with legacy options', async () => {
    const junos = await run('sshpass', [...ssh(mx), 'show chassis routing-engine | match "Current state"'], {
      timeout: 15_000,
    });
    expect(
      junos.stdout
        .trim()
        .split('\n')
        .map((l) => l.trim()),
    ).toEqual(['Current state                  Master', 'Current state                  Backup']);
    const legacyOptions = [
      '-o',
      'KexAlgorithms=+diffie-hellman-group14-sha1',
      '-o',
      'HostKeyAlgorithms=+ssh-rsa',
      '-o',
      'PubkeyAcceptedAlgorithms=+ssh-rsa',
    ];
    const old = await run('sshpass', [...ssh(legacy, ...legacyOptions), 'show redundancy states'], { timeout: 15_000 });
    expect(old.stdout).toContain('my state = 13 -ACTIVE');
  });
});
