// The upgrade procedures as explicit state machines. A worker never follows a script: each
// turn it observes the device, and `decide*` says what to do next from what is visible there
// plus the run's checkpoints. That is what makes a run resumable by any worker, and why a
// command whose effect is already visible is never sent twice.
//
// PROCEDURE_STEPS documents each step: what it expects before and after, whether repeating it
// is safe, and what aborting from it means. The decide functions are the machine itself.

export type ProcedureKind = 'CISCO_ISSU' | 'CISCO_FSU' | 'JUNOS_ISSU';

export interface StepSpec {
  name: string;
  expectsBefore: string;
  expectsAfter: string;
  /** Repeating the step after a crash cannot hurt (reads, waits) — or it is guarded by observation. */
  retrySafe: boolean;
  abortMeans: string;
  disruptive: boolean;
}

export const PROCEDURE_STEPS: Record<ProcedureKind, StepSpec[]> = {
  CISCO_ISSU: [
    {
      name: 'pre-checks',
      expectsBefore: 'ISSU state Init on both RPs',
      expectsAfter: 'every rule passed or only warned',
      retrySafe: true,
      abortMeans: 'nothing was changed',
      disruptive: false,
    },
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
      expectsBefore: 'Load Version, standby booting the new image',
      expectsAfter: 'standby STANDBY HOT on the new image',
      retrySafe: true,
      abortMeans: 'abortversion: the standby reloads on the original image',
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
      name: 'verify',
      expectsBefore: 'Init',
      expectsAfter: 'both RPs on the new image, ISSU state Init, standby STANDBY HOT',
      retrySafe: true,
      abortMeans: 'not possible any more',
      disruptive: false,
    },
  ],
  CISCO_FSU: [
    {
      name: 'pre-checks',
      expectsBefore: 'Init, both RPs on the original image',
      expectsAfter: 'only the compatibility rule refused ISSU, and a disruptive upgrade was allowed',
      retrySafe: true,
      abortMeans: 'nothing was changed',
      disruptive: false,
    },
    {
      name: 'boot variable',
      expectsBefore: 'boot variable on the original image',
      expectsAfter: 'boot system flash <new image> on both RPs',
      retrySafe: true,
      abortMeans: 'restore the boot variable',
      disruptive: false,
    },
    {
      name: 'reload peer',
      expectsBefore: 'standby on the original image',
      expectsAfter: 'standby boots the new image and comes up STANDBY COLD (RPR)',
      retrySafe: false,
      abortMeans: 'restore the boot variable and reload the peer again',
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
      name: 'verify',
      expectsBefore: 'both RPs reloading or up',
      expectsAfter: 'both RPs on the new image, SSO, standby STANDBY HOT',
      retrySafe: true,
      abortMeans: 'not possible any more',
      disruptive: false,
    },
  ],
  JUNOS_ISSU: [
    {
      name: 'pre-checks',
      expectsBefore: 'master and backup RE on one release',
      expectsAfter: 'GRES, NSR, commit synchronize, package and space in order',
      retrySafe: true,
      abortMeans: 'nothing was changed',
      disruptive: false,
    },
    {
      name: 'in-service upgrade',
      expectsBefore: 'both REs on the original release',
      expectsAfter: 'mastership on the upgraded RE, the old master on the original release with the package pending',
      retrySafe: false,
      abortMeans: 'the device aborts by itself before the switchover; after it, switch mastership back',
      disruptive: true,
    },
    {
      name: 'post-checks',
      expectsBefore: 'new master on the new release',
      expectsAfter: 'interfaces and BGP match the snapshot',
      retrySafe: true,
      abortMeans: 'switch mastership back and roll the upgraded RE back',
      disruptive: false,
    },
    {
      name: 'reboot old master',
      expectsBefore: 'old master (now backup) on the original release, package pending',
      expectsAfter: 'backup RE back on the new release',
      retrySafe: false,
      abortMeans: 'roll the backup RE back',
      disruptive: false,
    },
    {
      name: 'restore mastership',
      expectsBefore: 'both REs on the new release, mastership on the other RE',
      expectsAfter: 'the original master RE is master again',
      retrySafe: false,
      abortMeans: 'not needed',
      disruptive: true,
    },
    {
      name: 'verify',
      expectsBefore: 'both REs up',
      expectsAfter: 'both REs on the new release, GRES ready',
      retrySafe: true,
      abortMeans: 'not possible any more',
      disruptive: false,
    },
  ],
};

/** What a worker does next. Commands change the device; waits and checks only read it. */
export type Decision =
  | { kind: 'command'; command: string; step: string; reason: string }
  | { kind: 'wait'; step: string; reason: string; timeoutKind: 'reload' | 'operator' | 'issu' | 'rollback' }
  | { kind: 'postchecks'; step: string; reason: string }
  | { kind: 'verify'; step: string; reason: string }
  | { kind: 'done'; status: DoneStatus; reason: string };

/** How a procedure can end; REFUSED when the device itself declined before changing anything. */
export type DoneStatus = 'COMPLETED' | 'ROLLED_BACK' | 'ABORTED' | 'FAILED' | 'REFUSED';
type WaitKind = Extract<Decision, { kind: 'wait' }>['timeoutKind'];

export const done = (status: DoneStatus, reason: string): Decision => ({ kind: 'done', status, reason });
export const wait = (step: string, reason: string, timeoutKind: WaitKind = 'reload'): Decision => ({
  kind: 'wait',
  step,
  reason,
  timeoutKind,
});
export const command = (cmd: string, step: string, reason: string): Decision => ({
  kind: 'command',
  command: cmd,
  step,
  reason,
});

/** What an operator asked of a run, read from the database each turn. */
export interface OperatorFlags {
  abortRequested: boolean;
  acceptRequested: boolean;
  acceptMode: 'AUTO' | 'MANUAL';
}
