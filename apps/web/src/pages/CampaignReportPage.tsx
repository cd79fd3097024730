// The campaign report as a page: totals, who created, approved, gated, paused or aborted it, the
// approved plan hash and the audit chain's head, and per device its wave, steps with timings,
// evidence and outcome. The same report downloads as JSON or CSV.
import { CampaignDeviceState, type CampaignReport, type CheckResultDto } from '@hitless/contracts';
import { useQuery } from '@tanstack/react-query';
import { Link, useParams } from 'react-router';
import { api, friendlyError } from '../api.ts';
import { Banner } from '../components/ui.tsx';
import { formatDuration } from '../transcript.ts';
import {
  CampaignStatusBadge,
  DeviceStateBadge,
  IMPACT_LABEL,
  deviceStateLabel,
  WindowTimes,
  waveLabeler,
} from './CampaignCommon.tsx';
import { dateTime } from '../time.ts';
import { DeviceLink } from '../components/DeviceLink.tsx';

type ReportDevice = CampaignReport['devices'][number];

/** A device state's label, else the key in words ("rolledBack" → "rolled back"). */
const totalLabel = (k: string) =>
  (CampaignDeviceState.options as string[]).includes(k)
    ? deviceStateLabel(k as CampaignDeviceState)
    : k
        .replace(/([a-z])([A-Z])/g, '$1 $2')
        .replace(/_/g, ' ')
        .toLowerCase();

/** "campaign.gate_opened" → "gate opened". */
const actionLabel = (a: string) => a.replace(/^campaign\./, '').replace(/[._]/g, ' ');

const time = (iso: string | null) => (iso ? new Date(iso).toLocaleTimeString() : '—');

function Checks({ title, checks }: { title: string; checks: CheckResultDto[] | null }) {
  if (!checks || checks.length === 0) return null;
  return (
    <div>
      <div className="side-title">{title}</div>
      <ul className="checks">
        {checks.map((c) => (
          <li key={c.rule} className={`check-${c.verdict}`}>
            <span className="verdict">{c.verdict}</span> {c.title}
            <div className="muted check-detail">{c.detail}</div>
            {c.verdict !== 'pass' && c.evidence && Object.keys(c.evidence).length > 0 && (
              <pre className="evidence-json">{JSON.stringify(c.evidence, null, 2)}</pre>
            )}
          </li>
        ))}
      </ul>
    </div>
  );
}

