// Cisco ISSU and its Fast Software Upgrade fallback as decision functions over what the device
// shows. See procedures.ts for the step table and why it works this way.
import { command, done, wait, type Decision, type OperatorFlags } from './procedures.ts';

export interface CiscoObserved {
  issuState: 'Init' | 'Load Version' | 'Run Version';
  active: { slot: string; image: string | null };
  /** The standby RP; image null while it has not said (booting). */
  standby: { slot: string; image: string | null; state: string };
  rollback: { inProgress: boolean; remainingSeconds: number | null; configuredSeconds: number | null };
  /** The active RP's boot variable, file names in order. */
  bootImages: string[];
}

export type AbortReason =
  | 'operator'
  | 'post-checks failed'
  | 'standby never reached STANDBY HOT'
  | 'rollback window too short'
  | 'device state unexpected';

/** Checkpoints a run records (ISO timestamps): what this run has done, as opposed to what the device shows. */
export interface CiscoCheckpoints {
  prechecksAt?: string;
  loadversionAt?: string;
  runversionAt?: string;
  postchecksAt?: string;
  acceptedAt?: string;
  commitAt?: string;
  abortAt?: string;
  abortReason?: AbortReason;
  bootSetAt?: string;
  peerReloadAt?: string;
  forceSwitchoverAt?: string;
}

export interface CiscoRunState {
  original: string;
  target: string;
  checkpoints: CiscoCheckpoints;
}

/** Post-checks must be able to finish before the rollback timer: never start them with less than this share left. */
export const ROLLBACK_MARGIN = 0.15;

export function decideCiscoIssu(obs: CiscoObserved, run: CiscoRunState, flags: OperatorFlags): Decision {
  const { original: O, target: T, checkpoints: cp } = run;
  const A = obs.active.image;
  const S = obs.standby.image;
  const hot = obs.standby.state === 'STANDBY HOT';
  const aborting = flags.abortRequested || Boolean(cp.abortAt);

  switch (obs.issuState) {
    case 'Init': {
      if (A === T && (S === T || S === null)) {
        return hot && S === T
          ? { kind: 'verify', step: 'verify', reason: 'both RPs on the new image' }
          : wait('standby hot on the new image', 'the other RP reloads on the new image');
      }
      if (A === O && (S === O || S === null)) {
        if (aborting && !cp.loadversionAt && !cp.runversionAt)
          return done('ABORTED', 'aborted before any change to the device');
        if (!hot) return wait('standby hot', `the standby reloads on ${O}`);
        if (cp.runversionAt) {
          return done(
            'ROLLED_BACK',
            cp.abortReason
              ? `rolled back: ${cp.abortReason}`
              : 'the device rolled itself back: its rollback timer expired before the upgrade was accepted',
          );
        }
        if (cp.loadversionAt) {
          return cp.abortAt
            ? done('ABORTED', `aborted (${cp.abortReason ?? 'operator'}); both RPs on ${O}`)
            : done(
                'FAILED',
                `loadversion was sent, but the device is in ISSU Init with both RPs on ${O}: aborted on the device outside this run, or the command never reached it; nothing more was changed`,
              );
        }
        return command('loadversion', 'loadversion', `load ${T} on the standby RP`);
      }
      return done(
        'FAILED',
        `unexpected device state: ISSU Init with the active on ${A ?? '?'} and the standby on ${S ?? '?'}`,
      );
    }
    case 'Load Version': {
      if (aborting)
        return command(
          'abortversion',
          'abortversion',
          `abort (${cp.abortReason ?? 'operator'}): reload the standby on ${O}`,
        );
      if (S !== null && S !== T)
        return done('FAILED', `unexpected device state: Load Version with the standby on ${S}`);
      if (!hot) return wait('standby hot', `the standby reloads on ${T}`);
      return command('runversion', 'runversion', `switch over to the standby running ${T}`);
    }
    case 'Run Version': {
      if (A !== T) return done('FAILED', `unexpected device state: Run Version with the active on ${A ?? '?'}`);
      if (aborting) {
        if (!hot) return wait('standby hot', 'abortversion needs the standby (on the original image) STANDBY HOT');
        return command(
          'abortversion',
          'abortversion',
          `abort (${cp.abortReason ?? 'operator'}): switch back to the RP on ${O}`,
        );
      }
      if (obs.rollback.inProgress) {
        if (!cp.postchecksAt) {
          const { remainingSeconds: left, configuredSeconds: total } = obs.rollback;
          if (left !== null && total && left < total * ROLLBACK_MARGIN) {
            return command(
              'abortversion',
              'abortversion',
              `abort: only ${left} s left of the ${total} s rollback window, too little for post-checks`,
            );
          }
          return {
            kind: 'postchecks',
            step: 'post-checks',
            reason: 'compare health with the pre-check snapshot before the rollback timer fires',
          };
        }
        if (flags.acceptMode === 'AUTO' || flags.acceptRequested)
          return command('acceptversion', 'acceptversion', 'post-checks passed: stop the rollback timer');
        return wait(
          'operator accept',
          'post-checks passed; waiting for an operator to accept before the rollback timer fires',
          'operator',
        );
      }
      if (!hot) return wait('standby hot', `the former active returns as standby on ${O}`);
      return command('commitversion', 'commitversion', `reload the other RP on ${T}`);
    }
    default: {
      const unreachable: never = obs.issuState;
      return done('FAILED', `unknown ISSU state ${String(unreachable)}`);
    }
  }
}

