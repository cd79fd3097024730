// Syslog messages as the collector stored them, the search query, and the live event.
import { z } from 'zod';
import { Id, IsoDate } from './common.ts';

export const SyslogTransport = z.enum(['UDP', 'TCP']);

/** RFC 5424 severities, 0 (emergency) to 7 (debug). */
export const SYSLOG_SEVERITIES = ['emerg', 'alert', 'crit', 'err', 'warning', 'notice', 'info', 'debug'] as const;
export const SyslogSeverityName = z.enum(SYSLOG_SEVERITIES);

export const SyslogMessage = z.object({
  /** Increasing in arrival order (a bigint, as a decimal string). */
  id: z.string(),
  receivedAt: IsoDate,
  deviceId: z.string().nullable(),
  /** The device's hostname in the inventory (null for an unknown source). */
  device: z.string().nullable(),
  runId: z.string().nullable(),
  sourceAddress: z.string(),
  transport: SyslogTransport,
  format: z.enum(['RFC5424', 'RFC3164']).nullable(),
  facility: z.number().int().nullable(),
  severity: z.number().int().min(0).max(7).nullable(),
  /** The device's own timestamp; null when it sent none or one that could not be read. */
  timestamp: IsoDate.nullable(),
  /** How the device marked its clock: SYNCED, UNSYNCED (Cisco "."), UNSET (Cisco "*"); null when it said nothing. */
  clock: z.enum(['SYNCED', 'UNSYNCED', 'UNSET']).nullable(),
  hostname: z.string().nullable(),
  appName: z.string().nullable(),
  procId: z.string().nullable(),
  msgId: z.string().nullable(),
  sequence: z.number().int().nullable(),
  /** The vendor's event name: Cisco `ISSU-5-ISSU_RUNVERSION`, Junos `CHASSISD_RE_MASTERSHIP`. */
  event: z.string().nullable(),
  structuredData: z.record(z.string(), z.record(z.string(), z.string())).nullable(),
  message: z.string(),
  raw: z.string(),
  /** Why the message could not be parsed (it is kept raw). */
  parseError: z.string().nullable(),
});
export type SyslogMessage = z.infer<typeof SyslogMessage>;

const severityParam = z.union([
  z.coerce.number().int().min(0).max(7),
  SyslogSeverityName.transform((name) => SYSLOG_SEVERITIES.indexOf(name)),
]);

/** An empty (or blank) query parameter is no filter, as an empty `q` is on the other list routes. */
const unlessBlank = <T extends z.ZodType>(schema: T) =>
  z.preprocess((v) => (typeof v === 'string' && v.trim() === '' ? undefined : v), schema);

/** An instant PostgreSQL and Prisma can both take: its UTC year (after the offset) within 1 to 9999. */
const storableInstant = IsoDate.refine(
  (v) => {
    const year = new Date(v).getUTCFullYear();
    return year >= 1 && year <= 9999;
  },
  { error: 'must be between the years 1 and 9999 (in UTC)' },
);

const flag = z
  .enum(['true', 'false'])
  .transform((v) => v === 'true')
  .optional();

/**
 * History search. Paged by a cursor instead of page numbers: the table holds millions of rows,
 * counting them for every page is slow, and new messages arriving would shift page boundaries.
 * Newest first; `before` is the `nextBefore` of the previous answer.
 */
export const SyslogListQuery = z
  .object({
    deviceId: unlessBlank(Id.optional()),
    runId: unlessBlank(Id.optional()),
    /** Messages from sources that match no device (not with `deviceId`). */
    unknownSource: unlessBlank(flag),
    /** The most severe level wanted: `warning` (or 4) gives emerg…warning. */
    severity: unlessBlank(severityParam.optional()),
    /** Literal, case-insensitive text in the message, the event name or the raw line. */
    q: unlessBlank(z.string().trim().max(200, { error: 'must be at most 200 characters' }).optional()),
    from: unlessBlank(storableInstant.optional()),
    to: unlessBlank(storableInstant.optional()),
    parseError: unlessBlank(flag),
    before: unlessBlank(
      z
        .string()
        .regex(/^\d{1,19}$/, { error: 'must be a message id' })
        .refine((v) => /^\d{1,19}$/.test(v) && BigInt(v) <= 9_223_372_036_854_775_807n, {
          error: 'must be a message id',
        })
        .optional(),
    ),
    limit: unlessBlank(z.coerce.number().int().min(1).max(500).default(100)),
  })
  .refine((q) => !(q.from && q.to) || Date.parse(q.from) <= Date.parse(q.to), {
    error: 'must not be before from',
    path: ['to'],
  })
  // The device filter and "no device" exclude each other; neither may silently win.
  .refine((q) => !(q.deviceId && q.unknownSource !== undefined), {
    error: 'cannot be combined with deviceId (a device filter already means a known source)',
    path: ['unknownSource'],
  });
export type SyslogListQuery = z.infer<typeof SyslogListQuery>;

export const SyslogPage = z.object({
  items: z.array(SyslogMessage),
  /** Pass as `before` for the next (older) page; null at the end. */
  nextBefore: z.string().nullable(),
});
export type SyslogPage = z.infer<typeof SyslogPage>;

/** Messages just stored, for the rooms they belong to (`device:`, `run:`, `syslog`). */
export const SyslogMessageEvent = z.object({
  messages: z.array(SyslogMessage),
  /** Further messages of the same batch not carried live (a flood): fetch them from the API. */
  omitted: z.number().int(),
});
export type SyslogMessageEvent = z.infer<typeof SyslogMessageEvent>;
