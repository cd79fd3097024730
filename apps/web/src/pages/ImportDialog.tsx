import { DEVICE_CSV_COLUMNS, type DeviceImportResult, type ImportRowError } from '@hitless/contracts';
import { useState } from 'react';
import { api, ApiError, qs } from '../api.ts';
import { Banner, Dialog, Field } from '../components/ui.tsx';
import { ImportActions, ImportProblems } from '../components/ImportParts.tsx';

export function ImportDialog({ onClose, onImported }: { onClose(): void; onImported(summary: string): void }) {
  const [text, setText] = useState('');
  const [fileName, setFileName] = useState<string | null>(null);
  const [mode, setMode] = useState<'upsert' | 'create'>('upsert');
  const [preview, setPreview] = useState<DeviceImportResult | null>(null);
  const [rowErrors, setRowErrors] = useState<ImportRowError[]>([]);
  const [failure, setFailure] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  async function run(dryRun: boolean) {
    setBusy(true);
    setFailure(null);
    setRowErrors([]);
    try {
      const result = await api.postText<DeviceImportResult>(
        `/api/v1/devices/import${qs({ mode, dryRun: String(dryRun) })}`,
        text,
        'text/csv',
      );
      if (dryRun) setPreview(result);
      else onImported(`Imported: ${result.created} added, ${result.updated} updated, ${result.unchanged} unchanged`);
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
    <Dialog title="Import devices from CSV" onClose={onClose} wide>
      <p className="muted">
        Columns: <span className="mono">{DEVICE_CSV_COLUMNS.join(', ')}</span>. The first line names them; hostname,
        mgmt_address, vendor and platform are required. Every row is checked first: one bad row rejects the whole file
        and nothing is written.
      </p>
      <div className="row">
        <Field label="CSV file">
          <input
            type="file"
            accept=".csv,text/csv"
            onChange={async (e) => {
              const f = e.target.files?.[0];
              if (!f) return;
              setFileName(f.name);
              setText(await f.text());
              setPreview(null);
              setRowErrors([]);
              setFailure(null);
            }}
          />
        </Field>
        <Field label="Existing hostnames">
          <select value={mode} onChange={(e) => setMode(e.target.value as 'upsert' | 'create')}>
            <option value="upsert">Update them</option>
            <option value="create">Reject the file</option>
          </select>
        </Field>
      </div>
      <Field label="…or paste CSV" hint={fileName ? `Loaded ${fileName}` : undefined}>
        <textarea
          className="mono"
          rows={6}
          value={text}
          onChange={(e) => {
            setText(e.target.value);
            setPreview(null);
          }}
          placeholder={
            'hostname,mgmt_address,vendor,platform,site,tags\npe1.ams1,10.0.0.1,CISCO_IOSXE,ASR1006,AMS1,core pe'
          }
        />
      </Field>
      {failure && <Banner kind="error">{failure}</Banner>}
      <ImportProblems errors={rowErrors} />
      {preview && (
        <Banner kind="info">
          Ready to import {preview.hostnames.length} rows: {preview.created} new, {preview.updated} updated,{' '}
          {preview.unchanged} unchanged.
        </Banner>
      )}
      <ImportActions ready={Boolean(text)} busy={busy} onCancel={onClose} onRun={(dryRun) => void run(dryRun)} />
    </Dialog>
  );
}
