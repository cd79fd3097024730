// Wall-clock parts → Date. The BSD forms carry no year and often no zone: the year is chosen so
// the time lies nearest to when the message was received (never more than a week ahead of it,
// so `Dec 31 23:59:59` received on Jan 1 is last year), and a missing or unknown zone means the
// collector's configured zone. Only UTC/GMT abbreviations are trusted: Cisco's `clock timezone`
// name is free text ("PST", "CET", "MYZONE"), so it cannot be turned into an offset.
import { IANAZone } from 'luxon';
import type { ClockState, Context } from './types.ts';

export interface WallTime {
  year: number | null;
  month: number;
  day: number;
  hour: number;
  minute: number;
  second: number;
  millisecond: number;
  /** Minutes east of UTC when the text said so (Z, UTC, +01:00); null: use the context's zone. */
  offsetMinutes: number | null;
}

export interface MatchedTime {
  /** null for Cisco uptime stamps (`00:01:02`, `1d02h`): time since boot, not a date. */
  time: WallTime | null;
  clock: ClockState | null;
  end: number;
}

// prettier-ignore
const MONTHS: Record<string, number> = { jan: 1, feb: 2, mar: 3, apr: 4, may: 5, jun: 6, jul: 7, aug: 8, sep: 9, oct: 10, nov: 11, dec: 12 };
const FUTURE_SLACK_MS = 7 * 24 * 3600 * 1000;
const UTC_NAMES = new Set(['UTC', 'GMT', 'UT', 'Z', 'ZULU']);

// `*Mar  1 00:01:02.345`, `Mar  1 2026 00:01:02`, NX-OS `2026 Mar  1 00:01:02`.
const BSD = /([*.])?(?:(\d{4}) +)?([A-Za-z]{3}) +(\d{1,2})(?: +(\d{4}))? +(\d{1,2}):(\d{2}):(\d{2})(?:[.,](\d{1,9}))?/y;
// rsyslog and Junos may put an RFC 3339 time in a BSD header.
const ISO =
  /([*.])?(\d{4})-(\d{2})-(\d{2})[Tt ](\d{2}):(\d{2}):(\d{2})(?:[.,](\d{1,9}))?(?:([Zz])|([+-])(\d{2}):?(\d{2}))?/y;
// Cisco `service timestamps log uptime` (hh:mm:ss, or 1d02h / 2w3d / 1y2w after a day), and
// a time of day with no date (IOS-XE buffers: `*21:33:42.831:`, `21:56:00.711 PDT:`).
const UPTIME = /([*.])?(?:\d{1,6}:\d{2}:\d{2}(?:\.\d{1,9})?|\d+[yw]\d+[wd]|\d+d\d+h|\d+h\d+m)(?: [A-Za-z]{1,6})?(?=:)/y;
// `show-timezone`: a zone name or an offset, directly before the colon that ends a Cisco stamp.
const ZONE = / +([A-Za-z]{1,6}(?:[+-]\d{1,2}(?::?\d{2})?)?|[+-]\d{2}:?\d{2})(?=:)/y;

function clockOf(marker: string | undefined): ClockState | null {
  return marker === '*' ? 'UNSET' : marker === '.' ? 'UNSYNCED' : null;
}

function ms(fraction: string | undefined): number {
  return fraction ? Number(fraction.slice(0, 3).padEnd(3, '0')) : 0;
}

/** A zone abbreviation or offset as minutes east of UTC; null when it cannot be trusted. */
export function zoneOffset(name: string): number | null {
  const upper = name.toUpperCase();
  if (UTC_NAMES.has(upper)) return 0;
  const m = /^(?:UTC|GMT)?([+-])(\d{1,2})(?::?(\d{2}))?$/.exec(upper);
  if (!m) return null;
  const minutes = Number(m[2]) * 60 + Number(m[3] ?? 0);
  return minutes > 18 * 60 ? null : m[1] === '-' ? -minutes : minutes;
}

/** A BSD, ISO or uptime stamp at `pos` (with Cisco's `*`/`.` prefix and zone name), or null. */
export function matchTime(s: string, pos: number): MatchedTime | null {
  BSD.lastIndex = pos;
  let m = BSD.exec(s);
  if (m) {
    const month = MONTHS[m[3]!.toLowerCase()];
    if (month) {
      const time: WallTime = {
        year: m[2] ? Number(m[2]) : m[5] ? Number(m[5]) : null,
        month,
        day: Number(m[4]),
        hour: Number(m[6]),
        minute: Number(m[7]),
        second: Number(m[8]),
        millisecond: ms(m[9]),
        offsetMinutes: null,
      };
      return withZone(s, time, clockOf(m[1]), BSD.lastIndex);
    }
  }
  ISO.lastIndex = pos;
  m = ISO.exec(s);
  if (m) {
    const offset = m[9] ? 0 : m[10] ? (m[10] === '-' ? -1 : 1) * (Number(m[11]) * 60 + Number(m[12])) : null;
    const time: WallTime = {
      year: Number(m[2]),
      month: Number(m[3]),
      day: Number(m[4]),
      hour: Number(m[5]),
      minute: Number(m[6]),
      second: Number(m[7]),
      millisecond: ms(m[8]),
      offsetMinutes: offset,
    };
    return withZone(s, time, clockOf(m[1]), ISO.lastIndex);
  }
  UPTIME.lastIndex = pos;
  m = UPTIME.exec(s);
  if (m) return { time: null, clock: clockOf(m[1]), end: UPTIME.lastIndex };
  return null;
}

