import { describe, expect, it } from 'vitest';
import type { CiscoObserved, CiscoRunState } from './cisco.ts';
import { decideCiscoFsu } from './cisco-fsu.ts';
import { decideCiscoIssu } from './cisco-issu.ts';
import type { OperatorFlags } from './procedure.ts';

const O = 'old.bin';
const T = 'new.bin';
const AUTO: OperatorFlags = { abortRequested: false, acceptRequested: false, acceptMode: 'AUTO' };
const MANUAL: OperatorFlags = { ...AUTO, acceptMode: 'MANUAL' };

function obs(o: Partial<CiscoObserved> & { a?: string | null; s?: string | null; st?: string }): CiscoObserved {
  return {
    issuState: o.issuState ?? 'Init',
    active: { slot: 'A', image: o.a === undefined ? O : o.a },
    standby: { slot: 'B', image: o.s === undefined ? O : o.s, state: o.st ?? 'STANDBY HOT' },
    rollback: o.rollback ?? { inProgress: false, remainingSeconds: null, configuredSeconds: 2700 },
    bootImages: o.bootImages ?? [O],
  };
}
/** No clock to speak of: checkpoints are 't', so no settle window is ever open. */
const NO_SETTLE = { now: 0, settleMs: 0 };
const run = (cp: CiscoRunState['checkpoints'] = { prechecksAt: 't' }): CiscoRunState => ({
  original: O,
  target: T,
  checkpoints: cp,
  timing: NO_SETTLE,
});
const timer = (remaining: number) => ({ inProgress: true, remainingSeconds: remaining, configuredSeconds: 2700 });

