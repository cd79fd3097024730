// Every campaign, newest first, live: its ticket, where it stands and why, its window in its own
// time zone, and how far its devices got.
import { CampaignStatus, type Campaign, type CampaignPage } from '@hitless/contracts';
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { Link, useSearchParams } from 'react-router';
import { api, friendlyError, qs } from '../api.ts';
import { useAuth } from '../auth.tsx';
import { Banner, Pager } from '../components/ui.tsx';
import { withParam } from '../url.ts';
import {
  CampaignStatusBadge,
  campaignStatusLabel,
  doneDevices,
  formatWindowTimes,
  totalDevices,
  windowHere,
} from './CampaignCommon.tsx';
import { EmptyRow } from '../components/table.tsx';

const PAGE_SIZE = 50;

function Progress({ c }: { c: Campaign }) {
  const total = totalDevices(c);
  const done = doneDevices(c);
  const ok = c.counts.SUCCEEDED ?? 0;
  const bad = (c.counts.FAILED ?? 0) + (c.counts.ROLLED_BACK ?? 0) + (c.counts.REFUSED ?? 0);
  const running = c.counts.RUNNING ?? 0;
  return (
    <div className="cprogress" title={`${done} of ${total} devices done`}>
      <div className="cbar cbar-mini" aria-hidden>
        <span className="seg seg-succeeded" style={{ width: `${total ? (ok / total) * 100 : 0}%` }} />
        <span className="seg seg-failed" style={{ width: `${total ? (bad / total) * 100 : 0}%` }} />
        <span className="seg seg-running" style={{ width: `${total ? (running / total) * 100 : 0}%` }} />
      </div>
      <span className="muted">
        {ok}/{total}
        {bad > 0 && <span className="bad-text"> · {bad} failed</span>}
        {running > 0 && <span className="info-text"> · {running} running</span>}
      </span>
    </div>
  );
}

export function CampaignsPage() {
  const { can } = useAuth();
  const [params, setParams] = useSearchParams();
  const status = params.get('status') ?? undefined;
  const page = Number(params.get('page') ?? 1);
  const list = useQuery({
    queryKey: ['campaigns', 'list', status, page],
    queryFn: () => api.get<CampaignPage>(`/api/v1/campaigns${qs({ status, page, pageSize: PAGE_SIZE })}`),
    placeholderData: keepPreviousData,
  });
  const data = list.data;
  const lastPage = data ? Math.max(1, Math.ceil(data.total / data.pageSize)) : 1;
  const set = (key: string, value: string | null) => setParams((p) => withParam(p, key, value));

  return (
    <section className="page">
      <div className="page-head">
        <div>
          <h1>Campaigns</h1>
          <p className="muted">
            {data ? `${data.total} campaign${data.total === 1 ? '' : 's'}` : 'Loading…'}. A campaign upgrades part of
            the fleet in waves inside a maintenance window, once a change manager approved its plan.
          </p>
        </div>
        <div className="page-actions">
          {can('campaigns:write') && (
            <Link className="btn btn-primary" to="/campaigns/new">
              New campaign
            </Link>
          )}
        </div>
      </div>
      <div className="toolbar">
        <select aria-label="Status" value={status ?? ''} onChange={(e) => set('status', e.target.value || null)}>
          <option value="">All statuses</option>
          {CampaignStatus.options.map((s) => (
            <option key={s} value={s}>
              {campaignStatusLabel(s)}
            </option>
          ))}
        </select>
      </div>
      {list.error && <Banner kind="error">{friendlyError(list.error, 'could not load campaigns')}</Banner>}
      <div className="table-wrap">
        <table className="grid" aria-label="Campaigns" aria-busy={list.isFetching}>
          <thead>
            <tr>
              <th>Name</th>
              <th>Ticket</th>
              <th>Status</th>
              <th>Window</th>
              <th>Progress</th>
              <th>Created by</th>
            </tr>
          </thead>
          <tbody>
            {data?.items.map((c) => (
              <tr key={c.id} data-campaign={c.name}>
                <td className="strong cell-name">
                  <Link to={`/campaigns/${c.id}`}>{c.name}</Link>
                  {c.followUpOfId && <span className="muted"> · follow-up</span>}
                </td>
                <td>
                  <span className="ticket">{c.ticket}</span>
                </td>
                <td className="cell-status">
                  <CampaignStatusBadge status={c.status} />
                  {c.statusReason && (
                    <div className="muted status-reason" title={c.statusReason}>
                      {c.statusReason}
                    </div>
                  )}
                </td>
                <td>
                  <span className="mono">{formatWindowTimes(c.window)}</span>
                  <div className="muted small-text">{c.window.timeZone}</div>
                  <div className="muted small-text">{windowHere(c.window)}</div>
                </td>
                <td>
                  <Progress c={c} />
                </td>
                <td>
                  {c.createdBy}
                  <div className="muted small-text">{new Date(c.createdAt).toLocaleDateString()}</div>
                </td>
              </tr>
            ))}
            {data && data.items.length === 0 && (
              <EmptyRow columns={6}>{status ? 'No campaign has this status.' : 'No campaigns yet.'}</EmptyRow>
            )}
          </tbody>
        </table>
      </div>
      <Pager page={page} lastPage={lastPage} onPage={(p) => set('page', String(p))} />
    </section>
  );
}
