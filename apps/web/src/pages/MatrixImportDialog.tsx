// Imports the vendor's matrix as CSV: Check runs a dry run (counts, or every bad row with its line),
// Import applies it; one bad row rejects the whole file and nothing is written.
import { COMPAT_CSV_COLUMNS, COMPAT_CSV_REQUIRED, type CompatibilityImportResult } from '@hitless/contracts';
import { api, qs } from '../api.ts';
import { ImportActions, useCsvImport } from '../components/ImportParts.tsx';
import { Banner, Dialog } from '../components/ui.tsx';

const EXAMPLE =
  'vendor,platform_family,from_version,to_version,level,source,notes\n' +
  'CISCO_IOSXE,cat4500,03.06.00.E,03.06.04.E,C,Cisco ISSU matrix,';

export function MatrixImportDialog({ onClose, onImported }: { onClose(): void; onImported(summary: string): void }) {
  const { text, preview, busy, run, fields, outcome } = useCsvImport(
    (csv, dryRun) =>
      api.postText<CompatibilityImportResult>(
        `/api/v1/compatibility/import${qs({ dryRun: String(dryRun) })}`,
        csv,
        'text/csv',
      ),
    (result) =>
      onImported(
        `Imported the matrix: ${result.created} added, ${result.updated} changed, ${result.unchanged} unchanged.`,
      ),
  );

  return (
    <Dialog title="Import the compatibility matrix from CSV" onClose={onClose} wide>
      <p className="muted">
        Columns: <span className="mono">{COMPAT_CSV_COLUMNS.join(', ')}</span>; the first line names them and{' '}
        <span className="mono">{COMPAT_CSV_REQUIRED.join(', ')}</span> are required. Level is C, B or I. A pair already
        in the matrix is updated. Check first: every row is checked, and one bad row rejects the whole file.
      </p>
      {fields(7, EXAMPLE)}
      {outcome}
      {preview && (
        <Banner kind="info">
          Ready to import: {preview.created} new, {preview.updated} changed, {preview.unchanged} unchanged
          {preview.families.length > 0 && ` (${preview.families.join(', ')})`}. Nothing is written until you choose
          Import.
        </Banner>
      )}
      <ImportActions ready={Boolean(text)} busy={busy} onCancel={onClose} onRun={(dryRun) => void run(dryRun)} />
    </Dialog>
  );
}