/**
 * Fast Software Upgrade (seed 003, when the images are incompatible and a disruptive upgrade is
 * allowed): boot variable, reload the peer on the new image (it comes up in RPR), force the
 * switchover (traffic is lost), the old active reloads on the new image too.
 */
export function decideCiscoFsu(obs: CiscoObserved, run: CiscoRunState, flags: OperatorFlags): Decision {
  const { original: O, target: T, checkpoints: cp } = run;
  const A = obs.active.image;
  const S = obs.standby.image;
  const up = obs.standby.state !== 'DISABLED' && S !== null;
  if (A === T) {
    // Past the disruptive switchover there is no in-service way back: say so and stop.
    if (cp.abortAt)
      return done(
        'FAILED',
        `${cp.abortReason ?? 'aborted'} after the disruptive switchover: the device runs ${T}; going back to ${O} is another Fast Software Upgrade, an operator's decision`,
      );
    if (cp.forceSwitchoverAt && !cp.postchecksAt)
      return {
        kind: 'postchecks',
        step: 'post-checks',
        reason: 'compare health with the snapshot after the switchover',
      };
    if (S === T && obs.standby.state === 'STANDBY HOT')
      return { kind: 'verify', step: 'verify', reason: 'both RPs on the new image' };
    return wait('standby hot on the new image', `the former active reloads on ${T}`);
  }
  if (A !== O) return done('FAILED', `unexpected device state: the active runs ${A ?? '?'}`);
  if (flags.abortRequested || cp.abortAt) {
    if (obs.bootImages[0] !== O) return command('restore-boot', 'boot variable', `abort: boot ${O} again`);
    if (S === T) return command('reload-peer', 'reload peer', `abort: reload the standby on ${O}`);
    if (!up || obs.standby.state !== 'STANDBY HOT') return wait('standby hot', `the standby reloads on ${O}`);
    return done('ABORTED', `aborted before the switchover; both RPs on ${O}`);
  }
  if (obs.bootImages[0] !== T) return command('set-boot', 'boot variable', `boot system flash ${T}`);
  if (S !== T) {
    if (cp.peerReloadAt && !up) return wait('standby up on the new image', `the standby reloads on ${T}`);
    return command('reload-peer', 'reload peer', `reload the standby on ${T}`);
  }
  if (!up) return wait('standby up on the new image', `the standby reloads on ${T}`);
  return command(
    'force-switchover',
    'force switchover',
    `switch over to ${T} (disruptive: the images are incompatible)`,
  );
}
