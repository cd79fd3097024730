// Every run, newest first, live: what is moving now and how the last ones ended; filtered by
// status and by device, both kept in the address (a device page links to its runs here).
import type { RunPage as RunPageDto } from '@hitless/contracts';
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { useCallback } from 'react';
import { useSearchParams } from 'react-router';
import { api, friendlyError, qs } from '../api.ts';
import { DevicePicker } from '../components/DevicePicker.tsx';
import { Banner, Pager } from '../components/ui.tsx';
import { RUN_STATUSES, runStatusLabel } from '../components/runs.tsx';
import { RunsTable } from '../components/RunsTable.tsx';
import { withParam } from '../url.ts';

const PAGE_SIZE = 50;

export function RunsPage() {
  const [params, setParams] = useSearchParams();
  const status = params.get('status') ?? undefined;
  const deviceId = params.get('deviceId') ?? undefined;
  const page = Number(params.get('page') ?? 1);
  const list = useQuery({
    queryKey: ['runs', 'list', status, deviceId, page],
    queryFn: () => api.get<RunPageDto>(`/api/v1/runs${qs({ status, deviceId, page, pageSize: PAGE_SIZE })}`),
    placeholderData: keepPreviousData,
  });
  const data = list.data;
  const lastPage = data ? Math.max(1, Math.ceil(data.total / data.pageSize)) : 1;
  const set = (key: string, value: string | null) => setParams((p) => withParam(p, key, value));
  const onDevice = useCallback((id: string | null) => setParams((p) => withParam(p, 'deviceId', id)), [setParams]);
  const filtered = Boolean(status || deviceId);

  return (
    <section className="page">
      <div className="page-head">
        <div>
          <h1>Runs</h1>
          <p className="muted">
            {data ? `${data.total} run${data.total === 1 ? '' : 's'}` : 'Loading…'}. Start an upgrade from a device in
            the inventory.
          </p>
        </div>
      </div>
      <div className="toolbar">
        <select aria-label="Status" value={status ?? ''} onChange={(e) => set('status', e.target.value || null)}>
          <option value="">All statuses</option>
          {RUN_STATUSES.map((s) => (
            <option key={s} value={s}>
              {runStatusLabel(s)}
            </option>
          ))}
        </select>
        <DevicePicker key={deviceId ?? 'none'} deviceId={deviceId ?? null} onChange={onDevice} />
        {filtered && (
          <button type="button" className="btn btn-quiet" onClick={() => setParams(new URLSearchParams())}>
            Clear filters
          </button>
        )}
      </div>
      {list.error && <Banner kind="error">{friendlyError(list.error, 'could not load runs')}</Banner>}
      <RunsTable
        label="Runs"
        runs={list.error && !data ? [] : data?.items}
        busy={list.isFetching}
        withDevice
        empty={
          list.error
            ? 'The runs could not be loaded.'
            : filtered
              ? 'No run matches these filters.'
              : 'No runs yet. Choose Upgrade on a device in the inventory.'
        }
      />
      <Pager page={page} lastPage={lastPage} onPage={(p) => set('page', String(p))} />
    </section>
  );
}
