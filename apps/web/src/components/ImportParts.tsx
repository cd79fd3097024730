// The parts both CSV import dialogs (inventory, compatibility matrix) share: the table of rejected
// rows and the Cancel / Check (a dry run) / Import buttons.
import type { ImportRowError } from '@hitless/contracts';

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
