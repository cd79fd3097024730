// Changes one pair of the matrix: its level, source and notes, or removes its entry.
import type { CompatibilityEntry, CompatLevel } from '@hitless/contracts';
import { ISSU_WINDOW_MONTHS } from '@hitless/core';
import { useState, type FormEvent } from 'react';
import { api } from '../api.ts';
import { useSubmit } from '../components/submit.tsx';
import { Banner, Dialog, Field } from '../components/ui.tsx';
import { LEVEL_NAMES, type Pair } from './MatrixGrid.tsx';

const HELP: Record<CompatLevel, string> = {
  C: 'In-service upgrade with minimal impact.',
  B: 'In-service upgrade; some HA-aware subsystems lose state.',
  I: 'No ISSU: only a disruptive Fast Software Upgrade, when a run allows it.',
};

export function MatrixCellDialog({
  pair,
  onClose,
  onSaved,
}: {
  pair: Pair;
  onClose(): void;
  onSaved(text: string): void;
}) {
  const { entry, family, from, to, limits } = pair;
  const [level, setLevel] = useState<CompatLevel | null>(entry?.level ?? null);
  const [source, setSource] = useState(entry?.source ?? '');
  const [notes, setNotes] = useState(entry?.notes ?? '');
  const { busy, failure, errors, invalid, send } = useSubmit();

  async function save(e: FormEvent) {
    e.preventDefault();
    if (!level) return invalid({ level: 'choose a level' });
    const fields = { level, source: source.trim() || null, notes: notes.trim() || null };
    await send(async () => {
      if (entry) await api.patch<CompatibilityEntry>(`/api/v1/compatibility/${entry.id}`, fields);
      else
        await api.post<CompatibilityEntry>('/api/v1/compatibility', {
          vendor: family.vendor,
          platformFamily: family.platformFamily,
          fromVersion: from,
          toVersion: to,
          ...fields,
        });
      onSaved(`${from} → ${to} is now ${LEVEL_NAMES[level].toLowerCase()} (${level}).`);
    });
  }

  const remove = (id: string) =>
    void send(async () => {
      await api.delete(`/api/v1/compatibility/${id}`);
      onSaved(`${from} → ${to} has no entry now: upgrades between them are refused.`);
    });

  return (
    <Dialog title={`${from} → ${to}`} onClose={onClose}>
      <form className="form-grid" onSubmit={(e) => void save(e)} noValidate>
        <p className="muted">
          {family.platformFamily}: upgrading from <span className="mono">{from}</span> to{' '}
          <span className="mono">{to}</span>.
        </p>
        {limits.barrier && (
          <Banner kind="error">
            This pair crosses the ISSU barrier: pre-checks refuse ISSU between them whatever the level.
          </Banner>
        )}
        {limits.outsideWindow && (
          <Banner kind="info">
            The releases are {limits.months} months apart, beyond the {ISSU_WINDOW_MONTHS}-month window ISSU is
            supported in: pre-checks warn.
          </Banner>
        )}
        {failure && <Banner kind="error">{failure}</Banner>}
        <fieldset className="choice matrix-levels" aria-describedby={errors.level ? 'matrix-level-error' : undefined}>
          <legend className="field-label">Level</legend>
          {(['C', 'B', 'I'] as const).map((l) => (
            <label key={l} className="check">
              <input type="radio" name="level" value={l} checked={level === l} onChange={() => setLevel(l)} />
              <span className={`matrix-value matrix-swatch level-${l.toLowerCase()}`} aria-hidden="true">
                {l}
              </span>
              <span>
                <span className="strong">{LEVEL_NAMES[l]}</span> <span className="muted">{HELP[l]}</span>
              </span>
            </label>
          ))}
          {errors.level && (
            <span id="matrix-level-error" className="field-message" role="alert">
              {errors.level}
            </span>
          )}
        </fieldset>
        <Field label="Source" error={errors.source} hint="Where the level comes from: the vendor's matrix, a lab test…">
          <input value={source} onChange={(e) => setSource(e.target.value)} />
        </Field>
        <Field label="Notes" error={errors.notes}>
          <textarea value={notes} onChange={(e) => setNotes(e.target.value)} rows={2} />
        </Field>
        <div className="actions">
          {entry && (
            <button type="button" className="btn btn-danger" disabled={busy} onClick={() => remove(entry.id)}>
              Remove entry
            </button>
          )}
          <button type="button" className="btn btn-quiet" onClick={onClose}>
            Cancel
          </button>
          <button type="submit" className="btn btn-primary" disabled={busy}>
            {busy ? 'Saving…' : 'Save'}
          </button>
        </div>
      </form>
    </Dialog>
  );
}
