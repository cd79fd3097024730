import { describe, expect, it } from 'vitest';
import { CISCO_COMMANDS } from './cisco.ts';
import { JUNOS_COMMANDS } from './junos.ts';
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
        step: 'runversion',
        timeoutKind: 'settle',
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
