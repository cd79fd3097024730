// Devices: list with filters and facets, create, update, delete, CSV export and import. Longer than 300
// lines because the CSV import (check every row, then write in one transaction) belongs with the rules it
// shares with create and update.
import {
  DEVICE_CSV_COLUMNS,
  Rooms,
  type DeviceCreate,
  type DeviceFacets,
  type DeviceFilter,
  type DeviceImportResult,
  type DeviceListQuery,
  type DevicePage,
  type DeviceUpdate,
  type ImportRowError,
} from '@hitless/contracts';
import {
  checkCsvHeader,
  conflict,
  deviceFieldsIn,
  devicesFromCsv,
  deviceToCsv,
  DomainError,
  invalid,
  notFound,
} from '@hitless/core';
import type { Db, Prisma } from '@hitless/db';
import { stringify } from 'csv-stringify/sync';
import { DEVICE_INCLUDE, type DeviceRow } from '../mappers.ts';
import { deviceDto, deviceDtos } from './device-dto.ts';
import type { MutationContext } from '../types.ts';
import { recordAudit } from '@hitless/db';
import { publishAfterCommit } from './publish.ts';
import { containsText, sameText } from './filters.ts';
import { readCsv } from './csv-read.ts';

const include = DEVICE_INCLUDE;
export const MAX_IMPORT_ROWS = 10_000;

function whereOf(filter: DeviceFilter): Prisma.DeviceWhereInput {
  const and: Prisma.DeviceWhereInput[] = [];
  if (filter.vendor) and.push({ vendor: filter.vendor });
  if (filter.platform) and.push({ platform: sameText(filter.platform) });
  if (filter.site) and.push({ site: sameText(filter.site) });
  if (filter.tag.length > 0) and.push({ tags: { hasEvery: filter.tag } });
  if (filter.q) {
    const contains = containsText(filter.q);
    and.push({
      OR: [
        { hostname: contains },
        { mgmtAddress: contains },
        { platform: contains },
        { site: contains },
        { currentVersion: contains },
        { redundancyGroup: contains },
        { tags: { has: filter.q } },
      ],
    });
  }
  return { AND: and };
}

function orderOf(sort: DeviceListQuery['sort']): Prisma.DeviceOrderByWithRelationInput[] {
  const desc = sort.startsWith('-');
  const field = (desc ? sort.slice(1) : sort) as 'hostname' | 'site' | 'platform' | 'updatedAt';
  const dir = desc ? 'desc' : 'asc';
  // Hostname breaks ties so pages are stable. Prisma takes `nulls` only on optional columns.
  if (field === 'hostname') return [{ hostname: dir }];
  if (field === 'site') return [{ site: { sort: dir, nulls: 'last' } }, { hostname: 'asc' }];
  return [{ [field]: dir }, { hostname: 'asc' }];
}

export async function listDevices(db: Db, query: DeviceListQuery): Promise<DevicePage> {
  const where = whereOf(query);
  const [total, rows] = await db.$transaction([
    db.device.count({ where }),
    db.device.findMany({
      where,
      include,
      orderBy: orderOf(query.sort),
      skip: (query.page - 1) * query.pageSize,
      take: query.pageSize,
    }),
  ]);
  return { items: await deviceDtos(db, rows), total, page: query.page, pageSize: query.pageSize };
}

export async function getDevice(db: Db, id: string) {
  const row = await db.device.findUnique({ where: { id }, include });
  if (!row) throw notFound('device', id);
  return deviceDto(db, row);
}

export async function deviceFacets(db: Db): Promise<DeviceFacets> {
  const [vendors, platforms, sites, tags] = await Promise.all([
    db.device.findMany({ distinct: ['vendor'], select: { vendor: true }, orderBy: { vendor: 'asc' } }),
    db.device.findMany({ distinct: ['platform'], select: { platform: true }, orderBy: { platform: 'asc' } }),
    db.device.findMany({
      distinct: ['site'],
      select: { site: true },
      where: { site: { not: null } },
      orderBy: { site: 'asc' },
    }),
    db.$queryRaw<{ tag: string }[]>`SELECT DISTINCT unnest(tags) AS tag FROM "Device" ORDER BY tag`,
  ]);
  return {
    vendors: vendors.map((v) => v.vendor),
    platforms: platforms.map((p) => p.platform),
    sites: sites.flatMap((s) => (s.site ? [s.site] : [])),
    tags: tags.map((t) => t.tag),
  };
}

