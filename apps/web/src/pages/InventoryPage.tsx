// The inventory: filters kept in the address, live updates, paging, and the device, import and upgrade
// dialogs. Longer than 300 lines until issue 12 moves the table and toolbar into their own components.
import {
  VENDOR_LABELS,
  type Credential,
  type Device,
  type DeviceFacets,
  type DevicePage,
  type Vendor,
} from '@hitless/contracts';
import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useNavigate, useSearchParams } from 'react-router';
import { api, friendlyError, qs } from '../api.ts';
import { useAuth } from '../auth.tsx';
import { Banner, Pager } from '../components/ui.tsx';
import { useLive } from '../live.tsx';
import { withParam } from '../url.ts';
import { DeviceDialog } from './DeviceDialog.tsx';
import { AcceptHostKeyDialog } from './HostKeyDialog.tsx';
import { ImportDialog } from './ImportDialog.tsx';
import { UpgradeDialog } from './UpgradeDialog.tsx';
import { useDebounced } from '../components/hooks.ts';

const PAGE_SIZES = [25, 50, 100, 200];

function relative(iso: string): string {
  const s = Math.round((Date.now() - new Date(iso).getTime()) / 1000);
  if (s < 60) return 'just now';
  if (s < 3600) return `${Math.floor(s / 60)} min ago`;
  if (s < 86400) return `${Math.floor(s / 3600)} h ago`;
  return new Date(iso).toLocaleDateString();
}

