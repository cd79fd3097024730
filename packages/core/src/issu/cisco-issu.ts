// Cisco IOS / IOS-XE ISSU (seed 003): loadversion → the standby reloads on the new image →
// runversion (switchover; the rollback timer starts) → post-checks → acceptversion (the timer
// stops) → commitversion (the other RP reloads on the new image) → Init with both on it.
// `issu abortversion` restores the original from every stage before commitversion.
import type { Checkpoints } from '../run-context.ts';
import { CISCO_COMMANDS, ROLLBACK_MARGIN, type CiscoObserved, type CiscoRunState } from './cisco.ts';
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
  type Timing,
} from './procedure.ts';

const STEPS = [
  ...ENGINE_STEPS,
  {
    name: 'loadversion',
    expectsBefore: 'Init, both RPs on the original image, standby STANDBY HOT',
    expectsAfter: 'Load Version; the standby reloads on the new image',
    retrySafe: false,
    abortMeans: 'abortversion: the standby reloads on the original image',
    disruptive: false,
  },
  {
    name: 'standby hot',
    expectsBefore: 'the standby reloading (on the new image after loadversion, on the original after runversion)',
    expectsAfter: 'the standby STANDBY HOT',
    retrySafe: true,
    abortMeans: 'abortversion once the standby can take over',
    disruptive: false,
  },
  {
    name: 'runversion',
    expectsBefore: 'Load Version, standby STANDBY HOT on the new image',
    expectsAfter: 'Run Version: switched over to the new image, rollback timer running',
    retrySafe: false,
    abortMeans: 'abortversion: switch back to the RP still on the original image',
    disruptive: true,
  },
  {
    name: 'post-checks',
    expectsBefore: 'Run Version, rollback timer running',
    expectsAfter: 'interfaces, BGP and versions match the pre-check snapshot',
    retrySafe: true,
    abortMeans: 'abortversion: switch back',
    disruptive: false,
  },
  {
    name: 'operator accept',
    expectsBefore: 'Run Version, post-checks passed, rollback timer running',
    expectsAfter: 'an operator accepted (or aborted) before the timer fired',
    retrySafe: true,
    abortMeans: 'abortversion: switch back',
    disruptive: false,
  },
  {
    name: 'acceptversion',
    expectsBefore: 'Run Version, post-checks passed, rollback timer running',
    expectsAfter: 'rollback timer stopped',
    retrySafe: false,
    abortMeans: 'abortversion: switch back',
    disruptive: false,
  },
  {
    name: 'commitversion',
    expectsBefore: 'Run Version accepted, the other RP STANDBY HOT on the original image',
    expectsAfter: 'Init; the other RP reloads on the new image',
    retrySafe: false,
    abortMeans: 'not possible any more: the upgrade completes',
    disruptive: false,
  },
  {
    name: 'standby hot on the new image',
    expectsBefore: 'Init, standby booting the new image',
    expectsAfter: 'both RPs on the new image, standby STANDBY HOT',
    retrySafe: true,
    abortMeans: 'not possible any more',
    disruptive: false,
  },
  {
    name: 'abortversion',
    expectsBefore: 'Load Version, or Run Version with the standby (on the original image) STANDBY HOT',
    expectsAfter: 'Init with both RPs on the original image (after runversion: switched back)',
    retrySafe: false,
    abortMeans: 'it is the abort',
    disruptive: true,
  },
  {
    name: 'verify',
    expectsBefore: 'Init',
    expectsAfter: 'both RPs on the new image, ISSU state Init, standby STANDBY HOT',
    retrySafe: true,
    abortMeans: 'not possible any more',
    disruptive: false,
  },
] as const satisfies readonly StepSpec[];

export type CiscoIssuStep = Exclude<(typeof STEPS)[number]['name'], 'pre-checks' | 'reconnect'>;
type IssuCommand = Exclude<
  keyof typeof CISCO_COMMANDS,
  'set-boot' | 'restore-boot' | 'reload-peer' | 'reload-peer-back' | 'force-switchover'
>;
type D = Decision<IssuCommand, CiscoIssuStep | 'settle'>;

/** The device answered runversion (the session dropped with the switchover), and did not refuse it. */
export const switchedOver = (cp: Checkpoints) => confirmed(cp, 'runversionAt') && !refusedLast(cp, 'runversionAt');

