import { DEVICE_CSV_COLUMNS, type DeviceImportResult } from '@hitless/contracts';
import { useState } from 'react';
import { api, qs } from '../api.ts';
import { ImportActions, useCsvImport } from '../components/ImportParts.tsx';
import { Banner, Dialog, Field } from '../components/ui.tsx';

export function ImportDialog({ onClose, onImported }: { onClose(): void; onImported(summary: string): void }) {
  const [mode, setMode] = useState<'upsert' | 'create'>('upsert');
  const { text, preview, busy, changed, run, fields, outcome } = useCsvImport(
    (csv, dryRun) =>
      api.postText<DeviceImportResult>(
        `/api/v1/devices/import${qs({ mode, dryRun: String(dryRun) })}`,
        csv,
        'text/csv',
      ),
    (result) =>
      onImported(`Imported: ${result.created} added, ${result.updated} updated, ${result.unchanged} unchanged`),
  );

  return (
    <Dialog title="Import devices from CSV" onClose={onClose} wide>
      <p className="muted">
        Columns: <span className="mono">{DEVICE_CSV_COLUMNS.join(', ')}</span>. The first line names them; hostname,
        mgmt_address, vendor and platform are required. Every row is checked first: one bad row rejects the whole file
        and nothing is written.
      </p>
      <Field label="Existing hostnames">
        <select
          value={mode}
          onChange={(e) => {
            setMode(e.target.value as 'upsert' | 'create');
            changed(text);
          }}
        >
          <option value="upsert">Update them</option>
          <option value="create">Reject the file</option>
        </select>
      </Field>
      {fields(6, 'hostname,mgmt_address,vendor,platform,site,tags\npe1.ams1,10.0.0.1,CISCO_IOSXE,ASR1006,AMS1,core pe')}
      {outcome}
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