function withZone(s: string, time: WallTime, clock: ClockState | null, end: number): MatchedTime {
  ZONE.lastIndex = end;
  const z = time.offsetMinutes === null ? ZONE.exec(s) : null;
  if (!z) return { time, clock, end };
  return { time: { ...time, offsetMinutes: zoneOffset(z[1]!) }, clock, end: ZONE.lastIndex };
}

// Offsets cached per 15 minutes: every zone's transitions fall on a quarter hour of UTC, and
// luxon's lookup goes through Intl each time (it was 90% of a zoned parse).
const QUARTER_HOUR = 900_000;

class Zone {
  private readonly offsets = new Map<number, number>();
  constructor(private readonly iana: IANAZone) {}

  /** Minutes east of UTC at the instant `ts`. */
  offset(ts: number): number {
    const key = Math.floor(ts / QUARTER_HOUR);
    let minutes = this.offsets.get(key);
    if (minutes === undefined) {
      minutes = this.iana.offset(key * QUARTER_HOUR);
      if (this.offsets.size >= 4096) this.offsets.clear();
      this.offsets.set(key, minutes);
    }
    return minutes;
  }
}

const zones = new Map<string, Zone | null>();

function zone(name: string): Zone | null {
  let z = zones.get(name);
  if (z === undefined) {
    z = IANAZone.isValidZone(name) ? new Zone(IANAZone.create(name)) : null;
    zones.set(name, z);
  }
  return z;
}

/** The zone to use: the configured one if luxon knows it, else UTC (never a crash on a typo). */
export function usableZone(timeZone: string | undefined): string {
  return timeZone && timeZone !== 'UTC' && zone(timeZone) ? timeZone : 'UTC';
}

/**
 * Wall-clock milliseconds (as if UTC) in `z` → the instant. Two offset lookups, as luxon does:
 * an hour skipped by DST comes out an hour later, a repeated hour as its first occurrence.
 */
function fromWall(wall: number, z: Zone): number {
  const first = z.offset(wall);
  const guess = wall - first * 60_000;
  const second = z.offset(guess);
  if (first === second) return guess;
  const again = wall - second * 60_000;
  return z.offset(again) === second ? again : wall - Math.min(first, second) * 60_000;
}

function inYear(t: WallTime, year: number, zoneName: string): number | null {
  const second = Math.min(t.second, 59); // a leap second
  if (t.month < 1 || t.month > 12 || t.day < 1 || t.day > 31 || t.hour > 23 || t.minute > 59 || second > 59)
    return null;
  const wall = Date.UTC(year, t.month - 1, t.day, t.hour, t.minute, second, t.millisecond);
  const d = new Date(wall);
  if (d.getUTCDate() !== t.day || d.getUTCMonth() !== t.month - 1) return null; // Feb 30, or Feb 29 off a leap year
  if (t.offsetMinutes !== null) return wall - t.offsetMinutes * 60_000;
  const z = zoneName === 'UTC' ? null : zone(zoneName);
  return z ? fromWall(wall, z) : wall;
}

/** The instant a wall time names, resolving a missing year against the receive time. */
export function toDate(t: WallTime, ctx: Context): Date | null {
  if (t.year !== null) {
    const ms = inYear(t, t.year, ctx.timeZone);
    return ms === null ? null : new Date(ms);
  }
  const received = ctx.receivedAt.getTime();
  const z = ctx.timeZone === 'UTC' || t.offsetMinutes !== null ? null : zone(ctx.timeZone);
  const year = new Date(z ? received + z.offset(received) * 60_000 : received).getUTCFullYear();
  // Latest year that is not more than a week in the future: nearest to the receive time. Going
  // back four years finds a Feb 29.
  for (const y of [year + 1, year, year - 1, year - 2, year - 3, year - 4]) {
    const ms = inYear(t, y, ctx.timeZone);
    if (ms !== null && ms <= received + FUTURE_SLACK_MS) return new Date(ms);
  }
  return null;
}
