// The vendor's compatibility matrix as CSV: one line per version pair, in the columns
// COMPAT_CSV_COLUMNS names (vendor,platform_family,from_version,to_version,level,source,notes).
// Import is all or nothing: every row is checked (syntax, fields, pairs repeated in the file)
// before anything is written; then new pairs are created and changed ones updated in one
// transaction. An existing pair keeps its source and notes when the file has no such column.
import {
  COMPAT_CSV_COLUMNS,
  COMPAT_CSV_REQUIRED,
  COMPAT_IMPORT_MAX_ROWS,
  CompatibilityCreate,
  type CompatibilityImportResult,
  type CompatLevel,
  type ImportRowError,
  type Vendor,
} from '@hitless/contracts';
import { invalid } from '@hitless/core';
import { recordAudit, type Db } from '@hitless/db';
import { readCsv } from './csv-read.ts';
import { stringify } from 'csv-stringify/sync';
import type { MutationContext } from '../types.ts';
import { listCompatibility } from './compatibility.ts';

export class MatrixImportRejected extends Error {
  constructor(readonly errors: ImportRowError[]) {
    super(`${errors.length} problem(s) in the CSV file; nothing was imported`);
  }
}

/** The request field a CSV column fills. */
const FIELD_OF: Record<(typeof COMPAT_CSV_COLUMNS)[number], string> = {
  vendor: 'vendor',
  platform_family: 'platformFamily',
  from_version: 'fromVersion',
  to_version: 'toVersion',
  level: 'level',
  source: 'source',
  notes: 'notes',
};
const COLUMN_OF = Object.fromEntries(Object.entries(FIELD_OF).map(([c, f]) => [f, c]));

interface Row {
  line: number;
  vendor: Vendor;
  platformFamily: string;
  fromVersion: string;
  toVersion: string;
  level: CompatLevel;
  source: string | null;
  notes: string | null;
}

function readRows(text: string): { columns: string[]; rows: Row[] } {
  const { columns, records: rest } = readCsv(text);
  const problems: ImportRowError[] = [];
  for (const c of columns)
    if (!(COMPAT_CSV_COLUMNS as readonly string[]).includes(c))
      problems.push({ line: 1, field: c, message: `unknown column; the columns are ${COMPAT_CSV_COLUMNS.join(', ')}` });
  for (const c of COMPAT_CSV_REQUIRED)
    if (!columns.includes(c)) problems.push({ line: 1, field: c, message: 'required column is missing' });
  if (problems.length > 0) throw new MatrixImportRejected(problems);
  if (rest.length === 0) throw invalid([{ path: 'body', message: 'the CSV file has a header but no rows' }]);
  if (rest.length > COMPAT_IMPORT_MAX_ROWS)
    throw invalid([
      { path: 'body', message: `at most ${COMPAT_IMPORT_MAX_ROWS} rows per import; this file has ${rest.length}` },
    ]);

  const seen = new Map<string, number>();
  const rows: Row[] = [];
  for (const { cells, line } of rest) {
    const cell = (c: string) => cells[c] ?? '';
    const body: Record<string, unknown> = {};
    for (const c of columns) {
      const v = cell(c);
      if (v === '') continue;
      body[FIELD_OF[c as keyof typeof FIELD_OF]] = c === 'level' || c === 'vendor' ? v.toUpperCase() : v;
    }
    const r = CompatibilityCreate.safeParse(body);
    if (!r.success) {
      for (const i of r.error.issues) {
        const field = String(i.path[0] ?? '');
        problems.push({ line: line, field: COLUMN_OF[field] ?? null, message: i.message });
      }
      continue;
    }
    const key = `${r.data.vendor}/${r.data.platformFamily}/${r.data.fromVersion}/${r.data.toVersion}`;
    const first = seen.get(key);
    if (first !== undefined) {
      problems.push({ line: line, field: 'to_version', message: `the same pair is on line ${first}` });
      continue;
    }
    seen.set(key, line);
    rows.push({
      line: line,
      ...r.data,
      source: r.data.source ?? null,
      notes: r.data.notes ?? null,
    });
  }
  if (problems.length > 0) throw new MatrixImportRejected(problems);
  return { columns, rows };
}

export async function importCompatibilityCsv(
  ctx: MutationContext,
  text: string,
  options: { dryRun: boolean },
): Promise<CompatibilityImportResult> {
  const { columns, rows } = readRows(text);
  const families = [...new Set(rows.map((r) => `${r.vendor}/${r.platformFamily}`))].sort();
  const existing = await ctx.db.compatibilityEntry.findMany({
    where: {
      OR: families.map((f) => {
        const [vendor, platformFamily] = f.split('/') as [Vendor, string];
        return { vendor, platformFamily };
      }),
    },
  });
  const byKey = new Map(existing.map((e) => [`${e.vendor}/${e.platformFamily}/${e.fromVersion}/${e.toVersion}`, e]));
  const keeps = (c: 'source' | 'notes') => !columns.includes(c);
  const toCreate: Row[] = [];
  const toUpdate: { id: string; row: Row }[] = [];
  for (const row of rows) {
    const e = byKey.get(`${row.vendor}/${row.platformFamily}/${row.fromVersion}/${row.toVersion}`);
    if (!e) toCreate.push(row);
    else if (
      e.level !== row.level ||
      (!keeps('source') && e.source !== row.source) ||
      (!keeps('notes') && e.notes !== row.notes)
    )
      toUpdate.push({ id: e.id, row });
  }
  const result: CompatibilityImportResult = {
    dryRun: options.dryRun,
    created: toCreate.length,
    updated: toUpdate.length,
    unchanged: rows.length - toCreate.length - toUpdate.length,
    families,
  };
  if (options.dryRun || toCreate.length + toUpdate.length === 0) return result;

  await ctx.db.$transaction(
    async (tx) => {
      if (toCreate.length > 0)
        await tx.compatibilityEntry.createMany({ data: toCreate.map(({ line: _line, ...data }) => data) });
      for (const { id, row } of toUpdate)
        await tx.compatibilityEntry.update({
          where: { id },
          data: {
            level: row.level,
            ...(!keeps('source') && { source: row.source }),
            ...(!keeps('notes') && { notes: row.notes }),
          },
        });
      await recordAudit(tx, ctx.actor, {
        action: 'compatibility.imported',
        targetType: 'compatibility',
        details: { created: result.created, updated: result.updated, unchanged: result.unchanged, families },
      });
    },
    { timeout: 60_000 },
  );
  return result;
}

/** The matrix (filtered) in the columns import reads, so an export imports back unchanged. */
export async function exportCompatibilityCsv(
  db: Db,
  filter: { vendor?: Vendor | undefined; platformFamily?: string | undefined },
): Promise<string> {
  const entries = await listCompatibility(db, filter);
  return stringify(
    entries.map((e) => ({
      vendor: e.vendor,
      platform_family: e.platformFamily,
      from_version: e.fromVersion,
      to_version: e.toVersion,
      level: e.level,
      source: e.source ?? '',
      notes: e.notes ?? '',
    })),
    { header: true, columns: [...COMPAT_CSV_COLUMNS] },
  );
}
