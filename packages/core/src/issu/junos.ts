// Junos ISSU (seed 001) as a decision function: the in-service upgrade itself, post-checks on
// the new master, then, as the run chose, reboot the old master onto the new release and give
// mastership back to the original master RE. Recovery after failed post-checks switches
// mastership back to the RE still on the old release and rolls the upgraded one back.
import { command, done, wait, type Decision, type OperatorFlags } from './procedures.ts';

export interface JunosObserved {
  master: { slot: number; version: string | null };
  /** The other RE; state Backup when up, Present (or missing) while it reboots. */
  backup: { slot: number; version: string | null; state: string } | null;
  /** An in-service upgrade is running on the device right now. */
  issuInProgress: boolean;
}

export interface JunosCheckpoints {
  prechecksAt?: string;
  issuStartedAt?: string;
  issuOutcome?: 'switched-over' | 'aborted' | 'disconnected';
  /** When the device refused or aborted the upgrade: its error lines, and whether it had touched the backup RE. */
  issuError?: string;
  issuBackupTouched?: boolean;
  postchecksAt?: string;
  rebootOldMasterAt?: string;
  mastershipRestoredAt?: string;
  abortAt?: string;
  abortReason?: string;
  recoverySwitchAt?: string;
  recoveryRollbackAt?: string;
  recoveryRebootAt?: string;
  recoveryPendingClearedAt?: string;
}

export interface JunosRunState {
  original: string;
  target: string;
  originalMaster: number;
  rebootOldMaster: boolean;
  restoreMastership: boolean;
  checkpoints: JunosCheckpoints;
}

export function decideJunosIssu(obs: JunosObserved, run: JunosRunState, flags: OperatorFlags): Decision {
  const { original: O, target: T, originalMaster: M0, checkpoints: cp } = run;
  const m = obs.master;
  const b = obs.backup;
  const recovering = Boolean(cp.abortAt) && Boolean(cp.issuStartedAt);
  if (obs.issuInProgress) return wait('in-service upgrade', 'the in-service upgrade is running on the device', 'issu');
  if (!b || b.state !== 'Backup' || !b.version) return wait('backup RE up', 'the backup routing engine is rebooting');

  // Both REs on the original release.
  if (m.version === O && b.version === O) {
    if (recovering) {
      if (m.slot !== M0) return command('master-switch', 'restore mastership', `give mastership back to re${M0}`);
      // The old master still holds the new package, pending for its next reboot: drop it.
      if (!cp.recoveryPendingClearedAt)
        return command('rollback-self', 'recovery: clear pending package', `drop the pending ${T} on re${m.slot}`);
      return done('ROLLED_BACK', `rolled back (${cp.abortReason ?? 'operator'}): both REs on ${O}`);
    }
    if (cp.issuOutcome === 'aborted') {
      return cp.issuBackupTouched
        ? done(
            'ABORTED',
            `the device aborted the in-service upgrade (${cp.issuError ?? 'no reason given'}); both REs are back on ${O}`,
          )
        : done('REFUSED', `the device refused the in-service upgrade: ${cp.issuError ?? 'no reason given'}`);
    }
    // Started while no worker watched the stream to its end (a crash), and it ended without a switchover.
    if (cp.issuStartedAt)
      return done('ABORTED', `the in-service upgrade stopped before the switchover; both REs are on ${O}`);
    if (flags.abortRequested || cp.abortAt) return done('ABORTED', 'aborted before any change to the device');
    return command('in-service-upgrade', 'in-service upgrade', `upgrade to ${T} in service`);
  }
  // Switched over: the new master runs the new release, the old master the old one.
  if (m.version === T && b.version === O) {
    if (flags.abortRequested || cp.abortAt)
      return command('master-switch', 'recovery: switch back', `give mastership back to re${b.slot}, still on ${O}`);
    if (!cp.postchecksAt)
      return { kind: 'postchecks', step: 'post-checks', reason: 'compare health with the pre-check snapshot' };
    if (run.rebootOldMaster) {
      if (cp.rebootOldMasterAt) return wait('backup RE up', `re${b.slot} reboots onto ${T}`);
      return command(
        'reboot-other',
        'reboot old master',
        `reboot re${b.slot} so it completes the installation of ${T}`,
      );
    }
    return { kind: 'verify', step: 'verify', reason: `done as asked: re${b.slot} stays on ${O} until it is rebooted` };
  }
  // Recovery: back on the old master, the other RE still on the new release.
  if (m.version === O && b.version === T) {
    if (!recovering)
      return wait('in-service upgrade', 'the backup RE is upgraded; the in-service upgrade continues', 'issu');
    if (!cp.recoveryRollbackAt)
      return command('rollback-other', 'recovery: roll back', `roll re${b.slot} back to ${O}`);
    if (!cp.recoveryRebootAt) return command('reboot-other', 'recovery: reboot', `reboot re${b.slot} onto ${O}`);
    // Until it is back on the old release; if it never is, the wait's timeout fails the run.
    return wait('backup RE up', `re${b.slot} reboots onto ${O}`);
  }
  if (m.version === T && b.version === T) {
    if (run.restoreMastership && m.slot !== M0)
      return command('master-switch', 'restore mastership', `give mastership back to re${M0}`);
    return { kind: 'verify', step: 'verify', reason: 'both REs on the new release' };
  }
  return done(
    'FAILED',
    `unexpected device state: master re${m.slot} on ${m.version ?? '?'}, backup re${b.slot} on ${b.version}`,
  );
}
