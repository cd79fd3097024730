// Junos ISSU (seed 001): the in-service upgrade itself (validate, upgrade and reboot the backup
// RE, GRES, chassis ISSU, FRUs, switchover), post-checks on the new master, an operator's accept
// when the run asks for one, then, as the run chose, reboot the old master onto the new release
// (the point of no return) and give mastership back to the original master RE. An abort after
// the switchover switches mastership back to the RE still on the old release, rolls the upgraded
// one back and reboots it, and drops the package left pending on the old master.
import type { Checkpoints } from '../run-context.ts';
import { JUNOS_COMMANDS, type JunosObserved, type JunosRunState } from './junos.ts';
import {
  command,
  confirmed,
  contradiction,
  refusedLast,
  settleWait,
  withinSettle,
  done,
  ENGINE_STEPS,
  notPossible,
  wait,
  type AbortPlan,
  type Decision,
  type OperatorFlags,
  type Procedure,
  type RunVersions,
  type StepSpec,
} from './procedure.ts';

/** A step that reads or waits (retry-safe, not disruptive) unless the overrides after it say otherwise. */
const step = <N extends string>(name: N, expectsBefore: string, expectsAfter: string) => ({
  name,
  expectsBefore,
  expectsAfter,
  retrySafe: true,
  abortMeans: 'switch mastership back and roll the upgraded RE back',
  disruptive: false,
});

const STEPS = [
  ...ENGINE_STEPS,
  {
    ...step(
      'in-service upgrade',
      'both REs on the original release, GRES ready',
      'mastership on the upgraded RE, the old master on the original release with the new package pending',
    ),
    retrySafe: false,
    disruptive: true,
    abortMeans: 'the device aborts by itself before the switchover; after it, the recovery',
  },
  { ...step('backup RE up', 'the other RE rebooting', 'the other RE Backup again, with its release') },
  { ...step('post-checks', 'the new master on the new release', 'interfaces and BGP match the snapshot') },
  {
    ...step(
      'operator accept',
      'post-checks passed, the old master still on the original release',
      'an operator accepted (the run goes on) or aborted (the recovery)',
    ),
  },
  {
    ...step(
      'reboot old master',
      'the old master (now backup) on the original release, the package pending',
      'the backup RE back on the new release',
    ),
    retrySafe: false,
    abortMeans: 'not possible any more: both REs end on the new release',
  },
  {
    ...step(
      'restore mastership',
      'both REs on the new release, mastership on the other RE',
      'the original master RE is master again',
    ),
    retrySafe: false,
    disruptive: true,
    abortMeans: 'not possible any more',
  },
  {
    ...step(
      'recovery: switch back',
      'the new master on the new release, the old one on the original',
      'the RE on the original release is master again',
    ),
    retrySafe: false,
    disruptive: true,
    abortMeans: 'it is the abort',
  },
  {
    ...step(
      'recovery: roll back',
      'the upgraded RE (now backup) on the new release',
      'its previous release scheduled for its next boot',
    ),
    retrySafe: false,
    abortMeans: 'it is the abort',
  },
  {
    ...step('recovery: reboot', 'the upgraded RE with its rollback scheduled', 'it boots the original release'),
    retrySafe: false,
    abortMeans: 'it is the abort',
  },
  {
    ...step(
      'recovery: restore mastership',
      'both REs on the original release, mastership on the other RE',
      'the original master RE is master again',
    ),
    retrySafe: false,
    disruptive: true,
    abortMeans: 'it is the abort',
  },
  {
    ...step(
      'recovery: clear pending package',
      'the original master with the new package pending',
      'nothing pending: a later reboot keeps the original release',
    ),
    retrySafe: false,
    abortMeans: 'it is the abort',
  },
  {
    ...step(
      'verify',
      'both REs up',
      'both REs on the new release (or the old master on the old one, as asked), GRES ready',
    ),
    abortMeans: 'not possible any more',
  },
] as const satisfies readonly StepSpec[];

