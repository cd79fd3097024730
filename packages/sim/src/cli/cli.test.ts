// The two CLIs through a terminal, as an SSH client would drive them.
import { describe, expect, it } from 'vitest';
import { imagesOf } from '../catalog.ts';
import { ManualClock } from '../clock.ts';
import { SimDevice } from '../device.ts';
import { generateFleet } from '../fleet.ts';
import { BufferTerminal, settle } from '../testing/terminal.ts';

function open(index: number, interactive = true) {
  const clock = new ManualClock();
  const drops: string[] = [];
  const spec = generateFleet({ devices: 4 })[index]!;
  const device = new SimDevice(spec, {
    clock,
    timeScale: 1,
    listener: { syslog: () => undefined, drop: (_d, r) => drops.push(r), reachability: () => undefined },
  });
  const term = new BufferTerminal();
  const session = device.openSession(term, { interactive });
  const type = async (text: string) => {
    session.input(text);
    await settle();
  };
  const line = (l: string) => type(`${l}\r`);
  return { clock, device, term, session, type, line, drops };
}

describe('Cisco CLI', () => {
  it('starts in user EXEC, asks the enable secret without echoing it, and refuses privileged commands before', async () => {
    const s = open(0);
    await settle();
    expect(s.term.take()).toBe('\nlab-bng001>');
    await s.line('show issu state');
    expect(s.term.take()).toContain("% Invalid input detected at '^' marker.");
    await s.line('enable');
    expect(s.term.take()).toBe('enable\nPassword: ');
    await s.type('wrong\r');
    expect(s.term.take()).toBe('\nPassword: ');
    await s.type('lab-enable-pw\r');
    expect(s.term.take()).toBe('\nlab-bng001#');
    await s.line('conf t');
    expect(s.term.take()).toContain('lab-bng001(config)#');
    await s.line('end');
    expect(s.term.take()).toMatch(/lab-bng001#$/);
  });

  it('accepts the seed’s spelled-out `directory disk0:` like `dir`', async () => {
    const s = open(0);
    await s.line('enable');
    await s.line('lab-enable-pw');
    await s.line('terminal length 0');
    s.term.take();
    await s.line('directory stby-disk0:');
    expect(s.term.take()).toContain('Directory of stby-disk0:/');
  });

  it('places the ^ marker under the bad word', async () => {
    const s = open(0);
    await s.line('show verzion');
    const out = s.term.take().split('\n');
    const caret = out.find((l) => l.trim() === '^')!;
    expect(caret.indexOf('^')).toBe('lab-bng001>show '.length);
  });

  it('pages long output with --More-- until `terminal length 0`', async () => {
    const s = open(0);
    await s.line('enable');
    await s.line('lab-enable-pw');
    s.term.take();
    await s.line('show running-config');
    const firstPage = s.term.take();
    expect(firstPage).toMatch(/ --More-- $/);
    // The echoed command, 23 lines of output, then the marker: one 24-line screen.
    expect(firstPage.split('\n').length).toBe(25);
    await s.type('q');
    expect(s.term.take()).toMatch(/lab-bng001#$/);
    await s.line('terminal length 0');
    await s.line('show running-config');
    const out = s.term.take();
    expect(out).not.toContain('--More--');
    expect(out).toContain('bgp graceful-restart');
  });

  it('filters output with | include, | begin and | count', async () => {
    const s = open(0);
    await s.line('enable');
    await s.line('lab-enable-pw');
    await s.line('terminal length 0');
    s.term.take();
    await s.line('show running-config | include ^router|nsf');
    expect(s.term.take().split('\n').slice(1, -1)).toEqual(['router ospf 1', ' nsf', 'router bgp 65000']);
    await s.line('show redundancy | count =');
    expect(s.term.take()).toMatch(/Number of lines which match regexp = \d+/);
    await s.line('show version | bogus x');
    expect(s.term.take()).toContain('% Invalid input');
  });

  it('handles backspace, Ctrl-U and Ctrl-C like a terminal, and counts each command once', async () => {
    const s = open(0);
    await s.type('shox\x7fw ver');
    await s.type('\r');
    expect(s.term.take()).toContain('Cisco IOS Software');
    await s.type('garbage\x15show clock\r');
    expect(s.term.take()).toMatch(/UTC/);
    await s.type('show ver\x03');
    expect(s.term.take()).toBe('show ver^C\nlab-bng001>');
    expect(Object.fromEntries(s.device.commandCounts)).toEqual({ 'show ver': 1, 'show clock': 1 });
  });

  it('runs a command as an exec request (privileged, no prompt, no paging) and ends the channel', async () => {
    const s = open(0, false);
    const t = new BufferTerminal();
    s.device.openSession(t, { interactive: false, exec: 'show issu state' });
    await settle();
    expect(t.output).toMatch(/^ {16}Slot = A/);
    expect(t.output).not.toContain('>');
    expect(t.ended).toBe(0);
  });

  it('asks [confirm] before runversion and drops the session at the switchover', async () => {
    const s = open(0);
    const img = imagesOf('c10k')[1]!.fileName;
    await s.line('enable');
    await s.line('lab-enable-pw');
    await s.line(`issu loadversion a disk0:${img} b stby-disk0:${img}`);
    expect(s.term.take()).toContain('issu loadversion executed successfully');
    s.clock.advance(7 * 60_000);
    await s.line(`issu runversion b stby-disk0:${img}`);
    expect(s.term.take()).toMatch(/Proceed \? \[confirm\]$/);
    await s.line('');
    expect(s.term.take()).toContain('issu runversion executed successfully');
    s.clock.advance(100);
    await settle();
    expect(s.session.isClosed).toBe(true);
    expect(s.drops).toEqual(['switchover']);
    expect(s.term.ended).toBe(255);
  });
});

describe('Junos CLI', () => {
  it('greets with the release, uses user@host> prompts and configuration mode with [edit]', async () => {
    const s = open(2);
    await settle();
    expect(s.term.take()).toBe('--- JUNOS 10.1R1.8 built 2010-02-16 19:28:13 UTC\nadmin@lab-mx001> ');
    await s.line('configure');
    expect(s.term.take()).toBe('configure\nEntering configuration mode\n\n[edit]\nadmin@lab-mx001# ');
    await s.line('set system commit synchronize');
    await s.line('exit');
    expect(s.term.take()).toContain('Exiting configuration mode');
  });

  it('shows configuration as set statements with | display set', async () => {
    const s = open(2);
    await s.line('show configuration routing-options | display set');
    expect(s.term.take()).toContain('set routing-options nonstop-routing\n');
    await s.line('show configuration system commit | display set');
    expect(s.term.take()).toContain('set system commit synchronize\n');
  });

  it('asks [yes,no] before rebooting and before switching mastership', async () => {
    const s = open(2);
    await s.line('request system reboot other-routing-engine');
    expect(s.term.take()).toMatch(/Reboot the other routing engine \? \[yes,no\] \(no\) $/);
    await s.line('no');
    expect(s.device.status()).toMatchObject({ routingEngines: [{ state: 'Master' }, { state: 'Backup' }] });
    await s.line('request chassis routing-engine master switch');
    expect(s.term.take()).toMatch(/Toggle mastership between routing engines \? \[yes,no\] \(no\) $/);
    await s.line('yes');
    expect(s.term.take()).toContain('Complete. The other routing engine becomes the master.');
    expect(s.session.isClosed).toBe(true);
    expect(s.device.status()).toMatchObject({ routingEngines: [{ state: 'Backup' }, { state: 'Master' }] });
  });

  it('pages with ---(more)--- and honours | no-more', async () => {
    const s = open(2);
    s.term.take();
    await s.line('show chassis routing-engine');
    expect(s.term.take()).toMatch(/---\(more\)---$/);
    await s.type('q');
    await s.line('show chassis routing-engine | no-more');
    expect(s.term.take()).not.toContain('---(more)---');
  });

  it('reports syntax errors with a caret', async () => {
    const s = open(2);
    s.term.take();
    await s.line('show chassis nonsense');
    expect(s.term.take()).toContain('syntax error, expecting <command>.');
  });
});
