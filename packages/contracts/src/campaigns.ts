// Fleet campaigns: what an operator writes (the draft), what the preview predicts per device, the
// plan that is frozen at submission and approved by its hash, and the campaign as it runs.
import { z } from 'zod';
import { Id, IsoDate, Pagination, page, text } from './common.ts';
import { Vendor } from './devices.ts';
import { AcceptMode, CheckResultSchema, RunStatus } from './runs.ts';

export const CampaignStatus = z.enum([
  'DRAFT',
  'PENDING_APPROVAL',
  'APPROVED',
  'REJECTED',
  'SCHEDULED',
  'RUNNING',
  'PAUSED',
  'COMPLETED',
  'FAILED',
  'ABORTED',
  'EXPIRED',
]);
export type CampaignStatus = z.infer<typeof CampaignStatus>;

export const CampaignDeviceState = z.enum([
  'PENDING',
  'RUNNING',
  'SUCCEEDED',
  'FAILED',
  'ROLLED_BACK',
  'REFUSED',
  'ABORTED',
  'SKIPPED',
  'EXCLUDED',
]);
export type CampaignDeviceState = z.infer<typeof CampaignDeviceState>;

/**
 * What the preview predicts for one device: hitless ISSU (compatibility C), ISSU losing state in
 * some subsystems (B), the disruptive FSU (only when allowed), refused by a pre-check, no target
 * image for its family, busy in another active campaign or run, or not reachable to check.
 */
export const Impact = z.enum(['ISSU_C', 'ISSU_B', 'FSU', 'REFUSED', 'NO_TARGET', 'BUSY', 'UNREACHABLE']);
export type Impact = z.infer<typeof Impact>;

/** Local date in the campaign's time zone. */
export const LocalDate = z.iso.date({ error: 'must be a date as YYYY-MM-DD' });
/** Local wall-clock time in the campaign's time zone, without offset: 2026-03-08T01:30. */
export const LocalDateTime = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2})?$/, { error: 'must be a local date and time as YYYY-MM-DDTHH:MM' });

export const CampaignSelection = z.discriminatedUnion('kind', [
  z.object({
    kind: z.literal('ids'),
    deviceIds: z.array(Id).min(1, { error: 'pick at least one device' }).max(5000),
  }),
  z.object({
    kind: z.literal('filter'),
    vendor: Vendor.optional(),
    platform: z.string().trim().max(100).optional(),
    site: z.string().trim().max(100).optional(),
    tag: z.string().trim().max(100).optional(),
    redundancyGroup: z.string().trim().max(100).optional(),
  }),
]);
export type CampaignSelection = z.infer<typeof CampaignSelection>;

/** The maintenance window: local start and end in an IANA time zone, plus blackout dates. */
export const MaintenanceWindow = z.object({
  start: LocalDateTime,
  end: LocalDateTime,
  timeZone: z.string().trim().min(1, { error: 'must not be empty' }).max(64),
  blackoutDates: z.array(LocalDate).max(366).default([]),
});
export type MaintenanceWindow = z.infer<typeof MaintenanceWindow>;

export const FailureBudget = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('count'), value: z.number().int().min(1).max(10_000) }),
  z.object({ kind: z.literal('percent'), value: z.number().int().min(1).max(100) }),
]);
export type FailureBudget = z.infer<typeof FailureBudget>;

export const CampaignStrategy = z.object({
  /** Devices in the first wave (0: no canary). */
  canarySize: z.number().int().min(0).max(100).default(1),
  waveSize: z.number().int().min(1).max(1000).default(10),
  /** Device runs of this campaign in flight at once, at most. */
  concurrency: z.number().int().min(1).max(200).default(2),
  /** The failures that halt the campaign (it halts when this many devices failed). */
  failureBudget: FailureBudget.default({ kind: 'count', value: 1 }),
  gateAfterCanary: z.boolean().default(true),
  gateEveryWave: z.boolean().default(false),
  pauseBetweenWavesSeconds: z.number().int().min(0).max(86_400).default(0),
  acceptMode: AcceptMode.default('AUTO'),
  /** Cisco: the ISSU rollback timer configured before loadversion, in seconds. */
  rollbackTimerSeconds: z.number().int().min(60).max(7200).nullable().default(null),
  allowDisruptive: z.boolean().default(false),
  /** Junos: reboot the old master onto the new release after the switchover. */
  rebootOldMaster: z.boolean().default(true),
  /** Junos: give mastership back to the original master RE at the end. */
  restoreMastership: z.boolean().default(true),
});
export type CampaignStrategy = z.infer<typeof CampaignStrategy>;

