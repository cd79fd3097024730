// The procedures' tables against their decide functions: every step a procedure can decide is
// in its step table (and every step in the table is decided somewhere), every command it can
// decide is in its command table, and every command writes a checkpoint of its own.
import { describe, expect, it } from 'vitest';
import { COMMAND_CHECKPOINTS, type Checkpoints } from '../run-context.ts';
import { CISCO_COMMANDS, type CiscoObserved } from './cisco.ts';
import { JUNOS_COMMANDS, type JunosObserved } from './junos.ts';
import { ENGINE_STEPS, type Decision, type OperatorFlags } from './procedure.ts';
import { PROCEDURES } from './registry.ts';

const O = 'old';
const T = 'new';

/** A small seeded generator: the same grid on every run, so a failure reproduces. */
function rng(seed: number) {
  // mulberry32: small, fast and well mixed (a plain LCG correlates consecutive draws).
  let x = seed >>> 0;
  const next = () => {
    x = (x + 0x6d2b79f5) >>> 0;
    let t = x;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  return { pick: <V>(xs: readonly V[]): V => xs[Math.floor(next() * xs.length)]!, chance: (p: number) => next() < p };
}

const checkpointsOf = (commands: Record<string, { checkpoint: string }>) =>
  Object.values(commands).map((c) => c.checkpoint);
const CISCO_KEYS = ['prechecksAt', 'postchecksAt', 'abortAt', ...checkpointsOf(CISCO_COMMANDS)];
const JUNOS_KEYS = ['prechecksAt', 'postchecksAt', 'abortAt', ...checkpointsOf(JUNOS_COMMANDS)];

function checkpoints(r: ReturnType<typeof rng>, keys: readonly string[]): Checkpoints {
  const cp: Record<string, unknown> = {};
  const confirmed: Record<string, string> = {};
  for (const k of keys) {
    if (!r.chance(0.35)) continue;
    cp[k] = 't';
    if (r.chance(0.5)) confirmed[k] = 't';
  }
  if (cp.abortAt)
    cp.abortReason = r.pick(['operator', 'post-checks failed', 'standby never reached STANDBY HOT'] as const);
  if (r.chance(0.3)) cp.issuOutcome = r.pick(['switched-over', 'aborted', 'disconnected'] as const);
  if (r.chance(0.2)) cp.issuBackupTouched = true;
  if (r.chance(0.1)) cp.refusal = { checkpoint: r.pick(COMMAND_CHECKPOINTS), command: 'x', output: '% no', at: 't' };
  return { ...cp, confirmed } as Checkpoints;
}

function flags(r: ReturnType<typeof rng>): OperatorFlags {
  return {
    abortRequested: r.chance(0.2),
    acceptRequested: r.chance(0.3),
    acceptMode: r.pick(['AUTO', 'MANUAL'] as const),
  };
}

function ciscoObs(r: ReturnType<typeof rng>): CiscoObserved {
  const timer = r.pick([
    { inProgress: false, remainingSeconds: null, configuredSeconds: 2700 },
    { inProgress: true, remainingSeconds: 2000, configuredSeconds: 2700 },
    { inProgress: true, remainingSeconds: 100, configuredSeconds: 2700 },
  ]);
  return {
    issuState: r.pick(['Init', 'Load Version', 'Run Version'] as const),
    active: { slot: 'A', image: r.pick([O, T, null, 'other']) },
    standby: { slot: 'B', image: r.pick([O, T, null]), state: r.pick(['STANDBY HOT', 'STANDBY COLD', 'DISABLED']) },
    rollback: timer,
    bootImages: r.pick([[O], [T], [T, O]]),
  };
}

function junosObs(r: ReturnType<typeof rng>): JunosObserved {
  const master = r.pick([0, 1]);
  return {
    master: { slot: master, version: r.pick([O, T, null]) },
    backup: r.chance(0.1)
      ? null
      : { slot: 1 - master, version: r.pick([O, T, null]), state: r.pick(['Backup', 'Backup', 'Present']) },
    issuInProgress: r.chance(0.15),
  };
}

const SAMPLES = 30_000;

function sampleDecisions(kind: keyof typeof PROCEDURES): Decision[] {
  const r = rng(kind.length * 7919);
  const out: Decision[] = [];
  for (let i = 0; i < SAMPLES; i++) {
    if (kind === 'JUNOS_ISSU') {
      const state = {
        original: O,
        target: T,
        originalMaster: 0,
        rebootOldMaster: r.chance(0.7),
        restoreMastership: r.chance(0.7),
        checkpoints: checkpoints(r, JUNOS_KEYS),
        timing: { now: 0, settleMs: 0 },
      };
      out.push(PROCEDURES.JUNOS_ISSU.decide(junosObs(r), state, flags(r)));
    } else {
      const state = {
        original: O,
        target: T,
        checkpoints: checkpoints(r, CISCO_KEYS),
        timing: { now: 0, settleMs: 0 },
      };
      out.push(PROCEDURES[kind].decide(ciscoObs(r), state, flags(r)));
    }
  }
  return out;
}

describe.each(Object.keys(PROCEDURES) as (keyof typeof PROCEDURES)[])('%s', (kind) => {
  const procedure = PROCEDURES[kind];
  const decisions = sampleDecisions(kind);
  const stepNames = procedure.steps.map((s) => s.name);

  it('decides only steps in its step table, and every step in the table is decided somewhere', () => {
    const decided = new Set(decisions.flatMap((d) => (d.kind === 'done' ? [] : [d.step])));
    expect([...decided].filter((s) => !stepNames.includes(s as never))).toEqual([]);
    const engineSteps: string[] = ENGINE_STEPS.map((s) => s.name);
    expect(stepNames.filter((s) => !engineSteps.includes(s) && !decided.has(s))).toEqual([]);
    expect(new Set(stepNames).size).toBe(stepNames.length);
  });

  it('decides only commands in its command table, and every one of them somewhere', () => {
    const decided = new Set(decisions.flatMap((d) => (d.kind === 'command' ? [d.command] : [])));
    const table = Object.keys(procedure.commands);
    expect([...decided].filter((c) => !table.includes(c))).toEqual([]);
    expect(table.filter((c) => !decided.has(c))).toEqual([]);
  });

  it('gives every command a checkpoint of its own', () => {
    const specs = Object.values(procedure.commands) as { checkpoint: string }[];
    for (const spec of specs) expect(COMMAND_CHECKPOINTS).toContain(spec.checkpoint);
    expect(new Set(specs.map((s) => s.checkpoint)).size).toBe(specs.length);
  });

  it('never allows an abort past the point of no return, and says what an abort does before it', () => {
    const v = { original: O, target: T };
    const noReturn = {
      CISCO_ISSU: 'commitAt',
      CISCO_FSU: 'forceSwitchoverAt',
      JUNOS_ISSU: 'rebootOldMasterAt',
    } as const;
    expect(procedure.abortPlan({ [noReturn[kind]]: 't' }, v)).toMatchObject({ possible: false });
    expect(procedure.abortPlan({ abortAt: 't' }, v)).toEqual({
      possible: false,
      reason: 'an abort is already under way',
    });
    expect(procedure.abortPlan({}, v)).toMatchObject({
      possible: true,
      ends: 'ABORTED',
      effect: expect.stringMatching(/Nothing on the device has changed/),
    });
  });
});

describe('vendor command unions', () => {
  it('cover every checkpoint exactly once between them', () => {
    const all = [...Object.values(CISCO_COMMANDS), ...Object.values(JUNOS_COMMANDS)].map((c) => c.checkpoint);
    expect([...all].sort()).toEqual([...COMMAND_CHECKPOINTS].sort());
  });

  it('say after a switchover that an abort rolls back, and before it that it aborts', () => {
    const v = { original: O, target: T };
    expect(PROCEDURES.CISCO_ISSU.abortPlan({ loadversionAt: 't' }, v)).toMatchObject({
      ends: 'ABORTED',
      effect: expect.stringContaining('reloads the standby RP on old'),
    });
    expect(
      PROCEDURES.CISCO_ISSU.abortPlan({ loadversionAt: 't', runversionAt: 't', confirmed: { runversionAt: 't' } }, v),
    ).toMatchObject({ ends: 'ROLLED_BACK' });
    // Sent, answer not recorded: the dialog says both outcomes and what each depends on.
    expect(PROCEDURES.CISCO_ISSU.abortPlan({ loadversionAt: 't', runversionAt: 't' }, v)).toMatchObject({
      ends: 'ABORTED or ROLLED_BACK',
      effect: expect.stringContaining('If the device switched over'),
    });
    // Refused: it never switched, so an abort reloads the standby.
    const refused = { checkpoint: 'runversionAt' as const, command: 'issu runversion', output: '% no', at: 't2' };
    expect(
      PROCEDURES.CISCO_ISSU.abortPlan({ loadversionAt: 't', runversionAt: 't', refusal: refused }, v),
    ).toMatchObject({
      ends: 'ABORTED',
    });
    expect(PROCEDURES.JUNOS_ISSU.abortPlan({ issuStartedAt: 't' }, v)).toMatchObject({
      ends: 'ABORTED or ROLLED_BACK',
    });
    expect(PROCEDURES.JUNOS_ISSU.abortPlan({ issuStartedAt: 't', issuOutcome: 'switched-over' }, v)).toMatchObject({
      ends: 'ROLLED_BACK',
    });
    expect(PROCEDURES.CISCO_FSU.abortPlan({ bootSetAt: 't' }, v)).toMatchObject({ ends: 'ABORTED' });
  });
});
