// The SSH transport and the drivers against the lab, over real SSH.
import { execFile } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';
import type { Lab, LabDeviceInfo } from '@hitless/lab';
import { labOf } from '@hitless/lab/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CiscoDriver } from '../src/cisco/driver.ts';
import { DeviceError, TransportError } from '../src/errors.ts';
import { JunosDriver } from '../src/junos/driver.ts';
import { CliSession, type SshTarget } from '../src/transport/session.ts';
import { Transcript } from '../src/transport/transcript.ts';
import { eventually } from '@hitless/testkit/poll';

const run = promisify(execFile);
let lab: Lab;
let c10k: LabDeviceInfo;
let asr: LabDeviceInfo;
let mx: LabDeviceInfo;
let legacy: LabDeviceInfo;

const target = (d: LabDeviceInfo): SshTarget => ({
  host: d.address,
  port: d.port,
  username: d.username,
  password: d.password,
  enableSecret: d.enableSecret,
  hostKeys: { pinned: [], strict: false },
  legacySsh: d.sshProfile === 'legacy',
});

beforeAll(async () => {
  lab = await labOf(['c10k', 'asr1000', 'mx', 'cat4500'], { legacySsh: ['lab-agg001'] });
  [c10k, asr, mx, legacy] = lab.info() as [LabDeviceInfo, LabDeviceInfo, LabDeviceInfo, LabDeviceInfo];
});
afterAll(async () => lab.stop());

describe('SSH transport', () => {
  it('logs in, enters enable, turns paging off, and reads long output whole', async () => {
    const transcript = new Transcript();
    const session = await CliSession.open(target(c10k), { vendor: 'cisco', transcript });
    expect(session.hostname).toBe('lab-bng001');
    const config = await session.run('show running-config');
    expect(config).toMatch(/^Building configuration\.\.\./);
    expect(config).toMatch(/\nend$/);
    expect(config).not.toContain('--More--');
    const text = transcript.terminal();
    expect(text).toContain('lab-bng001#terminal length 0');
    // The enable secret was typed but is nowhere in the transcript.
    expect(JSON.stringify(transcript.entries)).not.toContain(c10k.enableSecret!);
    expect(transcript.entries.some((e) => e.direction === 'sent' && e.text.startsWith('********'))).toBe(true);
    session.close();
  });

  it('negotiates legacy algorithms with an old device marked as needing them, and refuses it unmarked', async () => {
    const old = await CliSession.open(target(legacy), { vendor: 'cisco' });
    expect(await old.run('show version')).toMatch(/Catalyst 4500/);
    old.close();
    await expect(CliSession.open({ ...target(legacy), legacySsh: false }, { vendor: 'cisco' })).rejects.toMatchObject({
      kind: 'algorithms',
      message: expect.stringMatching(/mark the device as needing legacy SSH/),
    });
  });

  it('fails clearly on a wrong password, an unreachable address and a command that never ends', async () => {
    await expect(CliSession.open({ ...target(c10k), password: 'wrong' }, { vendor: 'cisco' })).rejects.toMatchObject({
      kind: 'auth',
    });
    await expect(
      CliSession.open({ ...target(c10k), port: 1 }, { vendor: 'cisco', connectTimeoutMs: 2000 }),
    ).rejects.toMatchObject({ kind: 'connect' });
    await expect(CliSession.open({ ...target(c10k), enableSecret: 'nope' }, { vendor: 'cisco' })).rejects.toThrow(
      /enable refused/,
    );
    const session = await CliSession.open(target(c10k), { vendor: 'cisco' });
    // The [confirm] question is never answered: the command cannot finish.
    await expect(session.run('reload', { timeoutMs: 800 })).rejects.toMatchObject({ kind: 'timeout' });
    session.close();
  });

  it('answers [confirm], reports the switchover drop, and reconnects to the new active', async () => {
    const drv = new CiscoDriver(await CliSession.open(target(c10k), { vendor: 'cisco' }));
    const img = 'c10k3-p11-mz.122-33.SB9.bin';
    await drv.loadVersion('a', `disk0:${img}`, 'b', `stby-disk0:${img}`);
    await expect(drv.loadVersion('a', `disk0:${img}`, 'b', `stby-disk0:${img}`)).rejects.toBeInstanceOf(DeviceError);
    await eventually(async () => (await drv.redundancyStates()).peer.name === 'STANDBY HOT', { what: 'standby hot' });
    const result = await drv.runVersion('b', `stby-disk0:${img}`);
    expect(result.disconnected).toBe(true);
    expect(drv.session.isClosed).toBe(true);
    const attempts: number[] = [];
    const again = await CliSession.openWithRetry(
      target(c10k),
      { vendor: 'cisco' },
      { deadline: Date.now() + 10_000, intervalMs: 100, onAttempt: (n) => attempts.push(n) },
    );
    const state = await new CiscoDriver(again).issuState();
    expect(state.format === 'classic' && state.slots[0]).toMatchObject({
      slot: 'B',
      rpState: 'Active',
      issuState: 'Run Version',
    });
    again.close();
  });

  it('drives Junos: pipes, yes/no questions, and the upgrade stream until the switchover', async () => {
    const drv = new JunosDriver(await CliSession.open(target(mx), { vendor: 'junos' }));
    expect(await drv.configuration('system commit')).toEqual(['set system commit synchronize']);
    expect((await drv.routingEngines()).map((r) => r.state)).toEqual(['Master', 'Backup']);
    const lines: string[] = [];
    const res = await drv.inServiceUpgrade('/var/tmp/jinstall-10.3R2.11-domestic-signed.tgz', {
      reboot: false,
      timeoutMs: 60_000,
      onLine: (l) => lines.push(l),
    });
    expect(res.outcome).toBe('switched-over');
    expect(res.lastPhase).toBe('switchover');
    expect(lines).toContain('GRES operational');
    const after = new JunosDriver(
      await CliSession.openWithRetry(
        target(mx),
        { vendor: 'junos' },
        { deadline: Date.now() + 10_000, intervalMs: 100 },
      ),
    );
    expect((await after.versions()).map((v) => v.version)).toEqual(['10.1R1.8', '10.3R2.11']);
    after.close();
  });

  it('reads IOS-XE output through the driver', async () => {
    const drv = new CiscoDriver(await CliSession.open(target(asr), { vendor: 'cisco' }));
    expect(await drv.version()).toMatchObject({ version: '03.16.05.S', xe: true });
    expect(await drv.issuState()).toMatchObject({ format: 'iosxe', inProgress: false });
    drv.close();
  });

  it('is a TransportError when the session is used after it closed', async () => {
    const session = await CliSession.open(target(asr), { vendor: 'cisco' });
    session.close();
    await expect(session.run('show version')).rejects.toBeInstanceOf(TransportError);
  });
});