export const CampaignCreate = z.object({
  name: text(200),
  /** The change ticket reference, free text (CHG0012345, JIRA-123, …). */
  ticket: text(100),
  description: z.string().trim().max(2000).nullable().default(null),
  /** One image per platform family; a selected device whose family has none is listed "no target". */
  targetImageIds: z.array(Id).min(1, { error: 'pick at least one target image' }).max(100),
  selection: CampaignSelection,
  window: MaintenanceWindow,
  strategy: CampaignStrategy.default(CampaignStrategy.parse({})),
});
export type CampaignCreate = z.infer<typeof CampaignCreate>;

/**
 * An edit replaces the given parts; an edit after submission sends the campaign back to PENDING_APPROVAL.
 * The create body's defaults are taken off first: zod applies a default inside `.partial()`, so an
 * edit of the name alone would otherwise reset the description and the whole strategy.
 */
export const CampaignUpdate = CampaignCreate.extend({
  description: CampaignCreate.shape.description.unwrap(),
  strategy: CampaignCreate.shape.strategy.unwrap(),
})
  .partial()
  .refine((v) => Object.keys(v).length > 0, { error: 'at least one field must be given' });
export type CampaignUpdate = z.infer<typeof CampaignUpdate>;

export const CampaignTargetDto = z.object({
  imageId: Id,
  vendor: Vendor,
  platformFamily: z.string(),
  version: z.string(),
  fileName: z.string(),
});
export type CampaignTargetDto = z.infer<typeof CampaignTargetDto>;

export const PlanWave = z.object({
  index: z.number().int(),
  canary: z.boolean(),
  deviceIds: z.array(Id),
  /** Expected wall time of the wave from measured run durations, in ms; null when nothing is known. */
  expectedMs: z.number().int().nullable(),
  /** An approver's go is needed after this wave before the next starts. */
  gateAfter: z.boolean(),
});
export type PlanWave = z.infer<typeof PlanWave>;

/** The plan as frozen at submission; its canonical JSON's SHA-256 is the plan hash approvals name. */
export const CampaignPlan = z.object({
  devices: z.array(
    z.object({
      deviceId: Id,
      hostname: z.string(),
      vendor: Vendor,
      platformFamily: z.string(),
      redundancyGroup: z.string().nullable(),
      fromVersion: z.string().nullable(),
      imageId: Id.nullable(),
      toVersion: z.string().nullable(),
      impact: Impact,
      reason: z.string().nullable(),
      wave: z.number().int().nullable(),
    }),
  ),
  waves: z.array(PlanWave),
  targets: z.array(CampaignTargetDto),
  strategy: CampaignStrategy,
  window: MaintenanceWindow.extend({ startAt: IsoDate, endAt: IsoDate }),
  /** The budget as a device count. */
  failureBudgetDevices: z.number().int(),
  expectedMs: z.number().int().nullable(),
  /** Time the window is open (blackout dates taken out), in ms. */
  openMs: z.number().int(),
  fits: z.enum(['yes', 'no', 'unknown']),
  /** Run duration per platform family used for the estimate: measured median or the default. */
  durations: z.array(
    z.object({
      vendor: Vendor,
      platformFamily: z.string(),
      ms: z.number().int(),
      samples: z.number().int(),
    }),
  ),
});
export type CampaignPlan = z.infer<typeof CampaignPlan>;

export const CampaignDeviceDto = z.object({
  deviceId: Id,
  hostname: z.string(),
  vendor: Vendor,
  platform: z.string(),
  platformFamily: z.string(),
  site: z.string().nullable(),
  redundancyGroup: z.string().nullable(),
  currentVersion: z.string().nullable(),
  wave: z.number().int().nullable(),
  position: z.number().int(),
  imageId: Id.nullable(),
  impact: Impact.nullable(),
  impactReason: z.string().nullable(),
  checks: z.array(CheckResultSchema).nullable(),
  predictedAt: IsoDate.nullable(),
  /** The prediction is older than the last preview request (or missing). */
  predictionStale: z.boolean(),
  state: CampaignDeviceState,
  runId: Id.nullable(),
  runStatus: RunStatus.nullable(),
  currentStep: z.string().nullable(),
  startedAt: IsoDate.nullable(),
  endedAt: IsoDate.nullable(),
});
export type CampaignDeviceDto = z.infer<typeof CampaignDeviceDto>;

export const ApprovalDto = z.object({
  id: Id,
  kind: z.enum(['PLAN', 'GATE']),
  wave: z.number().int().nullable(),
  approver: z.string(),
  decision: z.enum(['APPROVED', 'REJECTED']),
  comment: z.string(),
  planHash: z.string(),
  createdAt: IsoDate,
});
export type ApprovalDto = z.infer<typeof ApprovalDto>;

