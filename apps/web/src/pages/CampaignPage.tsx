// One campaign: its header (ticket, status and why, the window with the time left by the server's
// clock, the failure budget used, the next gate), the plan preview before it runs, the live view
// and timeline once it does, its approvals, and the actions the caller may take now (`can`).
import type { CampaignDetail } from '@hitless/contracts';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useNow } from '../components/hooks.ts';
import { Link, useLocation, useNavigate, useParams } from 'react-router';
import { api, friendlyError } from '../api.ts';
import { Banner } from '../components/ui.tsx';
import {
  CampaignStatusBadge,
  campaignKey,
  formatSpan,
  shortHash,
  useCampaign,
  waveLabeler,
  wavesOf,
  WindowTimes,
} from './CampaignCommon.tsx';
import { CampaignActionDialog, type CampaignAction } from './CampaignDialogs.tsx';
import { LiveView } from './CampaignLive.tsx';
import { isChecking, PlanPreview } from './CampaignPlan.tsx';
import { CampaignTimeline } from './CampaignTimeline.tsx';
import { dateTime } from '../time.ts';

const TERMINAL = ['COMPLETED', 'FAILED', 'ABORTED', 'REJECTED', 'EXPIRED'];

function windowLeft(c: CampaignDetail, serverNow: number): string {
  const start = Date.parse(c.window.startAt);
  const end = Date.parse(c.window.endAt);
  if (serverNow < start) return `opens in ${formatSpan(start - serverNow)}`;
  if (serverNow < end) return `${formatSpan(end - serverNow)} left`;
  return 'closed';
}

function nextGate(c: CampaignDetail): string {
  const waves = wavesOf(c);
  const label = waveLabeler(waves);
  if (c.gateWave !== null) return `waiting after ${label(c.gateWave)}`;
  const w = waves.find((x) => x.gateAfter && x.index >= (c.currentWave ?? -1) && !c.openedGates.includes(x.index));
  return w ? `after ${label(w.index)}` : 'none';
}

