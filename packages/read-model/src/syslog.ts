// Syslog messages as the API answers them and the `syslog.message` event carries them.
import type { SyslogMessage as SyslogMessageDto } from '@hitless/contracts';
import type { Prisma } from '@hitless/db';

export const syslogInclude = { device: { select: { hostname: true } } } as const;
export type SyslogRow = Prisma.SyslogMessageGetPayload<{ include: typeof syslogInclude }>;

const CLOCKS = new Set(['SYNCED', 'UNSYNCED', 'UNSET']);
const FORMATS = new Set(['RFC5424', 'RFC3164']);

/** Structured data as stored: `{ "sd-id": { "param": "value" } }`, anything else read as none. */
function structuredDataOf(value: unknown): SyslogMessageDto['structuredData'] {
  if (!value || typeof value !== 'object' || Array.isArray(value)) return null;
  const out: Record<string, Record<string, string>> = {};
  for (const [id, params] of Object.entries(value)) {
    if (!params || typeof params !== 'object' || Array.isArray(params)) continue;
    out[id] = Object.fromEntries(Object.entries(params).map(([k, v]) => [k, String(v)]));
  }
  return out;
}

/** A stored message, or one about to be published as stored (the collector's row with its new id). */
export type SyslogDtoInput = Omit<SyslogRow, 'structuredData'> & { structuredData: unknown };

export function toSyslogDto(row: SyslogDtoInput): SyslogMessageDto {
  return {
    id: row.id.toString(),
    receivedAt: row.receivedAt.toISOString(),
    deviceId: row.deviceId,
    device: row.device?.hostname ?? null,
    runId: row.runId,
    sourceAddress: row.sourceAddress,
    transport: row.transport,
    format: row.format && FORMATS.has(row.format) ? (row.format as 'RFC5424' | 'RFC3164') : null,
    facility: row.facility,
    severity: row.severity,
    timestamp: row.timestamp?.toISOString() ?? null,
    clock: row.clock && CLOCKS.has(row.clock) ? (row.clock as 'SYNCED' | 'UNSYNCED' | 'UNSET') : null,
    hostname: row.hostname,
    appName: row.appName,
    procId: row.procId,
    msgId: row.msgId,
    sequence: row.sequence,
    event: row.event,
    structuredData: structuredDataOf(row.structuredData),
    message: row.message,
    raw: row.raw,
    parseError: row.parseError,
  };
}
