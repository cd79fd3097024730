// The maintenance window: local wall-clock start and end in an IANA time zone (luxon does the
// zone arithmetic, DST included), minus blackout dates (whole local days on which no run starts).
import type { MaintenanceWindow } from '@hitless/contracts';
import { IANAZone } from 'luxon';
import { invalid } from '../errors.ts';

export interface Interval {
  start: Date;
  end: Date;
}

/** The longest window accepted: a campaign is a change, not a standing permission. */
export const MAX_WINDOW_DAYS = 31;

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

/** The zone, or a VALIDATION_FAILED on `window.timeZone`. */
export function windowZone(w: Pick<MaintenanceWindow, 'timeZone'>): IANAZone {
  const name = w.timeZone.trim();
  if (!IANAZone.isValidZone(name)) {
    throw invalid([
      {
        path: 'window.timeZone',
        message: `"${w.timeZone}" is not a known IANA time zone (for example Europe/Berlin or America/New_York)`,
      },
    ]);
  }
  return IANAZone.create(name);
}

/** "2026-03-08T01:30[:00]" → that wall-clock time as if it were UTC (ms), or null when malformed or not a real date. */
function parseLocal(text: string): number | null {
  const m = /^(\d{4})-(\d{2})-(\d{2})(?:T(\d{2}):(\d{2})(?::(\d{2}))?)?$/.exec(text);
  if (!m) return null;
  const [y, mo, d, h, mi, s] = [m[1], m[2], m[3], m[4] ?? '0', m[5] ?? '0', m[6] ?? '0'].map(Number) as [
    number,
    number,
    number,
    number,
    number,
    number,
  ];
  const ms = Date.UTC(y, mo - 1, d, h, mi, s);
  const back = new Date(ms);
  if (
    back.getUTCFullYear() !== y ||
    back.getUTCMonth() !== mo - 1 ||
    back.getUTCDate() !== d ||
    back.getUTCHours() !== h ||
    back.getUTCMinutes() !== mi ||
    back.getUTCSeconds() !== s
  )
    return null;
  return ms;
}

type Resolved =
  | { kind: 'ok'; at: number }
  /** The wall-clock time falls into a gap: `at` is the instant the clocks jumped, `from`/`to` the local times around it. */
  | { kind: 'gap'; at: number; from: number; to: number };

const offsetMs = (zone: IANAZone, at: number) => zone.offset(at) * MINUTE;

/**
 * The instant(s) a local wall-clock time (as UTC ms) names in the zone. Offsets a day either side
 * bound the ones that can apply; a time that occurs twice gives its first occurrence.
 */
function resolveLocal(zone: IANAZone, local: number): Resolved {
  const offsets = [...new Set([offsetMs(zone, local - DAY), offsetMs(zone, local), offsetMs(zone, local + DAY)])];
  const valid = offsets.map((o) => local - o).filter((t) => offsetMs(zone, t) === local - t);
  if (valid.length > 0) return { kind: 'ok', at: Math.min(...valid) };
  // A gap: the candidates bracket the transition; find it (to the second).
  const candidates = offsets.map((o) => local - o);
  let lo = Math.min(...candidates);
  let hi = Math.max(...candidates);
  const before = offsetMs(zone, lo);
  while (hi - lo > 1000) {
    const mid = lo + Math.floor((hi - lo) / 2);
    if (offsetMs(zone, mid) === before) lo = mid;
    else hi = mid;
  }
  return { kind: 'gap', at: hi, from: hi + before, to: hi + offsetMs(zone, hi) };
}

const hhmm = (localMs: number) => new Date(localMs).toISOString().slice(11, 16);

/**
 * The window's start and end as instants. Throws DomainError VALIDATION_FAILED naming the field
 * (`window.timeZone`, `window.start`, `window.end`) for an unknown zone, a local time that does not
 * exist (the hour skipped when clocks go forward), or an end not after the start. A local time that
 * occurs twice (clocks go back) is taken at its first occurrence.
 */
export function resolveWindow(w: MaintenanceWindow): Interval {
  const r = computed(w);
  return { start: new Date(r.start), end: new Date(r.end) };
}