export function InventoryPage() {
  const { can } = useAuth();
  const { recentlyChanged } = useLive();
  const queryClient = useQueryClient();
  const [params, setParams] = useSearchParams();
  const [search, setSearch] = useState(params.get('q') ?? '');
  const q = useDebounced(search, 250);
  const [editing, setEditing] = useState<Device | 'new' | null>(null);
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
  const credentials = useQuery({
    queryKey: ['credentials'],
    queryFn: async () => (await api.get<{ items: Credential[] }>('/api/v1/credentials')).items,
  });

  const remove = useMutation({
    mutationFn: (d: Device) => api.delete(`/api/v1/devices/${d.id}`),
    onSuccess: (_r, d) => {
      setNotice({ kind: 'success', text: `${d.hostname} deleted` });
      void queryClient.invalidateQueries({ queryKey: ['devices'] });
    },
    onError: (err) => setNotice({ kind: 'error', text: friendlyError(err, 'delete failed') }),
  });

  const data = list.data;
  const from = data && data.total > 0 ? (data.page - 1) * data.pageSize + 1 : 0;
  const to = data ? Math.min(data.page * data.pageSize, data.total) : 0;
  const lastPage = data ? Math.max(1, Math.ceil(data.total / data.pageSize)) : 1;
  const writable = can('inventory:write');
  const operate = can('runs:operate');
  const trust = can('host-keys:trust');
  const actions = writable || operate || trust;
  const sortBy = (field: string) => setFilter('sort', sort === field ? `-${field}` : field);
  const sortMark = (field: string) => (sort === field ? ' ▲' : sort === `-${field}` ? ' ▼' : '');
  const filtered = Boolean(filters.vendor || filters.platform || filters.site || filters.tag.length || filters.q);

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

      <div className="toolbar" role="search">
        <input
          className="search"
          type="search"
          placeholder="Search hostname, address, platform, version…"
          aria-label="Search devices"
          value={search}
          onChange={(e) => onSearch(e.target.value)}
        />
        <select
          aria-label="Vendor"
          value={filters.vendor ?? ''}
          onChange={(e) => setFilter('vendor', e.target.value || null)}
        >
          <option value="">All vendors</option>
          {(Object.keys(VENDOR_LABELS) as Vendor[]).map((v) => (
            <option key={v} value={v}>
              {VENDOR_LABELS[v]}
            </option>
          ))}
        </select>
        <select
          aria-label="Platform"
          value={filters.platform ?? ''}
          onChange={(e) => setFilter('platform', e.target.value || null)}
        >
          <option value="">All platforms</option>
          {facets.data?.platforms.map((p) => (
            <option key={p}>{p}</option>
          ))}
        </select>
        <select
          aria-label="Site"
          value={filters.site ?? ''}
          onChange={(e) => setFilter('site', e.target.value || null)}
        >
          <option value="">All sites</option>
          {facets.data?.sites.map((s) => (
            <option key={s}>{s}</option>
          ))}
        </select>
        <select
          aria-label="Tag"
          value=""
          onChange={(e) =>
            e.target.value &&
            setParams((p) => {
              if (!p.getAll('tag').includes(e.target.value)) p.append('tag', e.target.value);
              p.delete('page');
              return p;
            })
          }
        >
          <option value="">Add tag filter…</option>
          {facets.data?.tags
            .filter((t) => !filters.tag.includes(t))
            .map((t) => (
              <option key={t}>{t}</option>
            ))}
        </select>
        {filters.tag.map((t) => (
          <button
            key={t}
            type="button"
            className="chip"
            aria-label={`Remove tag filter ${t}`}
            onClick={() =>
              setParams((p) => {
                const rest = p.getAll('tag').filter((x) => x !== t);
                p.delete('tag');
                rest.forEach((x) => p.append('tag', x));
                return p;
              })
            }
          >
            #{t} ✕
          </button>
        ))}
        {filtered && (
          <button
            type="button"
            className="btn btn-quiet"
            onClick={() => {
              setSearch('');
              setParams(new URLSearchParams());
            }}
          >
            Clear filters
          </button>
        )}
      </div>

      {notice && <Banner kind={notice.kind}>{notice.text}</Banner>}
      {list.error && <Banner kind="error">{friendlyError(list.error, 'could not load devices')}</Banner>}

      <div className="table-wrap">
        <table className="grid" aria-label="Devices" aria-busy={list.isFetching}>
          <thead>
            <tr>
              <th>
                <button type="button" className="th-sort" onClick={() => sortBy('hostname')}>
                  Hostname{sortMark('hostname')}
                </button>
              </th>
              <th>Management address</th>
              <th>Vendor</th>
              <th>
                <button type="button" className="th-sort" onClick={() => sortBy('platform')}>
                  Platform{sortMark('platform')}
                </button>
              </th>
              <th>
                <button type="button" className="th-sort" onClick={() => sortBy('site')}>
                  Site{sortMark('site')}
                </button>
              </th>
              <th>Version</th>
              <th>Tags</th>
              <th>Group</th>
              <th>Credential</th>
              <th>
                <button type="button" className="th-sort" onClick={() => sortBy('updatedAt')}>
                  Updated{sortMark('updatedAt')}
                </button>
              </th>
              {actions && <th aria-label="Actions" />}
            </tr>
          </thead>
          <tbody>
            {data?.items.map((d) => (
              <tr key={d.id} className={recentlyChanged.has(d.id) ? 'flash' : undefined} data-hostname={d.hostname}>
                <td className="strong">
                  {d.hostname}
                  {/* For admins the badge opens the acceptance too: the actions column can be scrolled out of view. */}
                  {d.offeredHostKey &&
                    (trust ? (
                      <button
                        type="button"
                        className="status status-failed host-key-changed"
                        title={`offered ${d.offeredHostKey.fingerprint}: review and accept the new key`}
                        onClick={() => setAcceptingKey(d)}
                      >
                        {d.hostKeys.length > 0 ? 'host key not pinned' : 'host key to accept'}
                      </button>
                    ) : (
                      <span
                        className="status status-failed host-key-changed"
                        title={`offered ${d.offeredHostKey.fingerprint}; connections are refused until an admin accepts it`}
                      >
                        {d.hostKeys.length > 0 ? 'host key not pinned' : 'host key to accept'}
                      </span>
                    ))}
                </td>
                <td className="mono">
                  {d.mgmtAddress}
                  {d.port !== 22 && <span className="muted">:{d.port}</span>}
                </td>
                <td>
                  <span className={`vendor vendor-${d.vendor.toLowerCase()}`}>{VENDOR_LABELS[d.vendor]}</span>
                </td>
                <td>{d.platform}</td>
                <td>{d.site ?? <span className="muted">—</span>}</td>
                <td className="mono">{d.currentVersion ?? <span className="muted">unknown</span>}</td>
                <td>
                  {d.tags.map((t) => (
                    <span key={t} className="tag">
                      {t}
                    </span>
                  ))}
                </td>
                <td>{d.redundancyGroup ?? <span className="muted">—</span>}</td>
                <td>{d.credentialName ?? <span className="warn-text">none</span>}</td>
                <td className="muted" title={new Date(d.updatedAt).toLocaleString()}>
                  {relative(d.updatedAt)}
                </td>
                {actions && (
                  <td>
                    <div className="row-actions">
                      {/* Every connection to a device whose key changed is refused: accepting comes first. */}
                      {trust && d.offeredHostKey ? (
                        <button
                          type="button"
                          className="btn btn-small btn-danger"
                          aria-label={`Accept new host key of ${d.hostname}`}
                          onClick={() => setAcceptingKey(d)}
                        >
                          Accept new key
                        </button>
                      ) : (
                        operate && (
                          <button
                            type="button"
                            className="btn btn-small"
                            aria-label={`Upgrade ${d.hostname}`}
                            disabled={!d.credentialName || Boolean(d.offeredHostKey)}
                            title={
                              d.offeredHostKey
                                ? 'the host key changed: an admin must accept the new key first'
                                : d.credentialName
                                  ? undefined
                                  : 'assign a credential first'
                            }
                            onClick={() => setUpgrading(d)}
                          >
                            Upgrade
                          </button>
                        )
                      )}
                      {writable && (
                        <>
                          <button
                            type="button"
                            className="btn btn-small"
                            aria-label={`Edit ${d.hostname}`}
                            onClick={() => setEditing(d)}
                          >
                            Edit
                          </button>
                          <button
                            type="button"
                            className="btn btn-small btn-danger"
                            aria-label={`Delete ${d.hostname}`}
                            disabled={remove.isPending}
                            onClick={() => {
                              if (window.confirm(`Delete ${d.hostname} from the inventory?`)) remove.mutate(d);
                            }}
                          >
                            Delete
                          </button>
                        </>
                      )}
                    </div>
                  </td>
                )}
              </tr>
            ))}
            {data && data.items.length === 0 && (
              <tr>
                <td colSpan={actions ? 11 : 10} className="empty">
                  {filtered ? 'No device matches these filters.' : 'No devices yet. Add one or import a CSV file.'}
                </td>
              </tr>
            )}
          </tbody>
        </table>
      </div>

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
            void queryClient.invalidateQueries({ queryKey: ['devices'] });
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
            void queryClient.invalidateQueries({ queryKey: ['devices'] });
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
            void queryClient.invalidateQueries({ queryKey: ['devices'] });
          }}
        />
      )}
    </section>
  );
}
