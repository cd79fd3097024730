// The approver's queue: every campaign waiting for the caller's decision (a plan to approve, or a
// gate to open), with what it will do per platform family, its window and its authors.
import type { CampaignDetail, CampaignPage } from '@hitless/contracts';
import { VENDOR_LABELS } from '@hitless/contracts';
import { useQueries, useQuery } from '@tanstack/react-query';
import { Link } from 'react-router';
import { api, friendlyError } from '../api.ts';
import { useAuth } from '../auth.tsx';
import { Banner } from '../components/ui.tsx';
import {
  CampaignStatusBadge,
  DeviceStateBadge,
  IMPACT_LABEL,
  IMPACT_ORDER,
  campaignKey,
  formatSpan,
  shortHash,
  waveLabeler,
  wavesOf,
  WindowTimes,
} from './CampaignCommon.tsx';
import { isChecking } from './CampaignPlan.tsx';
import { DeviceLink } from '../components/DeviceLink.tsx';
import { dateTime } from '../time.ts';

function FamilyImpacts({ c }: { c: CampaignDetail }) {
  const families = new Map<string, CampaignDetail['devices']>();
  for (const d of c.devices) {
    const key = `${d.vendor}|${d.platformFamily}`;
    families.set(key, [...(families.get(key) ?? []), d]);
  }
  const target = new Map(c.targets.map((t) => [`${t.vendor}|${t.platformFamily}`, t.version]));
  return (
    <table className="grid family-impacts" aria-label={`What ${c.name} will do`}>
      <thead>
        <tr>
          <th>Family</th>
          <th>Devices</th>
          <th>Target</th>
          <th>Predicted impact</th>
        </tr>
      </thead>
      <tbody>
        {[...families.entries()].map(([key, devices]) => {
          const first = devices[0]!;
          const checking = devices.filter((d) => isChecking(c, d)).length;
          return (
            <tr key={key} data-family={first.platformFamily}>
              <td>
                <span className={`vendor vendor-${first.vendor.toLowerCase()}`}>{VENDOR_LABELS[first.vendor]}</span>{' '}
                <span className="mono">{first.platformFamily}</span>
              </td>
              <td>{devices.length}</td>
              <td className="mono">{target.get(key) ?? <span className="warn-text">no target</span>}</td>
              <td className="impact-summary">
                {IMPACT_ORDER.map((i) => {
                  const n = devices.filter((d) => d.impact === i && !isChecking(c, d)).length;
                  return n > 0 ? (
                    <span key={i} className={`impact impact-${i.toLowerCase()}`}>
                      {IMPACT_LABEL[i]}: {n}
                    </span>
                  ) : null;
                })}
                {checking > 0 && <span className="impact impact-checking">checking…: {checking}</span>}
              </td>
            </tr>
          );
        })}
      </tbody>
    </table>
  );
}

/** What the wave before the gate did: the approver's reason to open it or halt. */
function GateResults({ c, label }: { c: CampaignDetail; label: string }) {
  const devices = c.devices.filter((d) => d.wave === c.gateWave);
  return (
    <div className="gate-summary">
      <span className="strong">{label}:</span>
      {devices.map((d) => (
        <span key={d.deviceId} className="gate-device">
          <DeviceLink id={d.deviceId} hostname={d.hostname} /> <DeviceStateBadge state={d.state} />
        </span>
      ))}
    </div>
  );
}

function QueueCard({ c, detail }: { c: CampaignPage['items'][number]; detail: CampaignDetail | undefined }) {
  const label = detail ? waveLabeler(wavesOf(detail)) : (i: number | null) => `wave ${i}`;
  const gate = c.gateWave !== null;
  const fits = detail?.plan?.fits;
  return (
    <article className="queue-card" aria-label={c.name} data-campaign={c.name}>
      <div className="queue-head">
        <div>
          <h2>
            <Link to={`/campaigns/${c.id}`}>{c.name}</Link> <span className="ticket">{c.ticket}</span>
          </h2>
          <div className="campaign-meta">
            <CampaignStatusBadge status={c.status} />
            <span className="strong">{gate ? `Gate after ${label(c.gateWave)}` : 'Plan approval'}</span>
            <span>
              <span className="muted">window</span> <WindowTimes window={c.window} />
            </span>
            <span>
              <span className="muted">by</span> {c.authors.length ? c.authors.join(', ') : c.createdBy}
            </span>
            {c.submittedAt && <span className="muted">submitted {dateTime(c.submittedAt)}</span>}
            <span className="muted">
              plan <span className="mono">{shortHash(c.planHash)}</span>
            </span>
          </div>
        </div>
        <Link className="btn btn-primary" to={`/campaigns/${c.id}`} aria-label={`Open ${c.name}`}>
          {gate ? 'Review the wave' : 'Review the plan'}
        </Link>
      </div>
      {detail ? (
        <>
          {gate && <GateResults c={detail} label={label(c.gateWave)} />}
          <FamilyImpacts c={detail} />
          {detail.plan && (
            <p className="muted queue-fit">
              {detail.plan.waves.length} wave{detail.plan.waves.length === 1 ? '' : 's'} · expected{' '}
              {detail.plan.expectedMs === null ? 'unknown' : formatSpan(detail.plan.expectedMs)} of{' '}
              {formatSpan(detail.plan.openMs)} open ·{' '}
              <span className={`fit fit-${fits}`}>
                {{ yes: 'fits', no: 'does not fit', unknown: 'fit unknown' }[fits!]}
              </span>
            </p>
          )}
        </>
      ) : (
        <p className="muted">Loading what it will do…</p>
      )}
    </article>
  );
}

export function ApprovalsPage() {
  const { can } = useAuth();
  const list = useQuery({
    queryKey: ['campaigns', 'list', 'awaiting'],
    queryFn: () => api.get<CampaignPage>('/api/v1/campaigns?awaiting=approval&pageSize=100'),
  });
  const items = list.data?.items ?? [];
  const details = useQueries({
    queries: items.map((c) => ({
      queryKey: campaignKey(c.id),
      queryFn: () => api.get<CampaignDetail>(`/api/v1/campaigns/${c.id}`),
    })),
  });
  if (!can('campaigns:approve'))
    return (
      <section className="page">
        <h1>Approvals</h1>
        <Banner kind="info">Approving campaigns is for change managers (approvers) and admins.</Banner>
      </section>
    );
  return (
    <section className="page">
      <div className="page-head">
        <div>
          <h1>Approvals</h1>
          <p className="muted">
            {list.data
              ? `${list.data.total} campaign${list.data.total === 1 ? '' : 's'} waiting for your decision`
              : 'Loading…'}
            . Campaigns you wrote or edited are never yours to approve.
          </p>
        </div>
      </div>
      {list.error && <Banner kind="error">{friendlyError(list.error, 'could not load the queue')}</Banner>}
      <div className="queue">
        {items.map((c, i) => (
          <QueueCard key={c.id} c={c} detail={details[i]?.data} />
        ))}
        {list.data && items.length === 0 && <div className="panel empty">Nothing waits for your decision.</div>}
      </div>
    </section>
  );
}