describe('Cisco ISSU decisions', () => {
  it('walks the whole procedure, one visible state at a time', () => {
    expect(decideCiscoIssu(obs({}), run(), AUTO)).toMatchObject({ kind: 'command', command: 'loadversion' });
    expect(
      decideCiscoIssu(
        obs({ issuState: 'Load Version', s: T, st: 'DISABLED' }),
        run({ prechecksAt: 't', loadversionAt: 't' }),
        AUTO,
      ),
    ).toMatchObject({ kind: 'wait', step: 'standby hot' });
    expect(
      decideCiscoIssu(obs({ issuState: 'Load Version', s: T }), run({ prechecksAt: 't', loadversionAt: 't' }), AUTO),
    ).toMatchObject({ kind: 'command', command: 'runversion' });
    const switched = obs({ issuState: 'Run Version', a: T, s: O, st: 'DISABLED', rollback: timer(2690) });
    expect(decideCiscoIssu(switched, run({ prechecksAt: 't', runversionAt: 't' }), AUTO)).toMatchObject({
      kind: 'postchecks',
    });
    expect(
      decideCiscoIssu(switched, run({ prechecksAt: 't', runversionAt: 't', postchecksAt: 't' }), AUTO),
    ).toMatchObject({ kind: 'command', command: 'acceptversion' });
    const accepted = obs({ issuState: 'Run Version', a: T, s: O, st: 'DISABLED' });
    const checked = { prechecksAt: 't', postchecksAt: 't', acceptedAt: 't' };
    expect(decideCiscoIssu(accepted, run(checked), AUTO)).toMatchObject({
      kind: 'wait',
      step: 'standby hot',
    });
    expect(
      decideCiscoIssu({ ...accepted, standby: { ...accepted.standby, state: 'STANDBY HOT' } }, run(checked), AUTO),
    ).toMatchObject({ kind: 'command', command: 'commitversion' });
    expect(
      decideCiscoIssu(obs({ a: T, s: T, st: 'DISABLED' }), run({ prechecksAt: 't', commitAt: 't' }), AUTO),
    ).toMatchObject({ kind: 'wait', step: 'standby hot on the new image' });
    // A booting standby does not say which image it runs yet.
    expect(
      decideCiscoIssu(obs({ a: T, s: null, st: 'DISABLED' }), run({ prechecksAt: 't', commitAt: 't' }), AUTO),
    ).toMatchObject({ kind: 'wait', step: 'standby hot on the new image' });
    expect(decideCiscoIssu(obs({ a: T, s: T }), run({ prechecksAt: 't', commitAt: 't' }), AUTO)).toMatchObject({
      kind: 'verify',
    });
  });

  it('never repeats a command whose effect is visible, whatever the checkpoints say', () => {
    // A worker that died after sending runversion but before recording it.
    const d = decideCiscoIssu(
      obs({ issuState: 'Run Version', a: T, rollback: timer(2000) }),
      run({ prechecksAt: 't', loadversionAt: 't' }),
      AUTO,
    );
    expect(d).not.toMatchObject({ command: 'runversion' });
    expect(
      decideCiscoIssu(obs({ issuState: 'Load Version', s: T }), run({ prechecksAt: 't' }), AUTO),
    ).not.toMatchObject({ command: 'loadversion' });
    expect(decideCiscoIssu(obs({ a: T, s: T }), run(), AUTO)).not.toMatchObject({ kind: 'command' });
  });

  it('never commits without post-checks and, in MANUAL mode, an accept, even when no rollback timer shows', () => {
    const noTimer = obs({ issuState: 'Run Version', a: T, s: O, st: 'STANDBY HOT' });
    expect(decideCiscoIssu(noTimer, run({ prechecksAt: 't', runversionAt: 't' }), AUTO)).toMatchObject({
      kind: 'postchecks',
    });
    expect(
      decideCiscoIssu(noTimer, run({ prechecksAt: 't', runversionAt: 't', postchecksAt: 't' }), MANUAL),
    ).toMatchObject({
      kind: 'wait',
      step: 'operator accept',
    });
    expect(
      decideCiscoIssu(noTimer, run({ prechecksAt: 't', runversionAt: 't', postchecksAt: 't' }), {
        ...MANUAL,
        acceptRequested: true,
      }),
    ).toMatchObject({ command: 'commitversion' });
  });

  it('waits for an operator in MANUAL mode, and accepts once asked', () => {
    const o = obs({ issuState: 'Run Version', a: T, rollback: timer(2000) });
    const cp = { prechecksAt: 't', postchecksAt: 't' };
    expect(decideCiscoIssu(o, run(cp), MANUAL)).toMatchObject({
      kind: 'wait',
      step: 'operator accept',
      timeoutKind: 'operator',
    });
    expect(decideCiscoIssu(o, run(cp), { ...MANUAL, acceptRequested: true })).toMatchObject({
      kind: 'command',
      command: 'acceptversion',
    });
  });

  it('aborts from every stage the way seed 003 describes', () => {
    const loaded = obs({ issuState: 'Load Version', s: T, st: 'STANDBY COLD' });
    expect(decideCiscoIssu(loaded, run(), { ...AUTO, abortRequested: true })).toMatchObject({
      kind: 'command',
      command: 'abortversion',
      reason: expect.stringContaining('reload the standby'),
    });
    const running = obs({ issuState: 'Run Version', a: T, rollback: timer(2000) });
    expect(
      decideCiscoIssu(running, run({ prechecksAt: 't', abortAt: 't', abortReason: 'post-checks failed' }), AUTO),
    ).toMatchObject({ command: 'abortversion-switch-back', reason: expect.stringContaining('switch back') });
    expect(
      decideCiscoIssu(
        { ...running, standby: { ...running.standby, state: 'DISABLED' } },
        run({ prechecksAt: 't', abortAt: 't' }),
        AUTO,
      ),
    ).toMatchObject({ kind: 'wait' });
    expect(decideCiscoIssu(obs({}), run(), { ...AUTO, abortRequested: true })).toEqual({
      kind: 'done',
      status: 'ABORTED',
      reason: 'aborted before any change to the device',
    });
    // Even with a standby that is not hot (nothing to wait for when nothing was changed).
    expect(decideCiscoIssu(obs({ st: 'DISABLED' }), run(), { ...AUTO, abortRequested: true })).toMatchObject({
      status: 'ABORTED',
    });
  });

  it('ends ABORTED, ROLLED_BACK or FAILED from what the device shows afterwards', () => {
    expect(
      decideCiscoIssu(
        obs({}),
        run({
          prechecksAt: 't',
          loadversionAt: 't',
          abortAt: 't',
          abortReason: 'standby never reached STANDBY HOT',
          abortversionAt: 't',
        }),
        AUTO,
      ),
    ).toMatchObject({ kind: 'done', status: 'ABORTED' });
    expect(
      decideCiscoIssu(
        obs({}),
        run({
          prechecksAt: 't',
          runversionAt: 't',
          abortAt: 't',
          abortReason: 'post-checks failed',
          switchBackAt: 't',
        }),
        AUTO,
      ),
    ).toMatchObject({ status: 'ROLLED_BACK', reason: 'rolled back: post-checks failed' });
    // Nobody aborted, yet the device is back on the original: its own rollback timer fired.
    expect(decideCiscoIssu(obs({}), run({ prechecksAt: 't', runversionAt: 't' }), AUTO)).toMatchObject({
      status: 'ROLLED_BACK',
      reason: expect.stringContaining('rollback timer expired'),
    });
    expect(
      decideCiscoIssu(obs({ s: O, st: 'DISABLED' }), run({ prechecksAt: 't', runversionAt: 't' }), AUTO),
    ).toMatchObject({ kind: 'wait' });
    expect(decideCiscoIssu(obs({}), run({ prechecksAt: 't', loadversionAt: 't' }), AUTO)).toMatchObject({
      kind: 'command',
      command: 'loadversion',
      reason: expect.stringContaining('sent but not answered'),
    });
    expect(
      decideCiscoIssu(obs({}), run({ prechecksAt: 't', loadversionAt: 't' }), { ...AUTO, abortRequested: true }),
    ).toMatchObject({ status: 'ABORTED' });
    expect(decideCiscoIssu(obs({ a: T, s: O }), run(), AUTO)).toMatchObject({
      status: 'FAILED',
      reason: expect.stringContaining('unexpected'),
    });
  });

  it('ends REFUSED, quoting the device, when it refused loadversion before anything changed', () => {
    const refusal = {
      checkpoint: 'loadversionAt' as const,
      command: 'issu loadversion …',
      output: '% The running image and new.bin are incompatible (Incomp)',
      at: 't',
    };
    expect(decideCiscoIssu(obs({}), run({ prechecksAt: 't', loadversionAt: 't', refusal }), AUTO)).toEqual({
      kind: 'done',
      status: 'REFUSED',
      reason: 'the device refused issu loadversion: % The running image and new.bin are incompatible (Incomp)',
    });
  });

  it('fails, saying what it expected and saw, when the device contradicts the run (reset after accept and commit)', () => {
    const accepted = { prechecksAt: 't', loadversionAt: 't', runversionAt: 't', postchecksAt: 't', acceptedAt: 't' };
    const d = decideCiscoIssu(
      obs({}),
      run({ ...accepted, commitAt: 't', confirmed: { acceptedAt: 't', commitAt: 't' } }),
      AUTO,
    );
    expect(d).toMatchObject({ kind: 'done', status: 'FAILED' });
    expect(d).toHaveProperty(
      'reason',
      expect.stringMatching(
        /contradicts this run: expected the other RP reloading on the new image after commitversion, but it shows ISSU Init with both RPs on old.bin/,
      ),
    );
    // Accept's answer lost, but commitversion went out: only an accepted run commits.
    expect(decideCiscoIssu(obs({}), run({ ...accepted, commitAt: 't' }), AUTO)).toMatchObject({
      status: 'FAILED',
      reason: expect.stringContaining('contradicts this run'),
    });
    // runversion refused, and then the device is in Init without an abort of this run: not "rolled back".
    expect(
      decideCiscoIssu(
        obs({}),
        run({
          prechecksAt: 't',
          loadversionAt: 't',
          runversionAt: 't1',
          refusal: { checkpoint: 'runversionAt', command: 'issu runversion', output: '% no', at: 't2' },
        }),
        AUTO,
      ),
    ).toMatchObject({ status: 'FAILED', reason: expect.stringContaining('runversion was refused') });
    // runversion never took (refused), the run aborted from Load Version: ABORTED, not "rolled back".
    const refusal = { checkpoint: 'runversionAt' as const, command: 'issu runversion', output: '% no', at: 't2' };
    expect(
      decideCiscoIssu(
        obs({}),
        run({ prechecksAt: 't', loadversionAt: 't', runversionAt: 't1', refusal, abortAt: 't', abortversionAt: 't' }),
        AUTO,
      ),
    ).toMatchObject({ status: 'ABORTED' });
    // Accept sent but never answered: the timer may well have fired first, as the device says.
    expect(decideCiscoIssu(obs({}), run(accepted), AUTO)).toMatchObject({ status: 'ROLLED_BACK' });
    // loadversion answered, then the device is found untouched: not "never reached it".
    expect(
      decideCiscoIssu(obs({}), run({ prechecksAt: 't', loadversionAt: 't', confirmed: { loadversionAt: 't' } }), AUTO),
    ).toMatchObject({ status: 'FAILED', reason: expect.stringContaining('contradicts this run') });
  });

  it('aborts by itself when the standby never comes up hot after loadversion, and says why', () => {
    expect(
      decideCiscoIssu(
        obs({ issuState: 'Load Version', s: T, st: 'STANDBY COLD' }),
        run({ prechecksAt: 't', loadversionAt: 't' }),
        AUTO,
      ),
    ).toMatchObject({ kind: 'wait', step: 'standby hot', onTimeout: 'abort' });
  });

  it('aborts instead of starting post-checks when too little of the rollback window is left', () => {
    const late = obs({
      issuState: 'Run Version',
      a: T,
      rollback: { inProgress: true, remainingSeconds: 300, configuredSeconds: 2700 },
    });
    expect(decideCiscoIssu(late, run(), AUTO)).toMatchObject({
      kind: 'command',
      command: 'abortversion-switch-back',
      abortReason: 'rollback window too short',
    });
  });
});

