// Times as people read them: in this browser's zone, with the zone named, so a screenshot or a
// wall screen in another office is never ambiguous. Windows of campaigns also show their own zone.

const zone = Intl.DateTimeFormat().resolvedOptions().timeZone;

const full = new Intl.DateTimeFormat(undefined, {
  dateStyle: 'medium',
  timeStyle: 'medium',
  timeZone: zone,
});
const short = new Intl.DateTimeFormat(undefined, { timeStyle: 'medium', timeZone: zone });
const zoneShort = new Intl.DateTimeFormat(undefined, { timeZoneName: 'short', timeZone: zone });

/** This browser's zone abbreviation ("UTC", "CET", "GMT+1"). */
export function zoneLabel(at: Date = new Date()): string {
  return zoneShort.formatToParts(at).find((p) => p.type === 'timeZoneName')?.value ?? zone;
}

/** "2 Dec 2026, 19:30:05 UTC"; an em dash for none. */
export function dateTime(iso: string | null | undefined): string {
  if (!iso) return '—';
  const d = new Date(iso);
  return `${full.format(d)} ${zoneLabel(d)}`;
}

/** "19:30:05", the day apart: for events of today and live lines. */
export function timeOfDay(iso: string | null | undefined): string {
  return iso ? short.format(new Date(iso)) : '—';
}

/** "1 h 4 min", "42 s": the time between two instants (or until now). */
export function duration(fromIso: string, toIso?: string | null): string {
  const s = Math.max(0, Math.round(((toIso ? Date.parse(toIso) : Date.now()) - Date.parse(fromIso)) / 1000));
  if (s < 60) return `${s} s`;
  const m = Math.floor(s / 60);
  if (m < 60) return `${m} min ${s % 60} s`;
  return `${Math.floor(m / 60)} h ${m % 60} min`;
}

const calendar = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeZone: 'UTC' });

/** "30 Jan 2012" for a calendar date (YYYY-MM-DD, no zone: a release date); an em dash for none. */
export function calendarDate(date: string | null | undefined): string {
  return date ? calendar.format(new Date(`${date}T00:00:00Z`)) : '—';
}
