import { z } from 'zod';
import { Id, IsoDate, Pagination, page } from './common.ts';

export const RunStatus = z.enum([
  'PENDING',
  'QUEUED',
  'RUNNING',
  'WAITING_ACCEPT',
  'COMPLETED',
  'FAILED',
  'ROLLED_BACK',
  'ABORTED',
  'REFUSED',
]);
export type RunStatus = z.infer<typeof RunStatus>;
export const ProcedureKind = z.enum(['CISCO_ISSU', 'CISCO_FSU', 'JUNOS_ISSU']);
export type ProcedureKind = z.infer<typeof ProcedureKind>;
export const AcceptMode = z.enum(['AUTO', 'MANUAL']);
export type AcceptMode = z.infer<typeof AcceptMode>;
export const StepStatus = z.enum(['RUNNING', 'SUCCEEDED', 'FAILED', 'SKIPPED']);
export type StepStatus = z.infer<typeof StepStatus>;

/** What an abort requested now would do to this run (computed by core from its checkpoints). */
export const AbortPlanDto = z.discriminatedUnion('possible', [
  z.object({
    possible: z.literal(true),
    ends: z.enum(['ABORTED', 'ROLLED_BACK', 'ABORTED or ROLLED_BACK']),
    /** In words, for the Abort dialog: what the worker will do to the device. */
    effect: z.string(),
  }),
  z.object({ possible: z.literal(false), reason: z.string() }),
]);
export type AbortPlanDto = z.infer<typeof AbortPlanDto>;

export const CheckResultSchema = z.object({
  rule: z.string(),
  title: z.string(),
  verdict: z.enum(['pass', 'warn', 'fail']),
  detail: z.string(),
  evidence: z.record(z.string(), z.unknown()).optional(),
});
export type CheckResultDto = z.infer<typeof CheckResultSchema>;

export const RunStep = z.object({
  id: Id,
  seq: z.number().int(),
  name: z.string(),
  status: StepStatus,
  attempt: z.number().int(),
  startedAt: IsoDate,
  endedAt: IsoDate.nullable(),
  outcome: z.string().nullable(),
  evidence: z.unknown(),
  transcript: z.string(),
});
export type RunStep = z.infer<typeof RunStep>;

export const RunOptions = z.object({
  /** Configure the device's ISSU rollback timer before starting (Cisco, seconds). */
  rollbackTimerSeconds: z.number().int().min(60).max(7200).optional(),
  /** Junos: reboot the old master onto the new release after the switchover. */
  rebootOldMaster: z.boolean().default(true),
  /** Junos: give mastership back to the original master RE at the end. */
  restoreMastership: z.boolean().default(true),
});
export type RunOptions = z.infer<typeof RunOptions>;

/** Which options each procedure reads: a run stores only its own (a Cisco run has no Junos reboot choice). */
export const PROCEDURE_OPTIONS = {
  CISCO_ISSU: ['rollbackTimerSeconds'],
  CISCO_FSU: ['rollbackTimerSeconds'],
  JUNOS_ISSU: ['rebootOldMaster', 'restoreMastership'],
} as const satisfies Record<ProcedureKind, readonly (keyof RunOptions)[]>;

/** A run's options as stored and answered: only those of its procedure. */
export const RunOptionsView = z.object({
  rollbackTimerSeconds: z.number().int().min(60).max(7200).optional(),
  rebootOldMaster: z.boolean().optional(),
  restoreMastership: z.boolean().optional(),
});
export type RunOptionsView = z.infer<typeof RunOptionsView>;

/** The options `procedure` reads, out of everything a request (or an older stored run) carried. */
export function optionsOfProcedure(procedure: ProcedureKind, options: RunOptionsView): RunOptionsView {
  const out: RunOptionsView = {};
  for (const key of PROCEDURE_OPTIONS[procedure] as readonly (keyof RunOptionsView)[]) {
    if (options[key] !== undefined) (out as Record<string, unknown>)[key] = options[key];
  }
  return out;
}

/** An operator's accept or abort of a run, from the audit log: who, when, and the comment they left. */
export const RunOperatorAction = z.object({
  kind: z.enum(['accept', 'abort']),
  by: z.string(),
  at: IsoDate,
  comment: z.string().nullable(),
});
export type RunOperatorAction = z.infer<typeof RunOperatorAction>;

