// Who may do what to a campaign in which status. The API asks these before every mutation (and
// fills the DTO's `can` from them); the dashboard hides buttons with the same answers.
import type { CampaignStatus, Role } from '@hitless/contracts';

export type CampaignVerdict = { ok: true } | { ok: false; reason: string };

export interface CampaignFacts {
  status: CampaignStatus;
  authorIds: string[];
  planHash: string | null;
  approvedPlanHash: string | null;
  gateWave: number | null;
  /** The window's start: a plan approval not given before it is expired. */
  windowStart: Date;
  windowEnd: Date;
}

export interface Caller {
  userId: string;
  role: Role;
}

/** Statuses in which the campaign holds its devices: a device in one of them is busy for any other. */
export const ACTIVE_CAMPAIGN_STATUSES: readonly CampaignStatus[] = [
  'PENDING_APPROVAL',
  'APPROVED',
  'SCHEDULED',
  'RUNNING',
  'PAUSED',
];
export const TERMINAL_CAMPAIGN_STATUSES: readonly CampaignStatus[] = [
  'COMPLETED',
  'FAILED',
  'ABORTED',
  'REJECTED',
  'EXPIRED',
];

export function canEditCampaign(c: CampaignFacts, who: Caller): CampaignVerdict {
  void c;
  void who;
  throw new Error('not implemented');
}
export function canSubmitCampaign(c: CampaignFacts, who: Caller): CampaignVerdict {
  void c;
  void who;
  throw new Error('not implemented');
}
export function canApproveCampaign(c: CampaignFacts, who: Caller, now: Date): CampaignVerdict {
  void c;
  void who;
  void now;
  throw new Error('not implemented');
}
export function canOpenGate(c: CampaignFacts, who: Caller, wave: number): CampaignVerdict {
  void c;
  void who;
  void wave;
  throw new Error('not implemented');
}
export function canPauseCampaign(c: CampaignFacts, who: Caller): CampaignVerdict {
  void c;
  void who;
  throw new Error('not implemented');
}
export function canResumeCampaign(c: CampaignFacts, who: Caller, now: Date): CampaignVerdict {
  void c;
  void who;
  void now;
  throw new Error('not implemented');
}
export function canAbortCampaign(c: CampaignFacts, who: Caller): CampaignVerdict {
  void c;
  void who;
  throw new Error('not implemented');
}
export function canFollowUpCampaign(c: CampaignFacts, who: Caller): CampaignVerdict {
  void c;
  void who;
  throw new Error('not implemented');
}