/** Friendly 409s before the insert; the unique indexes still guard against races. */
async function assertUnique(
  db: Db | Prisma.TransactionClient,
  d: { hostname?: string; mgmtAddress?: string; port?: number },
  exceptId?: string,
) {
  const not = exceptId ? { id: { not: exceptId } } : {};
  if (d.hostname) {
    const clash = await db.device.findFirst({
      where: { hostname: sameText(d.hostname), ...not },
      select: { hostname: true },
    });
    if (clash)
      throw new DomainError('CONFLICT', `a device named ${d.hostname} already exists`, [
        { path: 'body.hostname', message: `${clash.hostname} is already in the inventory` },
      ]);
  }
  if (d.mgmtAddress && d.port !== undefined) {
    const clash = await db.device.findFirst({
      where: { mgmtAddress: d.mgmtAddress, port: d.port, ...not },
      select: { hostname: true },
    });
    if (clash) {
      const message = `${d.mgmtAddress}:${d.port} is already the management address of ${clash.hostname}`;
      throw new DomainError('CONFLICT', message, [{ path: 'body.mgmtAddress', message }]);
    }
  }
}

async function assertCredential(db: Db | Prisma.TransactionClient, credentialId: string | null | undefined) {
  if (!credentialId) return;
  const found = await db.credential.findUnique({ where: { id: credentialId }, select: { id: true } });
  if (!found) throw invalid([{ path: 'credentialId', message: `no credential ${credentialId}` }]);
}

export async function createDevice(ctx: MutationContext, input: DeviceCreate) {
  const row = await ctx.db.$transaction(async (tx) => {
    await assertUnique(tx, input);
    await assertCredential(tx, input.credentialId);
    const created = await tx.device.create({ data: input, include });
    await recordAudit(tx, ctx.actor, {
      action: 'device.created',
      targetType: 'device',
      targetId: created.id,
      details: { hostname: created.hostname, ...(created.legacySsh && { legacySsh: true }) },
    });
    return created;
  });
  const device = await deviceDto(ctx.db, row);
  await publishAfterCommit(ctx, 'device.updated', [Rooms.inventory], { action: 'created', id: device.id, device });
  return device;
}

export async function updateDevice(ctx: MutationContext, id: string, input: DeviceUpdate) {
  const row = await ctx.db.$transaction(async (tx) => {
    const before = await tx.device.findUnique({ where: { id } });
    if (!before) throw notFound('device', id);
    await assertUnique(
      tx,
      {
        ...(input.hostname !== undefined && { hostname: input.hostname }),
        ...((input.mgmtAddress !== undefined || input.port !== undefined) && {
          mgmtAddress: input.mgmtAddress ?? before.mgmtAddress,
          port: input.port ?? before.port,
        }),
      },
      id,
    );
    await assertCredential(tx, input.credentialId);
    const updated = await tx.device.update({ where: { id }, data: input, include });
    const changed = Object.keys(input)
      .filter(
        (k) => JSON.stringify(before[k as keyof typeof before]) !== JSON.stringify(updated[k as keyof typeof updated]),
      )
      .sort();
    await recordAudit(tx, ctx.actor, {
      action: 'device.updated',
      targetType: 'device',
      targetId: id,
      details: {
        hostname: updated.hostname,
        changed,
        ...(changed.includes('legacySsh') && { legacySsh: updated.legacySsh }),
      },
    });
    return updated;
  });
  const device = await deviceDto(ctx.db, row);
  await publishAfterCommit(ctx, 'device.updated', [Rooms.inventory], { action: 'updated', id, device });
  return device;
}

export async function deleteDevice(ctx: MutationContext, id: string) {
  await ctx.db.$transaction(async (tx) => {
    const before = await tx.device.findUnique({
      where: { id },
      include: { _count: { select: { runs: true, campaigns: true } } },
    });
    if (!before) throw notFound('device', id);
    if (before._count.runs > 0 || before._count.campaigns > 0) {
      throw conflict(`${before.hostname} has upgrade history or belongs to a campaign; it cannot be deleted`);
    }
    await tx.device.delete({ where: { id } });
    await recordAudit(tx, ctx.actor, {
      action: 'device.deleted',
      targetType: 'device',
      targetId: id,
      details: { hostname: before.hostname },
    });
  });
  await publishAfterCommit(ctx, 'device.updated', [Rooms.inventory], { action: 'deleted', id });
}

export async function exportDevicesCsv(db: Db, filter: DeviceFilter): Promise<string> {
  const rows = await db.device.findMany({ where: whereOf(filter), include, orderBy: { hostname: 'asc' } });
  return stringify((await deviceDtos(db, rows)).map(deviceToCsv), { header: true, columns: [...DEVICE_CSV_COLUMNS] });
}

export class ImportRejected extends Error {
  constructor(readonly errors: ImportRowError[]) {
    super(`${errors.length} problem(s) in the CSV file; nothing was imported`);
  }
}

/**
 * All-or-nothing CSV import: every row is checked (syntax, fields, duplicates inside the file,
 * credentials by name, clashes with the inventory) before anything is written, then all rows
 * are written in one transaction. `upsert` updates devices whose hostname exists.
 */