function resolveBounds(w: MaintenanceWindow): { start: number; end: number } {
  const zone = windowZone(w);
  const at = (field: 'start' | 'end'): number => {
    const local = parseLocal(w[field]);
    if (local === null || !w[field].includes('T')) {
      throw invalid([
        { path: `window.${field}`, message: `"${w[field]}" is not a real local date and time (YYYY-MM-DDTHH:MM)` },
      ]);
    }
    const r = resolveLocal(zone, local);
    if (r.kind === 'gap') {
      throw invalid([
        {
          path: `window.${field}`,
          message: `${w[field]} does not exist in ${zone.name}: the clocks skip from ${hhmm(r.from)} to ${hhmm(r.to)} that day; pick a time outside that hour`,
        },
      ]);
    }
    return r.at;
  };
  const start = at('start');
  const end = at('end');
  if (end <= start) {
    throw invalid([{ path: 'window.end', message: `the window must end after it starts (${w.start})` }]);
  }
  if (end - start > MAX_WINDOW_DAYS * DAY) {
    throw invalid([
      {
        path: 'window.end',
        message: `the window may last at most ${MAX_WINDOW_DAYS} days; split the change into several campaigns`,
      },
    ]);
  }
  return { start, end };
}

/** The first instant of a local date in the zone (its midnight, or the jump when midnight is skipped). */
function startOfLocalDay(zone: IANAZone, date: string): number {
  const local = parseLocal(date);
  if (local === null) throw invalid([{ path: 'window.blackoutDates', message: `"${date}" is not a real date` }]);
  return resolveLocal(zone, local).at;
}

/** A blackout date's local day [00:00, next 00:00) as an interval: 23 or 25 hours long across DST. */
export function blackoutInterval(w: Pick<MaintenanceWindow, 'timeZone'>, date: string): Interval {
  const zone = windowZone(w);
  const start = startOfLocalDay(zone, date);
  const next = new Date(Date.parse(`${date}T00:00:00Z`) + DAY).toISOString().slice(0, 10);
  return { start: new Date(start), end: new Date(startOfLocalDay(zone, next)) };
}

interface Computed {
  start: number;
  end: number;
  open: [number, number][];
}

/**
 * Resolved windows, by value: the scheduler asks about the same window several times a tick and
 * zone offsets are not cheap. Bounded; errors are not kept (they are thrown again).
 */
const cache = new Map<string, Computed>();
const CACHE_SIZE = 500;

function computed(w: MaintenanceWindow): Computed {
  const key = JSON.stringify([w.start, w.end, w.timeZone, [...w.blackoutDates].sort()]);
  const hit = cache.get(key);
  if (hit) return hit;
  const { start, end } = resolveBounds(w);
  const blackouts = [...new Set(w.blackoutDates)]
    .sort()
    .map((d) => blackoutInterval(w, d))
    .map((b) => [b.start.getTime(), b.end.getTime()] as const)
    .filter(([bs, be]) => be > start && bs < end);
  const open: [number, number][] = [];
  let cursor = start;
  for (const [bs, be] of blackouts) {
    if (bs > cursor) open.push([cursor, Math.min(bs, end)]);
    cursor = Math.max(cursor, be);
  }
  if (cursor < end) open.push([cursor, end]);
  if (cache.size >= CACHE_SIZE) cache.delete(cache.keys().next().value ?? key);
  const value = { start, end, open };
  cache.set(key, value);
  return value;
}

/** The parts of the window outside blackout dates, in order. */
export function openIntervals(w: MaintenanceWindow): Interval[] {
  return computed(w).open.map(([start, end]) => ({ start: new Date(start), end: new Date(end) }));
}

/** Total open time of the window in ms (blackout days taken out). */
export function openMs(w: MaintenanceWindow): number {
  return computed(w).open.reduce((sum, [start, end]) => sum + (end - start), 0);
}

/** Whether a new device run may start at `at`: inside the window and not on a blackout date. */
export function isOpenAt(w: MaintenanceWindow, at: Date): boolean {
  const t = at.getTime();
  return computed(w).open.some(([start, end]) => start <= t && t < end);
}

/** The next instant at or after `at` when the window is open, or null when it never is again. */
export function nextOpenAt(w: MaintenanceWindow, at: Date): Date | null {
  const t = at.getTime();
  for (const [start, end] of computed(w).open) {
    if (t < end) return new Date(Math.max(t, start));
  }
  return null;
}

/** An instant as the window's local wall-clock time and zone, for messages: "2026-03-08 01:00 America/New_York". */
export function formatLocal(w: Pick<MaintenanceWindow, 'timeZone'>, at: Date): string {
  const zone = windowZone(w);
  const local = new Date(at.getTime() + offsetMs(zone, at.getTime()));
  return `${local.toISOString().slice(0, 16).replace('T', ' ')} ${zone.name}`;
}
