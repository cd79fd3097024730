// A received message as the row it is stored as, and the row as the live event carries it.
import type { SyslogMessage as SyslogMessageDto } from '@hitless/contracts';
import { Prisma } from '@hitless/db';
import type { ParsedSyslog } from '@hitless/syslog';
import type { Match } from './matcher.ts';
import type { Received } from './store.ts';

const INT4_MAX = 2_147_483_647;

export function toRow(m: Received, parsed: ParsedSyslog, match: Match) {
  const parseError = [m.framingError, parsed.parseError].filter(Boolean).join('; ') || null;
  return {
    receivedAt: m.receivedAt,
    deviceId: match.deviceId,
    runId: match.runId,
    sourceAddress: m.sourceAddress,
    transport: m.transport,
    format: parsed.format,
    facility: parsed.facility,
    severity: parsed.severity,
    timestamp: parsed.timestamp,
    clock: parsed.clock,
    hostname: parsed.hostname,
    appName: parsed.appName,
    procId: parsed.procId,
    msgId: parsed.msgId,
    // The column is a PostgreSQL integer; a larger number is no sequence number anyone configured.
    sequence: parsed.sequence !== null && parsed.sequence <= INT4_MAX ? parsed.sequence : null,
    event: parsed.event,
    structuredData: parsed.structuredData ?? Prisma.DbNull,
    message: parsed.message,
    raw: m.text,
    parseError,
    how: match.how,
    deviceName: match.hostname,
  };
}

export type Row = ReturnType<typeof toRow>;

/** The row with only what needs no parsing: the raw text, where and when it came from, and why. */
export function unparsed(r: Row, reason: string): Partial<Row> {
  return {
    format: null,
    facility: null,
    severity: null,
    timestamp: null,
    clock: null,
    hostname: null,
    appName: null,
    procId: null,
    msgId: null,
    sequence: null,
    event: null,
    structuredData: Prisma.DbNull,
    message: r.raw,
    parseError: [r.parseError, reason].filter(Boolean).join('; '),
  };
}

export function countBy<T>(items: T[]): Map<T, number> {
  const counts = new Map<T, number>();
  for (const item of items) counts.set(item, (counts.get(item) ?? 0) + 1);
  return counts;
}

export function toDto(r: Row, id: bigint): SyslogMessageDto {
  return {
    id: id.toString(),
    receivedAt: r.receivedAt.toISOString(),
    deviceId: r.deviceId,
    device: r.deviceName,
    runId: r.runId,
    sourceAddress: r.sourceAddress,
    transport: r.transport,
    format: r.format,
    facility: r.facility,
    severity: r.severity,
    timestamp: r.timestamp?.toISOString() ?? null,
    clock: r.clock,
    hostname: r.hostname,
    appName: r.appName,
    procId: r.procId,
    msgId: r.msgId,
    sequence: r.sequence,
    event: r.event,
    structuredData:
      r.structuredData === Prisma.DbNull ? null : (r.structuredData as SyslogMessageDto['structuredData']),
    message: r.message,
    raw: r.raw,
    parseError: r.parseError,
  };
}
