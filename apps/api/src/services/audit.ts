// Reading the audit trail: the paged list and both exports share one filter (actor, action
// prefix, target, time range). The exports are streamed, a batch of rows at a time, and end at
// the newest event when they began (the JSON export: at the head its checkpoint signs), so a long
// trail is neither one huge result set nor a moving target. The verification and the
// checkpointing live beside the routes in routes/system.ts.
import { Readable } from 'node:stream';
import {
  AUDIT_CSV_COLUMNS,
  type AuditEvent,
  type AuditExport,
  type AuditFilter,
  type AuditListQuery,
} from '@hitless/contracts';
import { csvSafeCell } from '@hitless/core';
import type { Db, Prisma } from '@hitless/db';
import { stringify } from 'csv-stringify/sync';
import type { z } from 'zod';
import { toAuditEvent } from '../mappers.ts';
import { startsWithText } from './filters.ts';

/** Rows read per query while exporting. */
const EXPORT_BATCH = 1000;

type Row = Awaited<ReturnType<Db['auditEvent']['findMany']>>[number];

export function auditWhere(q: AuditFilter): Prisma.AuditEventWhereInput {
  return {
    ...(q.targetType && { targetType: q.targetType }),
    ...(q.targetId && { targetId: q.targetId }),
    ...(q.actor && { actorName: q.actor }),
    // An action prefix, literally: `%`, `_` and `\` are characters (services/filters.ts).
    ...(q.action && { action: startsWithText(q.action) }),
    ...((q.from || q.to) && {
      at: { ...(q.from && { gte: new Date(q.from) }), ...(q.to && { lte: new Date(q.to) }) },
    }),
  };
}

/** The filters set, as given (null when none: the whole trail). */
export function appliedFilter(q: AuditFilter): Record<string, string> | null {
  const set = Object.entries(q).filter((e): e is [string, string] => typeof e[1] === 'string' && e[1] !== '');
  return set.length ? Object.fromEntries(set) : null;
}

type AuditPage = { items: AuditEvent[]; total: number; page: number; pageSize: number };

/** Newest first. */
export async function listAudit(db: Db, q: AuditListQuery): Promise<AuditPage> {
  const where = auditWhere(q);
  const [total, rows] = await db.$transaction([
    db.auditEvent.count({ where }),
    db.auditEvent.findMany({ where, orderBy: { id: 'desc' }, skip: (q.page - 1) * q.pageSize, take: q.pageSize }),
  ]);
  return { items: rows.map(toAuditEvent), total, page: q.page, pageSize: q.pageSize };
}

/** The matching rows up to `upTo` (the newest event when null), oldest first, a batch at a time. */
async function* matchingRows(db: Db, q: AuditFilter, upTo: bigint | null): AsyncGenerator<Row[]> {
  if (upTo === null) {
    const newest = await db.auditEvent.findFirst({ orderBy: { id: 'desc' }, select: { id: true } });
    if (!newest) return;
    upTo = newest.id;
  }
  const where = auditWhere(q);
  let after: bigint | undefined;
  for (;;) {
    const rows = await db.auditEvent.findMany({
      where: { AND: [where, { id: { lte: upTo, ...(after !== undefined && { gt: after }) } }] },
      orderBy: { id: 'asc' },
      take: EXPORT_BATCH,
    });
    if (rows.length > 0) yield rows;
    if (rows.length < EXPORT_BATCH) return;
    after = rows[rows.length - 1]!.id;
  }
}

function csvCells(e: AuditEvent): string[] {
  const values: Record<(typeof AUDIT_CSV_COLUMNS)[number], string> = {
    id: e.id,
    at: e.at,
    actorName: e.actorName,
    actorId: e.actorId ?? '',
    action: e.action,
    targetType: e.targetType,
    targetId: e.targetId ?? '',
    requestId: e.requestId ?? '',
    ip: e.ip ?? '',
    details: e.details === null || e.details === undefined ? '' : JSON.stringify(e.details),
    hash: e.hash,
  };
  return AUDIT_CSV_COLUMNS.map((c) => csvSafeCell(values[c]));
}

/**
 * The events matching the filter (all of them without one), oldest first, one CSV row each in
 * AUDIT_CSV_COLUMNS under a header row; details as compact JSON. Cells a spreadsheet would run as
 * a formula get a leading apostrophe (csvSafeCell), as in the inventory export.
 */
export function auditCsvStream(db: Db, q: AuditFilter): Readable {
  async function* text() {
    yield stringify([[...AUDIT_CSV_COLUMNS]]);
    for await (const rows of matchingRows(db, q, null)) yield stringify(rows.map((r) => csvCells(toAuditEvent(r))));
  }
  return Readable.from(text(), { objectMode: false });
}

type ExportHead = Omit<z.infer<typeof AuditExport>, 'events'>;

/**
 * The JSON export (AuditExport), written as it is read: everything but the events first, then
 * the events matching the filter, oldest first, each with its prevHash, up to the head the
 * verification read (which the checkpoint signs).
 */
export function auditJsonStream(db: Db, q: AuditFilter, head: ExportHead): Readable {
  const upTo = head.verification.head ? BigInt(head.verification.head.id) : undefined;
  async function* text() {
    yield `${JSON.stringify(head).slice(0, -1)},"events":[`;
    let first = true;
    if (upTo !== undefined) {
      for await (const rows of matchingRows(db, q, upTo)) {
        const json = rows.map((r) => JSON.stringify({ ...toAuditEvent(r), prevHash: r.prevHash })).join(',');
        yield first ? json : `,${json}`;
        first = false;
      }
    }
    yield ']}';
  }
  return Readable.from(text(), { objectMode: false });
}