describe('Cisco FSU decisions', () => {
  const fsu = (cp: CiscoRunState['checkpoints'] = { prechecksAt: 't' }) => run(cp);
  it('sets the boot variable, reloads the peer, forces the switchover, post-checks, verifies', () => {
    expect(decideCiscoFsu(obs({}), fsu(), AUTO)).toMatchObject({ command: 'set-boot' });
    expect(decideCiscoFsu(obs({ bootImages: [T, O] }), fsu(), AUTO)).toMatchObject({ command: 'reload-peer' });
    expect(
      decideCiscoFsu(
        obs({ bootImages: [T], s: T, st: 'DISABLED' }),
        fsu({ prechecksAt: 't', peerReloadAt: 't' }),
        AUTO,
      ),
    ).toMatchObject({ kind: 'wait' });
    expect(
      decideCiscoFsu(
        obs({ bootImages: [T], s: T, st: 'STANDBY COLD' }),
        fsu({ prechecksAt: 't', peerReloadAt: 't' }),
        AUTO,
      ),
    ).toMatchObject({ command: 'force-switchover' });
    expect(
      decideCiscoFsu(obs({ a: T, s: T, st: 'DISABLED' }), fsu({ prechecksAt: 't', forceSwitchoverAt: 't' }), AUTO),
    ).toMatchObject({ kind: 'postchecks' });
    expect(
      decideCiscoFsu(
        obs({ a: T, s: T, st: 'DISABLED' }),
        fsu({ prechecksAt: 't', forceSwitchoverAt: 't', postchecksAt: 't' }),
        AUTO,
      ),
    ).toMatchObject({ kind: 'wait' });
    expect(
      decideCiscoFsu(obs({ a: T, s: T }), fsu({ prechecksAt: 't', forceSwitchoverAt: 't', postchecksAt: 't' }), AUTO),
    ).toMatchObject({ kind: 'verify' });
  });

  it('undoes the boot variable and the peer reload when aborted before the switchover', () => {
    const flags = { ...AUTO, abortRequested: true };
    expect(decideCiscoFsu(obs({ bootImages: [T], s: T }), fsu(), flags)).toMatchObject({ command: 'restore-boot' });
    expect(decideCiscoFsu(obs({ bootImages: [O], s: T }), fsu(), flags)).toMatchObject({ command: 'reload-peer-back' });
    expect(decideCiscoFsu(obs({ bootImages: [O] }), fsu(), flags)).toMatchObject({ status: 'ABORTED' });
  });

  it('stops FAILED, saying why, when post-checks fail after the disruptive switchover (no in-service way back)', () => {
    const failedAfter = fsu({
      prechecksAt: 't',
      forceSwitchoverAt: 't',
      abortAt: 't',
      abortReason: 'post-checks failed',
    });
    expect(decideCiscoFsu(obs({ a: T, s: T, st: 'DISABLED' }), failedAfter, AUTO)).toMatchObject({
      kind: 'done',
      status: 'FAILED',
      reason: expect.stringMatching(/^post-checks failed after the disruptive switchover/),
    });
  });
});
