// The shape every upgrade procedure has (one module per procedure: cisco-issu.ts, cisco-fsu.ts,
// junos-issu.ts, and the next ones). A worker never follows a script: each turn it observes the
// device, and the procedure's `decide` says what to do next from what is visible there plus the
// run's checkpoints. That is what makes a run resumable by any worker, and why a command whose
// effect is already visible is never sent twice.
//
// A procedure declares its steps (what each expects before and after, whether repeating it is
// safe, what aborting from it means) and its commands (a closed, per-vendor union; each names
// the driver action it performs and the checkpoint written before it goes out). Decisions are
// typed by those tables, so a procedure cannot decide a step or a command it did not declare.
import type { AbortPlanDto, ProcedureKind, RunStatus } from '@hitless/contracts';
import type { CheckpointKey, Checkpoints } from '../run-context.ts';
import type { ActiveRunStatus } from '../runs.ts';

export interface StepSpec<S extends string = string> {
  name: S;
  expectsBefore: string;
  expectsAfter: string;
  /** Repeating the step after a crash cannot hurt (reads, waits), or it is guarded by observation. */
  retrySafe: boolean;
  abortMeans: string;
  disruptive: boolean;
}

/** Steps the engine itself records for every procedure. */
export const ENGINE_STEPS = [
  {
    name: 'pre-checks',
    expectsBefore: 'the device as the inventory knows it',
    expectsAfter: 'every rule passed or only warned; the health snapshot taken',
    retrySafe: true,
    abortMeans: 'nothing was changed',
    disruptive: false,
  },
  {
    name: 'settle',
    expectsBefore: 'a command sent whose effect the device does not show yet',
    expectsAfter: 'the effect shows, or the window passes and the rule for the command decides',
    retrySafe: true,
    abortMeans: 'as for the command it waits on',
    disruptive: false,
  },
  {
    name: 'reconnect',
    expectsBefore: 'the session dropped (a switchover, a resumed run)',
    expectsAfter: 'a new session to whichever RP is active now',
    retrySafe: true,
    abortMeans: 'as for the step it interrupted',
    disruptive: false,
  },
] as const satisfies readonly StepSpec[];

export type EngineStep = (typeof ENGINE_STEPS)[number]['name'];

export interface CommandSpec<A extends string = string> {
  /** What the vendor's command sender does. Several commands may share an action (a reboot is a reboot). */
  action: A;
  /** Written (with the time) just before the command goes out; its `confirmed` twin once it succeeded. */
  checkpoint: CheckpointKey;
  /** Changes what the device forwards with (a switchover, a reload of the active RP). */
  disruptive: boolean;
  /**
   * Sent, but its effect is not visible: may it go again once the settle window has passed
   * without an answer? `never` for commands that toggle (a second software rollback undoes the
   * first), where only a person can tell what the device did.
   */
  resend: 'after-settle' | 'never';
}

/** `settle`: a command was sent and the run gives the device time to show its effect. */
export type WaitKind = 'reload' | 'operator' | 'issu' | 'rollback' | 'settle';

/** How a procedure can end (every status that is not active); REFUSED when the device said no before anything changed. */
export type DoneStatus = Exclude<RunStatus, ActiveRunStatus>;

export const ABORT_REASONS = [
  'operator',
  'post-checks failed',
  'standby never reached STANDBY HOT',
  'rollback window too short',
] as const;
export type AbortReason = (typeof ABORT_REASONS)[number];

/** What a worker does next. Commands change the device; waits and checks only read it. */
export type Decision<C extends string = string, S extends string = string> =
  | {
      kind: 'command';
      command: C;
      step: S;
      reason: string;
      /** This command starts an abort the procedure decided by itself. */
      abortReason?: AbortReason;
    }
  | {
      kind: 'wait';
      step: S;
      reason: string;
      timeoutKind: WaitKind;
      /** When the wait times out: abort the upgrade (seed 003: a standby that never comes up hot), or fail. */
      onTimeout: 'abort' | 'fail';
    }
  | { kind: 'postchecks'; step: S; reason: string }
  | { kind: 'verify'; step: S; reason: string }
  | { kind: 'done'; status: DoneStatus; reason: string };

/** What an operator asked of a run, read from the database each turn. */
export interface OperatorFlags {
  abortRequested: boolean;
  acceptRequested: boolean;
  acceptMode: 'AUTO' | 'MANUAL';
}

/** What an abort requested now would do; shown in the Abort dialog and enforced by the API. */
export type AbortPlan = AbortPlanDto;

/** The names a run knows its versions by (Cisco: image files; Junos: releases). */
export interface RunVersions {
  original: string;
  target: string;
}

