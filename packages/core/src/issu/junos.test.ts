import { describe, expect, it } from 'vitest';
import { decideJunosIssu, type JunosObserved, type JunosRunState } from './junos.ts';
import type { OperatorFlags } from './procedures.ts';

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
    ).toMatchObject({ command: 'reboot-other' });
    expect(
      decideJunosIssu(obs([1, T], [0, O, 'Present']), run({ prechecksAt: 't', rebootOldMasterAt: 't' }), AUTO),
    ).toMatchObject({ kind: 'wait', step: 'backup RE up' });
    expect(
      decideJunosIssu(obs([1, T], [0, T, 'Backup']), run({ prechecksAt: 't', rebootOldMasterAt: 't' }), AUTO),
    ).toMatchObject({ command: 'master-switch', step: 'restore mastership' });
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
    const failed = { prechecksAt: 't', issuStartedAt: 't', abortAt: 't', abortReason: 'post-checks failed' };
    expect(decideJunosIssu(obs([1, T], [0, O, 'Backup']), run(failed), AUTO)).toMatchObject({
      command: 'master-switch',
    });
    expect(
      decideJunosIssu(obs([0, O], [1, T, 'Backup']), run({ ...failed, recoverySwitchAt: 't' }), AUTO),
    ).toMatchObject({ command: 'rollback-other' });
    expect(
      decideJunosIssu(obs([0, O], [1, T, 'Backup']), run({ ...failed, recoveryRollbackAt: 't' }), AUTO),
    ).toMatchObject({ command: 'reboot-other' });
    expect(
      decideJunosIssu(obs([0, O], [1, O, 'Backup']), run({ ...failed, recoveryRebootAt: 't' }), AUTO),
    ).toMatchObject({ command: 'rollback-self' });
    expect(
      decideJunosIssu(
        obs([0, O], [1, O, 'Backup']),
        run({ ...failed, recoveryRebootAt: 't', recoveryPendingClearedAt: 't' }),
        AUTO,
      ),
    ).toMatchObject({ status: 'ROLLED_BACK' });
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
    expect(decideJunosIssu(obs([0, O], [1, O, 'Backup']), run(started), AUTO)).toMatchObject({ status: 'ABORTED' });
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
