// The campaign scheduler's decision, pure: given the campaign's state at `now`, which devices start,
// whether it waits at a gate or between waves, and which status it moves to and why. The worker's
// tick loads the state under a lock, applies the decision in one transaction and queues the runs.
import type {
  CampaignDeviceState,
  CampaignStatus,
  CampaignStrategy,
  MaintenanceWindow,
  PlanWave,
} from '@hitless/contracts';

export interface TickDevice {
  deviceId: string;
  hostname: string;
  /** null: not in any wave (excluded). */
  wave: number | null;
  position: number;
  state: CampaignDeviceState;
  redundancyGroup: string | null;
  endedAt: Date | null;
}

export interface TickInput {
  now: Date;
  status: CampaignStatus;
  window: MaintenanceWindow;
  strategy: CampaignStrategy;
  waves: PlanWave[];
  devices: TickDevice[];
  /** Redundancy groups with a device run in flight anywhere in the product (other campaigns, single runs). */
  busyGroups: string[];
  /** Devices with a run in flight that is not this campaign's. */
  busyDevices: string[];
  failureBudgetDevices: number;
  gateWave: number | null;
  openedGates: number[];
  nextWaveAt: Date | null;
}

export interface TickDecision {
  status: CampaignStatus;
  statusReason: string | null;
  /** Devices whose runs start now, in order (never more than the concurrency cap leaves room for). */
  start: string[];
  /** PENDING devices that will never start (the campaign halted or ended). */
  skip: string[];
  currentWave: number | null;
  gateWave: number | null;
  nextWaveAt: Date | null;
  /** Look again at this time at the latest (window opening, end of a pause); null: only on events. */
  wakeAt: Date | null;
  /** No run of the campaign is in flight any more and none will start: set endedAt. */
  ended: boolean;
}

/** States that count against the failure budget. */
export const FAILED_DEVICE_STATES: readonly CampaignDeviceState[] = ['FAILED', 'ROLLED_BACK', 'REFUSED'];

export function decideTick(input: TickInput): TickDecision {
  void input;
  throw new Error('not implemented');
}
