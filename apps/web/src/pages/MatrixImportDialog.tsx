// Imports the vendor's matrix as CSV: Check runs a dry run (counts, or every bad row with its line),
// Import applies it; one bad row rejects the whole file and nothing is written.
import {
  COMPAT_CSV_COLUMNS,
  COMPAT_CSV_REQUIRED,
  type CompatibilityImportResult,
  type ImportRowError,
} from '@hitless/contracts';
import { useState } from 'react';
import { api, ApiError, qs } from '../api.ts';
import { Banner, Dialog, Field } from '../components/ui.tsx';
import { ImportActions, ImportProblems } from '../components/ImportParts.tsx';

const EXAMPLE =
  'vendor,platform_family,from_version,to_version,level,source,notes\n' +
  'CISCO_IOSXE,cat4500,03.06.00.E,03.06.04.E,C,Cisco ISSU matrix,';

export function MatrixImportDialog({ onClose, onImported }: { onClose(): void; onImported(summary: string): void }) {
  const [text, setText] = useState('');
  const [fileName, setFileName] = useState<string | null>(null);
  const [preview, setPreview] = useState<CompatibilityImportResult | null>(null);
  const [rowErrors, setRowErrors] = useState<ImportRowError[]>([]);
  const [failure, setFailure] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const changed = (t: string) => {
    setText(t);
    setPreview(null);
    setRowErrors([]);
    setFailure(null);
  };

  async function run(dryRun: boolean) {
    setBusy(true);
    setFailure(null);
    setRowErrors([]);
    try {
      const result = await api.postText<CompatibilityImportResult>(
        `/api/v1/compatibility/import${qs({ dryRun: String(dryRun) })}`,
        text,
        'text/csv',
      );
      if (dryRun) setPreview(result);
      else
        onImported(
          `Imported the matrix: ${result.created} added, ${result.updated} changed, ${result.unchanged} unchanged.`,
        );
    } catch (err) {
      if (!(err instanceof ApiError)) throw err;
      setPreview(null);
      setFailure(err.friendly);
      setRowErrors(err.body.errors ?? []);
    } finally {
      setBusy(false);
    }
  }

  return (
    <Dialog title="Import the compatibility matrix from CSV" onClose={onClose} wide>
      <p className="muted">
        Columns: <span className="mono">{COMPAT_CSV_COLUMNS.join(', ')}</span>; the first line names them and{' '}
        <span className="mono">{COMPAT_CSV_REQUIRED.join(', ')}</span> are required. Level is C, B or I. A pair already
        in the matrix is updated. Check first: every row is checked, and one bad row rejects the whole file.
      </p>
      <Field label="CSV file">
        <input
          type="file"
          accept=".csv,text/csv"
          onChange={async (e) => {
            const f = e.target.files?.[0];
            if (!f) return;
            setFileName(f.name);
            changed(await f.text());
          }}
        />
      </Field>
      <Field label="…or paste CSV" hint={fileName ? `Loaded ${fileName}` : undefined}>
        <textarea
          className="mono"
          rows={7}
          value={text}
          onChange={(e) => changed(e.target.value)}
          placeholder={EXAMPLE}
        />
      </Field>
      {failure && <Banner kind="error">{failure}</Banner>}
      <ImportProblems errors={rowErrors} />
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