export const Run = z.object({
  id: Id,
  deviceId: Id,
  deviceHostname: z.string(),
  imageId: Id,
  procedure: ProcedureKind,
  status: RunStatus,
  acceptMode: AcceptMode,
  allowDisruptive: z.boolean(),
  currentStep: z.string().nullable(),
  fromVersion: z.string().nullable(),
  toVersion: z.string(),
  /** When the device will roll itself back unless the upgrade is accepted (read from the device). */
  rollbackDeadline: IsoDate.nullable(),
  summary: z.string().nullable(),
  /**
   * The release the device runs since the run ended, as the run saw it: the target when it
   * completed, the original after a rollback, an abort or a refusal; null while the run goes on,
   * or when it failed (the summary says what the device showed).
   */
  releaseAfter: z.string().nullable(),
  /** Only the options of the run's procedure. */
  options: RunOptionsView,
  createdBy: z.string(),
  createdAt: IsoDate,
  startedAt: IsoDate.nullable(),
  endedAt: IsoDate.nullable(),
  updatedAt: IsoDate,
  acceptRequestedAt: IsoDate.nullable(),
  abortRequestedAt: IsoDate.nullable(),
  canAccept: z.boolean(),
  canAbort: z.boolean(),
  abortPlan: AbortPlanDto,
  /** The server's clock when this was sent, so a browser can correct its own for countdowns. */
  serverTime: IsoDate,
});
export type Run = z.infer<typeof Run>;

export const RunDetail = Run.extend({
  steps: z.array(RunStep),
  prechecks: z.array(CheckResultSchema).nullable(),
  /** Accepts and abort requests with their audited comments, oldest first. */
  operatorActions: z.array(RunOperatorAction),
});
export type RunDetail = z.infer<typeof RunDetail>;

export const RunCreate = z.object({
  deviceId: Id,
  imageId: Id,
  acceptMode: AcceptMode.default('AUTO'),
  /** Allow the disruptive Fast Software Upgrade when the images are incompatible. */
  allowDisruptive: z.boolean().default(false),
  options: RunOptions.default({ rebootOldMaster: true, restoreMastership: true }),
});
export type RunCreate = z.infer<typeof RunCreate>;

export const RunListQuery = Pagination.extend({
  deviceId: Id.optional(),
  status: RunStatus.optional(),
});

export const RunPage = page(Run);
export type RunPage = z.infer<typeof RunPage>;

export const RunActionBody = z.object({ comment: z.string().trim().max(500).optional() }).default({});

export const DeviceFacts = z.object({
  discoveredAt: IsoDate,
  hostname: z.string().nullable(),
  model: z.string().nullable(),
  family: z.string(),
  softwareVersion: z.string().nullable(),
  redundancyMode: z.string().nullable(),
  processors: z.array(
    z.object({
      slot: z.string(),
      role: z.enum(['active', 'standby']),
      state: z.string(),
      version: z.string().nullable(),
      image: z.string().nullable(),
      /** The RP's or RE's serial number (Cisco prints one for the chassis: it is the active RP's). Older discoveries lack it. */
      serial: z.string().nullable().optional(),
    }),
  ),
  issuState: z.string().nullable(),
  prerequisites: z.record(z.string(), z.boolean()),
  /** File systems with their size and free space (Cisco: each RP's; Junos: the master RE's). Older discoveries lack them. */
  filesystems: z
    .array(
      z.object({
        /** The RP or RE it belongs to, when the device says. */
        slot: z.string().nullable(),
        name: z.string(),
        totalBytes: z.number(),
        freeBytes: z.number(),
      }),
    )
    .optional(),
});
export type DeviceFacts = z.infer<typeof DeviceFacts>;

export const DiscoveryStatus = z.enum(['QUEUED', 'RUNNING', 'SUCCEEDED', 'FAILED']);
export type DiscoveryStatus = z.infer<typeof DiscoveryStatus>;

/** One reading of a device's facts, done by a worker (the API never reaches the management network). */
export const Discovery = z.object({
  id: Id,
  deviceId: Id,
  deviceHostname: z.string(),
  status: DiscoveryStatus,
  facts: DeviceFacts.nullable(),
  /** Why it failed, in words (unreachable, refused login, unreadable output). */
  error: z.string().nullable(),
  requestedBy: z.string(),
  createdAt: IsoDate,
  startedAt: IsoDate.nullable(),
  endedAt: IsoDate.nullable(),
});
export type Discovery = z.infer<typeof Discovery>;

export const DiscoverQuery = z.object({
  /** Seconds to wait for the worker's answer before answering 202 with where to find it. */
  wait: z.coerce.number().int().min(0).max(60).default(10),
});
