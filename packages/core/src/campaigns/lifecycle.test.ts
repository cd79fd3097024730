import type { CampaignStatus, Role } from '@hitless/contracts';
import { CampaignStatus as CampaignStatusSchema } from '@hitless/contracts';
import { describe, expect, it } from 'vitest';
import {
  ACTIVE_CAMPAIGN_STATUSES,
  canAbortCampaign,
  canApproveCampaign,
  canEditCampaign,
  canFollowUpCampaign,
  canOpenGate,
  canPauseCampaign,
  canResumeCampaign,
  canSubmitCampaign,
  TERMINAL_CAMPAIGN_STATUSES,
  type CampaignFacts,
  type Caller,
} from './lifecycle.ts';

const ALL = CampaignStatusSchema.options;
const windowStart = new Date('2026-06-10T20:00:00Z');
const windowEnd = new Date('2026-06-11T02:00:00Z');
const before = new Date('2026-06-10T12:00:00Z');
const facts = (o: Partial<CampaignFacts> = {}): CampaignFacts => ({
  status: 'DRAFT',
  authorIds: ['op-1'],
  planHash: 'h1',
  approvedPlanHash: null,
  gateWave: null,
  windowStart,
  windowEnd,
  ...o,
});
const op: Caller = { userId: 'op-2', role: 'OPERATOR' };
const author: Caller = { userId: 'op-1', role: 'OPERATOR' };
const approver: Caller = { userId: 'cm-1', role: 'APPROVER' };
const viewer: Caller = { userId: 'v-1', role: 'VIEWER' };
const admin: Caller = { userId: 'adm-1', role: 'ADMIN' };

const okStatuses = (fn: (s: CampaignStatus) => { ok: boolean }) => ALL.filter((s) => fn(s).ok);
const reason = (v: { ok: true } | { ok: false; reason: string }) => (v.ok ? null : v.reason);

describe('campaign status sets', () => {
  it('splits every status into draft, active and terminal', () => {
    expect(new Set([...ACTIVE_CAMPAIGN_STATUSES, ...TERMINAL_CAMPAIGN_STATUSES, 'DRAFT'])).toEqual(new Set(ALL));
  });
});

describe('edit', () => {
  it('is an operator or admin right, in DRAFT, PENDING_APPROVAL, APPROVED, SCHEDULED and PAUSED', () => {
    expect(okStatuses((status) => canEditCampaign(facts({ status }), op))).toEqual([
      'DRAFT',
      'PENDING_APPROVAL',
      'APPROVED',
      'SCHEDULED',
      'PAUSED',
    ]);
    expect(canEditCampaign(facts(), admin).ok).toBe(true);
    expect(canEditCampaign(facts(), approver).ok).toBe(false);
    expect(reason(canEditCampaign(facts(), viewer))).toContain('operator');
  });
  it('tells the user to pause a running campaign first', () => {
    expect(reason(canEditCampaign(facts({ status: 'RUNNING' }), op))).toContain('pause it first');
    expect(reason(canEditCampaign(facts({ status: 'COMPLETED' }), op))).toContain('completed');
  });
});

describe('submit', () => {
  it('is allowed on a draft only, to operators and admins', () => {
    expect(okStatuses((status) => canSubmitCampaign(facts({ status }), op))).toEqual(['DRAFT']);
    expect(canSubmitCampaign(facts(), admin).ok).toBe(true);
    expect(canSubmitCampaign(facts(), viewer).ok).toBe(false);
    expect(canSubmitCampaign(facts(), approver).ok).toBe(false);
  });
});

describe('approve the plan', () => {
  const pending = facts({ status: 'PENDING_APPROVAL' });
  it('is an approver or admin decision on a pending campaign', () => {
    expect(canApproveCampaign(pending, approver, before)).toEqual({ ok: true });
    expect(canApproveCampaign(pending, admin, before)).toEqual({ ok: true });
    expect(okStatuses((status) => canApproveCampaign(facts({ status }), approver, before))).toEqual([
      'PENDING_APPROVAL',
    ]);
  });
  it('is refused to viewers and operators', () => {
    for (const who of [viewer, op]) {
      expect(reason(canApproveCampaign(pending, who, before))).toContain('only an approver');
    }
  });
  it('refuses self-approval, also to an admin who edited it (four eyes)', () => {
    const edited = facts({ status: 'PENDING_APPROVAL', authorIds: ['op-1', 'adm-1', 'cm-1'] });
    for (const who of [admin, approver]) {
      expect(reason(canApproveCampaign(edited, who, before))).toBe(
        'you created, edited or submitted this campaign; another approver must decide',
      );
    }
  });
  it('expires once the window opened', () => {
    const r = reason(canApproveCampaign(pending, approver, windowStart));
    expect(r).toContain('the approval request expired: the window opened at');
    expect(r).toContain('before anyone approved');
    expect(reason(canApproveCampaign({ ...pending, timeZone: 'Europe/Berlin' }, approver, windowStart))).toContain(
      '2026-06-10 22:00 Europe/Berlin',
    );
    expect(canApproveCampaign(pending, approver, new Date(windowStart.getTime() - 1)).ok).toBe(true);
  });
  it('needs a plan hash', () => {
    expect(
      reason(canApproveCampaign(facts({ status: 'PENDING_APPROVAL', planHash: null }), approver, before)),
    ).toContain('no plan');
  });
});

