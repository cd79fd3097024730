// What both CSV import dialogs (inventory, compatibility matrix) share: the text (a file or
// pasted), the dry run's preview, the request and its refusal by row (useCsvImport), the file and
// paste fields, the table of rejected rows and the Cancel / Check (a dry run) / Import buttons.
import type { ImportRowError } from '@hitless/contracts';
import { useState } from 'react';
import { ApiError } from '../api.ts';
import { Banner, Field } from './ui.tsx';

/** `send` posts the CSV (a dry run or for real); a real import's result goes to `onImported`. */
export function useCsvImport<R>(send: (text: string, dryRun: boolean) => Promise<R>, onImported: (result: R) => void) {
  const [text, setText] = useState('');
  const [fileName, setFileName] = useState<string | null>(null);
  const [preview, setPreview] = useState<R | null>(null);
  const [rowErrors, setRowErrors] = useState<ImportRowError[]>([]);
  const [failure, setFailure] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  /** New text (or new options for it): the last check no longer holds. */
  const changed = (next: string) => {
    setText(next);
    setPreview(null);
    setRowErrors([]);
    setFailure(null);
  };

  async function run(dryRun: boolean) {
    setBusy(true);
    setFailure(null);
    setRowErrors([]);
    try {
      const result = await send(text, dryRun);
      if (dryRun) setPreview(result);
      else onImported(result);
    } catch (err) {
      setPreview(null);
      if (!(err instanceof ApiError)) {
        setFailure(`The file was not sent (${err instanceof Error ? err.message : String(err)}); try again.`);
        return;
      }
      setFailure(err.friendly);
      setRowErrors(err.body.errors ?? []);
    } finally {
      setBusy(false);
    }
  }

  const fields = (rows: number, placeholder: string) => (
    <>
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
          rows={rows}
          value={text}
          onChange={(e) => changed(e.target.value)}
          placeholder={placeholder}
        />
      </Field>
    </>
  );

  const outcome = (
    <>
      {failure && <Banner kind="error">{failure}</Banner>}
      <ImportProblems errors={rowErrors} />
    </>
  );

  return { text, preview, busy, changed, run, fields, outcome };
}

export function ImportProblems({ errors }: { errors: ImportRowError[] }) {
  if (errors.length === 0) return null;
  return (
    <div className="table-wrap small">
      <table className="grid" aria-label="Import problems">
        <thead>
          <tr>
            <th>Line</th>
            <th>Column</th>
            <th>Problem</th>
          </tr>
        </thead>
        <tbody>
          {errors.map((e, i) => (
            <tr key={i}>
              <td className="mono">{e.line}</td>
              <td className="mono">{e.field ?? ''}</td>
              <td className="cell-wrap">{e.message}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

export function ImportActions({
  ready,
  busy,
  onCancel,
  onRun,
}: {
  ready: boolean;
  busy: boolean;
  onCancel: () => void;
  onRun: (dryRun: boolean) => void;
}) {
  return (
    <div className="actions">
      <button type="button" className="btn btn-quiet" onClick={onCancel}>
        Cancel
      </button>
      <button type="button" className="btn" disabled={!ready || busy} onClick={() => onRun(true)}>
        Check
      </button>
      <button type="button" className="btn btn-primary" disabled={!ready || busy} onClick={() => onRun(false)}>
        {busy ? 'Working…' : 'Import'}
      </button>
    </div>
  );
}
