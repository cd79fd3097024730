// Who may do what to a campaign in which status. The API asks these before every mutation (and
// fills the DTO's `can` from them); the dashboard hides buttons with the same answers.
import type { CampaignStatus, Role } from '@hitless/contracts';
import { IANAZone } from 'luxon';
import { can } from '../rbac.ts';
import { formatLocal } from './window.ts';

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
  /** The window's IANA zone, to name times in it in reasons (UTC ISO times without it). */
  timeZone?: string;
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

// An unknown zone is refused when the window is saved; a verdict never throws over it.
const when = (c: CampaignFacts, at: Date) =>
  c.timeZone && IANAZone.isValidZone(c.timeZone) ? formatLocal({ timeZone: c.timeZone }, at) : at.toISOString();
const OK: CampaignVerdict = { ok: true };
const no = (reason: string): CampaignVerdict => ({ ok: false, reason });

export const isTerminalCampaignStatus = (s: CampaignStatus) => TERMINAL_CAMPAIGN_STATUSES.includes(s);

/** Follow-ups start from a campaign that ran (or was meant to) and is over; a rejected one is edited instead. */
export const FOLLOW_UP_STATUSES: readonly CampaignStatus[] = ['COMPLETED', 'FAILED', 'ABORTED', 'EXPIRED'];

const lower = (s: CampaignStatus) => s.toLowerCase().replace('_', ' ');
const writer = (who: Caller) =>
  can(who.role, 'campaigns:write') ? null : no('only an operator or an admin may change campaigns');
const approver = (who: Caller) =>
  can(who.role, 'campaigns:approve')
    ? null
    : no('only an approver (change manager) or an admin may decide on campaigns');
const author = (c: CampaignFacts, who: Caller) =>
  c.authorIds.includes(who.userId)
    ? no('you created, edited or submitted this campaign; another approver must decide')
    : null;

export function canEditCampaign(c: CampaignFacts, who: Caller): CampaignVerdict {
  const denied = writer(who);
  if (denied) return denied;
  if (c.status === 'RUNNING') return no('the campaign is running; pause it first');
  if (isTerminalCampaignStatus(c.status))
    return no(`the campaign is ${lower(c.status)}; start a follow-up campaign instead`);
  return OK;
}

export function canSubmitCampaign(c: CampaignFacts, who: Caller): CampaignVerdict {
  const denied = writer(who);
  if (denied) return denied;
  if (c.status !== 'DRAFT') return no(`only a draft can be submitted; the campaign is ${lower(c.status)}`);
  return OK;
}

export function canApproveCampaign(c: CampaignFacts, who: Caller, now: Date): CampaignVerdict {
  const denied = approver(who);
  if (denied) return denied;
  if (c.status !== 'PENDING_APPROVAL') return no(`the campaign is ${lower(c.status)}, not waiting for approval`);
  const self = author(c, who);
  if (self) return self;
  if (now.getTime() >= c.windowStart.getTime()) {
    return no(`the approval request expired: the window opened at ${when(c, c.windowStart)} before anyone approved`);
  }
  if (!c.planHash) return no('the campaign has no plan to approve yet; preview and submit it again');
  return OK;
}

export function canOpenGate(c: CampaignFacts, who: Caller, wave: number): CampaignVerdict {
  const denied = approver(who);
  if (denied) return denied;
  if (c.status !== 'RUNNING') return no(`the campaign is ${lower(c.status)}; only a running campaign waits at a gate`);
  if (c.gateWave !== wave) {
    return no(
      c.gateWave === null
        ? `the campaign is not waiting at a gate after wave ${wave}`
        : `the campaign waits at the gate after wave ${c.gateWave}, not ${wave}`,
    );
  }
  const self = author(c, who);
  if (self) return self;
  return OK;
}

export function canPauseCampaign(c: CampaignFacts, who: Caller): CampaignVerdict {
  if (!can(who.role, 'campaigns:write') && !can(who.role, 'campaigns:approve'))
    return no('only an operator, an approver or an admin may pause a campaign');
  if (c.status !== 'RUNNING' && c.status !== 'SCHEDULED')
    return no(`the campaign is ${lower(c.status)}; only a scheduled or running campaign can be paused`);
  return OK;
}

export function canResumeCampaign(c: CampaignFacts, who: Caller, now: Date): CampaignVerdict {
  const denied = writer(who);
  if (denied) return denied;
  if (c.status !== 'PAUSED') return no(`the campaign is ${lower(c.status)}, not paused`);
  if (!c.approvedPlanHash || c.approvedPlanHash !== c.planHash)
    return no('the plan changed since it was approved; it needs a fresh approval');
  if (now.getTime() >= c.windowEnd.getTime()) return no('the window ended; set a new window and get a fresh approval');
  return OK;
}

export function canAbortCampaign(c: CampaignFacts, who: Caller): CampaignVerdict {
  if (!can(who.role, 'campaigns:write') && !can(who.role, 'campaigns:approve'))
    return no('only an operator, an approver or an admin may abort a campaign');
  if (c.status === 'DRAFT') return no('a draft has not been submitted; edit or delete it instead');
  if (isTerminalCampaignStatus(c.status)) return no(`the campaign is already ${lower(c.status)}`);
  return OK;
}

export function canFollowUpCampaign(c: CampaignFacts, who: Caller): CampaignVerdict {
  const denied = writer(who);
  if (denied) return denied;
  if (!FOLLOW_UP_STATUSES.includes(c.status))
    return no(
      `a follow-up starts from a completed, failed, aborted or expired campaign; this one is ${lower(c.status)}`,
    );
  return OK;
}
