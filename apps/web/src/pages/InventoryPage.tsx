// The inventory: filters kept in the address, live updates, paging, and the device, delete, import,
// host key and upgrade dialogs. The toolbar and the table are their own components.
import type { Credential, Device, DeviceFacets, DevicePage } from '@hitless/contracts';
import { keepPreviousData, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useNavigate, useSearchParams } from 'react-router';
import { api, friendlyError, qs } from '../api.ts';
import { useAuth } from '../auth.tsx';
import { useDebounced } from '../components/hooks.ts';
import { Banner, Pager } from '../components/ui.tsx';
import { useLive } from '../live.tsx';
import { withParam } from '../url.ts';
import { DeleteDeviceDialog } from './DeleteDeviceDialog.tsx';
import { DeviceDialog } from './DeviceDialog.tsx';
import { AcceptHostKeyDialog } from './HostKeyDialog.tsx';
import { ImportDialog } from './ImportDialog.tsx';
import { InventoryTable } from './InventoryTable.tsx';
import { InventoryToolbar } from './InventoryToolbar.tsx';
import { UpgradeDialog } from './UpgradeDialog.tsx';
import { refreshQueries } from '../refresh.ts';

const PAGE_SIZES = [25, 50, 100, 200];

export function InventoryPage() {
  const { can } = useAuth();
  const { recentlyChanged } = useLive();
  const queryClient = useQueryClient();
  const [params, setParams] = useSearchParams();
  const [search, setSearch] = useState(params.get('q') ?? '');
  const q = useDebounced(search, 250);
  const [editing, setEditing] = useState<Device | 'new' | null>(null);
  const [deleting, setDeleting] = useState<Device | null>(null);
  const [importing, setImporting] = useState(false);
  const [upgrading, setUpgrading] = useState<Device | null>(null);
  const [acceptingKey, setAcceptingKey] = useState<Device | null>(null);
  const navigate = useNavigate();
  const [notice, setNotice] = useState<{ kind: 'error' | 'success'; text: string } | null>(null);

  const filters = {
    vendor: params.get('vendor') ?? undefined,
    platform: params.get('platform') ?? undefined,
    site: params.get('site') ?? undefined,
    tag: params.getAll('tag'),
    q: q || undefined,
  };
  const page = Number(params.get('page') ?? 1);
  const pageSize = Number(params.get('pageSize') ?? 50);
  const sort = params.get('sort') ?? 'hostname';

  // The search text goes into the address as it is typed (the list follows it debounced). Never
  // from a timer: a delayed address change would undo a navigation made meanwhile (Start upgrade).
  const onSearch = (text: string) => {
    setSearch(text);
    setParams(
      (p) => {
        if (text) p.set('q', text);
        else p.delete('q');
        p.delete('page');
        return p;
      },
      { replace: true },
    );
  };
  const setFilter = (key: string, value: string | null) => setParams((p) => withParam(p, key, value));

  const list = useQuery({
    queryKey: ['devices', 'list', filters, page, pageSize, sort],
    queryFn: () => api.get<DevicePage>(`/api/v1/devices${qs({ ...filters, page, pageSize, sort })}`),
    placeholderData: keepPreviousData,
  });
  const facets = useQuery({
    queryKey: ['devices', 'facets'],
    queryFn: () => api.get<DeviceFacets>('/api/v1/devices/facets'),
  });
  const writable = can('inventory:write');
  const credentials = useQuery({
    queryKey: ['credentials'],
    queryFn: async () => (await api.get<{ items: Credential[] }>('/api/v1/credentials')).items,
    enabled: writable,
  });

  const data = list.data;
  const from = data && data.total > 0 ? (data.page - 1) * data.pageSize + 1 : 0;
  const to = data ? Math.min(data.page * data.pageSize, data.total) : 0;
  const lastPage = data ? Math.max(1, Math.ceil(data.total / data.pageSize)) : 1;
  const filtered = Boolean(filters.vendor || filters.platform || filters.site || filters.tag.length || filters.q);
  const sortHeader = (field: string, label: string) => (
    <button type="button" className="th-sort" onClick={() => setFilter('sort', sort === field ? `-${field}` : field)}>
      {label}
      {sort === field ? ' ▲' : sort === `-${field}` ? ' ▼' : ''}
    </button>
  );
  const refresh = () => void refreshQueries(queryClient, ['devices']);

  return (
    <section className="page">
      <div className="page-head">
        <div>
          <h1>Inventory</h1>
          <p className="muted">
            {data ? `${data.total} device${data.total === 1 ? '' : 's'}${filtered ? ' match' : ''}` : 'Loading…'}
          </p>
        </div>
        <div className="page-actions">
          <a className="btn" href={`/api/v1/devices/export.csv${qs(filters)}`} download>
            Export CSV
          </a>
          {writable && (
            <>
              <button type="button" className="btn" onClick={() => setImporting(true)}>
                Import CSV
              </button>
              <button type="button" className="btn btn-primary" onClick={() => setEditing('new')}>
                Add device
              </button>
            </>
          )}
        </div>
      </div>

      <InventoryToolbar
        search={search}
        onSearch={onSearch}
        filters={filters}
        filtered={filtered}
        facets={facets.data}
        setFilter={setFilter}
        setParams={setParams}
        onClear={() => {
          setSearch('');
          setParams(new URLSearchParams());
        }}
      />

      {notice && <Banner kind={notice.kind}>{notice.text}</Banner>}
      {list.error && <Banner kind="error">{friendlyError(list.error, 'could not load devices')}</Banner>}

      <InventoryTable
        devices={data?.items ?? (list.error ? [] : undefined)}
        busy={list.isFetching}
        filtered={filtered}
        recentlyChanged={recentlyChanged}
        sortHeader={sortHeader}
        actions={{
          onUpgrade: can('runs:operate') ? setUpgrading : undefined,
          onEdit: writable ? setEditing : undefined,
          onDelete: writable ? setDeleting : undefined,
          onAcceptKey: can('host-keys:trust') ? setAcceptingKey : undefined,
        }}
      />

      <Pager page={page} lastPage={lastPage} onPage={(p) => setFilter('page', String(p))}>
        <span className="muted">{data ? `${from}–${to} of ${data.total}` : ''}</span>
        <label className="muted">
          Rows{' '}
          <select value={pageSize} onChange={(e) => setFilter('pageSize', e.target.value)}>
            {PAGE_SIZES.map((n) => (
              <option key={n}>{n}</option>
            ))}
          </select>
        </label>
      </Pager>

      {editing && (
        <DeviceDialog
          device={editing === 'new' ? null : editing}
          facets={facets.data}
          credentials={credentials.data ?? []}
          onClose={() => setEditing(null)}
          onSaved={(d, created) => {
            setEditing(null);
            setNotice({ kind: 'success', text: `${d.hostname} ${created ? 'added' : 'saved'}` });
            refresh();
          }}
        />
      )}
      {deleting && (
        <DeleteDeviceDialog
          device={deleting}
          onClose={() => setDeleting(null)}
          onDeleted={() => {
            setNotice({ kind: 'success', text: `${deleting.hostname} deleted` });
            setDeleting(null);
            refresh();
          }}
        />
      )}
      {acceptingKey?.offeredHostKey && (
        <AcceptHostKeyDialog
          device={{ ...acceptingKey, offeredHostKey: acceptingKey.offeredHostKey }}
          onClose={() => setAcceptingKey(null)}
          onAccepted={(d) => {
            setAcceptingKey(null);
            setNotice({
              kind: 'success',
              text: `${d.hostname}: new host key ${d.hostKeys.at(-1)?.fingerprint ?? ''} pinned (${d.hostKeys.length} pinned)`,
            });
            refresh();
          }}
        />
      )}
      {upgrading && (
        <UpgradeDialog
          device={upgrading}
          onClose={() => setUpgrading(null)}
          onStarted={(run) => navigate(`/runs/${run.id}`)}
        />
      )}
      {importing && (
        <ImportDialog
          onClose={() => setImporting(false)}
          onImported={(text) => {
            setImporting(false);
            setNotice({ kind: 'success', text });
            refresh();
          }}
        />
      )}
    </section>
  );
}
