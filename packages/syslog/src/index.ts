// @hitless/syslog: pure syslog parsing for the collector. No I/O, no clock: the receive time
// and the zone for zoneless stamps come in as options.
//
// Decision: written by hand, no parser library. Evaluated in a scratch directory with the
// quirks the collector must read:
// - nsyslog-parser@0.10.1 (MIT, no dependencies, no install scripts): reads a Cisco sequence
//   number as the host ("<189>123: *Mar 1 …" → host "123"), leaves Junos structured data in
//   the message with structuredData [], turns "<189>" alone into message "undefined", and takes
//   an unterminated SD as message text without a word.
// - glossy@0.1.7 (MIT, CommonJS, no types): parses SD well but drops the ".Dec" of a Cisco
//   unsynced stamp (message "2 10:00:00.123 UTC: …"), has no notion of Cisco counters, zone
//   names or `*`, and takes the year of a BSD stamp from the machine's clock.
// - syslog-parse@2.0.0 (MIT): BSD lines only; undefined for RFC 5424 and every Cisco form.
// None resolves a missing year against the receive time, and the Cisco/Junos variants are most
// of the work, so a library would have covered only the easy RFC 5424 header while bringing a
// second set of null/error conventions. The RFC 6587 framer had no candidate. luxon (already a
// dependency) supplies IANA zone offsets.
//
// Layout: parse.ts (entry, PRI, dispatch), rfc5424.ts, rfc3164.ts (BSD, Cisco, console
// form), vendor.ts (Cisco event, BSD tag, Junos tag), timestamp.ts (stamps, year, zones),
// decode.ts, framer.ts; fixtures.ts holds the real captures the tests use. Rules: README.md.
export type { ClockState, ParsedSyslog, ParseOptions, SyslogFormat } from './types.ts';
export { parseSyslog } from './parse.ts';
export { decodePayload } from './decode.ts';
export { SyslogStreamFramer, type FramedMessage } from './framer.ts';
