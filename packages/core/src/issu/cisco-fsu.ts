// Cisco Fast Software Upgrade (seed 003), chosen by the pre-checks when the images are
// incompatible and the operator allowed a disruptive upgrade: boot variable, reload the peer on
// the new image (it comes up in RPR), force the switchover (traffic is lost), and the old
// active reloads on the new image too. There is no in-service way back after the switchover.
import type { Checkpoints } from '../run-context.ts';
import { CISCO_COMMANDS, type CiscoObserved, type CiscoRunState } from './cisco.ts';
import {
  command,
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

const STEPS = [
  ...ENGINE_STEPS,
  {
    name: 'boot variable',
    expectsBefore: 'boot variable on the original image (on abort: on the new one)',
    expectsAfter: 'boot system flash <image> on both RPs, saved',
    retrySafe: true,
    abortMeans: 'restore the boot variable',
    disruptive: false,
  },
  {
    name: 'reload peer',
    expectsBefore: 'the standby on the other image than the boot variable names',
    expectsAfter: 'the standby boots the boot variable’s image (STANDBY COLD, RPR, when incompatible)',
    retrySafe: false,
    abortMeans: 'restore the boot variable and reload the peer again',
    disruptive: false,
  },
  {
    name: 'standby up on the new image',
    expectsBefore: 'the standby reloading on the new image',
    expectsAfter: 'the standby up (STANDBY COLD or better) on the new image',
    retrySafe: true,
    abortMeans: 'restore the boot variable and reload the peer again',
    disruptive: false,
  },
  {
    name: 'standby hot',
    expectsBefore: 'the standby reloading on the original image (abort)',
    expectsAfter: 'the standby STANDBY HOT on the original image',
    retrySafe: true,
    abortMeans: 'it is the abort',
    disruptive: false,
  },
  {
    name: 'force switchover',
    expectsBefore: 'standby up on the new image',
    expectsAfter: 'the new image is active; the old active reloads on it (traffic is lost meanwhile)',
    retrySafe: false,
    abortMeans: 'a second disruptive switchover',
    disruptive: true,
  },
  {
    name: 'post-checks',
    expectsBefore: 'active on the new image',
    expectsAfter: 'interfaces and BGP match the snapshot',
    retrySafe: true,
    abortMeans: 'operator decision: a second FSU back',
    disruptive: false,
  },
  {
    name: 'standby hot on the new image',
    expectsBefore: 'the former active reloading on the new image',
    expectsAfter: 'both RPs on the new image, standby STANDBY HOT',
    retrySafe: true,
    abortMeans: 'not possible any more',
    disruptive: false,
  },
  {
    name: 'verify',
    expectsBefore: 'both RPs up',
    expectsAfter: 'both RPs on the new image, SSO, standby STANDBY HOT',
    retrySafe: true,
    abortMeans: 'not possible any more',
    disruptive: false,
  },
] as const satisfies readonly StepSpec[];

export type CiscoFsuStep = Exclude<(typeof STEPS)[number]['name'], 'pre-checks' | 'reconnect'>;
type FsuCommand = 'set-boot' | 'restore-boot' | 'reload-peer' | 'reload-peer-back' | 'force-switchover';
type D = Decision<FsuCommand, CiscoFsuStep>;

export function decideCiscoFsu(obs: CiscoObserved, run: CiscoRunState, flags: OperatorFlags): D {
  const { original: O, target: T, checkpoints: cp } = run;
  const A = obs.active.image;
  const S = obs.standby.image;
  const up = obs.standby.state !== 'DISABLED' && S !== null;
  if (A === T) {
    // Past the disruptive switchover there is no in-service way back: say so and stop.
    if (cp.abortAt) {
      return done(
        'FAILED',
        `${cp.abortReason ?? 'aborted'} after the disruptive switchover: the device runs ${T}; going back to ${O} is another Fast Software Upgrade, an operator's decision`,
      );
    }
    if (cp.forceSwitchoverAt && !cp.postchecksAt) {
      return {
        kind: 'postchecks',
        step: 'post-checks',
        reason: 'compare health with the snapshot after the switchover',
      };
    }
    if (S === T && obs.standby.state === 'STANDBY HOT')
      return { kind: 'verify', step: 'verify', reason: 'both RPs on the new image' };
    return wait('standby hot on the new image', `the former active reloads on ${T}`);
  }
  if (A !== O) return done('FAILED', `unexpected device state: the active runs ${A ?? '?'}`);
  if (flags.abortRequested || cp.abortAt) {
    if (obs.bootImages[0] !== O) return command('restore-boot', 'boot variable', `abort: boot ${O} again`);
    if (S === T) return command('reload-peer-back', 'reload peer', `abort: reload the standby on ${O}`);
    if (!up || obs.standby.state !== 'STANDBY HOT') return wait('standby hot', `the standby reloads on ${O}`);
    return done(
      'ABORTED',
      cp.bootSetAt ? `aborted before the switchover; both RPs on ${O}` : 'aborted before any change to the device',
    );
  }
  if (obs.bootImages[0] !== T) {
    if (cp.refusal?.checkpoint === 'bootSetAt' && !cp.peerReloadAt) {
      return done('REFUSED', `the device refused the boot variable for ${T}: ${cp.refusal.output}`);
    }
    return command('set-boot', 'boot variable', `boot system flash ${T}`);
  }
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

export function ciscoFsuAbortPlan(cp: Checkpoints, v: RunVersions): AbortPlan {
  if (cp.abortAt) return notPossible('an abort is already under way');
  if (cp.forceSwitchoverAt) return notPossible('the disruptive switchover happened: the upgrade can only complete now');
  if (cp.bootSetAt || cp.peerReloadAt) {
    return {
      possible: true,
      ends: 'ABORTED',
      effect: `The boot variable goes back to ${v.original} and the standby RP (which carries no traffic) is reloaded on it; nothing switches over. The run ends ABORTED.`,
    };
  }
  return {
    possible: true,
    ends: 'ABORTED',
    effect: 'Nothing on the device has changed yet: the run stops before the boot variable is set and ends ABORTED.',
  };
}

const c = CISCO_COMMANDS;

export const ciscoFsu = {
  kind: 'CISCO_FSU',
  vendor: 'cisco',
  steps: STEPS,
  commands: {
    'set-boot': c['set-boot'],
    'restore-boot': c['restore-boot'],
    'reload-peer': c['reload-peer'],
    'reload-peer-back': c['reload-peer-back'],
    'force-switchover': c['force-switchover'],
  },
  decide: decideCiscoFsu,
  abortPlan: ciscoFsuAbortPlan,
} as const satisfies Procedure<'CISCO_FSU', CiscoObserved, CiscoRunState, FsuCommand, CiscoFsuStep, string>;
