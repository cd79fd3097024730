// The vendor parts of a message body: Cisco's `%FAC-SEV-MNEMONIC:`, the BSD TAG
// (`chassisd[1234]:`) with Junos' message-source qualifier (`re1`, `fpc0`), and the Junos tag
// that starts the text (`CHASSISD_RE_MASTERSHIP:`). All regexes are sticky: they read at a
// position and never scan ahead.

export interface Matched {
  end: number;
}

// FACILITY[-SUBFACILITY...]-SEVERITY-MNEMONIC: `SYS-5-RELOAD`, `RF-5-RF_TERMINAL_STATE`,
// `HA_CONFIG_SYNC-6-BULK_CFGSYNC_SUCCEED`, `SYSMGR-STANDBY-3-SHUTDOWN_START`, ASA `ASA-6-302013`.
// IOS XR puts a space before the colon (`%PKT_INFRA-LINK-3-UPDOWN :`).
const CISCO_EVENT = /%([A-Za-z0-9][A-Za-z0-9_]*(?:-[A-Za-z0-9_]+)*-[0-7]-[A-Za-z0-9_]+) ?(?::|(?= )|$) */y;

/** `%SYS-5-CONFIG_I:` at `pos`: the event without `%` and where the text starts. */
export function ciscoEvent(s: string, pos: number): (Matched & { event: string }) | null {
  if (s.charCodeAt(pos) !== 37 /* % */) return null;
  CISCO_EVENT.lastIndex = pos;
  const m = CISCO_EVENT.exec(s);
  return m ? { event: m[1]!, end: CISCO_EVENT.lastIndex } : null;
}

// Junos tags are upper case words joined by underscores, prefixed by the daemon's name.
const JUNOS_TAG = /([A-Z][A-Z0-9]*(?:_[A-Z0-9]+)+):(?: +|$)/y;

/** `CHASSISD_RE_MASTERSHIP: ` at `pos`. */
export function junosTag(s: string, pos: number): (Matched & { event: string }) | null {
  JUNOS_TAG.lastIndex = pos;
  const m = JUNOS_TAG.exec(s);
  return m ? { event: m[1]!, end: JUNOS_TAG.lastIndex } : null;
}

// Junos message-source: `hostname reX process[pid]` for the other routing engine, and
// `hostname fpcN PROCESS` (or `lccY-fpcN`) for a component's microkernel (Junos System Log
// Messages Reference, "The message-source Field"). The qualifier is kept with the process name.
const JUNOS_SOURCE =
  /((?:lcc\d+-|sfc\d+-)?(?:re\d|scc-re\d|fpc\d+|pic\d+|sib\d+|spmb\d+|cb\d|t?feb\d*)) +(?=[^\s:[\]]+(?:\[[^\]\s]*\])?:)/y;
// RFC 3164 TAG: up to 48 characters of name, optional [pid], then a colon.
const TAG = /([^\s:[\]]{1,48})(?:\[([^\]\s]{0,128})\])?:(?: +|$)/y;

/** The BSD TAG at `pos`, with a Junos message-source qualifier folded into the app name. */
export function bsdTag(s: string, pos: number): (Matched & { appName: string; procId: string | null }) | null {
  JUNOS_SOURCE.lastIndex = pos;
  const source = JUNOS_SOURCE.exec(s);
  TAG.lastIndex = source ? JUNOS_SOURCE.lastIndex : pos;
  const m = TAG.exec(s);
  if (!m) return null;
  const appName = source ? `${source[1]} ${m[1]}` : m[1]!;
  return { appName, procId: m[2] || null, end: TAG.lastIndex };
}

// Junos `explicit-priority` writes `process[pid]: %FACILITY-SEVERITY-TAG: text`, with its own
// facility names; the event there is the Junos tag, as in every other Junos form.
// prettier-ignore
const JUNOS_FACILITIES = new Set([
  'KERN', 'USER', 'DAEMON', 'AUTH', 'AUTHPRIV', 'FTP', 'NTP', 'DFC', 'EXTERNAL', 'FIREWALL', 'PFE',
  'CONFLICT-LOG', 'CHANGE-LOG', 'INTERACT', 'SECURITY', 'LOCAL0', 'LOCAL1', 'LOCAL2', 'LOCAL3',
  'LOCAL4', 'LOCAL5', 'LOCAL6', 'LOCAL7',
]);
const EXPLICIT_PRIORITY = /^(.+)-[0-7]-([A-Z][A-Z0-9]*(?:_[A-Z0-9]+)+)$/;

/** The event at `pos` (Cisco first, then Junos), if any; `afterTag`: a BSD TAG came before it. */
export function eventAt(s: string, pos: number, afterTag = false): (Matched & { event: string }) | null {
  const cisco = ciscoEvent(s, pos);
  if (cisco && afterTag) {
    const m = EXPLICIT_PRIORITY.exec(cisco.event);
    if (m && JUNOS_FACILITIES.has(m[1]!)) return { event: m[2]!, end: cisco.end };
  }
  return cisco ?? junosTag(s, pos);
}
