// The builder's device selection: by filter (vendor / platform / site / tag / redundancy group; the
// devices matching now are listed) or by picking from the inventory with checkboxes.
import { VENDOR_LABELS, type Device, type DeviceFacets, type DevicePage } from '@hitless/contracts';
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { useState, type ReactNode } from 'react';
import { api, friendlyError, qs } from '../api.ts';
import { Banner, Field, Pager } from '../components/ui.tsx';
import { errorAt, type CampaignForm, type FieldErrors, type PickedDevice } from './CampaignBuilderForm.ts';
import { useDebounced } from '../components/hooks.ts';
import { VendorOptions } from '../components/devices.tsx';

const PICK_PAGE = 50;
/** How many matching devices the filter preview fetches (the API's page limit). */
const MATCH_LIMIT = 500;

const picked = (d: Device): PickedDevice => ({
  id: d.id,
  hostname: d.hostname,
  vendor: d.vendor,
  platform: d.platform,
});

/** The devices a filter selects today (the redundancy group is matched here; the list API has no such filter). */
export function useFilterMatches(form: CampaignForm) {
  const f = form.filter;
  const query = useQuery({
    queryKey: ['devices', 'campaign-filter', f.vendor, f.platform, f.site, f.tag],
    enabled: form.mode === 'filter',
    queryFn: () =>
      api.get<DevicePage>(
        `/api/v1/devices${qs({ vendor: f.vendor, platform: f.platform, site: f.site, tag: f.tag, pageSize: MATCH_LIMIT })}`,
      ),
    placeholderData: keepPreviousData,
  });
  const group = f.redundancyGroup.trim().toLowerCase();
  const items = (query.data?.items ?? []).filter((d) => !group || d.redundancyGroup?.toLowerCase() === group);
  return { query, items, truncated: (query.data?.total ?? 0) > MATCH_LIMIT };
}

function DeviceRows({ devices, check }: { devices: Device[]; check?: (d: Device) => ReactNode }) {
  return (
    <>
      {devices.map((d) => (
        <tr key={d.id} data-hostname={d.hostname}>
          {check && <td className="cell-check">{check(d)}</td>}
          <td className="strong">{d.hostname}</td>
          <td>
            <span className={`vendor vendor-${d.vendor.toLowerCase()}`}>{VENDOR_LABELS[d.vendor]}</span>
          </td>
          <td>{d.platform}</td>
          <td>{d.site ?? <span className="muted">—</span>}</td>
          <td className="mono">{d.currentVersion ?? <span className="muted">unknown</span>}</td>
          <td>{d.redundancyGroup ?? <span className="muted">—</span>}</td>
        </tr>
      ))}
    </>
  );
}

const HEAD = ['Hostname', 'Vendor', 'Platform', 'Site', 'Version', 'Group'];