describe('npm run parse', () => {
  const cli = path.resolve(import.meta.dirname, '../src/parse-cli.ts');
  const parse = (args: string[], input: string) =>
    new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve) => {
      const child = execFile(process.execPath, ['--import', 'tsx', cli, ...args], (err, stdout, stderr) =>
        resolve({ code: err ? ((err as { code?: number }).code ?? 1) : 0, stdout, stderr }),
      );
      child.stdin!.end(input);
    });

  it('prints the typed result of captured output as JSON', async () => {
    const res = await parse(
      ['--vendor', 'cisco', '--command', 'show issu rollback-timer'],
      'Rollback Process State = In progress\nConfigured Rollback Time = 45:00\nAutomatic Rollback Time = 29:03\n',
    );
    expect(res.code).toBe(0);
    expect(JSON.parse(res.stdout)).toEqual({ inProgress: true, configuredSeconds: 2700, remainingSeconds: 1743 });
  });

  it('prints the parse error with the text, or the list of commands it knows', async () => {
    const bad = await parse(['--vendor', 'junos', '--command', 'show chassis routing-engine'], 'hello');
    expect(bad.code).toBe(1);
    expect(bad.stderr).toContain('cannot parse the output of "show chassis routing-engine"');
    const unknown = await parse(['--vendor', 'cisco', '--command', 'show cdp neighbors'], '');
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain('show issu state [detail]');
  });

  it('is wired as the root npm script', async () => {
    const { stdout } = await run('npm', ['run', '--silent', 'parse', '--', '--help'], {
      cwd: path.resolve(import.meta.dirname, '../../..'),
    });
    expect(stdout).toContain('usage: npm run parse');
  });
});
