// Syslog in the browser: the pages of a search as one cached infinite query (newest first, paged
// by the API's cursor), live `syslog.message` batches merged into its first page, and the same
// filters applied to live messages as the API applies to stored ones. One way for the run page's
// tail and the explorer alike.
import { SYSLOG_SEVERITIES, type SyslogMessage, type SyslogMessageEvent, type SyslogPage } from '@hitless/contracts';
import { useInfiniteQuery, useQueryClient, type InfiniteData } from '@tanstack/react-query';
import { api, qs } from '../api.ts';

export type SeverityName = (typeof SYSLOG_SEVERITIES)[number];

/** What the explorer and the run page filter by; the API's query names. */
export interface SyslogFilters {
  deviceId?: string | undefined;
  runId?: string | undefined;
  unknownSource?: boolean | undefined;
  /** The most severe level wanted (the name, as in the address). */
  severity?: SeverityName | undefined;
  q?: string | undefined;
  from?: string | undefined;
  to?: string | undefined;
  parseError?: boolean | undefined;
}

export type SyslogData = InfiniteData<SyslogPage, string | undefined>;

export const syslogKey = (filters: SyslogFilters, limit: number) => ['syslog', 'list', filters, limit] as const;

/** Message ids are decimal bigints: longer is larger, then by text. */
export function compareIds(a: string, b: string): number {
  return a.length - b.length || (a < b ? -1 : a > b ? 1 : 0);
}

/** Whether a live message belongs in a view filtered by `f`, as the API would decide it. */
export function matchesFilters(m: SyslogMessage, f: SyslogFilters): boolean {
  if (f.deviceId && m.deviceId !== f.deviceId) return false;
  if (f.runId && m.runId !== f.runId) return false;
  if (f.unknownSource !== undefined && (m.deviceId === null) !== f.unknownSource) return false;
  if (f.severity !== undefined) {
    if (m.severity === null || m.severity > SYSLOG_SEVERITIES.indexOf(f.severity)) return false;
  }
  if (f.parseError !== undefined && (m.parseError !== null) !== f.parseError) return false;
  const at = Date.parse(m.receivedAt);
  if (f.from && at < Date.parse(f.from)) return false;
  if (f.to && at > Date.parse(f.to)) return false;
  if (f.q) {
    const q = f.q.toLowerCase();
    if (![m.message, m.event ?? '', m.raw].some((text) => text.toLowerCase().includes(q))) return false;
  }
  return true;
}

/**
 * `data` with `incoming` merged in (each message once, newest first). Beyond `cap` messages the
 * oldest are dropped and the cursor moved to the last one kept, so "Older" still continues
 * exactly where the list ends.
 */
export function mergeMessages(data: SyslogData, incoming: SyslogMessage[], cap: number): SyslogData {
  const known = new Set(data.pages.flatMap((p) => p.items.map((m) => m.id)));
  const fresh = incoming.filter((m) => !known.has(m.id)).sort((a, b) => compareIds(b.id, a.id));
  if (fresh.length === 0) return data;
  const [first, ...rest] = data.pages;
  const pages = [{ ...first!, items: [...fresh, ...first!.items].sort((a, b) => compareIds(b.id, a.id)) }, ...rest];
  const total = pages.reduce((n, p) => n + p.items.length, 0);
  if (total <= cap) return { ...data, pages };
  const kept = pages.flatMap((p) => p.items).slice(0, cap);
  return { pages: [{ items: kept, nextBefore: kept.at(-1)!.id }], pageParams: [undefined] };
}

/** The API's query for `filters` (booleans only when set, as `true`/`false`). */
export function syslogQuery(filters: SyslogFilters): Record<string, string | undefined> {
  const bool = (v: boolean | undefined) => (v === undefined ? undefined : String(v));
  return {
    ...filters,
    unknownSource: bool(filters.unknownSource),
    parseError: bool(filters.parseError),
  };
}

/**
 * Stored messages matching `filters`, newest first, a page of `limit` at a time, and `onEvent`
 * to merge a live batch into them (a batch with omitted messages, or one that arrives before the
 * first answer, refetches instead).
 */
export function useSyslog(filters: SyslogFilters, o: { limit: number; cap: number; live: boolean }) {
  const queryClient = useQueryClient();
  const key = syslogKey(filters, o.limit);
  const query = useInfiniteQuery({
    queryKey: key,
    queryFn: ({ pageParam }) =>
      api.get<SyslogPage>(`/api/v1/syslog${qs({ ...syslogQuery(filters), before: pageParam, limit: o.limit })}`),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (last) => last.nextBefore ?? undefined,
    // Patched live, a view is as fresh as its events; otherwise the app's default applies.
    ...(o.live && { staleTime: Infinity }),
  });
  // Plain functions: useRoom calls the handlers of the latest render.
  const refetch = () => void queryClient.invalidateQueries({ queryKey: key, exact: true });
  const onEvent = (event: SyslogMessageEvent): SyslogMessage[] => {
    const matching = event.messages.filter((m) => matchesFilters(m, filters));
    const data = queryClient.getQueryData<SyslogData>(key);
    if (event.omitted > 0 || (!data && matching.length > 0)) refetch();
    else if (data && matching.length > 0)
      queryClient.setQueryData<SyslogData>(key, mergeMessages(data, matching, o.cap));
    return matching;
  };
  const items = query.data?.pages.flatMap((p) => p.items) ?? [];
  return { query, items, onEvent, refetch };
}

/** The time to show: the device's own stamp, else when the collector received it. */
export function shownTime(m: SyslogMessage): { at: string; device: boolean } {
  return m.timestamp ? { at: m.timestamp, device: true } : { at: m.receivedAt, device: false };
}

/** `14:03:07.123`, 24-hour, in this browser's zone. */
export function clockTime(iso: string): string {
  return new Date(iso).toLocaleTimeString(undefined, {
    hour: '2-digit',
    minute: '2-digit',
    second: '2-digit',
    fractionalSecondDigits: 3,
    hour12: false,
  });
}

/** The severity's name (`notice`), or `—` when the line had none. */
export const severityName = (severity: number | null): string =>
  severity === null ? '—' : (SYSLOG_SEVERITIES[severity] ?? String(severity));

/** Each step's messages, by when they were received: from the step's start to its end (or now). */
export function messagesByStep<S extends { id: string; startedAt: string; endedAt: string | null }>(
  steps: readonly S[],
  messages: readonly SyslogMessage[],
  now: number,
): Map<string, SyslogMessage[]> {
  const out = new Map<string, SyslogMessage[]>();
  for (const m of messages) {
    const at = Date.parse(m.receivedAt);
    const step = steps.find((s) => at >= Date.parse(s.startedAt) && at <= (s.endedAt ? Date.parse(s.endedAt) : now));
    if (!step) continue;
    const list = out.get(step.id) ?? [];
    list.push(m);
    out.set(step.id, list);
  }
  return out;
}