export const Campaign = z.object({
  id: Id,
  name: z.string(),
  ticket: z.string(),
  description: z.string().nullable(),
  status: CampaignStatus,
  statusReason: z.string().nullable(),
  selection: CampaignSelection,
  targets: z.array(CampaignTargetDto),
  window: MaintenanceWindow.extend({ startAt: IsoDate, endAt: IsoDate }),
  strategy: CampaignStrategy,
  planHash: z.string().nullable(),
  approvedPlanHash: z.string().nullable(),
  createdBy: z.string(),
  /** Usernames of everyone who created, edited or submitted it. */
  authors: z.array(z.string()),
  previewRequestedAt: IsoDate.nullable(),
  currentWave: z.number().int().nullable(),
  gateWave: z.number().int().nullable(),
  openedGates: z.array(z.number().int()),
  nextWaveAt: IsoDate.nullable(),
  followUpOfId: Id.nullable(),
  counts: z.record(CampaignDeviceState, z.number().int()),
  /** Failures counted against the budget so far, and the budget as a device count. */
  failures: z.number().int(),
  failureBudgetDevices: z.number().int().nullable(),
  createdAt: IsoDate,
  updatedAt: IsoDate,
  submittedAt: IsoDate.nullable(),
  approvedAt: IsoDate.nullable(),
  startedAt: IsoDate.nullable(),
  endedAt: IsoDate.nullable(),
  /** What the caller may do now (the server checks again). */
  can: z.object({
    edit: z.boolean(),
    submit: z.boolean(),
    approve: z.boolean(),
    openGate: z.boolean(),
    pause: z.boolean(),
    resume: z.boolean(),
    abort: z.boolean(),
    followUp: z.boolean(),
  }),
  serverTime: IsoDate,
});
export type Campaign = z.infer<typeof Campaign>;

export const CampaignDetail = Campaign.extend({
  devices: z.array(CampaignDeviceDto),
  plan: CampaignPlan.nullable(),
  approvals: z.array(ApprovalDto),
});
export type CampaignDetail = z.infer<typeof CampaignDetail>;

export const CampaignListQuery = Pagination.extend({
  status: CampaignStatus.optional(),
  /** Campaigns waiting for the caller's decision (a plan approval or a gate). */
  awaiting: z.enum(['approval']).optional(),
});
export const CampaignPage = page(Campaign);
export type CampaignPage = z.infer<typeof CampaignPage>;

export const CampaignDecision = z.object({
  decision: z.enum(['APPROVED', 'REJECTED']),
  comment: text(1000),
  /** The plan hash the approver looked at: a plan that changed since is refused (409). */
  planHash: z.string().regex(/^[0-9a-f]{64}$/, { error: 'must be the plan hash shown (64 hex digits)' }),
});
export type CampaignDecision = z.infer<typeof CampaignDecision>;

export const GateDecision = z.object({
  decision: z.enum(['APPROVED', 'REJECTED']),
  comment: text(1000),
});
export type GateDecision = z.infer<typeof GateDecision>;

export const CampaignActionBody = z.object({ comment: z.string().trim().max(500).optional() }).default({});

export const CampaignGateParams = z.object({ id: Id, wave: z.coerce.number().int().min(0) });

export const CampaignReportQuery = z.object({ format: z.enum(['json', 'csv']).default('json') });

/** The campaign report: per device its wave, steps and timing, evidence and outcome; totals; who did what. */
export const CampaignReport = z.object({
  campaign: Campaign,
  approvedPlanHash: z.string().nullable(),
  /** The audit chain's head when the report was made. */
  auditHead: z.object({ id: z.string(), hash: z.string() }).nullable(),
  totals: z.record(z.string(), z.number().int()),
  people: z.array(z.object({ action: z.string(), actor: z.string(), at: IsoDate, comment: z.string().nullable() })),
  devices: z.array(
    z.object({
      deviceId: Id,
      hostname: z.string(),
      wave: z.number().int().nullable(),
      impact: Impact.nullable(),
      state: CampaignDeviceState,
      runId: Id.nullable(),
      runStatus: RunStatus.nullable(),
      fromVersion: z.string().nullable(),
      toVersion: z.string().nullable(),
      startedAt: IsoDate.nullable(),
      endedAt: IsoDate.nullable(),
      durationMs: z.number().int().nullable(),
      summary: z.string().nullable(),
      rollbackTimer: z
        .object({ configuredSeconds: z.number().int().nullable(), deadline: IsoDate.nullable() })
        .nullable(),
      /** Traffic lost at the switchover as the device (or the lab) reported it, in ms. */
      trafficLossMs: z.number().int().nullable(),
      prechecks: z.array(CheckResultSchema).nullable(),
      postchecks: z.array(CheckResultSchema).nullable(),
      steps: z.array(
        z.object({
          name: z.string(),
          status: z.string(),
          attempt: z.number().int(),
          startedAt: IsoDate,
          endedAt: IsoDate.nullable(),
          outcome: z.string().nullable(),
        }),
      ),
    }),
  ),
});
export type CampaignReport = z.infer<typeof CampaignReport>;

export const CampaignUpdatedEvent = z.object({ campaignId: Id, status: CampaignStatus });
export type CampaignUpdatedEvent = z.infer<typeof CampaignUpdatedEvent>;