export interface Procedure<K extends ProcedureKind, Obs, State, C extends string, S extends string, A extends string> {
  kind: K;
  vendor: 'cisco' | 'junos';
  steps: readonly StepSpec<S | EngineStep>[];
  commands: Readonly<Record<C, CommandSpec<A>>>;
  decide(obs: Obs, state: State, flags: OperatorFlags): Decision<C, S>;
  abortPlan(cp: Checkpoints, versions: RunVersions): AbortPlan;
}

export type AnyProcedure = Procedure<ProcedureKind, never, never, string, string, string>;

export const done = (status: DoneStatus, reason: string) => ({ kind: 'done', status, reason }) as const;

/**
 * The device shows something the run's own record rules out (a reset, a reload or a change made
 * outside the run): the run stops and says what it expected and what it saw.
 */
export const contradiction = (expected: string, seen: string) =>
  done('FAILED', `the device contradicts this run: expected ${expected}, but it shows ${seen}; nothing more was sent`);

/** The device refused the command behind `key` the last time it was sent. */
export const refusedLast = (cp: Checkpoints, key: CheckpointKey): boolean =>
  cp.refusal?.checkpoint === key && Boolean(cp[key]) && cp.refusal.at >= cp[key]!;

/** Whether a command (by its checkpoint) was sent, and whether the device confirmed it. */
export const sent = (cp: Checkpoints, key: CheckpointKey): boolean => Boolean(cp[key]);
export const confirmed = (cp: Checkpoints, key: CheckpointKey): boolean => Boolean(cp.confirmed?.[key]);

export const notPossible = (reason: string): AbortPlan => ({ possible: false, reason });

export const wait = <S extends string>(
  step: S,
  reason: string,
  timeoutKind: WaitKind = 'reload',
  onTimeout: 'abort' | 'fail' = 'fail',
) => ({ kind: 'wait', step, reason, timeoutKind, onTimeout }) as const;

export const command = <C extends string, S extends string>(
  name: C,
  step: S,
  reason: string,
  abortReason?: AbortReason,
) => ({ kind: 'command', command: name, step, reason, ...(abortReason && { abortReason }) }) as const;

/** The clock of a turn, and how long a device is given to show a command's effect. */
export interface Timing {
  now: number;
  settleMs: number;
}

/** A command is sent at most this many times, however often it seemed not to take. */
export const MAX_SENDS = 3;

const seconds = (ms: number) => `${Math.round(ms / 1000)} s`;

/**
 * The command behind `key` was sent less than the settle window ago (between clocks that
 * disagree, by no more than the window either way).
 */
export function withinSettle(cp: Checkpoints, key: CheckpointKey, t: Timing): boolean {
  const at = cp[key];
  if (!at) return false;
  const age = t.now - Date.parse(at);
  return age < t.settleMs && age > -t.settleMs;
}

/** A wait for a command's effect: one engine step for every command. */
export const settleWait = (name: string, t: Timing, at: string) =>
  wait(
    'settle',
    `${name} was sent ${seconds(t.now - Date.parse(at))} ago; waiting for the device to show its effect`,
    'settle',
  );

/**
 * The rule for a command a procedure decides again: its effect is not visible (yet). Within the
 * settle window after it was sent, wait for the device; after it, a command the device answered
 * but that shows no effect fails the run, one that was never answered goes again when its spec
 * allows (at most MAX_SENDS times), and one the device refused goes again only within the same
 * bound. A command decided for the first time passes unchanged.
 */
export function guardCommand<C extends string, S extends string>(
  d: Decision<C, S>,
  spec: CommandSpec,
  cp: Checkpoints,
  t: Timing,
): Decision<C, S | 'settle'> {
  if (d.kind !== 'command') return d;
  const at = cp[spec.checkpoint];
  if (!at) return d;
  const sends = cp.sends?.[spec.checkpoint] ?? 1;
  const refusal = refusedLast(cp, spec.checkpoint) ? cp.refusal! : null;
  const age = t.now - Date.parse(at);
  if (!refusal) {
    if (withinSettle(cp, spec.checkpoint, t)) return settleWait(d.command, t, at);
    if (confirmed(cp, spec.checkpoint)) {
      return done(
        'FAILED',
        `${d.command} was answered, but ${seconds(age)} later the device still does not show its effect; nothing more was sent`,
      );
    }
    if (spec.resend === 'never') {
      return done(
        'FAILED',
        `${d.command} was sent ${seconds(age)} ago and never answered, and the device cannot show whether it took effect; nothing more was sent: check the device by hand`,
      );
    }
  }
  if (sends >= MAX_SENDS) {
    return done(
      'FAILED',
      `${d.command} was sent ${sends} times without the device showing its effect${refusal ? `; the device said: ${refusal.output}` : ''}`,
    );
  }
  return d;
}
