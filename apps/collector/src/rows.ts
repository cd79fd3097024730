// A received message as the row it is stored as, and the row as the live event carries it.
import type { SyslogMessage as SyslogMessageDto } from '@hitless/contracts';
import { Prisma, type Db } from '@hitless/db';
import { toSyslogDto } from '@hitless/read-model';
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

/** The row as the live event carries it: exactly what the API answers for it once stored. */
export function toDto(r: Row, id: bigint): SyslogMessageDto {
  const { how: _how, deviceName, structuredData, ...stored } = r;
  return toSyslogDto({
    ...stored,
    id,
    structuredData: structuredData === Prisma.DbNull ? null : structuredData,
    device: deviceName === null ? null : { hostname: deviceName },
  });
}

/** Columns in the order of `insertRows`'s arrays, with the PostgreSQL type of each. */
const COLUMNS: [keyof Row, string][] = [
  ['receivedAt', 'timestamp(3)'],
  ['deviceId', 'uuid'],
  ['runId', 'uuid'],
  ['sourceAddress', 'text'],
  ['transport', '"SyslogTransport"'],
  ['format', 'text'],
  ['facility', 'int4'],
  ['severity', 'int4'],
  ['timestamp', 'timestamp(3)'],
  ['clock', 'text'],
  ['hostname', 'text'],
  ['appName', 'text'],
  ['procId', 'text'],
  ['msgId', 'text'],
  ['sequence', 'int4'],
  ['event', 'text'],
  ['structuredData', 'jsonb'],
  ['message', 'text'],
  ['raw', 'text'],
  ['parseError', 'text'],
];

const INSERT = `INSERT INTO "SyslogMessage" (${COLUMNS.map(([c]) => `"${c}"`).join(', ')})
  SELECT ${COLUMNS.map(([c]) => `"${c}"`).join(', ')}
  FROM unnest(${COLUMNS.map(([, type], i) => `$${i + 1}::${type}[]`).join(', ')})
    WITH ORDINALITY AS r(${COLUMNS.map(([c]) => `"${c}"`).join(', ')}, n)
  ORDER BY n
  RETURNING id`;

/** A column value as node-postgres sends it: times as UTC text (the columns have no zone), JSON as text. */
function param(value: Row[keyof Row]): unknown {
  if (value instanceof Date) return value.toISOString();
  if (value === Prisma.DbNull || value === undefined) return null;
  if (typeof value === 'object' && value !== null) return JSON.stringify(value);
  return value;
}

/**
 * Stores rows with one INSERT of one array per column: far cheaper than Prisma's createMany,
 * whose query building was most of the collector's CPU (bench:syslog). Ids come back in the
 * rows' order (assigned as the ordered SELECT produces them).
 */
export async function insertRows(db: Db, rows: Row[]): Promise<bigint[]> {
  const params = COLUMNS.map(([c]) => rows.map((r) => param(r[c])));
  const out = await db.$queryRawUnsafe<{ id: bigint }[]>(INSERT, ...params);
  return out.map((r) => BigInt(r.id)).sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
}
