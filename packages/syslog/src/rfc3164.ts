// RFC 3164 ("BSD") bodies, as Cisco IOS/IOS-XE and Junos really send them. Everything after
// <PRI> is optional, so this never fails: what it does not recognise stays in the message.
//
//   BSD header      Dec  2 10:00:00 re1 chassisd[1234]: CHASSISD_RE_MASTERSHIP: text
//   Cisco           45: router1: 000123: *Mar  1 00:01:02.345 UTC: %SYS-5-CONFIG_I: text
//   Cisco, no host  45: Dec  2 10:00:00: %LINK-3-UPDOWN: text
//   relayed Cisco   Dec  2 10:00:00 10.0.0.1 123: .Dec  2 10:00:00.123 UTC: %RF-5-...: text
//
// Cisco's prefix is a run of `N: ` counters (the syslog message counter, then the
// `service sequence-numbers` number), an optional `host: ` (logging origin-id), and a stamp
// ending in `: `. It is taken only when it ends at a Cisco stamp or a `%` event, so an app's
// `sshd: text` is not mistaken for a host.
import { isIPv6 } from 'node:net';
import { matchTime, toDate, type MatchedTime } from './timestamp.ts';
import type { Context, Fields } from './types.ts';
import { bsdTag, ciscoEvent, eventAt } from './vendor.ts';

const NUMBER = /(\d{1,10}): +/y;
// IOS prints a bare `: ` where the message counter is turned off (`<189>: sw01: Jan  6 …`).
const BARE_COLON = /: +/y;
const HOST = /([A-Za-z0-9][A-Za-z0-9_.-]*)/y;
const IPV6_COLON = /([0-9A-Fa-f:.]*:[0-9A-Fa-f:.]*): +/y;
const TOKEN = /[^ ]+/y;

function skipSpaces(s: string, pos: number): number {
  while (s.charCodeAt(pos) === 32) pos++;
  return pos;
}

function read(re: RegExp, s: string, pos: number): RegExpExecArray | null {
  re.lastIndex = pos;
  return re.exec(s);
}

/** A Cisco stamp: a time at `pos` directly followed by a colon. */
function ciscoStamp(s: string, pos: number): MatchedTime | null {
  const t = matchTime(s, pos);
  return t && s.charCodeAt(t.end) === 58 /* : */ ? t : null;
}

/**
 * A host in the Cisco prefix: `host: ` (origin-id, IPv6 too), or `host ` before a counter or a
 * stamp (what relays and `logging origin-id` print). Returns the host and where it ends.
 */
function ciscoHost(s: string, pos: number): { host: string; end: number } | null {
  const v6 = read(IPV6_COLON, s, pos);
  if (v6 && isIPv6(v6[1]!)) return { host: v6[1]!, end: IPV6_COLON.lastIndex };
  const h = read(HOST, s, pos);
  if (!h) return null;
  const after = HOST.lastIndex;
  if (s.startsWith(': ', after)) return { host: h[1]!, end: skipSpaces(s, after + 1) };
  if (s.charCodeAt(after) !== 32) return null;
  const next = skipSpaces(s, after);
  if (read(NUMBER, s, next) || ciscoStamp(s, next)) return { host: h[1]!, end: next };
  return null;
}

interface CiscoPrefix {
  end: number;
  numbers: number[];
  host: string | null;
  stamp: MatchedTime | null;
}

/** The Cisco prefix at `pos`, or null when what is there is not one. */
function ciscoPrefix(s: string, pos: number, numbers: number[]): CiscoPrefix | null {
  let host: string | null = null;
  let stamp: MatchedTime | null = null;
  while (!ciscoEvent(s, pos)) {
    const t: MatchedTime | null = stamp ? null : ciscoStamp(s, pos);
    if (t) {
      stamp = t;
      pos = skipSpaces(s, t.end + 1);
      continue;
    }
    if (stamp) break;
    const n = read(NUMBER, s, pos) ?? read(BARE_COLON, s, pos);
    if (n) {
      if (n[1]) numbers.push(Number(n[1]));
      pos = n.index + n[0].length;
      continue;
    }
    const h: { host: string; end: number } | null = host ? null : ciscoHost(s, pos);
    if (!h) break;
    host = h.host;
    pos = h.end;
  }
  const reachedEvent = ciscoEvent(s, pos) !== null;
  if (!stamp && !reachedEvent && (host !== null || numbers.length === 0)) return null;
  return { end: pos, numbers, host, stamp };
}

