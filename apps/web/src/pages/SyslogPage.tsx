// The syslog explorer: every stored message, newest first, filtered by device (or sources that
// match none), severity, text, time and parse errors; paged by the API's cursor ("Older"). The
// filters live in the address so a view can be shared. Live adds new matching messages at the top
// as the collector stores them (the same filters applied in the browser), keeping the newest
// LIVE_CAP lines in memory.
import { SYSLOG_SEVERITIES, type SyslogMessageEvent } from '@hitless/contracts';
import { useState } from 'react';
import { useSearchParams } from 'react-router';
import { ApiError, friendlyError } from '../api.ts';
import { Banner, Field } from '../components/ui.tsx';
import { SyslogTable } from '../components/SyslogTable.tsx';
import { useSyslog, type SeverityName, type SyslogFilters } from '../components/syslog.ts';
import { useRoom } from '../live.tsx';
import { withParam } from '../url.ts';
import { useDebounced } from '../components/hooks.ts';
import { useDeviceChoice } from '../components/DevicePicker.tsx';

const PAGE_SIZE = 100;
/** Lines kept in memory while live; the oldest go first (Older fetches them again). */
const LIVE_CAP = 1000;
const SEVERITY_HINT: Record<SeverityName, string> = {
  emerg: 'emergencies only',
  alert: 'alert and worse',
  crit: 'critical and worse',
  err: 'error and worse',
  warning: 'warning and worse',
  notice: 'notice and worse',
  info: 'info and worse',
  debug: 'everything',
};

