/** One syslog message from a device, before framing (RFC 5424 or 3164, see apps/lab). */
export interface SyslogEvent {
  /** 0 emergency … 7 debug. */
  severity: number;
  appName: string;
  msgId: string;
  text: string;
}

/** What a chassis model tells the world. The lab turns these into sockets and packets. */
export interface ChassisEvents {
  syslog(event: SyslogEvent): void;
  /** Every SSH session on the management address ends now (switchover, reload). */
  dropSessions(reason: string): void;
  /** The management address starts or stops answering. */
  reachability(reachable: boolean): void;
}