describe('open a gate', () => {
  const waiting = facts({ status: 'RUNNING', gateWave: 0, authorIds: ['op-1', 'cm-9'] });
  it('is an approver decision on the wave the campaign waits after', () => {
    expect(canOpenGate(waiting, approver, 0)).toEqual({ ok: true });
    expect(canOpenGate(waiting, admin, 0)).toEqual({ ok: true });
    expect(reason(canOpenGate(waiting, approver, 1))).toContain('after wave 0, not 1');
    expect(canOpenGate(facts({ status: 'RUNNING', gateWave: null }), approver, 0).ok).toBe(false);
    expect(okStatuses((status) => canOpenGate({ ...waiting, status }, approver, 0))).toEqual(['RUNNING']);
  });
  it('is refused to operators, viewers and the campaign’s own authors', () => {
    expect(canOpenGate(waiting, op, 0).ok).toBe(false);
    expect(canOpenGate(waiting, viewer, 0).ok).toBe(false);
    expect(reason(canOpenGate(waiting, { userId: 'cm-9', role: 'APPROVER' }, 0))).toContain(
      'another approver must decide',
    );
  });
});

describe('pause', () => {
  it('is allowed to operators, approvers and admins on a running or scheduled campaign', () => {
    for (const who of [op, approver, admin]) {
      expect(okStatuses((status) => canPauseCampaign(facts({ status }), who))).toEqual(['SCHEDULED', 'RUNNING']);
    }
    expect(canPauseCampaign(facts({ status: 'RUNNING' }), viewer).ok).toBe(false);
  });
});

describe('resume', () => {
  const paused = facts({ status: 'PAUSED', planHash: 'h1', approvedPlanHash: 'h1' });
  it('is an operator right on a paused campaign whose approved plan is unchanged, inside the window', () => {
    expect(canResumeCampaign(paused, op, before)).toEqual({ ok: true });
    expect(canResumeCampaign(paused, approver, before).ok).toBe(false);
    expect(canResumeCampaign(paused, viewer, before).ok).toBe(false);
    expect(okStatuses((status) => canResumeCampaign({ ...paused, status }, op, before))).toEqual(['PAUSED']);
  });
  it('needs a fresh approval after a plan change', () => {
    expect(reason(canResumeCampaign({ ...paused, planHash: 'h2' }, op, before))).toBe(
      'the plan changed since it was approved; it needs a fresh approval',
    );
    expect(canResumeCampaign({ ...paused, approvedPlanHash: null }, op, before).ok).toBe(false);
  });
  it('needs a new window once the window ended', () => {
    expect(reason(canResumeCampaign(paused, op, windowEnd))).toBe(
      'the window ended; set a new window and get a fresh approval',
    );
  });
});

describe('abort', () => {
  it('is allowed on every submitted, non-terminal campaign to operators, approvers and admins', () => {
    for (const who of [op, approver, admin]) {
      expect(okStatuses((status) => canAbortCampaign(facts({ status }), who))).toEqual(ACTIVE_CAMPAIGN_STATUSES);
    }
    expect(canAbortCampaign(facts({ status: 'RUNNING' }), viewer).ok).toBe(false);
    expect(reason(canAbortCampaign(facts({ status: 'DRAFT' }), op))).toContain('edit or delete it');
  });
});

describe('follow-up', () => {
  it('starts from a completed, failed, aborted or expired campaign, by an operator or admin', () => {
    expect(okStatuses((status) => canFollowUpCampaign(facts({ status }), op))).toEqual([
      'COMPLETED',
      'FAILED',
      'ABORTED',
      'EXPIRED',
    ]);
    const roles: Role[] = ['VIEWER', 'APPROVER'];
    for (const role of roles)
      expect(canFollowUpCampaign(facts({ status: 'FAILED' }), { userId: 'x', role }).ok).toBe(false);
    expect(canFollowUpCampaign(facts({ status: 'FAILED' }), author).ok).toBe(true);
  });
});