function Approvals({ c }: { c: CampaignDetail }) {
  if (c.approvals.length === 0) return null;
  const label = waveLabeler(wavesOf(c));
  return (
    <section aria-label="Approvals">
      <div className="section-head">
        <h2>Approvals</h2>
      </div>
      <div className="table-wrap">
        <table className="grid" aria-label="Approvals history">
          <thead>
            <tr>
              <th>When</th>
              <th>What</th>
              <th>Decision</th>
              <th>By</th>
              <th>Comment</th>
              <th>Plan hash</th>
            </tr>
          </thead>
          <tbody>
            {c.approvals.map((a) => (
              <tr key={a.id}>
                <td className="muted">{dateTime(a.createdAt)}</td>
                <td>{a.kind === 'PLAN' ? 'Plan' : `Gate after ${label(a.wave)}`}</td>
                <td>
                  <span className={`status ${a.decision === 'APPROVED' ? 'status-completed' : 'status-failed'}`}>
                    {a.decision === 'APPROVED'
                      ? a.kind === 'PLAN'
                        ? 'Approved'
                        : 'Opened'
                      : a.kind === 'PLAN'
                        ? 'Rejected'
                        : 'Halted'}
                  </span>
                </td>
                <td>{a.approver}</td>
                <td className="cell-wrap">{a.comment}</td>
                <td className="mono" title={a.planHash}>
                  {shortHash(a.planHash)}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </section>
  );
}

export function CampaignPage() {
  const { id = '' } = useParams();
  const navigate = useNavigate();
  const location = useLocation();
  const queryClient = useQueryClient();
  const { query, skewMs } = useCampaign(id);
  const c = query.data;
  const [action, setAction] = useState<CampaignAction | null>(null);
  const now = useNow(1000, Boolean(c && !TERMINAL.includes(c.status)));
  const notice = (location.state as { notice?: string } | null)?.notice;

  const post = useMutation({
    mutationFn: async (what: 'preview' | 'submit' | 'follow-up' | 'delete') => {
      if (what === 'delete') {
        await api.delete(`/api/v1/campaigns/${id}`);
        return { what, created: null };
      }
      const created = await api.post<CampaignDetail | undefined>(`/api/v1/campaigns/${id}/${what}`, {});
      return { what, created: created ?? null };
    },
    onSuccess: ({ what, created }) => {
      void queryClient.invalidateQueries({ queryKey: ['campaigns'] });
      if (what === 'delete') navigate('/campaigns');
      else if (what === 'follow-up' && created) navigate(`/campaigns/${created.id}`);
      else if (created && 'devices' in created) queryClient.setQueryData(campaignKey(id), created);
    },
  });

  if (query.error)
    return (
      <section className="page">
        <Banner kind="error">{friendlyError(query.error, 'could not load the campaign')}</Banner>
        <Link to="/campaigns">All campaigns</Link>
      </section>
    );
  if (!c) return <section className="page muted">Loading…</section>;
  const started = c.startedAt !== null || c.devices.some((d) => d.state !== 'PENDING' && d.state !== 'EXCLUDED');
  const terminal = TERMINAL.includes(c.status);
  const checking = c.devices.filter((d) => isChecking(c, d)).length;
  const budget = c.failureBudgetDevices ?? c.plan?.failureBudgetDevices ?? null;

  return (
    <section className="page campaign-page">
      <div className="page-head campaign-head">
        <div className="campaign-title">
          <div className="crumbs">
            <Link to="/campaigns">Campaigns</Link> /
          </div>
          <h1>
            {c.name} <span className="ticket ticket-large">{c.ticket}</span>
          </h1>
          <div className="campaign-meta">
            <CampaignStatusBadge status={c.status} />
            <span>
              <span className="muted">window</span> <WindowTimes window={c.window} />
              {!terminal && (
                <span className="window-left" role="timer" aria-label="Window">
                  {' '}
                  · {windowLeft(c, now - skewMs)}
                </span>
              )}
            </span>
            <span>
              <span className="muted">failures</span>{' '}
              <span className={c.failures > 0 ? 'bad-text' : undefined} data-testid="failure-budget">
                {c.failures} / {budget ?? '—'}
              </span>
            </span>
            {!terminal && (
              <span>
                <span className="muted">next gate</span> {nextGate(c)}
              </span>
            )}
            {c.nextWaveAt && !terminal && (
              <span>
                <span className="muted">next wave</span>{' '}
                {new Date(Date.parse(c.nextWaveAt) + skewMs).toLocaleTimeString()}
              </span>
            )}
            <span className="muted">
              by {c.createdBy}
              {c.authors.length > 1 && ` (with ${c.authors.filter((a) => a !== c.createdBy).join(', ')})`}
            </span>
            {c.followUpOfId && (
              <Link to={`/campaigns/${c.followUpOfId}`} className="muted">
                follow-up of an earlier campaign
              </Link>
            )}
          </div>
        </div>
        <div className="page-actions campaign-actions">
          {c.can.edit && (
            <>
              <Link className="btn" to={`/campaigns/${c.id}/edit`}>
                Edit
              </Link>
              <button type="button" className="btn" disabled={post.isPending} onClick={() => post.mutate('preview')}>
                Preview plan
              </button>
            </>
          )}
          {c.can.submit && (
            <button
              type="button"
              className="btn btn-primary"
              disabled={post.isPending || checking > 0 || c.previewRequestedAt === null}
              title={
                c.previewRequestedAt === null
                  ? 'preview the plan first'
                  : checking > 0
                    ? `${checking} device${checking === 1 ? ' is' : 's are'} still being checked`
                    : undefined
              }
              onClick={() => post.mutate('submit')}
            >
              Submit for approval
            </button>
          )}
          {c.can.approve && (
            <>
              <button type="button" className="btn btn-primary" onClick={() => setAction({ kind: 'approve' })}>
                Approve
              </button>
              <button type="button" className="btn btn-danger" onClick={() => setAction({ kind: 'reject' })}>
                Reject
              </button>
            </>
          )}
          {c.can.pause && (
            <button type="button" className="btn" onClick={() => setAction({ kind: 'pause' })}>
              Pause
            </button>
          )}
          {c.can.resume && (
            <button type="button" className="btn btn-primary" onClick={() => setAction({ kind: 'resume' })}>
              Resume
            </button>
          )}
          {c.can.abort && (
            <button type="button" className="btn btn-danger" onClick={() => setAction({ kind: 'abort' })}>
              Abort
            </button>
          )}
          {c.can.followUp && (
            <button type="button" className="btn" disabled={post.isPending} onClick={() => post.mutate('follow-up')}>
              Retry failed in a follow-up
            </button>
          )}
          {c.status !== 'DRAFT' && (
            <Link className="btn" to={`/campaigns/${c.id}/report`}>
              Report
            </Link>
          )}
          {c.status === 'DRAFT' && c.can.edit && (
            <button
              type="button"
              className="btn btn-danger"
              disabled={post.isPending}
              onClick={() => window.confirm(`Delete the draft ${c.name}?`) && post.mutate('delete')}
            >
              Delete draft
            </button>
          )}
        </div>
      </div>

      {c.description && <p className="campaign-description">{c.description}</p>}
      {notice && <Banner kind="error">{notice}</Banner>}
      {c.statusReason && (
        <Banner kind={c.status === 'COMPLETED' ? 'success' : terminal || c.status === 'PAUSED' ? 'error' : 'info'}>
          {c.statusReason}
        </Banner>
      )}
      {post.error && <Banner kind="error">{friendlyError(post.error, 'the request failed')}</Banner>}
      {c.status === 'PENDING_APPROVAL' && !c.can.approve && (
        <Banner kind="info">Waiting for an approver (never one of its authors) to approve or reject this plan.</Banner>
      )}
      {(c.status === 'APPROVED' || c.status === 'SCHEDULED') && !started && (
        <Banner kind="info">
          Approved plan <span className="mono">{shortHash(c.approvedPlanHash)}</span>: the first wave starts when the
          window opens ({windowLeft(c, now - skewMs)}).
        </Banner>
      )}

      {started ? (
        <>
          <LiveView c={c} onAction={setAction} />
          <CampaignTimeline c={c} now={c.endedAt ? Date.parse(c.endedAt) : now - skewMs} />
          <details className="plan-details">
            <summary>Approved plan</summary>
            <PlanPreview c={c} />
          </details>
        </>
      ) : (
        <PlanPreview c={c} />
      )}
      <Approvals c={c} />

      {action && <CampaignActionDialog campaign={c} action={action} onClose={() => setAction(null)} />}
    </section>
  );
}