function DeviceReport({ d, waveOf }: { d: ReportDevice; waveOf: (w: number | null) => string }) {
  const bad = ['FAILED', 'ROLLED_BACK', 'REFUSED', 'ABORTED'].includes(d.state);
  return (
    <details className={`report-device${bad ? ' report-bad' : ''}`} data-hostname={d.hostname} open={bad}>
      <summary>
        <span className="strong">
          <DeviceLink id={d.deviceId} hostname={d.hostname} />
        </span>
        <span className="muted">{waveOf(d.wave)}</span>
        <DeviceStateBadge state={d.state} />
        <span className="mono">
          {d.fromVersion ?? '?'} → {d.toVersion ?? '—'}
        </span>
        <span className="muted">{d.impact ? IMPACT_LABEL[d.impact] : ''}</span>
        <span className="muted">{d.durationMs !== null ? formatDuration(d.durationMs) : ''}</span>
        {d.runId && (
          <Link to={`/runs/${d.runId}`} onClick={(e) => e.stopPropagation()}>
            run
          </Link>
        )}
      </summary>
      <div className="report-device-body">
        {d.summary && <p className="report-summary">{d.summary}</p>}
        <p className="muted">
          {d.startedAt ? `${dateTime(d.startedAt)} → ${time(d.endedAt)}` : 'not started'}
          {d.rollbackTimer &&
            ` · rollback timer ${d.rollbackTimer.configuredSeconds !== null ? `${d.rollbackTimer.configuredSeconds} s` : "the device's default"}${d.rollbackTimer.deadline ? `, deadline ${time(d.rollbackTimer.deadline)}` : ''}`}
          {d.trafficLossMs !== null && ` · traffic lost at switchover ${d.trafficLossMs} ms`}
        </p>
        {d.steps.length > 0 && (
          <table className="grid report-steps" aria-label={`Steps of ${d.hostname}`}>
            <thead>
              <tr>
                <th>Step</th>
                <th>Status</th>
                <th>Started</th>
                <th>Took</th>
                <th>Outcome</th>
              </tr>
            </thead>
            <tbody>
              {d.steps.map((s, i) => (
                <tr key={`${s.name}-${i}`} className={`step-${s.status.toLowerCase()}`}>
                  <td>
                    {s.name}
                    {s.attempt > 1 && <span className="muted"> (attempt {s.attempt})</span>}
                  </td>
                  <td>{s.status.toLowerCase()}</td>
                  <td className="muted">{time(s.startedAt)}</td>
                  <td className="muted">
                    {s.endedAt ? formatDuration(Date.parse(s.endedAt) - Date.parse(s.startedAt)) : '—'}
                  </td>
                  <td className="cell-wrap">{s.outcome ?? ''}</td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
        <div className="report-checks">
          <Checks title="Pre-checks" checks={d.prechecks} />
          <Checks title="Post-checks" checks={d.postchecks} />
        </div>
      </div>
    </details>
  );
}

export function CampaignReportPage() {
  const { id = '' } = useParams();
  const report = useQuery({
    queryKey: ['campaigns', 'report', id],
    queryFn: () => api.get<CampaignReport>(`/api/v1/campaigns/${id}/report?format=json`),
  });
  if (report.error)
    return (
      <section className="page">
        <Banner kind="error">{friendlyError(report.error, 'could not load the report')}</Banner>
        <Link to={`/campaigns/${id}`}>Back to the campaign</Link>
      </section>
    );
  const r = report.data;
  if (!r) return <section className="page muted">Loading…</section>;
  const c = r.campaign;
  const indices = [...new Set(r.devices.flatMap((d) => (d.wave === null ? [] : [d.wave])))].sort((a, b) => a - b);
  const waveOf = waveLabeler(
    indices.map((index, i) => ({
      index,
      canary: i === 0 && c.strategy.canarySize > 0,
      deviceIds: [],
      expectedMs: null,
      gateAfter: false,
    })),
  );
  const base = `/api/v1/campaigns/${c.id}/report`;

  return (
    <section className="page report-page">
      <div className="page-head">
        <div>
          <div className="crumbs">
            <Link to="/campaigns">Campaigns</Link> / <Link to={`/campaigns/${c.id}`}>{c.name}</Link> /
          </div>
          <h1>
            Report: {c.name} <span className="ticket ticket-large">{c.ticket}</span>
          </h1>
          <div className="campaign-meta">
            <CampaignStatusBadge status={c.status} />
            <span>
              <WindowTimes window={c.window} />
            </span>
            {c.startedAt && (
              <span className="muted">
                ran {dateTime(c.startedAt)} → {c.endedAt ? dateTime(c.endedAt) : 'now'}
              </span>
            )}
          </div>
        </div>
        <div className="page-actions">
          <a className="btn" href={`${base}?format=json`} download>
            Download JSON
          </a>
          <a className="btn" href={`${base}?format=csv`} download>
            Download CSV
          </a>
        </div>
      </div>
      {c.statusReason && (
        <Banner
          kind={c.status === 'COMPLETED' ? 'success' : ['FAILED', 'ABORTED'].includes(c.status) ? 'error' : 'info'}
        >
          {c.statusReason}
        </Banner>
      )}

      <div className="report-top">
        <section className="panel" aria-label="Totals">
          <h2>Totals</h2>
          <dl className="totals">
            {Object.entries(r.totals).map(([k, v]) => (
              <div key={k} className={`total${v === 0 && k !== 'total' ? ' total-zero' : ''}`}>
                <dt>{totalLabel(k)}</dt>
                <dd>{v}</dd>
              </div>
            ))}
          </dl>
        </section>
        <section className="panel" aria-label="Integrity">
          <h2>Integrity</h2>
          <div className="kv">
            <span className="muted">approved plan hash</span>
            <span className="mono break">{r.approvedPlanHash ?? 'not approved'}</span>
            <span className="muted">audit chain head</span>
            <span className="mono break">{r.auditHead ? `#${r.auditHead.id} ${r.auditHead.hash}` : '—'}</span>
          </div>
        </section>
      </div>

      <section aria-label="People">
        <div className="section-head">
          <h2>Who did what</h2>
        </div>
        <div className="table-wrap">
          <table className="grid" aria-label="People">
            <thead>
              <tr>
                <th>When</th>
                <th>Action</th>
                <th>By</th>
                <th>Comment</th>
              </tr>
            </thead>
            <tbody>
              {r.people.map((p, i) => (
                <tr key={i}>
                  <td className="muted">{dateTime(p.at)}</td>
                  <td>{actionLabel(p.action)}</td>
                  <td className="strong">{p.actor}</td>
                  <td className="cell-wrap">{p.comment ?? ''}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      </section>

      <section aria-label="Devices">
        <div className="section-head">
          <h2>Devices</h2>
          <span className="muted">{r.devices.length}; failed and rolled back ones are open</span>
        </div>
        <div className="report-devices">
          {r.devices.map((d) => (
            <DeviceReport key={d.deviceId} d={d} waveOf={waveOf} />
          ))}
        </div>
      </section>
    </section>
  );
}
