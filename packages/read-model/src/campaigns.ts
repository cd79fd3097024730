// Campaigns as the API answers them: the row's columns back in the contracts' shapes (strategy,
// window as local times in its zone), counts per device state, what the caller may do now (core's
// lifecycle rules), and the detail with its devices, plan and approvals.
import {
  CampaignPlan,
  CampaignSelection,
  CheckResultSchema,
  Impact,
  type Campaign as CampaignDto,
  type CampaignDetail,
  type CampaignDeviceDto,
  CampaignDeviceState as CampaignDeviceStateEnum,
  type CampaignDeviceState,
  type CampaignStrategy,
  type CampaignTargetDto,
  type MaintenanceWindow,
} from '@hitless/contracts';
import {
  can,
  canAbortCampaign,
  canApproveCampaign,
  canEditCampaign,
  canFollowUpCampaign,
  canOpenGate,
  canPauseCampaign,
  canResumeCampaign,
  canSubmitCampaign,
  FAILED_DEVICE_STATES,
  platformFamily,
  type Caller,
  type CampaignFacts,
} from '@hitless/core';
import type {
  Approval,
  Campaign,
  CampaignDevice,
  CampaignTarget,
  Device,
  DeviceRun,
  Prisma,
  SoftwareImage,
} from '@hitless/db';

/** Every device state, in the schema's order (the contracts' enum mirrors the Prisma one). */
export const CAMPAIGN_DEVICE_STATES: readonly CampaignDeviceState[] = CampaignDeviceStateEnum.options;

export const campaignInclude = {
  targets: { include: { image: true } },
  createdBy: { select: { username: true } },
} as const satisfies Prisma.CampaignInclude;

export const campaignDetailInclude = {
  ...campaignInclude,
  devices: {
    include: {
      device: true,
      run: { select: { status: true, currentStep: true } },
    },
    orderBy: [{ wave: { sort: 'asc', nulls: 'last' } }, { position: 'asc' }, { deviceId: 'asc' }],
  },
  approvals: { include: { approver: { select: { username: true } } }, orderBy: { createdAt: 'asc' } },
} as const satisfies Prisma.CampaignInclude;

export type CampaignRow = Campaign & {
  targets: (CampaignTarget & { image: SoftwareImage })[];
  createdBy: { username: string };
};

export type CampaignDeviceRow = CampaignDevice & {
  device: Device;
  run: { status: DeviceRun['status']; currentStep: string | null } | null;
};

export type CampaignDetailRow = CampaignRow & {
  devices: CampaignDeviceRow[];
  approvals: (Approval & { approver: { username: string } })[];
};

const iso = (d: Date | null) => (d ? d.toISOString() : null);

/** The strategy as the contracts speak it, from the row's columns. */
export function strategyOf(row: Campaign): CampaignStrategy {
  return {
    canarySize: row.canarySize,
    waveSize: row.waveSize,
    concurrency: row.concurrency,
    failureBudget:
      row.failureBudgetPercent != null
        ? { kind: 'percent', value: row.failureBudgetPercent }
        : { kind: 'count', value: row.failureBudgetCount ?? 1 },
    gateAfterCanary: row.gateAfterCanary,
    gateEveryWave: row.gateEveryWave,
    pauseBetweenWavesSeconds: row.pauseBetweenWavesSeconds,
    acceptMode: row.acceptMode,
    rollbackTimerSeconds: row.rollbackTimerSeconds,
    allowDisruptive: row.allowDisruptive,
    rebootOldMaster: row.rebootOldMaster,
    restoreMastership: row.restoreMastership,
  };
}

/** An instant as local wall-clock time in `timeZone` (YYYY-MM-DDTHH:MM, seconds only when not :00). */
export function localDateTime(at: Date, timeZone: string): string {
  let parts: Intl.DateTimeFormatPart[];
  try {
    parts = new Intl.DateTimeFormat('en-CA', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
    }).formatToParts(at);
  } catch {
    // A zone the runtime no longer knows: UTC is still a true statement of the instant.
    return localDateTime(at, 'UTC');
  }
  const p = Object.fromEntries(parts.map((x) => [x.type, x.value]));
  const hms = `${p.hour}:${p.minute}${p.second && p.second !== '00' ? `:${p.second}` : ''}`;
  return `${p.year}-${p.month}-${p.day}T${hms}`;
}

/** The maintenance window as it was given (local times in its zone), from the stored instants. */
export function windowOf(row: Campaign): MaintenanceWindow {
  return {
    start: localDateTime(row.windowStart, row.timeZone),
    end: localDateTime(row.windowEnd, row.timeZone),
    timeZone: row.timeZone,
    blackoutDates: row.blackoutDates,
  };
}

export function targetOf(t: CampaignTarget & { image: SoftwareImage }): CampaignTargetDto {
  return {
    imageId: t.imageId,
    vendor: t.image.vendor,
    platformFamily: t.image.platformFamily,
    version: t.image.version,
    fileName: t.image.fileName,
  };
}

export function factsOf(row: Campaign): CampaignFacts {
  return {
    status: row.status,
    authorIds: row.authorIds,
    planHash: row.planHash,
    approvedPlanHash: row.approvedPlanHash,
    gateWave: row.gateWave,
    windowStart: row.windowStart,
    windowEnd: row.windowEnd,
    timeZone: row.timeZone,
  };
}

/** The stored plan, or null when there is none (a draft) or it cannot be read. */
export function planOf(row: Campaign): CampaignPlan | null {
  if (row.plan == null) return null;
  const parsed = CampaignPlan.safeParse(row.plan);
  return parsed.success ? parsed.data : null;
}

