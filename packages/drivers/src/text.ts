// Text helpers shared by the parsers. Terminal control characters are what they match:
/* eslint-disable no-control-regex */

/** CRLF, stray CR, ANSI escapes and backspace erasures removed; lines kept. */
export function clean(text: string): string {
  let t = text
    .replace(/\x1b\[[0-9;?]*[A-Za-z]/g, '')
    .replace(/\r\n/g, '\n')
    .replace(/\r/g, '');
  // "abc" then backspace-space-backspace is what a terminal shows as "ab".
  while (/[^\x08\n]\x08 \x08/.test(t)) t = t.replace(/[^\x08\n]\x08 \x08/g, '');
  return t.replace(/\x08 \x08/g, '').replace(/\x08/g, '');
}

export function lines(text: string): string[] {
  return clean(text).split('\n');
}

/** "9 minutes", "1 day, 2 hours, 3 minutes", "5 days, 0 seconds" → seconds. */
export function parseUptime(text: string): number | null {
  const units: Record<string, number> = { week: 604_800, day: 86_400, hour: 3600, minute: 60, second: 1 };
  let total = 0;
  let found = false;
  for (const m of text.matchAll(/(\d+)\s+(week|day|hour|minute|second)s?/g)) {
    total += Number(m[1]) * units[m[2]!]!;
    found = true;
  }
  return found ? total : null;
}

/** "MM:SS" or "HH:MM:SS" → seconds. */
export function parseClock(text: string): number | null {
  const parts = text.trim().split(':').map(Number);
  if (parts.length < 2 || parts.length > 3 || parts.some((p) => !Number.isInteger(p) || p < 0)) return null;
  return parts.reduce((acc, p) => acc * 60 + p, 0);
}

/** "885M", "8.9G", "24K", "0B", "1.0K" → bytes. */
export function parseHumanBytes(text: string): number | null {
  const m = /^([\d.]+)([BKMGT])?$/i.exec(text.trim());
  if (!m) return null;
  const mult = { B: 1, K: 1024, M: 1024 ** 2, G: 1024 ** 3, T: 1024 ** 4 }[(m[2] ?? 'B').toUpperCase() as 'B'];
  return Math.round(Number(m[1]) * mult);
}

/**
 * `Key = value` lines into ordered pairs. Lines without `=` continue the previous value (long
 * values wrap, as in the seed's "Boot Variable =\ndisk0:…").
 */
export function keyValues(text: string): [string, string][] {
  const out: [string, string][] = [];
  for (const raw of lines(text)) {
    const m = /^\s*([^=]*?[^\s=])\s*=\s?(.*)$/.exec(raw);
    if (m) out.push([m[1]!.replace(/\s+/g, ' ').trim(), m[2]!.trim()]);
    else if (raw.trim() && out.length > 0 && !/^-+$/.test(raw.trim()) && !/:\s*$/.test(raw)) {
      const last = out[out.length - 1]!;
      last[1] = last[1] ? `${last[1]} ${raw.trim()}`.replace(/; /g, ';') : raw.trim();
    }
  }
  return out;
}
