// Syslog search. Newest first by id (ids increase in arrival order), paged by a cursor: the
// next page is everything older than the last id returned.
import type { SyslogListQuery, SyslogPage } from '@hitless/contracts';
import type { Db, Prisma } from '@hitless/db';
import { syslogInclude, toSyslogDto } from '@hitless/read-model';
import { containsText } from './filters.ts';

export async function listSyslog(db: Db, q: SyslogListQuery): Promise<SyslogPage> {
  const where: Prisma.SyslogMessageWhereInput = {
    ...(q.deviceId && { deviceId: q.deviceId }),
    ...(q.unknownSource !== undefined && { deviceId: q.unknownSource ? null : { not: null } }),
    ...(q.runId && { runId: q.runId }),
    ...(q.severity !== undefined && { severity: { lte: q.severity } }),
    ...(q.parseError !== undefined && { parseError: q.parseError ? { not: null } : null }),
    ...((q.from || q.to) && {
      receivedAt: { ...(q.from && { gte: new Date(q.from) }), ...(q.to && { lte: new Date(q.to) }) },
    }),
    ...(q.before && { id: { lt: BigInt(q.before) } }),
    ...(q.q && {
      OR: [{ message: containsText(q.q) }, { event: containsText(q.q) }, { raw: containsText(q.q) }],
    }),
  };
  const rows = await db.syslogMessage.findMany({
    where,
    include: syslogInclude,
    orderBy: { id: 'desc' },
    take: q.limit + 1,
  });
  const more = rows.length > q.limit;
  const items = (more ? rows.slice(0, q.limit) : rows).map(toSyslogDto);
  return { items, nextBefore: more ? items[items.length - 1]!.id : null };
}