/** An ISO time as a `datetime-local` value in this browser's zone (`2026-12-02T15:04:05`); '' if unreadable. */
function toLocalInput(iso: string | undefined): string {
  const d = iso ? new Date(iso) : null;
  if (!d || Number.isNaN(d.getTime())) return '';
  const p = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())}T${p(d.getHours())}:${p(d.getMinutes())}:${p(d.getSeconds())}`;
}

const severityOf = (v: string | null): SeverityName | undefined =>
  (SYSLOG_SEVERITIES as readonly string[]).includes(v ?? '') ? (v as SeverityName) : undefined;

/** Joins the `syslog` room while mounted: every message the collector stores. */
function LiveFeed({ onEvent, onJoin }: { onEvent: (e: SyslogMessageEvent) => void; onJoin: () => void }) {
  useRoom('syslog', { 'syslog.message': onEvent }, onJoin);
  return null;
}

/**
 * A hostname typed or picked from the inventory's matches; the filter is the device whose hostname
 * it names exactly (the address keeps its id).
 */
function DeviceFilter({
  deviceId,
  disabled,
  error,
  onChange,
}: {
  deviceId: string | undefined;
  disabled: boolean;
  error: string | undefined;
  onChange: (id: string | null) => void;
}) {
  const { shown, setText, matches, unknown, currentError } = useDeviceChoice(deviceId ?? null, onChange, {
    clearOnUnknown: true,
  });
  return (
    <div className="syslog-device">
      <Field
        label="Device"
        error={error ?? (currentError ? friendlyError(currentError, 'no such device') : undefined)}
        hint={unknown ? 'No device has this hostname; pick one from the list' : undefined}
      >
        <input
          type="search"
          list="syslog-devices"
          placeholder="hostname"
          autoComplete="off"
          disabled={disabled}
          value={shown}
          onChange={(e) => setText(e.target.value)}
        />
      </Field>
      <datalist id="syslog-devices">
        {matches.map((d) => (
          <option key={d.id} value={d.hostname}>
            {d.mgmtAddress}
          </option>
        ))}
      </datalist>
    </div>
  );
}

export function SyslogPage() {
  const [params, setParams] = useSearchParams();
  const [search, setSearch] = useState(params.get('q') ?? '');
  const q = useDebounced(search.trim(), 250);
  const [live, setLive] = useState(false);
  /** Bumped by Clear filters: the device field forgets what was typed in it. */
  const [cleared, setCleared] = useState(0);
  /** Ids that arrived live, for a brief highlight. */
  const [arrived, setArrived] = useState<ReadonlySet<string>>(new Set());

  const unknownSource = params.get('unknownSource') === 'true';
  const filters: SyslogFilters = {
    deviceId: unknownSource ? undefined : (params.get('deviceId') ?? undefined),
    unknownSource: unknownSource || undefined,
    severity: severityOf(params.get('severity')),
    q: q || undefined,
    from: params.get('from') ?? undefined,
    to: params.get('to') ?? undefined,
    parseError: params.get('parseError') === 'true' || undefined,
  };
  const syslog = useSyslog(filters, { limit: PAGE_SIZE, cap: LIVE_CAP, live });
  const { query, items } = syslog;
  const fieldErrors = query.error instanceof ApiError && query.error.status === 400 ? query.error.fieldErrors() : {};
  const fieldError = (name: string) => fieldErrors[name];
  const otherError =
    query.error && !Object.keys(fieldErrors).length ? friendlyError(query.error, 'could not load syslog') : null;

  const set = (key: string, value: string | null, replace = false) =>
    setParams((p) => withParam(p, key, value), { replace });
  // The search text goes into the address as it is typed (the list follows it debounced), as on the inventory.
  const onSearch = (text: string) => {
    setSearch(text);
    setParams((p) => withParam(p, 'q', text), { replace: true });
  };
  const onLive = (event: SyslogMessageEvent) => {
    const ids = syslog.onEvent(event).map((m) => m.id);
    if (ids.length > 0) setArrived((prev) => new Set([...prev, ...ids].slice(-LIVE_CAP)));
  };
  const filtered = Object.values(filters).some((v) => v !== undefined);
  const clear = () => {
    setSearch('');
    setCleared((n) => n + 1);
    setParams(new URLSearchParams());
  };

  return (
    <section className="page syslog-page">
      <div className="page-head">
        <div>
          <h1>Syslog</h1>
          <p className="muted">
            {query.data
              ? `${items.length}${query.hasNextPage ? '+' : ''} message${items.length === 1 ? '' : 's'}${filtered ? ' match' : ''}, newest first`
              : Object.keys(fieldErrors).length
                ? 'The filters need a change'
                : query.error
                  ? 'Not loaded'
                  : 'Loading…'}
            {live && items.length >= LIVE_CAP && ` · keeping the newest ${LIVE_CAP} in memory`}
          </p>
        </div>
        <div className="page-actions">
          <button
            type="button"
            className={`btn live-toggle${live ? ' live-toggle-on' : ''}`}
            aria-pressed={live}
            onClick={() => setLive((on) => !on)}
          >
            <span className="dot" aria-hidden />
            Live
          </button>
        </div>
      </div>
      {live && <LiveFeed onEvent={onLive} onJoin={syslog.refetch} />}

      <form className="syslog-filters" role="search" aria-label="Syslog filters" onSubmit={(e) => e.preventDefault()}>
        <DeviceFilter
          key={cleared}
          deviceId={filters.deviceId}
          disabled={unknownSource}
          error={fieldError('deviceId')}
          onChange={(id) => set('deviceId', id, true)}
        />
        <Field label="Severity (at most)" error={fieldError('severity')}>
          <select value={filters.severity ?? ''} onChange={(e) => set('severity', e.target.value || null)}>
            <option value="">Any</option>
            {SYSLOG_SEVERITIES.map((name, i) => (
              <option key={name} value={name}>
                {i} {name}: {SEVERITY_HINT[name]}
              </option>
            ))}
          </select>
        </Field>
        <Field label="Text" error={fieldError('q')}>
          <input type="search" placeholder="event or words" value={search} onChange={(e) => onSearch(e.target.value)} />
        </Field>
        <Field label="From" error={fieldError('from')}>
          <input
            type="datetime-local"
            step={1}
            value={toLocalInput(filters.from)}
            onChange={(e) => set('from', e.target.value ? new Date(e.target.value).toISOString() : null)}
          />
        </Field>
        <Field label="To" error={fieldError('to')}>
          <input
            type="datetime-local"
            step={1}
            value={toLocalInput(filters.to)}
            onChange={(e) => set('to', e.target.value ? new Date(e.target.value).toISOString() : null)}
          />
        </Field>
        <div className="syslog-options">
          <label className="check">
            <input
              type="checkbox"
              checked={unknownSource}
              onChange={(e) => set('unknownSource', e.target.checked ? 'true' : null)}
            />
            Unknown sources only
          </label>
          <label className="check">
            <input
              type="checkbox"
              checked={filters.parseError ?? false}
              onChange={(e) => set('parseError', e.target.checked ? 'true' : null)}
            />
            Parse errors only
          </label>
          <button type="button" className="btn btn-small" disabled={!filtered && !search} onClick={clear}>
            Clear filters
          </button>
        </div>
      </form>

      {otherError && <Banner kind="error">{otherError}</Banner>}
      <SyslogTable items={items} arrived={arrived} busy={query.isFetching}>
        {Object.keys(fieldErrors).length > 0 && (
          <tr>
            <td colSpan={6} className="empty">
              The API refused these filters; see the field marked above.
            </td>
          </tr>
        )}
        {query.data && items.length === 0 && (
          <tr>
            <td colSpan={6} className="empty">
              {filtered
                ? 'No message matches these filters.'
                : 'No syslog stored yet: messages appear here once devices send them to the collector.'}
              {live && ' Live: new matching messages appear here as they arrive.'}
            </td>
          </tr>
        )}
      </SyslogTable>
      <div className="pager">
        {query.data && !query.hasNextPage && items.length > 0 && <span className="muted">End of the results</span>}
        {query.hasNextPage && (
          <button
            type="button"
            className="btn btn-small"
            disabled={query.isFetchingNextPage}
            onClick={() => void query.fetchNextPage()}
          >
            {query.isFetchingNextPage ? 'Loading…' : 'Older ›'}
          </button>
        )}
      </div>
    </section>
  );
}
