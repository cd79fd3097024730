import type { Clock } from './clock.ts';
import type { FaultName } from './faults.ts';

/** One syslog message from a device, before framing (RFC 5424 or 3164, see apps/lab). */
export interface SyslogEvent {
  /** 0 emergency … 7 debug. */
  severity: number;
  /** Cisco: the facility (`ISSU`); Junos: the process (`chassisd`, `mgd`, `fpc0`). */
  appName: string;
  /** Cisco: FACILITY-SEVERITY-MNEMONIC; Junos: the message tag (`CHASSISD_RE_REBOOT`), or `-` for untagged lines. */
  msgId: string;
  text: string;
  /** The sending process's id (Junos daemons); none for Cisco and for the FPCs' relayed lines. */
  procId?: string;
  /**
   * Cisco `service sequence-numbers`: the counter of the RP that logged the message. Each RP
   * keeps its own, so the numbers restart from the new active's after a switchover, and from
   * the boot's after a reload.
   */
  sequence?: number;
  /** Junos `structured-data` parameters of the tag, in the vendor's order. */
  params?: Record<string, string>;
}

/** What a chassis model tells the world. The lab turns these into sockets and packets. */
export interface ChassisEvents {
  syslog(event: SyslogEvent): void;
  /** Every SSH session on the management address ends now (switchover, reload). */
  dropSessions(reason: string): void;
  /** The management address starts or stops answering. */
  reachability(reachable: boolean): void;
}

/** What every chassis model is built with, whatever its vendor. */
export interface ChassisOptions {
  hostname: string;
  clock: Clock;
  /** Every duration is divided by this (40 minutes at 60 → 40 seconds). */
  timeScale: number;
  /** Version (or file name) every RP/RE runs at start; default the family's oldest. */
  version?: string;
  /** Traffic lost at a switchover, in ms. */
  lossWindowMs: number;
  events: ChassisEvents;
  faults?: Iterable<FaultName>;
}
