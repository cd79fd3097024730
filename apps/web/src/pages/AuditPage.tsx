// The audit trail: every recorded change, newest first, paged, filtered by actor, action,
// target and time (in the address, so a view can be shared). Roles that may verify the trail
// (audit:verify: approvers and admins) also see the chain's verification and the exports; the
// others are told so, and the API refuses them anyway.
import type { AuditPage as AuditPageDto } from '@hitless/contracts';
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { useMemo, useState } from 'react';
import { useSearchParams } from 'react-router';
import { api, ApiError, friendlyError, qs } from '../api.ts';
import { useAuth } from '../auth.tsx';
import { useDebounced } from '../components/hooks.ts';
import { Banner, Pager } from '../components/ui.tsx';
import { zoneLabel } from '../time.ts';
import { withParam } from '../url.ts';
import { AuditFilters, FILTER_KEYS, type AuditFilterValues, type FilterKey } from './AuditFilters.tsx';
import { AuditTable } from './AuditTable.tsx';
import { AuditExports, AuditVerifyPanel } from './AuditVerify.tsx';
import './AuditPage.css';

const PAGE_SIZE = 50;
const TYPED: readonly FilterKey[] = ['actor', 'action', 'targetId'];

const filtersOf = (params: URLSearchParams): AuditFilterValues =>
  Object.fromEntries(FILTER_KEYS.flatMap((k) => (params.get(k)?.trim() ? [[k, params.get(k)!.trim()]] : [])));

export function AuditPage() {
  const { can, user } = useAuth();
  const verifier = can('audit:verify');
  const role = user?.role ?? 'unknown';
  const [params, setParams] = useSearchParams();
  // What is typed shows at once; the list follows it debounced.
  const [typed, setTyped] = useState<AuditFilterValues>(() => filtersOf(params));
  // Debounced as text: a fresh object at every render would restart the timer for ever.
  const key = useDebounced(JSON.stringify(filtersOf(params)), 300);
  const filters = useMemo(() => JSON.parse(key) as AuditFilterValues, [key]);
  const page = Math.max(1, Number(params.get('page') ?? 1) || 1);

  const list = useQuery({
    queryKey: ['audit', 'list', key, page],
    queryFn: () => api.get<AuditPageDto>(`/api/v1/audit${qs({ ...filters, page, pageSize: PAGE_SIZE })}`),
    placeholderData: keepPreviousData,
  });
  const fieldErrors = list.error instanceof ApiError && list.error.status === 400 ? list.error.fieldErrors() : {};
  const refused = Object.keys(fieldErrors).length > 0;
  const data = refused ? undefined : list.data;
  const lastPage = data ? Math.max(1, Math.ceil(data.total / data.pageSize)) : 1;
  const filtered = Object.keys(filters).length > 0;

  const onChange = (k: FilterKey, value: string | null) => {
    if (TYPED.includes(k)) setTyped((t) => ({ ...t, [k]: value ?? '' }));
    setParams((p) => withParam(p, k, value?.trim() ? value : null), { replace: TYPED.includes(k) });
  };
  const clear = () => {
    setTyped({});
    setParams(new URLSearchParams());
  };
  const shown: AuditFilterValues = {
    ...filtersOf(params),
    ...Object.fromEntries(TYPED.map((k) => [k, typed[k] ?? ''])),
  };

  return (
    <section className="page audit-page">
      <div className="page-head">
        <div>
          <h1>Audit log</h1>
          <p className="muted">
            {data
              ? `${data.total.toLocaleString()} event${data.total === 1 ? '' : 's'}${filtered ? ' match the filters' : ''}, newest first; times in ${zoneLabel()}`
              : refused
                ? 'The filters need a change'
                : list.error
                  ? 'Not loaded'
                  : 'Loading…'}
          </p>
        </div>
        {verifier && (
          <div className="page-actions">
            <AuditExports filters={filters} filtered={filtered} total={data?.total} />
          </div>
        )}
      </div>
      {verifier ? (
        <p className="muted small-text audit-export-note">
          Exports hold {filtered ? 'the events matching the filters below' : 'every event (no filter set)'}, oldest
          first. The JSON also gives each event&apos;s previous hash and a freshly signed checkpoint of the chain, to
          verify it offline.
        </p>
      ) : (
        <p className="muted small-text audit-export-note" data-testid="audit-no-verify">
          The chain verification and the CSV / JSON exports are for approvers and admins; your role ({role}) reads and
          filters the trail.
        </p>
      )}
      {verifier && <AuditVerifyPanel />}

      <AuditFilters values={shown} errors={fieldErrors} onChange={onChange} onClear={clear} />
      {list.error && !refused && (
        <Banner kind="error">{friendlyError(list.error, 'could not load the audit log')}</Banner>
      )}
      <AuditTable
        items={data?.items ?? []}
        busy={list.isFetching}
        empty={
          refused
            ? 'The API refused these filters; see the field marked above.'
            : !data
              ? list.error
                ? 'The audit log could not be loaded.'
                : 'Loading…'
              : filtered
                ? 'No event matches these filters.'
                : 'No events recorded yet.'
        }
      />
      {data && data.total > 0 && (
        <Pager page={page} lastPage={lastPage} onPage={(p) => setParams((sp) => withParam(sp, 'page', String(p)))}>
          <span className="muted">
            {(page - 1) * PAGE_SIZE + 1}–{Math.min(page * PAGE_SIZE, data.total)} of {data.total.toLocaleString()}
          </span>
        </Pager>
      )}
    </section>
  );
}
