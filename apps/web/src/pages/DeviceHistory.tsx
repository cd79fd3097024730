// What happened to a device: its runs (each linked; all of them on the runs page, filtered), the
// campaigns it belongs to, and its audit entries.
import type { AuditPage, DeviceCampaignList, RunPage } from '@hitless/contracts';
import { useQuery } from '@tanstack/react-query';
import { Link } from 'react-router';
import { api, friendlyError, qs } from '../api.ts';
import { RunsTable } from '../components/RunsTable.tsx';
import { Banner } from '../components/ui.tsx';
import { dateTime } from '../time.ts';
import { CampaignStatusBadge, DeviceStateBadge } from './CampaignCommon.tsx';
import { EmptyRow } from '../components/table.tsx';

const RUNS_SHOWN = 10;
const AUDIT_SHOWN = 15;

/** A window's start in its own zone, and in the reader's when that differs. */
function windowStart(iso: string, timeZone: string): string {
  const own = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'short', timeZone }).format(
    new Date(iso),
  );
  return Intl.DateTimeFormat().resolvedOptions().timeZone === timeZone
    ? `${own} ${timeZone}`
    : `${own} ${timeZone} (${dateTime(iso)})`;
}

export function DeviceRuns({ deviceId, hostname }: { deviceId: string; hostname: string }) {
  const runs = useQuery({
    queryKey: ['runs', 'list', 'device', deviceId],
    queryFn: () => api.get<RunPage>(`/api/v1/runs${qs({ deviceId, pageSize: RUNS_SHOWN })}`),
  });
  return (
    <section className="device-section" aria-labelledby="device-runs">
      <div className="section-head">
        <h2 id="device-runs">Runs</h2>
        <Link to={`/runs?deviceId=${deviceId}`} className="small-text">
          All runs of {hostname}
          {runs.data ? ` (${runs.data.total})` : ''}
        </Link>
      </div>
      {runs.error && <Banner kind="error">{friendlyError(runs.error, 'could not load the runs')}</Banner>}
      <RunsTable
        label={`Runs of ${hostname}`}
        runs={runs.error ? [] : runs.data?.items}
        busy={runs.isFetching}
        withDevice={false}
        empty={runs.error ? 'The runs could not be loaded.' : 'No runs yet.'}
      />
    </section>
  );
}

export function DeviceCampaigns({ deviceId, hostname }: { deviceId: string; hostname: string }) {
  const campaigns = useQuery({
    queryKey: ['campaigns', 'device', deviceId],
    queryFn: () => api.get<DeviceCampaignList>(`/api/v1/devices/${deviceId}/campaigns`),
  });
  return (
    <section className="device-section" aria-labelledby="device-campaigns">
      <div className="section-head">
        <h2 id="device-campaigns">Campaigns</h2>
      </div>
      {campaigns.error && (
        <Banner kind="error">{friendlyError(campaigns.error, 'could not load the campaigns')}</Banner>
      )}
      <div className="table-wrap">
        <table className="grid" aria-label={`Campaigns of ${hostname}`} aria-busy={campaigns.isFetching}>
          <thead>
            <tr>
              <th>Campaign</th>
              <th>Status</th>
              <th>This device</th>
              <th>Target</th>
              <th>Window</th>
            </tr>
          </thead>
          <tbody>
            {campaigns.data?.items.map((c) => (
              <tr key={c.id}>
                <td className="strong">
                  <Link to={`/campaigns/${c.id}`}>{c.name}</Link> <span className="muted small-text">{c.ticket}</span>
                </td>
                <td>
                  <CampaignStatusBadge status={c.status} />
                </td>
                <td>
                  {c.deviceState ? (
                    <DeviceStateBadge state={c.deviceState} />
                  ) : (
                    <span className="muted small-text">named; planned at preview</span>
                  )}
                  {c.wave !== null && <span className="muted small-text"> wave {c.wave}</span>}
                  {c.runId && (
                    <>
                      {' '}
                      <Link to={`/runs/${c.runId}`} className="small-text">
                        run
                      </Link>
                    </>
                  )}
                </td>
                <td className="mono">{c.targetVersion ?? '—'}</td>
                <td className="muted small-text">{windowStart(c.windowStart, c.timeZone)}</td>
              </tr>
            ))}
            {campaigns.isPending && <EmptyRow columns={5}>Loading campaigns…</EmptyRow>}
            {campaigns.data?.items.length === 0 && <EmptyRow columns={5}>In no campaign.</EmptyRow>}
          </tbody>
        </table>
      </div>
    </section>
  );
}

/** The details an audit entry of a device carries, in a line (changed fields, version read…). */
function detailLine(details: unknown): string {
  if (!details || typeof details !== 'object') return '';
  const d = details as Record<string, unknown>;
  if (Array.isArray(d.changed)) return `changed ${d.changed.join(', ')}`;
  if (typeof d.version === 'string') return `read ${d.version}`;
  return '';
}

export function DeviceAudit({ deviceId, hostname }: { deviceId: string; hostname: string }) {
  const audit = useQuery({
    queryKey: ['audit', 'device', deviceId],
    queryFn: () =>
      api.get<AuditPage>(`/api/v1/audit${qs({ targetType: 'device', targetId: deviceId, pageSize: AUDIT_SHOWN })}`),
  });
  return (
    <section className="device-section" aria-labelledby="device-audit">
      <div className="section-head">
        <h2 id="device-audit">Audit</h2>
        <Link to={`/audit?targetType=device&targetId=${deviceId}`} className="small-text">
          In the audit log{audit.data ? ` (${audit.data.total})` : ''}
        </Link>
      </div>
      {audit.error && <Banner kind="error">{friendlyError(audit.error, 'could not load the audit entries')}</Banner>}
      <div className="table-wrap">
        <table className="grid" aria-label={`Audit of ${hostname}`} aria-busy={audit.isFetching}>
          <thead>
            <tr>
              <th>Time</th>
              <th>Who</th>
              <th>Action</th>
              <th>Details</th>
            </tr>
          </thead>
          <tbody>
            {audit.data?.items.map((e) => (
              <tr key={e.id}>
                <td className="muted">{dateTime(e.at)}</td>
                <td className="strong">{e.actorName}</td>
                <td className="mono">{e.action}</td>
                <td className="muted cell-wrap">{detailLine(e.details)}</td>
              </tr>
            ))}
            {audit.isPending && <EmptyRow columns={4}>Loading audit entries…</EmptyRow>}
            {audit.data?.items.length === 0 && <EmptyRow columns={4}>Nothing audited for this device.</EmptyRow>}
          </tbody>
        </table>
      </div>
    </section>
  );
}
