// What a run records about itself in `DeviceRun.context`: the procedure chosen by the
// pre-checks, the original and target (image files on Cisco, releases on Junos), the health
// snapshot taken before anything changed, and the checkpoints — what this run has done, as
// opposed to what the device shows, which is read afresh every turn. Parsed with this schema
// whenever a run is loaded, never cast.
import { CheckResultSchema, ProcedureKind } from '@hitless/contracts';
import { z } from 'zod';
import { ABORT_REASONS } from './issu/procedure.ts';

const At = z.string().min(1);

/** Every checkpoint a command writes just before it goes out (see each procedure's command table). */
export const COMMAND_CHECKPOINTS = [
  // Cisco ISSU
  'loadversionAt',
  'runversionAt',
  'acceptedAt',
  'commitAt',
  'abortversionAt',
  'switchBackAt',
  // Cisco FSU
  'bootSetAt',
  'bootRestoredAt',
  'peerReloadAt',
  'peerReloadBackAt',
  'forceSwitchoverAt',
  // Junos ISSU
  'issuStartedAt',
  'rebootOldMasterAt',
  'mastershipRestoredAt',
  'recoverySwitchAt',
  'recoveryRollbackAt',
  'recoveryRebootAt',
  'recoveryMastershipAt',
  'recoveryPendingClearedAt',
] as const;
export const CheckpointKey = z.enum(COMMAND_CHECKPOINTS);
export type CheckpointKey = z.infer<typeof CheckpointKey>;

// Object.fromEntries cannot know its keys; they are exactly COMMAND_CHECKPOINTS.
const commandCheckpoints = Object.fromEntries(COMMAND_CHECKPOINTS.map((k) => [k, At])) as Record<
  CheckpointKey,
  typeof At
>;

export const Checkpoints = z
  .object({
    ...commandCheckpoints,
    prechecksAt: At,
    postchecksAt: At,
    abortAt: At,
    abortReason: z.enum(ABORT_REASONS),
    /** Commands the device answered without an error, by their checkpoint (sent ≠ done). */
    confirmed: z.partialRecord(CheckpointKey, At),
    /** How many times each command was sent (a re-send after the settle window counts). */
    sends: z.partialRecord(CheckpointKey, z.number().int().positive()),
    /** The last command the device refused, with its words: the procedure decides what that means. */
    refusal: z.object({ checkpoint: CheckpointKey, command: z.string(), output: z.string(), at: At }),
    /** Junos: how the in-service upgrade's stream ended, and the device's error lines when it said no. */
    issuOutcome: z.enum(['switched-over', 'aborted', 'disconnected']),
    issuError: z.string(),
    /** Junos: whether the device had touched the backup RE when it aborted (ABORTED rather than REFUSED). */
    issuBackupTouched: z.boolean(),
    /** Junos: the in-service upgrade was seen running (its stream began, or a turn saw it in progress). */
    issuSeenRunningAt: At,
  })
  .partial();
export type Checkpoints = z.infer<typeof Checkpoints>;

/** What health looks like at one moment; fields that always change (uptimes, counters) are left out. */
export const HealthSnapshot = z.object({
  interfaces: z.array(z.object({ name: z.string(), up: z.boolean() })),
  bgp: z.array(z.object({ peer: z.string(), established: z.boolean(), prefixes: z.number().nullable() })),
});
export type HealthSnapshot = z.infer<typeof HealthSnapshot>;

export const RunContext = z.object({
  procedure: ProcedureKind.optional(),
  family: z.string().optional(),
  original: z.string().optional(),
  target: z.string().optional(),
  /** Junos: the RE that was master before the upgrade (mastership is given back to it). */
  originalMaster: z.number().int().optional(),
  snapshot: HealthSnapshot.optional(),
  prechecks: z.array(CheckResultSchema).optional(),
  checkpoints: Checkpoints.default({}),
  /** The wait the run is in, so a driver that takes the run over keeps its clock (timeouts). */
  wait: z.object({ step: z.string(), since: At }).optional(),
  /** Why the last driver stopped early, when it could say so (read by the next driver). */
  lastStop: z.object({ holder: z.string(), reason: z.string(), at: At }).optional(),
});
export type RunContext = z.infer<typeof RunContext>;

/** A stored context: anything unreadable is an error worth failing loudly on (it is our own data). */
export function parseRunContext(value: unknown): RunContext {
  return RunContext.parse(value ?? {});
}
