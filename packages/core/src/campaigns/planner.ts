// The campaign planner: devices with their predicted impact → waves (canary first, devices of one
// redundancy group never in one wave), expected durations from measured run times, the fit
// against the window, and the canonical form the plan hash is taken over.
import type {
  CampaignPlan,
  CampaignStrategy,
  CampaignTargetDto,
  Impact,
  MaintenanceWindow,
  Vendor,
} from '@hitless/contracts';

export interface PlanDeviceInput {
  deviceId: string;
  hostname: string;
  vendor: Vendor;
  platformFamily: string;
  redundancyGroup: string | null;
  fromVersion: string | null;
  imageId: string | null;
  toVersion: string | null;
  impact: Impact;
  reason: string | null;
}

export interface FamilyDuration {
  vendor: Vendor;
  platformFamily: string;
  ms: number;
  samples: number;
}

export interface PlanInput {
  devices: PlanDeviceInput[];
  targets: CampaignTargetDto[];
  strategy: CampaignStrategy;
  window: MaintenanceWindow;
  /** Measured run durations per family; a family without one uses `defaultRunMs`. */
  durations: FamilyDuration[];
  defaultRunMs: number;
}

/** Impacts that put a device into a wave; the others are listed with their reason, never dropped. */
export const PLANNED_IMPACTS: readonly Impact[] = ['ISSU_C', 'ISSU_B', 'FSU'];

export function buildPlan(input: PlanInput): CampaignPlan {
  void input;
  throw new Error('not implemented');
}

/** The failure budget as a device count (a percent of the planned devices, rounded up, at least 1). */
export function failureBudgetDevices(budget: CampaignStrategy['failureBudget'], plannedDevices: number): number {
  void budget;
  void plannedDevices;
  throw new Error('not implemented');
}

/**
 * The text the plan hash is the SHA-256 of: canonical JSON of what an approver says yes to
 * (devices with their wave, image and impact; waves; target images; strategy; window), without
 * estimates, so re-estimating durations does not void an approval but any real change does.
 */
export function planHashInput(plan: CampaignPlan): string {
  void plan;
  throw new Error('not implemented');
}
