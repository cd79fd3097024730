// parseSyslog: PRI, then RFC 5424 when the body starts with a version and a date, the
// console form, else RFC 3164 with the Cisco and Junos variants. It never throws: input it
// cannot read comes back with `parseError` set, `format` null and the raw text as message.
import { parse3164, parseConsole } from './rfc3164.ts';
import { looks5424, parse5424 } from './rfc5424.ts';
import { usableZone } from './timestamp.ts';
import type { Context, Fields, ParsedSyslog, ParseOptions, SyslogFormat } from './types.ts';

const PRI = /^<(\d{1,3})>/;
// A frame's own terminator (LF, CRLF, or NUL that decodePayload made visible as U+2400).
const TRAILER = /[\r\n\u2400]+$/;

/** Trailing blanks after the text are the sender's padding, not part of it. */
function text(fields: Fields): string {
  return (fields.message ?? '').trimEnd();
}

function result(
  format: SyslogFormat | null,
  pri: number | null,
  fields: Fields,
  message: string,
  parseError: string | null,
): ParsedSyslog {
  return {
    format,
    facility: pri === null ? null : pri >> 3,
    severity: pri === null ? null : pri & 7,
    timestamp: fields.timestamp ?? null,
    clock: fields.clock ?? null,
    hostname: fields.hostname ?? null,
    appName: fields.appName ?? null,
    procId: fields.procId ?? null,
    msgId: fields.msgId ?? null,
    sequence: fields.sequence ?? null,
    event: fields.event ?? null,
    structuredData: fields.structuredData ?? null,
    message,
    parseError,
  };
}

function parse(raw: string, ctx: Context): ParsedSyslog {
  const input = raw.replace(TRAILER, '');
  if (input.trim() === '') return result(null, null, {}, raw, 'empty message');

  const m = PRI.exec(input);
  let pri: number | null = null;
  let body = input;
  if (m) {
    pri = Number(m[1]);
    if (pri > 191) return result(null, null, {}, raw, `PRI ${pri} is out of range (0-191)`);
    body = input.slice(m[0].length);
  }

  const consoleForm = parseConsole(body, ctx);
  if (consoleForm) return result('RFC3164', pri, consoleForm, text(consoleForm), null);
  if (!m) {
    const why = input.startsWith('<') ? 'malformed <PRI>' : 'no <PRI> at the start';
    return result(null, null, {}, raw, why);
  }
  if (body.trim() === '') return result(null, pri, {}, raw, 'nothing after <PRI>');

  if (looks5424(body)) {
    const r = parse5424(body, ctx);
    if (!r.ok) return result(null, pri, r.fields, raw, r.error);
    return result('RFC5424', pri, r.fields, text(r.fields), null);
  }
  const fields = parse3164(body, ctx);
  return result('RFC3164', pri, fields, text(fields), null);
}

/** One syslog message → its fields. Never throws. */
export function parseSyslog(raw: string, options: ParseOptions): ParsedSyslog {
  const ctx: Context = { receivedAt: options.receivedAt, timeZone: usableZone(options.timeZone) };
  try {
    return parse(typeof raw === 'string' ? raw : String(raw), ctx);
  } catch (err) {
    // A bug here must not lose a message: keep it, and say what went wrong.
    return result(null, null, {}, String(raw), `parser failure: ${err instanceof Error ? err.message : String(err)}`);
  }
}