/** Both RPs on the original image in ISSU Init: nothing happened, it was aborted or rolled back, or it never started. */
function backOnOriginal(cp: Checkpoints, O: string, aborting: boolean, hot: boolean, t: Timing): D {
  if (aborting && !cp.loadversionAt && !cp.runversionAt)
    return done('ABORTED', 'aborted before any change to the device');
  if (!hot) return wait('standby hot', `the standby reloads on ${O}`);
  // Switched back by this run's abortversion after runversion.
  if (cp.switchBackAt) return done('ROLLED_BACK', `rolled back: ${cp.abortReason ?? 'operator'}`);
  // Accepted (or committed, which only follows an accept) means the timer stopped: the device
  // cannot have rolled itself back.
  if (confirmed(cp, 'acceptedAt') || cp.commitAt) {
    return contradiction(
      cp.commitAt
        ? `the other RP reloading on the new image after commitversion`
        : 'Run Version on the new image, accepted',
      `ISSU Init with both RPs on ${O} (reloaded, reset or changed outside this run)`,
    );
  }
  // Aborted from Load Version by this run (also after a runversion that never took).
  if (cp.abortversionAt) return done('ABORTED', `aborted (${cp.abortReason ?? 'operator'}); both RPs on ${O}`);
  // Refused, so it never switched: nothing of this run brings Load Version back to Init.
  if (cp.runversionAt && refusedLast(cp, 'runversionAt')) {
    return contradiction(
      'Load Version with the standby on the new image (runversion was refused)',
      `ISSU Init with both RPs on ${O} (aborted or reloaded outside this run)`,
    );
  }
  if (cp.runversionAt) {
    return done(
      'ROLLED_BACK',
      switchedOver(cp)
        ? 'the device rolled itself back: its rollback timer expired before the upgrade was accepted'
        : `the device is back on ${O}: its rollback timer expired before the upgrade was accepted (runversion was sent; its answer was not recorded)`,
    );
  }
  if (cp.loadversionAt) {
    if (cp.refusal?.checkpoint === 'loadversionAt') {
      return done('REFUSED', `the device refused issu loadversion: ${cp.refusal.output}`);
    }
    if (confirmed(cp, 'loadversionAt')) {
      return contradiction(
        'Load Version with the standby on the new image',
        `ISSU Init with both RPs on ${O} (aborted or reloaded outside this run)`,
      );
    }
    // Its answer may still come: give it the settle window before concluding it never arrived.
    if (withinSettle(cp, 'loadversionAt', t)) return settleWait('loadversion', t, cp.loadversionAt);
    if (aborting)
      return done('ABORTED', `aborted; loadversion sent earlier never showed on the device; both RPs on ${O}`);
    // Sent, never answered, and the device shows nothing of it: most likely it never arrived (the
    // session or the worker sending it stopped). The settle window and the send limit decide.
    return command(
      'loadversion',
      'loadversion',
      `loadversion was sent but not answered, and the device shows none of it: load the new image on the standby RP`,
    );
  }
  return command('loadversion', 'loadversion', `load the new image on the standby RP`);
}

export function decideCiscoIssu(obs: CiscoObserved, run: CiscoRunState, flags: OperatorFlags): D {
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
      if (A === O && (S === O || S === null)) return backOnOriginal(cp, O, aborting, hot, run.timing);
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
      // Seed 003: a standby that never comes up hot is aborted, restoring the original image.
      if (!hot) return wait('standby hot', `the standby reloads on ${T}`, 'reload', 'abort');
      return command('runversion', 'runversion', `switch over to the standby running ${T}`);
    }
    case 'Run Version': {
      if (A !== T) return done('FAILED', `unexpected device state: Run Version with the active on ${A ?? '?'}`);
      if (aborting) {
        if (!hot) return wait('standby hot', 'abortversion needs the standby (on the original image) STANDBY HOT');
        return command(
          'abortversion-switch-back',
          'abortversion',
          `abort (${cp.abortReason ?? 'operator'}): switch back to the RP on ${O}`,
        );
      }
      // Post-checks and (when asked) an operator's accept come before anything else, whether
      // or not the device shows its rollback timer running (it may be disabled, or misread):
      // commitversion is the point of no return.
      if (!cp.postchecksAt) {
        const { remainingSeconds: left, configuredSeconds: total } = obs.rollback;
        if (obs.rollback.inProgress && left !== null && total && left < total * ROLLBACK_MARGIN) {
          return command(
            'abortversion-switch-back',
            'abortversion',
            `abort: only ${left} s left of the ${total} s rollback window, too little for post-checks`,
            'rollback window too short',
          );
        }
        return {
          kind: 'postchecks',
          step: 'post-checks',
          reason: 'compare health with the pre-check snapshot before the rollback timer fires',
        };
      }
      if (flags.acceptMode === 'MANUAL' && !flags.acceptRequested) {
        return wait(
          'operator accept',
          'post-checks passed; waiting for an operator to accept before the rollback timer fires',
          'operator',
        );
      }
      if (obs.rollback.inProgress) {
        return command('acceptversion', 'acceptversion', 'post-checks passed: stop the rollback timer');
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

export function ciscoIssuAbortPlan(cp: Checkpoints, v: RunVersions): AbortPlan {
  if (cp.abortAt) return notPossible('an abort is already under way');
  if (cp.commitAt) return notPossible('commitversion was issued: the upgrade can only complete now');
  const switchBack = `issu abortversion switches back to the RP still running ${v.original} (a stateful switchover: the session drops, forwarding continues), and the other RP reloads on it`;
  const reloadStandby = `issu abortversion reloads the standby RP on ${v.original}; the active RP never left it and nothing switches over`;
  if (switchedOver(cp))
    return { possible: true, ends: 'ROLLED_BACK', effect: `${switchBack}. The run ends ROLLED_BACK.` };
  if (cp.runversionAt && !refusedLast(cp, 'runversionAt')) {
    return {
      possible: true,
      ends: 'ABORTED or ROLLED_BACK',
      effect: `runversion was sent but its answer was not recorded. If the device switched over, ${switchBack} (ROLLED_BACK); if it did not, ${reloadStandby} (ABORTED).`,
    };
  }
  if (cp.loadversionAt) return { possible: true, ends: 'ABORTED', effect: `${reloadStandby}. The run ends ABORTED.` };
  return {
    possible: true,
    ends: 'ABORTED',
    effect: 'Nothing on the device has changed yet: the run stops before loadversion and ends ABORTED.',
  };
}

const { loadversion, runversion, acceptversion, commitversion, abortversion } = CISCO_COMMANDS;
const switchBackCommand = CISCO_COMMANDS['abortversion-switch-back'];

export const ciscoIssu = {
  kind: 'CISCO_ISSU',
  vendor: 'cisco',
  steps: STEPS,
  commands: {
    loadversion,
    runversion,
    acceptversion,
    commitversion,
    abortversion,
    'abortversion-switch-back': switchBackCommand,
  },
  decide: decideCiscoIssu,
  abortPlan: ciscoIssuAbortPlan,
} as const satisfies Procedure<'CISCO_ISSU', CiscoObserved, CiscoRunState, IssuCommand, CiscoIssuStep, string>;
