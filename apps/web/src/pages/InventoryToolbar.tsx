// The inventory's filters: free text, vendor, platform, site and tags, all kept in the address.
import type { DeviceFacets } from '@hitless/contracts';
import type { SetURLSearchParams } from 'react-router';
import { VendorOptions } from '../components/devices.tsx';

export interface InventoryFilters {
  vendor: string | undefined;
  platform: string | undefined;
  site: string | undefined;
  tag: string[];
  q: string | undefined;
}

export function InventoryToolbar({
  search,
  onSearch,
  filters,
  filtered,
  facets,
  setFilter,
  setParams,
  onClear,
}: {
  search: string;
  onSearch(text: string): void;
  filters: InventoryFilters;
  filtered: boolean;
  facets: DeviceFacets | undefined;
  setFilter(key: string, value: string | null): void;
  setParams: SetURLSearchParams;
  onClear(): void;
}) {
  return (
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
        <VendorOptions />
      </select>
      <select
        aria-label="Platform"
        value={filters.platform ?? ''}
        onChange={(e) => setFilter('platform', e.target.value || null)}
      >
        <option value="">All platforms</option>
        {facets?.platforms.map((p) => (
          <option key={p}>{p}</option>
        ))}
      </select>
      <select aria-label="Site" value={filters.site ?? ''} onChange={(e) => setFilter('site', e.target.value || null)}>
        <option value="">All sites</option>
        {facets?.sites.map((s) => (
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
        {facets?.tags
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
        <button type="button" className="btn btn-quiet" onClick={onClear}>
          Clear filters
        </button>
      )}
    </div>
  );
}