export type JunosIssuStep = Exclude<(typeof STEPS)[number]['name'], 'pre-checks' | 'reconnect'>;
type D = Decision<keyof typeof JUNOS_COMMANDS, JunosIssuStep | 'settle'>;

/** Mastership moved to the upgraded RE: the stream said so, post-checks ran on it, or the recovery moved it back. */
const switchedOver = (cp: Checkpoints) =>
  cp.issuOutcome === 'switched-over' || Boolean(cp.postchecksAt) || Boolean(cp.recoverySwitchAt);

export function decideJunosIssu(obs: JunosObserved, run: JunosRunState, flags: OperatorFlags): D {
  const { original: O, target: T, originalMaster: M0, checkpoints: cp } = run;
  const m = obs.master;
  const b = obs.backup;
  const aborting = flags.abortRequested || Boolean(cp.abortAt);
  // The recovery only ever follows a switchover (before it the device aborts by itself).
  const recovering = Boolean(cp.abortAt) && switchedOver(cp);
  if (obs.issuInProgress) return wait('in-service upgrade', 'the in-service upgrade is running on the device', 'issu');
  if (!b || b.state !== 'Backup' || !b.version) return wait('backup RE up', 'the backup routing engine is rebooting');

  // Both REs on the original release.
  if (m.version === O && b.version === O) {
    if (cp.recoverySwitchAt) {
      if (m.slot !== M0)
        return command(
          'recovery-restore-mastership',
          'recovery: restore mastership',
          `give mastership back to re${M0}`,
        );
      // The old master still holds the new package, pending for its next reboot: drop it.
      if (refusedLast(cp, 'recoveryPendingClearedAt')) {
        return done(
          'FAILED',
          `both REs run ${O}, but the device refused to drop the package pending on re${m.slot} (${cp.refusal!.output}): its next reboot would install ${T}; remove it by hand (request system software rollback)`,
        );
      }
      if (!confirmed(cp, 'recoveryPendingClearedAt'))
        return command('clear-pending', 'recovery: clear pending package', `drop the pending ${T} on re${m.slot}`);
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
    if (switchedOver(cp)) {
      return contradiction(
        `mastership on the upgraded RE running ${T}`,
        `both REs on ${O} (reset, reloaded or changed outside this run)`,
      );
    }
    // Started while no worker watched the stream to its end (a crash), and it ended without a switchover.
    if (cp.issuStartedAt) {
      // It ran (its stream began, or a turn saw it running) and stopped without a switchover.
      if (cp.issuSeenRunningAt || confirmed(cp, 'issuStartedAt')) {
        return done('ABORTED', `the in-service upgrade stopped before the switchover; both REs are on ${O}`);
      }
      // Its stream may still start: give it the settle window before concluding it never arrived.
      if (withinSettle(cp, 'issuStartedAt', run.timing))
        return settleWait('in-service-upgrade', run.timing, cp.issuStartedAt);
      if (aborting) return done('ABORTED', 'aborted; the in-service upgrade sent earlier was never seen running');
      // Never seen running: it most likely never arrived. The settle window and the send limit decide.
      return command(
        'in-service-upgrade',
        'in-service upgrade',
        `the in-service upgrade was sent but never seen running: upgrade to ${T} in service`,
      );
    }
    if (aborting) return done('ABORTED', 'aborted before any change to the device');
    return command('in-service-upgrade', 'in-service upgrade', `upgrade to ${T} in service`);
  }
  // Switched over: the new master runs the new release, the old master the old one.
  if (m.version === T && b.version === O) {
    if (aborting)
      return command('switch-back', 'recovery: switch back', `give mastership back to re${b.slot}, still on ${O}`);
    if (!cp.postchecksAt)
      return { kind: 'postchecks', step: 'post-checks', reason: 'compare health with the pre-check snapshot' };
    if (flags.acceptMode === 'MANUAL' && !flags.acceptRequested) {
      return wait(
        'operator accept',
        `post-checks passed on re${m.slot}; waiting for an operator to accept before re${b.slot} leaves ${O} (Abort gives mastership back to it)`,
        'operator',
      );
    }
    if (run.rebootOldMaster) {
      // Sent and answered: it goes down any moment. Sent but never answered: it never went.
      if (confirmed(cp, 'rebootOldMasterAt')) return wait('backup RE up', `re${b.slot} reboots onto ${T}`);
      return command(
        'reboot-old-master',
        'reboot old master',
        `reboot re${b.slot} so it completes the installation of ${T}`,
      );
    }
    return { kind: 'verify', step: 'verify', reason: `done as asked: re${b.slot} stays on ${O} until it is rebooted` };
  }
  // Recovery: back on the old master, the other RE still on the new release.
  if (m.version === O && b.version === T) {
    if (!recovering) {
      if (switchedOver(cp)) {
        return contradiction(
          `mastership on re${b.slot} running ${T}`,
          `re${m.slot} master again on ${O} (switched outside this run)`,
        );
      }
      return wait('in-service upgrade', 'the backup RE is upgraded; the in-service upgrade continues', 'issu');
    }
    if (refusedLast(cp, 'recoveryRollbackAt')) {
      return done(
        'FAILED',
        `mastership is back on re${m.slot} (${O}), but the device refused to roll re${b.slot} back (${cp.refusal!.output}): re${b.slot} still runs ${T}; roll it back by hand`,
      );
    }
    if (!confirmed(cp, 'recoveryRollbackAt'))
      return command('roll-back-other', 'recovery: roll back', `roll re${b.slot} back to ${O}`);
    if (!confirmed(cp, 'recoveryRebootAt'))
      return command('reboot-rolled-back', 'recovery: reboot', `reboot re${b.slot} onto ${O}`);
    // Until it is back on the old release; if it never is, the wait's timeout fails the run.
    return wait('backup RE up', `re${b.slot} reboots onto ${O}`);
  }
  if (m.version === T && b.version === T) {
    if (run.restoreMastership && m.slot !== M0)
      return command('restore-mastership', 'restore mastership', `give mastership back to re${M0}`);
    return { kind: 'verify', step: 'verify', reason: 'both REs on the new release' };
  }
  return done(
    'FAILED',
    `unexpected device state: master re${m.slot} on ${m.version ?? '?'}, backup re${b.slot} on ${b.version}`,
  );
}

export function junosIssuAbortPlan(cp: Checkpoints, v: RunVersions): AbortPlan {
  if (cp.abortAt) return notPossible('an abort is already under way');
  if (cp.rebootOldMasterAt)
    return notPossible('the old master is rebooting onto the new release: the upgrade can only complete now');
  if (switchedOver(cp)) {
    return {
      possible: true,
      ends: 'ROLLED_BACK',
      effect: `Mastership switches back to the routing engine still on ${v.original} (GRES keeps forwarding), the upgraded one is rolled back to ${v.original} and rebooted, and the package pending on the old master is dropped. The run ends ROLLED_BACK with both routing engines on ${v.original}.`,
    };
  }
  if (cp.issuStartedAt) {
    return {
      possible: true,
      ends: 'ABORTED or ROLLED_BACK',
      effect: `The in-service upgrade running on the device cannot be interrupted. If the device aborts it on its own, the run ends ABORTED; once it switches over, mastership goes back to the routing engine on ${v.original} and the upgraded one is rolled back: the run ends ROLLED_BACK.`,
    };
  }
  return {
    possible: true,
    ends: 'ABORTED',
    effect: 'Nothing on the device has changed yet: the run stops before the in-service upgrade and ends ABORTED.',
  };
}

export const junosIssu = {
  kind: 'JUNOS_ISSU',
  vendor: 'junos',
  steps: STEPS,
  commands: JUNOS_COMMANDS,
  decide: decideJunosIssu,
  abortPlan: junosIssuAbortPlan,
} as const satisfies Procedure<
  'JUNOS_ISSU',
  JunosObserved,
  JunosRunState,
  keyof typeof JUNOS_COMMANDS,
  JunosIssuStep,
  string
>;
