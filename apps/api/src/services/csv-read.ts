// CSV text read for an import (inventory, compatibility matrix): csv-parse with a BOM allowed and
// empty lines skipped, header names normalised (case, spaces and dashes to `_`), each record keyed
// by them with its line in the file. A syntax error or an empty file is a 400 naming the line.
import { DomainError, invalid, type CsvRecord } from '@hitless/core';
import { parse } from 'csv-parse/sync';

export function readCsv(text: string): { columns: string[]; records: CsvRecord[] } {
  let parsed: { record: string[]; info: { lines: number } }[];
  try {
    parsed = parse(text, {
      bom: true,
      skip_empty_lines: true,
      info: true,
      relax_column_count: false,
      trim: true,
    }) as unknown as typeof parsed;
  } catch (err) {
    const e = err as { message: string; lines?: number };
    throw new DomainError(
      'VALIDATION_FAILED',
      `CSV syntax error${e.lines ? ` on line ${e.lines}` : ''}: ${e.message}`,
      [{ path: e.lines ? `line ${e.lines}` : 'body', message: e.message }],
    );
  }
  const [header, ...rest] = parsed;
  if (!header)
    throw invalid([{ path: 'body', message: 'the CSV file is empty; the first line must name the columns' }]);
  const columns = header.record.map((c) =>
    c
      .trim()
      .toLowerCase()
      .replace(/[\s-]+/g, '_'),
  );
  return {
    columns,
    records: rest.map(({ record, info }) => ({
      line: info.lines,
      cells: Object.fromEntries(columns.map((c, i) => [c, record[i] ?? ''])),
    })),
  };
}