export async function importDevicesCsv(
  ctx: MutationContext,
  text: string,
  options: { mode: 'upsert' | 'create'; dryRun: boolean },
): Promise<DeviceImportResult> {
  const { columns, records } = readCsv(text);
  if (records.length > MAX_IMPORT_ROWS) {
    throw invalid([
      { path: 'body', message: `at most ${MAX_IMPORT_ROWS} devices per import; this file has ${records.length}` },
    ]);
  }
  const headerErrors = checkCsvHeader(columns);
  if (headerErrors.length > 0) throw new ImportRejected(headerErrors);
  const existing = await ctx.db.device.findMany({ include });
  const byHostname = new Map(existing.map((d) => [d.hostname.toLowerCase(), d]));
  const { rows, errors } = devicesFromCsv(records, {
    keptPort: (hostname) => (options.mode === 'upsert' ? byHostname.get(hostname.toLowerCase())?.port : undefined),
  });
  if (errors.length > 0) throw new ImportRejected(errors);

  const credentials = await ctx.db.credential.findMany({ select: { id: true, name: true } });
  const credentialId = new Map(credentials.map((c) => [c.name, c.id]));
  const byAddress = new Map(existing.map((d) => [`${d.mgmtAddress.toLowerCase()}:${d.port}`, d]));

  // On an existing device only the file's columns change anything (see deviceFieldsIn).
  const fields = deviceFieldsIn(columns);
  const rowErrors: ImportRowError[] = [];
  const plan: {
    line: number;
    existing: DeviceRow | undefined;
    data: Partial<DeviceCreate> & Pick<DeviceCreate, 'hostname' | 'mgmtAddress'>;
  }[] = [];
  const inFile = new Set(rows.map((r) => r.device.hostname.toLowerCase()));
  for (const row of rows) {
    const current = byHostname.get(row.device.hostname.toLowerCase());
    if (current && options.mode === 'create') {
      rowErrors.push({
        line: row.line,
        field: 'hostname',
        message: `${row.device.hostname} already exists in the inventory`,
      });
      continue;
    }
    const port = current && !fields.includes('port') ? current.port : row.device.port;
    const holder = byAddress.get(`${row.device.mgmtAddress.toLowerCase()}:${port}`);
    // A holder that is itself in the file moves elsewhere (the file has no duplicate addresses).
    if (holder && holder.id !== current?.id && !inFile.has(holder.hostname.toLowerCase())) {
      rowErrors.push({
        line: row.line,
        field: 'mgmt_address',
        message: `${row.device.mgmtAddress}:${port} is already the management address of ${holder.hostname}`,
      });
      continue;
    }
    let credId: string | null = null;
    if (row.credentialName) {
      credId = credentialId.get(row.credentialName) ?? null;
      if (!credId) {
        rowErrors.push({ line: row.line, field: 'credential', message: `no credential named "${row.credentialName}"` });
        continue;
      }
    }
    const data: DeviceCreate = { ...row.device, credentialId: credId };
    const changes = Object.fromEntries(fields.map((f) => [f, data[f]])) as Partial<DeviceCreate>;
    plan.push({
      line: row.line,
      existing: current,
      data: current ? { ...changes, hostname: data.hostname, mgmtAddress: data.mgmtAddress } : data,
    });
  }
  if (rowErrors.length > 0) throw new ImportRejected(rowErrors);

  const isUnchanged = (d: DeviceRow, data: Partial<DeviceCreate>) =>
    (Object.keys(data) as (keyof DeviceCreate)[]).every(
      (k) => JSON.stringify(d[k] ?? null) === JSON.stringify(data[k] ?? null),
    );
  const toCreate = plan.filter((p) => !p.existing);
  const toUpdate = plan.filter((p) => p.existing && !isUnchanged(p.existing, p.data));
  const result: DeviceImportResult = {
    dryRun: options.dryRun,
    created: toCreate.length,
    updated: toUpdate.length,
    unchanged: plan.length - toCreate.length - toUpdate.length,
    hostnames: plan.map((p) => p.data.hostname),
  };
  if (options.dryRun || toCreate.length + toUpdate.length === 0) return result;

  // Devices that trade addresses within the file would collide one update at a time, so the
  // ones whose address changes first step aside to a placeholder, inside the same transaction.
  const moving = toUpdate.filter((p) => {
    const e = p.existing!;
    return (
      p.data.mgmtAddress.toLowerCase() !== e.mgmtAddress.toLowerCase() ||
      (p.data.port !== undefined && p.data.port !== e.port)
    );
  });
  await ctx.db.$transaction(
    async (tx) => {
      for (const p of moving)
        await tx.device.update({
          where: { id: p.existing!.id },
          data: { mgmtAddress: `moving-${p.existing!.id}.invalid` },
        });
      for (const p of toUpdate) await tx.device.update({ where: { id: p.existing!.id }, data: p.data });
      if (toCreate.length > 0) await tx.device.createMany({ data: toCreate.map((p) => p.data as DeviceCreate) });
      await recordAudit(tx, ctx.actor, {
        action: 'device.imported',
        targetType: 'device',
        details: { mode: options.mode, created: result.created, updated: result.updated, unchanged: result.unchanged },
      });
    },
    { timeout: 60_000 },
  );
  await publishAfterCommit(ctx, 'device.updated', [Rooms.inventory], { action: 'bulk', id: '' });
  return result;
}
