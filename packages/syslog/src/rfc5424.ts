// RFC 5424: VERSION SP TIMESTAMP SP HOSTNAME SP APP-NAME SP PROCID SP MSGID SP SD [SP MSG].
// The header is read strictly (a missing field is an error: the rest cannot be placed); the
// body leniently: a body that does not start with `[` or `-` is taken as MSG with no SD.
import { toDate } from './timestamp.ts';
import type { ClockState, Context, Fields, FormatResult } from './types.ts';
import { ciscoEvent } from './vendor.ts';

const NIL = '-';
const TIMESTAMP =
  /^(\d{4})-(\d{2})-(\d{2})[Tt](\d{2}):(\d{2}):(\d{2})(?:\.(\d{1,9}))?(?:([Zz])|([+-])(\d{2}):(\d{2}))?$/;
const SEQUENCE = /(\d{1,10}): +/y;

/** A body that starts like RFC 5424: a version, then a date or NILVALUE. */
export function looks5424(body: string): boolean {
  return /^[1-9]\d{0,2} (?:-|\d{4}-)/.test(body);
}

function nil(token: string): string | null {
  return token === NIL ? null : token;
}

function parseTimestamp(token: string, ctx: Context): Date | null {
  const m = TIMESTAMP.exec(token);
  if (!m) return null;
  const offset = m[8] ? 0 : m[9] ? (m[9] === '-' ? -1 : 1) * (Number(m[10]) * 60 + Number(m[11])) : null;
  return toDate(
    {
      year: Number(m[1]),
      month: Number(m[2]),
      day: Number(m[3]),
      hour: Number(m[4]),
      minute: Number(m[5]),
      second: Number(m[6]),
      millisecond: m[7] ? Number(m[7].slice(0, 3).padEnd(3, '0')) : 0,
      offsetMinutes: offset, // no offset breaks the RFC; read it in the configured zone
    },
    ctx,
  );
}

type SdResult = { ok: true; sd: Record<string, Record<string, string>>; end: number } | { ok: false; error: string };

const SD_NAME = /[^ \]="]+/y;

/** SD-ELEMENTs from `pos` (at a `[`). Values unescape `\"`, `\\` and `\]`; other backslashes stay. */
export function parseStructuredData(s: string, pos: number): SdResult {
  // Null prototypes: an SD-ID or PARAM-NAME of `__proto__` is data, not a prototype.
  const sd: Record<string, Record<string, string>> = Object.create(null);
  while (s.charCodeAt(pos) === 91 /* [ */) {
    SD_NAME.lastIndex = ++pos;
    const id = SD_NAME.exec(s)?.[0];
    if (!id) return { ok: false, error: `empty SD-ID at offset ${pos}` };
    pos = SD_NAME.lastIndex;
    const params: Record<string, string> = sd[id] ?? Object.create(null);
    for (;;) {
      while (s.charCodeAt(pos) === 32) pos++;
      if (pos >= s.length) return { ok: false, error: `unterminated SD-ELEMENT [${id}` };
      if (s.charCodeAt(pos) === 93 /* ] */) {
        pos++;
        break;
      }
      SD_NAME.lastIndex = pos;
      const name = SD_NAME.exec(s)?.[0];
      const eq = name ? SD_NAME.lastIndex : pos;
      if (!name || s.charCodeAt(eq) !== 61 /* = */ || s.charCodeAt(eq + 1) !== 34 /* " */)
        return { ok: false, error: `malformed SD-PARAM in [${id} at offset ${pos}` };
      pos = eq + 2;
      // The value runs to the first quote not escaped by a backslash.
      let value = '';
      for (;;) {
        const quote = s.indexOf('"', pos);
        const slash = s.indexOf('\\', pos);
        if (quote === -1) return { ok: false, error: `unterminated value of ${name} in [${id}` };
        if (slash === -1 || slash > quote) {
          value += s.slice(pos, quote);
          pos = quote + 1;
          break;
        }
        const next = s[slash + 1];
        // `\"`, `\\`, `\]` keep the character and drop the backslash; any other stays as is.
        value += next === '"' || next === '\\' || next === ']' ? s.slice(pos, slash) + next : s.slice(pos, slash + 2);
        pos = slash + 2;
        if (pos > s.length) return { ok: false, error: `unterminated value of ${name} in [${id}` };
      }
      params[name] = value; // a repeated PARAM-NAME: the last value wins
    }
    sd[id] = params; // a repeated SD-ID (forbidden, but seen): its params are merged
  }
  return { ok: true, sd, end: pos };
}