/**
 * What the caller may do now: the role's permission and the campaign's lifecycle rules. Pause,
 * resume and abort are operator actions (`campaigns:write`), as their routes declare.
 */
export function campaignCan(row: Campaign, caller: Caller, now: Date): CampaignDto['can'] {
  const c = factsOf(row);
  const write = can(caller.role, 'campaigns:write');
  const approve = can(caller.role, 'campaigns:approve');
  return {
    edit: write && canEditCampaign(c, caller).ok,
    submit: write && canSubmitCampaign(c, caller).ok,
    approve: approve && canApproveCampaign(c, caller, now).ok,
    openGate: approve && row.gateWave != null && canOpenGate(c, caller, row.gateWave).ok,
    pause: write && canPauseCampaign(c, caller).ok,
    resume: write && canResumeCampaign(c, caller, now).ok,
    abort: write && canAbortCampaign(c, caller).ok,
    followUp: write && canFollowUpCampaign(c, caller).ok,
  };
}

/** Device counts per state, every state present. */
export function countStates(counts: Partial<Record<CampaignDeviceState, number>>): Record<CampaignDeviceState, number> {
  return Object.fromEntries(CAMPAIGN_DEVICE_STATES.map((s) => [s, counts[s] ?? 0])) as Record<
    CampaignDeviceState,
    number
  >;
}

export interface CampaignExtras {
  /** Devices per state (from a groupBy for lists, from the device rows for a detail). */
  counts: Partial<Record<CampaignDeviceState, number>>;
  /** Usernames by user id, for `authors`. */
  names: ReadonlyMap<string, string>;
}

export function toCampaignDto(row: CampaignRow, caller: Caller, now: Date, extras: CampaignExtras): CampaignDto {
  const counts = countStates(extras.counts);
  const plan = planOf(row);
  return {
    id: row.id,
    name: row.name,
    ticket: row.ticket,
    description: row.description,
    status: row.status,
    statusReason: row.statusReason,
    selection: CampaignSelection.parse(row.selection),
    targets: row.targets
      .map(targetOf)
      .sort((a, b) => `${a.vendor} ${a.platformFamily}`.localeCompare(`${b.vendor} ${b.platformFamily}`)),
    window: { ...windowOf(row), startAt: row.windowStart.toISOString(), endAt: row.windowEnd.toISOString() },
    strategy: strategyOf(row),
    planHash: row.planHash,
    approvedPlanHash: row.approvedPlanHash,
    createdBy: row.createdBy.username,
    authors: row.authorIds.map((id) => extras.names.get(id) ?? id),
    previewRequestedAt: iso(row.previewRequestedAt),
    currentWave: row.currentWave,
    gateWave: row.gateWave,
    openedGates: row.openedGates,
    nextWaveAt: iso(row.nextWaveAt),
    followUpOfId: row.followUpOfId,
    counts,
    failures: FAILED_DEVICE_STATES.reduce((n, s) => n + counts[s], 0),
    failureBudgetDevices: plan ? plan.failureBudgetDevices : null,
    createdAt: row.createdAt.toISOString(),
    updatedAt: row.updatedAt.toISOString(),
    submittedAt: iso(row.submittedAt),
    approvedAt: iso(row.approvedAt),
    startedAt: iso(row.startedAt),
    endedAt: iso(row.endedAt),
    can: campaignCan(row, caller, now),
    serverTime: now.toISOString(),
  };
}

const Checks = CheckResultSchema.array();

export function toCampaignDeviceDto(row: CampaignDeviceRow, previewRequestedAt: Date | null): CampaignDeviceDto {
  const impact = Impact.safeParse(row.impact);
  const checks = row.evidence == null ? null : Checks.safeParse(row.evidence);
  return {
    deviceId: row.deviceId,
    hostname: row.device.hostname,
    vendor: row.device.vendor,
    platform: row.device.platform,
    platformFamily: platformFamily(row.device.vendor, row.device.platform),
    site: row.device.site,
    redundancyGroup: row.device.redundancyGroup,
    currentVersion: row.device.currentVersion,
    wave: row.wave,
    position: row.position,
    imageId: row.imageId,
    impact: impact.success ? impact.data : null,
    impactReason: row.impactReason,
    checks: checks?.success ? checks.data : null,
    predictedAt: iso(row.predictedAt),
    predictionStale: row.predictedAt == null || (previewRequestedAt != null && row.predictedAt < previewRequestedAt),
    state: row.state,
    runId: row.runId,
    runStatus: row.run?.status ?? null,
    currentStep: row.run?.currentStep ?? null,
    startedAt: iso(row.startedAt),
    endedAt: iso(row.endedAt),
  };
}

export function toCampaignDetail(
  row: CampaignDetailRow,
  caller: Caller,
  now: Date,
  names: ReadonlyMap<string, string>,
): CampaignDetail {
  const counts: Partial<Record<CampaignDeviceState, number>> = {};
  for (const d of row.devices) counts[d.state] = (counts[d.state] ?? 0) + 1;
  return {
    ...toCampaignDto(row, caller, now, { counts, names }),
    devices: row.devices.map((d) => toCampaignDeviceDto(d, row.previewRequestedAt)),
    plan: planOf(row),
    approvals: row.approvals.map((a) => ({
      id: a.id,
      kind: a.kind,
      wave: a.wave,
      approver: a.approver.username,
      decision: a.decision,
      comment: a.comment,
      planHash: a.planHash,
      createdAt: a.createdAt.toISOString(),
    })),
  };
}