export function DeviceSelection({
  form,
  set,
  errors,
}: {
  form: CampaignForm;
  set: (patch: Partial<CampaignForm>) => void;
  errors: FieldErrors;
}) {
  const facets = useQuery({
    queryKey: ['devices', 'facets'],
    queryFn: () => api.get<DeviceFacets>('/api/v1/devices/facets'),
  });
  const matches = useFilterMatches(form);
  const [search, setSearch] = useState('');
  const q = useDebounced(search, 250);
  const [page, setPage] = useState(1);
  const list = useQuery({
    queryKey: ['devices', 'campaign-pick', q, page],
    enabled: form.mode === 'ids',
    queryFn: () => api.get<DevicePage>(`/api/v1/devices${qs({ q, page, pageSize: PICK_PAGE, sort: 'hostname' })}`),
    placeholderData: keepPreviousData,
  });
  const chosen = new Set(form.picked.map((d) => d.id));
  const toggle = (d: Device, on: boolean) =>
    set({ picked: on ? [...form.picked, picked(d)] : form.picked.filter((p) => p.id !== d.id) });
  const shown = list.data?.items ?? [];
  const allShown = shown.length > 0 && shown.every((d) => chosen.has(d.id));
  const setFilter = (key: keyof CampaignForm['filter'], value: string) =>
    set({ filter: { ...form.filter, [key]: value } });
  const groups = [...new Set(matches.items.flatMap((d) => (d.redundancyGroup ? [d.redundancyGroup] : [])))].sort();
  const lastPage = list.data ? Math.max(1, Math.ceil(list.data.total / list.data.pageSize)) : 1;
  const selectionError = errorAt(errors, 'selection');

  return (
    <fieldset className="cform-section">
      <legend>Devices</legend>
      <div className="segmented" role="radiogroup" aria-label="Select devices">
        <label className={form.mode === 'ids' ? 'on' : undefined}>
          <input type="radio" name="mode" checked={form.mode === 'ids'} onChange={() => set({ mode: 'ids' })} /> Pick
          from the inventory
        </label>
        <label className={form.mode === 'filter' ? 'on' : undefined}>
          <input type="radio" name="mode" checked={form.mode === 'filter'} onChange={() => set({ mode: 'filter' })} />{' '}
          By filter
        </label>
      </div>
      {selectionError && (
        <span className="field-message" role="alert">
          {selectionError}
        </span>
      )}

      {form.mode === 'filter' ? (
        <>
          <div className="cform-grid">
            <Field label="Vendor">
              <select value={form.filter.vendor} onChange={(e) => setFilter('vendor', e.target.value)}>
                <option value="">Any vendor</option>
                <VendorOptions />
              </select>
            </Field>
            <Field label="Platform">
              <select value={form.filter.platform} onChange={(e) => setFilter('platform', e.target.value)}>
                <option value="">Any platform</option>
                {facets.data?.platforms.map((p) => (
                  <option key={p}>{p}</option>
                ))}
              </select>
            </Field>
            <Field label="Site">
              <select value={form.filter.site} onChange={(e) => setFilter('site', e.target.value)}>
                <option value="">Any site</option>
                {facets.data?.sites.map((s) => (
                  <option key={s}>{s}</option>
                ))}
              </select>
            </Field>
            <Field label="Tag">
              <select value={form.filter.tag} onChange={(e) => setFilter('tag', e.target.value)}>
                <option value="">Any tag</option>
                {facets.data?.tags.map((t) => (
                  <option key={t}>{t}</option>
                ))}
              </select>
            </Field>
            <Field label="Redundancy group" error={errors['selection.redundancyGroup']}>
              <input
                list="campaign-groups"
                value={form.filter.redundancyGroup}
                onChange={(e) => setFilter('redundancyGroup', e.target.value)}
                placeholder="any group"
              />
            </Field>
            <datalist id="campaign-groups">
              {groups.map((g) => (
                <option key={g} value={g} />
              ))}
            </datalist>
          </div>
          <p className="muted">
            {matches.query.isPending
              ? 'Looking for matching devices…'
              : `${matches.items.length}${matches.truncated ? '+' : ''} device${matches.items.length === 1 ? '' : 's'} match today; the list is frozen when the campaign is submitted.`}
          </p>
          {matches.query.error && (
            <Banner kind="error">{friendlyError(matches.query.error, 'could not list devices')}</Banner>
          )}
          {matches.items.length > 0 && (
            <div className="table-wrap cform-devices">
              <table className="grid" aria-label="Matching devices">
                <thead>
                  <tr>
                    {HEAD.map((h) => (
                      <th key={h}>{h}</th>
                    ))}
                  </tr>
                </thead>
                <tbody>
                  <DeviceRows devices={matches.items} />
                </tbody>
              </table>
            </div>
          )}
        </>
      ) : (
        <>
          <div className="toolbar">
            <input
              className="search"
              type="search"
              placeholder="Search hostname, address, platform, version…"
              aria-label="Search devices to pick"
              value={search}
              onChange={(e) => {
                setSearch(e.target.value);
                setPage(1);
              }}
            />
            <span className="muted" aria-live="polite">
              {form.picked.length} device{form.picked.length === 1 ? '' : 's'} picked
            </span>
            {form.picked.length > 0 && (
              <button type="button" className="btn btn-quiet" onClick={() => set({ picked: [] })}>
                Clear
              </button>
            )}
          </div>
          {form.picked.length > 0 && (
            <div className="chips" aria-label="Picked devices">
              {form.picked.map((d) => (
                <button
                  key={d.id}
                  type="button"
                  className="chip"
                  aria-label={`Remove ${d.hostname}`}
                  onClick={() => set({ picked: form.picked.filter((p) => p.id !== d.id) })}
                >
                  {d.hostname} ✕
                </button>
              ))}
            </div>
          )}
          {list.error && <Banner kind="error">{friendlyError(list.error, 'could not list devices')}</Banner>}
          <div className="table-wrap cform-devices">
            <table className="grid" aria-label="Inventory devices" aria-busy={list.isFetching}>
              <thead>
                <tr>
                  <th className="cell-check">
                    <input
                      type="checkbox"
                      aria-label="Pick every device shown"
                      checked={allShown}
                      onChange={(e) =>
                        set({
                          picked: e.target.checked
                            ? [...form.picked, ...shown.filter((d) => !chosen.has(d.id)).map(picked)]
                            : form.picked.filter((p) => !shown.some((d) => d.id === p.id)),
                        })
                      }
                    />
                  </th>
                  {HEAD.map((h) => (
                    <th key={h}>{h}</th>
                  ))}
                </tr>
              </thead>
              <tbody>
                <DeviceRows
                  devices={shown}
                  check={(d) => (
                    <input
                      type="checkbox"
                      aria-label={`Pick ${d.hostname}`}
                      checked={chosen.has(d.id)}
                      onChange={(e) => toggle(d, e.target.checked)}
                    />
                  )}
                />
                {list.data && shown.length === 0 && (
                  <tr>
                    <td colSpan={7} className="empty">
                      No device matches.
                    </td>
                  </tr>
                )}
              </tbody>
            </table>
          </div>
          <Pager page={page} lastPage={lastPage} onPage={setPage} />
        </>
      )}
    </fieldset>
  );
}
