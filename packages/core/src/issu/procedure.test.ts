import { describe, expect, it } from 'vitest';
import { CISCO_COMMANDS } from './cisco.ts';
import { JUNOS_COMMANDS } from './junos.ts';
import { decideCiscoIssu } from './cisco-issu.ts';
import { decideJunosIssu } from './junos-issu.ts';
import { command, guardCommand } from './procedure.ts';

const SENT = '2026-12-01T10:00:00.000Z';
const at = (seconds: number) => ({ now: Date.parse(SENT) + seconds * 1000, settleMs: 120_000 });
const runversion = command('runversion', 'runversion', 'switch over');

describe('a command decided again while its effect is not visible', () => {
  it('goes out the first time unchanged', () => {
    expect(guardCommand(runversion, CISCO_COMMANDS.runversion, {}, at(0))).toBe(runversion);
  });

  it('waits for the device within the settle window, answered or not', () => {
    for (const cp of [{ runversionAt: SENT }, { runversionAt: SENT, confirmed: { runversionAt: SENT } }]) {
      expect(guardCommand(runversion, CISCO_COMMANDS.runversion, cp, at(30))).toMatchObject({
        kind: 'wait',
        timeoutKind: 'settle',
        step: 'settle',
        reason: 'runversion was sent 30 s ago; waiting for the device to show its effect',
      });
    }
  });

  it('fails once the window passed if the device answered it yet shows no effect', () => {
    const cp = { runversionAt: SENT, confirmed: { runversionAt: SENT } };
    expect(guardCommand(runversion, CISCO_COMMANDS.runversion, cp, at(121))).toMatchObject({
      kind: 'done',
      status: 'FAILED',
      reason: expect.stringMatching(
        /^runversion was answered, but 121 s later the device still does not show its effect/,
      ),
    });
  });

  it('goes again after the window when it was never answered, at most three times in all', () => {
    expect(guardCommand(runversion, CISCO_COMMANDS.runversion, { runversionAt: SENT }, at(121))).toBe(runversion);
    const third = { runversionAt: SENT, sends: { runversionAt: 3 } };
    expect(guardCommand(runversion, CISCO_COMMANDS.runversion, third, at(121))).toMatchObject({
      status: 'FAILED',
      reason: 'runversion was sent 3 times without the device showing its effect',
    });
  });

  it('never goes again when a second send could undo the first (a software rollback)', () => {
    const d = command('clear-pending', 'recovery: clear pending package', 'drop it');
    expect(guardCommand(d, JUNOS_COMMANDS['clear-pending'], { recoveryPendingClearedAt: SENT }, at(500))).toMatchObject(
      {
        status: 'FAILED',
        reason: expect.stringContaining('check the device by hand'),
      },
    );
  });

  it('may go again at once after the device refused it, within the same bound', () => {
    const refusal = {
      checkpoint: 'runversionAt' as const,
      command: 'issu runversion',
      output: '% Standby RP is not in STANDBY HOT state',
      at: SENT,
    };
    expect(guardCommand(runversion, CISCO_COMMANDS.runversion, { runversionAt: SENT, refusal }, at(1))).toBe(
      runversion,
    );
    expect(
      guardCommand(
        runversion,
        CISCO_COMMANDS.runversion,
        { runversionAt: SENT, refusal, sends: { runversionAt: 3 } },
        at(1),
      ),
    ).toMatchObject({
      status: 'FAILED',
      reason: expect.stringContaining('the device said: % Standby RP is not in STANDBY HOT state'),
    });
  });
});

describe('a procedure and the rule together', () => {
  const O = '10.1R1.8';
  const T = '10.3R2.11';
  const decided = (seconds: number) => {
    const cp = { prechecksAt: SENT, issuStartedAt: SENT };
    const state = {
      original: O,
      target: T,
      originalMaster: 0,
      rebootOldMaster: true,
      restoreMastership: true,
      checkpoints: cp,
      timing: at(seconds),
    };
    const obs = {
      master: { slot: 0, version: O },
      backup: { slot: 1, version: O, state: 'Backup' },
      issuInProgress: false,
    };
    const d = decideJunosIssu(obs, state, { abortRequested: false, acceptRequested: false, acceptMode: 'AUTO' });
    return d.kind === 'command' ? guardCommand(d, JUNOS_COMMANDS[d.command], cp, at(seconds)) : d;
  };

  it('a Junos upgrade sent but never seen running waits the settle window, then goes again', () => {
    expect(decided(30)).toMatchObject({ kind: 'wait', step: 'settle', timeoutKind: 'settle' });
    expect(decided(121)).toMatchObject({ kind: 'command', command: 'in-service-upgrade' });
  });

  it('a Cisco loadversion sent but never answered, the device untouched, waits, then goes again', () => {
    const cp = { prechecksAt: SENT, loadversionAt: SENT };
    const obs = {
      issuState: 'Init' as const,
      active: { slot: 'A', image: 'old.bin' },
      standby: { slot: 'B', image: 'old.bin', state: 'STANDBY HOT' },
      rollback: { inProgress: false, remainingSeconds: null, configuredSeconds: 2700 },
      bootImages: ['old.bin'],
    };
    const flags = { abortRequested: false, acceptRequested: false, acceptMode: 'AUTO' as const };
    const decide = (seconds: number, f = flags) => {
      const d = decideCiscoIssu(
        obs,
        { original: 'old.bin', target: 'new.bin', checkpoints: cp, timing: at(seconds) },
        f,
      );
      return d.kind === 'command' ? guardCommand(d, CISCO_COMMANDS[d.command], cp, at(seconds)) : d;
    };
    expect(decide(30)).toMatchObject({ kind: 'wait', step: 'settle' });
    // An abort within the window waits too: the command may still take effect.
    expect(decide(30, { ...flags, abortRequested: true })).toMatchObject({ kind: 'wait', step: 'settle' });
    expect(decide(121)).toMatchObject({ kind: 'command', command: 'loadversion' });
    expect(decide(121, { ...flags, abortRequested: true })).toMatchObject({ status: 'ABORTED' });
  });
});