function clockOf(sd: Record<string, Record<string, string>> | null): ClockState | null {
  const synced = sd?.timeQuality?.isSynced;
  return synced === '1' ? 'SYNCED' : synced === '0' ? 'UNSYNCED' : null;
}

function headerFields(tokens: string[], ctx: Context): Fields {
  const [, stamp, host, app, proc, msgId] = tokens;
  const fields: Fields = {};
  if (stamp !== undefined) fields.timestamp = stamp === NIL ? null : parseTimestamp(stamp, ctx);
  if (host !== undefined) fields.hostname = nil(host);
  if (app !== undefined) fields.appName = nil(app);
  if (proc !== undefined) fields.procId = nil(proc);
  if (msgId !== undefined) fields.msgId = fields.event = nil(msgId);
  return fields;
}

export function parse5424(body: string, ctx: Context): FormatResult {
  const tokens: string[] = [];
  let pos = 0;
  for (let i = 0; i < 6; i++) {
    const sp = body.indexOf(' ', pos);
    const token = body.slice(pos, sp === -1 ? body.length : sp);
    if (token === '')
      return { ok: false, error: `empty RFC 5424 header field ${i + 1}`, fields: headerFields(tokens, ctx) };
    tokens.push(token);
    if (sp === -1) {
      const missing = i < 5 ? `${i + 1} of 6 fields` : 'no STRUCTURED-DATA';
      return { ok: false, error: `truncated RFC 5424 header (${missing})`, fields: headerFields(tokens, ctx) };
    }
    pos = sp + 1;
  }
  const fields = headerFields(tokens, ctx);
  if (tokens[0] !== '1') return { ok: false, error: `unsupported syslog version ${tokens[0]}`, fields };

  let sd: Record<string, Record<string, string>> | null = null;
  if (body[pos] === '[') {
    const r = parseStructuredData(body, pos);
    if (!r.ok) return { ok: false, error: r.error, fields };
    sd = r.sd;
    pos = r.end;
  } else if (body[pos] === '-' && (pos + 1 === body.length || body[pos + 1] === ' ')) {
    pos++;
  }
  if (body[pos] === ' ') pos++;
  let msg = body.slice(pos);
  if (msg.charCodeAt(0) === 0xfeff) msg = msg.slice(1); // the BOM that marks UTF-8 MSG

  fields.structuredData = sd;
  fields.clock = clockOf(sd);
  const sequenceId = sd?.meta?.sequenceId;
  if (sequenceId && /^\d{1,10}$/.test(sequenceId)) fields.sequence = Number(sequenceId);

  // Cisco IOS-XE in RFC 5424 mode keeps its `000123: %FAC-SEV-MNEMONIC: ` inside MSG.
  SEQUENCE.lastIndex = 0;
  const seq = SEQUENCE.exec(msg);
  const at = seq ? SEQUENCE.lastIndex : 0;
  const cisco = ciscoEvent(msg, at);
  if (cisco && (!fields.event || fields.event === cisco.event)) {
    fields.event = cisco.event;
    if (seq) fields.sequence ??= Number(seq[1]);
    msg = msg.slice(cisco.end);
  }
  fields.message = msg;
  return { ok: true, fields };
}
