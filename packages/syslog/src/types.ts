export type SyslogFormat = 'RFC5424' | 'RFC3164';

/**
 * What the device says about its own clock. Cisco prints `*` before a time it does not trust
 * (clock never set since boot: UNSET) and `.` before a time it set but cannot keep in sync
 * (NTP not synchronised: UNSYNCED); RFC 5424 devices may send `[timeQuality isSynced="0|1"]`.
 * A bare timestamp says nothing either way, so it gives `null`, never SYNCED.
 */
export type ClockState = 'SYNCED' | 'UNSYNCED' | 'UNSET';

export interface ParsedSyslog {
  /** null exactly when `parseError` is set. */
  format: SyslogFormat | null;
  facility: number | null;
  severity: number | null;
  /** The device's own time; null when absent (uptime stamps, NILVALUE) or unreadable. */
  timestamp: Date | null;
  clock: ClockState | null;
  /** The host field as sent: a name or an address. */
  hostname: string | null;
  appName: string | null;
  procId: string | null;
  msgId: string | null;
  /** Cisco `service sequence-numbers` (the number nearest the timestamp), or RFC 5424 meta sequenceId. */
  sequence: number | null;
  /** Cisco `FAC-SEV-MNEMONIC` (no `%`), Junos tag (`CHASSISD_RE_MASTERSHIP`), or the RFC 5424 MSGID. */
  event: string | null;
  structuredData: Record<string, Record<string, string>> | null;
  /** The human text (event prefix removed); for input that could not be parsed, the whole raw text. */
  message: string;
  parseError: string | null;
}

export interface ParseOptions {
  receivedAt: Date;
  /** IANA zone for timestamps that carry no zone of their own; default 'UTC' (an unknown zone falls back to UTC). */
  timeZone?: string;
}

/** What the format parsers fill in; parseSyslog adds PRI, format and the defaults. */
export type Fields = Partial<Omit<ParsedSyslog, 'format' | 'facility' | 'severity' | 'parseError'>>;

export interface Context {
  receivedAt: Date;
  timeZone: string;
}

/** A format parser either returns fields or names why it could not (plus what it had read). */
export type FormatResult = { ok: true; fields: Fields } | { ok: false; error: string; fields: Fields };
