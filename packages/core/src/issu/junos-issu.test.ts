import { describe, expect, it } from 'vitest';
import type { JunosObserved, JunosRunState } from './junos.ts';
import { decideJunosIssu } from './junos-issu.ts';
import type { OperatorFlags } from './procedure.ts';

const O = '10.1R1.8';
const T = '10.3R2.11';
const AUTO: OperatorFlags = { abortRequested: false, acceptRequested: false, acceptMode: 'AUTO' };

const obs = (
  master: [number, string],
  backup: [number, string | null, string] | null,
  issuInProgress = false,
): JunosObserved => ({
  master: { slot: master[0], version: master[1] },
  backup: backup && { slot: backup[0], version: backup[1], state: backup[2] },
  issuInProgress,
});
const run = (
  cp: JunosRunState['checkpoints'] = { prechecksAt: 't' },
  o: Partial<JunosRunState> = {},
): JunosRunState => ({
  original: O,
  target: T,
  originalMaster: 0,
  rebootOldMaster: true,
  restoreMastership: true,
  checkpoints: cp,
  timing: { now: 0, settleMs: 0 },
  ...o,
});

describe('Junos ISSU decisions', () => {
  it('upgrades, post-checks, reboots the old master, restores mastership, verifies', () => {
    expect(decideJunosIssu(obs([0, O], [1, O, 'Backup']), run(), AUTO)).toMatchObject({
      command: 'in-service-upgrade',
    });
    expect(
      decideJunosIssu(obs([0, O], [1, O, 'Backup'], true), run({ prechecksAt: 't', issuStartedAt: 't' }), AUTO),
    ).toMatchObject({ kind: 'wait', timeoutKind: 'issu' });
    const switched = obs([1, T], [0, O, 'Backup']);
    expect(decideJunosIssu(switched, run({ prechecksAt: 't', issuStartedAt: 't' }), AUTO)).toMatchObject({
      kind: 'postchecks',
    });
    expect(
      decideJunosIssu(switched, run({ prechecksAt: 't', issuStartedAt: 't', postchecksAt: 't' }), AUTO),
    ).toMatchObject({ command: 'reboot-old-master' });
    expect(
      decideJunosIssu(obs([1, T], [0, O, 'Present']), run({ prechecksAt: 't', rebootOldMasterAt: 't' }), AUTO),
    ).toMatchObject({ kind: 'wait', step: 'backup RE up' });
    expect(
      decideJunosIssu(obs([1, T], [0, T, 'Backup']), run({ prechecksAt: 't', rebootOldMasterAt: 't' }), AUTO),
    ).toMatchObject({ command: 'restore-mastership', step: 'restore mastership' });
    expect(
      decideJunosIssu(obs([0, T], [1, T, 'Backup']), run({ prechecksAt: 't', mastershipRestoredAt: 't' }), AUTO),
    ).toMatchObject({ kind: 'verify' });
  });

  it('leaves the old master on the old release when told not to reboot it, and mastership where it is', () => {
    const cp = { prechecksAt: 't', issuStartedAt: 't', postchecksAt: 't' };
    expect(decideJunosIssu(obs([1, T], [0, O, 'Backup']), run(cp, { rebootOldMaster: false }), AUTO)).toMatchObject({
      kind: 'verify',
      reason: expect.stringContaining('stays on'),
    });
    expect(decideJunosIssu(obs([1, T], [0, T, 'Backup']), run(cp, { restoreMastership: false }), AUTO)).toMatchObject({
      kind: 'verify',
    });
  });

  it('recovers after failed post-checks: switch back, roll the upgraded RE back, reboot it, clear the pending package', () => {
    const failed = {
      prechecksAt: 't',
      issuStartedAt: 't',
      issuOutcome: 'switched-over',
      abortAt: 't',
      abortReason: 'post-checks failed',
    } as const;
    expect(decideJunosIssu(obs([1, T], [0, O, 'Backup']), run(failed), AUTO)).toMatchObject({
      command: 'switch-back',
    });
    expect(
      decideJunosIssu(obs([0, O], [1, T, 'Backup']), run({ ...failed, recoverySwitchAt: 't' }), AUTO),
    ).toMatchObject({ command: 'roll-back-other' });
    expect(
      decideJunosIssu(
        obs([0, O], [1, T, 'Backup']),
        run({ ...failed, recoverySwitchAt: 't', recoveryRollbackAt: 't', confirmed: { recoveryRollbackAt: 't' } }),
        AUTO,
      ),
    ).toMatchObject({ command: 'reboot-rolled-back' });
    // Reboot sent and answered: wait for it, never send it again.
    expect(
      decideJunosIssu(
        obs([0, O], [1, T, 'Backup']),
        run({
          ...failed,
          recoverySwitchAt: 't',
          recoveryRollbackAt: 't',
          recoveryRebootAt: 't',
          confirmed: { recoveryRollbackAt: 't', recoveryRebootAt: 't' },
        }),
        AUTO,
      ),
    ).toMatchObject({ kind: 'wait', step: 'backup RE up' });
    expect(
      decideJunosIssu(
        obs([0, O], [1, O, 'Backup']),
        run({ ...failed, recoverySwitchAt: 't', recoveryRebootAt: 't' }),
        AUTO,
      ),
    ).toMatchObject({ command: 'clear-pending' });
    expect(
      decideJunosIssu(
        obs([0, O], [1, O, 'Backup']),
        run({
          ...failed,
          recoverySwitchAt: 't',
          recoveryRebootAt: 't',
          recoveryPendingClearedAt: 't',
          confirmed: { recoveryPendingClearedAt: 't' },
        }),
        AUTO,
      ),
    ).toMatchObject({ status: 'ROLLED_BACK' });
    // The device refused to drop the pending package: the next reboot would install the new release.
    expect(
      decideJunosIssu(
        obs([0, O], [1, O, 'Backup']),
        run({
          ...failed,
          recoverySwitchAt: 't',
          recoveryPendingClearedAt: 't1',
          refusal: {
            checkpoint: 'recoveryPendingClearedAt',
            command: 'request system software rollback',
            output: 'error: busy',
            at: 't2',
          },
        }),
        AUTO,
      ),
    ).toMatchObject({
      status: 'FAILED',
      reason: expect.stringContaining('refused to drop the package pending on re0 (error: busy)'),
    });
    // The device refused to roll the upgraded RE back: say so instead of rebooting it onto the same release.
    expect(
      decideJunosIssu(
        obs([0, O], [1, T, 'Backup']),
        run({
          ...failed,
          recoverySwitchAt: 't',
          recoveryRollbackAt: 't1',
          refusal: {
            checkpoint: 'recoveryRollbackAt',
            command: 'request system software rollback other-routing-engine',
            output: 'error: no',
            at: 't2',
          },
        }),
        AUTO,
      ),
    ).toMatchObject({ status: 'FAILED', reason: expect.stringContaining('refused to roll re1 back') });
  });

  it('waits for an operator after post-checks in MANUAL mode, before the old master leaves the old release', () => {
    const MANUAL: OperatorFlags = { ...AUTO, acceptMode: 'MANUAL' };
    const cp = { prechecksAt: 't', issuStartedAt: 't', issuOutcome: 'switched-over', postchecksAt: 't' } as const;
    const switched = obs([1, T], [0, O, 'Backup']);
    expect(decideJunosIssu(switched, run(cp), MANUAL)).toMatchObject({
      kind: 'wait',
      step: 'operator accept',
      timeoutKind: 'operator',
    });
    expect(decideJunosIssu(switched, run(cp, { rebootOldMaster: false }), MANUAL)).toMatchObject({
      step: 'operator accept',
    });
    expect(decideJunosIssu(switched, run(cp), { ...MANUAL, acceptRequested: true })).toMatchObject({
      command: 'reboot-old-master',
    });
    expect(
      decideJunosIssu(switched, run(cp, { rebootOldMaster: false }), { ...MANUAL, acceptRequested: true }),
    ).toMatchObject({
      kind: 'verify',
    });
    // Abort while waiting: the recovery, which ends with both REs on the old release.
    expect(decideJunosIssu(switched, run({ ...cp, abortAt: 't', abortReason: 'operator' }), MANUAL)).toMatchObject({
      command: 'switch-back',
    });
  });

  it('fails, saying what it expected and saw, when the device is back on the old release after a switchover it did not undo', () => {
    const d = decideJunosIssu(
      obs([0, O], [1, O, 'Backup']),
      run({ prechecksAt: 't', issuStartedAt: 't', issuOutcome: 'switched-over', postchecksAt: 't' }),
      AUTO,
    );
    expect(d).toMatchObject({
      kind: 'done',
      status: 'FAILED',
      reason: expect.stringContaining('contradicts this run'),
    });
    expect(
      decideJunosIssu(
        obs([0, O], [1, T, 'Backup']),
        run({ prechecksAt: 't', issuStartedAt: 't', postchecksAt: 't' }),
        AUTO,
      ),
    ).toMatchObject({ status: 'FAILED', reason: expect.stringContaining('switched outside this run') });
  });

  it('reports an upgrade the device refused or stopped by itself, and an abort before anything happened', () => {
    const started = { prechecksAt: 't', issuStartedAt: 't' };
    expect(
      decideJunosIssu(
        obs([0, O], [1, O, 'Backup']),
        run({ ...started, issuOutcome: 'aborted', issuError: 'error: incompatible' }),
        AUTO,
      ),
    ).toEqual({
      kind: 'done',
      status: 'REFUSED',
      reason: 'the device refused the in-service upgrade: error: incompatible',
    });
    expect(
      decideJunosIssu(
        obs([0, O], [1, O, 'Backup']),
        run({ ...started, issuOutcome: 'aborted', issuBackupTouched: true, issuError: 'ERROR: ISSU Aborted!' }),
        AUTO,
      ),
    ).toMatchObject({ status: 'ABORTED', reason: expect.stringContaining('ISSU Aborted') });
    // The backup still reboots onto its old release after the device's abort: wait for it first.
    expect(
      decideJunosIssu(
        obs([0, O], [1, null, 'Present']),
        run({ ...started, issuOutcome: 'aborted', issuBackupTouched: true }),
        AUTO,
      ),
    ).toMatchObject({ kind: 'wait' });
    // Nobody watched the stream end (the worker died meanwhile): both REs on the old release say it stopped.
    expect(
      decideJunosIssu(obs([0, O], [1, O, 'Backup']), run({ ...started, issuSeenRunningAt: 't' }), AUTO),
    ).toMatchObject({ status: 'ABORTED' });
    // Never seen running (the worker died as it sent it): it most likely never arrived; the
    // guard in core waits the settle window before it goes again. An abort ends it instead.
    expect(decideJunosIssu(obs([0, O], [1, O, 'Backup']), run(started), AUTO)).toMatchObject({
      command: 'in-service-upgrade',
    });
    expect(
      decideJunosIssu(obs([0, O], [1, O, 'Backup']), run(started), { ...AUTO, abortRequested: true }),
    ).toMatchObject({
      status: 'ABORTED',
    });
    expect(decideJunosIssu(obs([0, O], [1, O, 'Backup']), run(), { ...AUTO, abortRequested: true })).toMatchObject({
      status: 'ABORTED',
    });
    expect(decideJunosIssu(obs([0, O], [1, null, 'Present']), run(), AUTO)).toMatchObject({ kind: 'wait' });
  });

  it('never starts the upgrade twice: a crash after it started finds it running or done', () => {
    expect(decideJunosIssu(obs([0, O], [1, O, 'Backup'], true), run({ prechecksAt: 't' }), AUTO)).toMatchObject({
      kind: 'wait',
    });
    expect(decideJunosIssu(obs([0, O], [1, T, 'Backup']), run({ prechecksAt: 't' }), AUTO)).toMatchObject({
      kind: 'wait',
    });
    expect(decideJunosIssu(obs([1, T], [0, O, 'Backup']), run({ prechecksAt: 't' }), AUTO)).toMatchObject({
      kind: 'postchecks',
    });
  });
});