export function parse3164(s: string, ctx: Context): Fields {
  let pos = skipSpaces(s, 0);
  let hostname: string | null = null;
  let stamp: MatchedTime | null = null;

  // The BSD header: TIMESTAMP SP HOSTNAME SP (some relays put a counter before it). A stamp
  // followed by a colon is Cisco's own, read below.
  const leading: number[] = [];
  let at = pos;
  for (let n = read(NUMBER, s, at); n; n = read(NUMBER, s, at)) {
    leading.push(Number(n[1]));
    at = NUMBER.lastIndex;
  }
  const t = matchTime(s, at);
  if (t && s.charCodeAt(t.end) === 32) {
    stamp = t;
    pos = skipSpaces(s, t.end);
    const token = read(TOKEN, s, pos);
    // Not a host: an event, a TAG (`app[12]:`, `app:`), or a Cisco counter (`123:`).
    if (token && !token[0].startsWith('%') && !token[0].includes('[') && !token[0].endsWith(':')) {
      hostname = token[0];
      pos = skipSpaces(s, TOKEN.lastIndex);
    }
  } else leading.length = 0;

  const fields: Fields = {};
  let cisco = ciscoPrefix(s, pos, leading);
  // After a BSD header's host, a lone `word: %EVENT` is a TAG (logger -t, a relay), not Cisco's origin-id.
  if (cisco && hostname && cisco.host && cisco.numbers.length === 0 && !cisco.stamp) cisco = null;
  if (cisco) {
    pos = cisco.end;
    hostname ??= cisco.host; // a relay's header names the host first; origin-id only fills a gap
    // The device's stamp beats a relay's header; the number nearest it is the sequence number.
    if (cisco.stamp) stamp = cisco.stamp;
    if (cisco.numbers.length) fields.sequence = cisco.numbers[cisco.numbers.length - 1]!;
  } else {
    const tag = bsdTag(s, pos);
    if (tag) {
      fields.appName = tag.appName;
      fields.procId = tag.procId;
      pos = tag.end;
    }
  }
  const event = eventAt(s, pos, fields.appName != null);
  if (event) {
    fields.event = event.event;
    pos = event.end;
  }
  fields.hostname = hostname;
  if (stamp) {
    fields.timestamp = stamp.time ? toDate(stamp.time, ctx) : null;
    fields.clock = stamp.clock;
  }
  fields.message = s.slice(pos);
  return fields;
}

// FreeBSD's syslogd writes `*.emerg` (and Junos' console alarms) to terminals as
//   Message from syslogd@HOST at Dec 29 19:11:57 ...
//   fpc0 RDP: Remote side reset connection: rdp.(fpc0:22528).(serverRouter:ppm)
// with HOST empty when it has none, and without the hostname on the second line.
const CONSOLE = /^\s*Message from syslogd@(\S*) at /;
// The ellipsis as FreeBSD prints it, as typography turns it (…), and as the seed's HTML dump has it.
const CONSOLE_TAIL = /^ *(?:\.\.\.|\u2026|&#8230;)? *\r?(?:\n|$)/;

/** The console form, or null when `s` is not one. */
export function parseConsole(s: string, ctx: Context): Fields | null {
  // The BEL that rings the terminal, after the line break before it.
  const bel = s.search(/[^\r\n]/);
  if (bel >= 0 && s.charCodeAt(bel) === 7) s = s.slice(bel + 1);
  const head = CONSOLE.exec(s);
  if (!head) return null;
  const t = matchTime(s, head[0].length);
  if (!t?.time) return null;
  const tail = CONSOLE_TAIL.exec(s.slice(t.end));
  if (!tail) return null;
  const body = s.slice(t.end + tail[0].length);
  let pos = skipSpaces(body, 0);
  const fields: Fields = {
    hostname: head[1] || null,
    timestamp: toDate(t.time, ctx),
    clock: t.clock,
  };
  const tag = bsdTag(body, pos);
  if (tag) {
    fields.appName = tag.appName;
    fields.procId = tag.procId;
    pos = tag.end;
  }
  const event = eventAt(body, pos, fields.appName != null);
  if (event) {
    fields.event = event.event;
    pos = event.end;
  }
  fields.message = body.slice(pos);
  return fields;
}
