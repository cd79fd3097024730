// The builder's maintenance window (local start and end in an IANA time zone, blackout dates) and
// strategy (waves, concurrency, failure budget, gates, and the procedures' options).
import { useMemo, useState, type ChangeEvent } from 'react';
import { Field } from '../components/ui.tsx';
import { errorAt, type CampaignForm, type FieldErrors } from './CampaignBuilderForm.ts';

function timeZones(): string[] {
  const zones = Intl.supportedValuesOf('timeZone');
  return zones.includes('UTC') ? zones : ['UTC', ...zones];
}

export function WindowFields({
  form,
  set,
  errors,
}: {
  form: CampaignForm;
  set: (patch: Partial<CampaignForm>) => void;
  errors: FieldErrors;
}) {
  const zones = useMemo(() => timeZones(), []);
  const [blackout, setBlackout] = useState('');
  const w = form.window;
  const setWindow = (patch: Partial<CampaignForm['window']>) => set({ window: { ...w, ...patch } });
  const addBlackout = () => {
    if (!blackout || w.blackoutDates.includes(blackout)) return;
    setWindow({ blackoutDates: [...w.blackoutDates, blackout].sort() });
    setBlackout('');
  };
  return (
    <fieldset className="cform-section">
      <legend>Maintenance window</legend>
      <p className="muted">
        Device runs start only inside the window, by the clock of its time zone, and never on a blackout date.
      </p>
      <div className="cform-row">
        <Field label="Start (local)" error={errors['window.start']}>
          <input type="datetime-local" value={w.start} onChange={(e) => setWindow({ start: e.target.value })} />
        </Field>
        <Field label="End (local)" error={errors['window.end']}>
          <input type="datetime-local" value={w.end} onChange={(e) => setWindow({ end: e.target.value })} />
        </Field>
        <Field label="Time zone" error={errors['window.timeZone']}>
          <select value={w.timeZone} onChange={(e) => setWindow({ timeZone: e.target.value })}>
            {!zones.includes(w.timeZone) && <option value={w.timeZone}>{w.timeZone}</option>}
            {zones.map((z) => (
              <option key={z}>{z}</option>
            ))}
          </select>
        </Field>
      </div>
      <div className="cform-row cform-row-end">
        <Field label="Blackout date" error={errorAt(errors, 'window.blackoutDates')}>
          <input type="date" value={blackout} onChange={(e) => setBlackout(e.target.value)} />
        </Field>
        <button type="button" className="btn" onClick={addBlackout} disabled={!blackout}>
          Add blackout date
        </button>
        <div className="chips" aria-label="Blackout dates">
          {w.blackoutDates.map((d) => (
            <button
              key={d}
              type="button"
              className="chip"
              aria-label={`Remove blackout date ${d}`}
              onClick={() => setWindow({ blackoutDates: w.blackoutDates.filter((x) => x !== d) })}
            >
              {d} ✕
            </button>
          ))}
          {w.blackoutDates.length === 0 && <span className="muted">no blackout dates</span>}
        </div>
      </div>
    </fieldset>
  );
}

export function StrategyFields({
  form,
  set,
  errors,
}: {
  form: CampaignForm;
  set: (patch: Partial<CampaignForm>) => void;
  errors: FieldErrors;
}) {
  const s = form.strategy;
  const setS = (patch: Partial<CampaignForm['strategy']>) => set({ strategy: { ...s, ...patch } });
  const num = (
    key: 'canarySize' | 'waveSize' | 'concurrency' | 'pauseBetweenWavesSeconds' | 'rollbackTimerSeconds',
  ) => ({
    inputMode: 'numeric' as const,
    className: 'num-input',
    value: s[key],
    onChange: (e: ChangeEvent<HTMLInputElement>) => setS({ [key]: e.target.value }),
  });
  const check = (
    key: 'gateAfterCanary' | 'gateEveryWave' | 'allowDisruptive' | 'rebootOldMaster' | 'restoreMastership',
    label: string,
  ) => (
    <label className="check">
      <input type="checkbox" checked={s[key]} onChange={(e) => setS({ [key]: e.target.checked })} /> {label}
    </label>
  );
  return (
    <fieldset className="cform-section">
      <legend>Strategy</legend>
      <div className="cform-grid">
        <Field label="Canary size" error={errors['strategy.canarySize']} hint="devices in the first wave; 0: none">
          <input {...num('canarySize')} />
        </Field>
        <Field label="Wave size" error={errors['strategy.waveSize']}>
          <input {...num('waveSize')} />
        </Field>
        <Field label="Concurrency" error={errors['strategy.concurrency']} hint="runs in flight at once">
          <input {...num('concurrency')} />
        </Field>
        <Field label="Failure budget" error={errorAt(errors, 'strategy.failureBudget')} hint="halts when reached">
          <input
            inputMode="numeric"
            className="num-input"
            value={s.budgetValue}
            onChange={(e) => setS({ budgetValue: e.target.value })}
          />
        </Field>
        <Field label="Budget unit">
          <select
            value={s.budgetKind}
            onChange={(e) => setS({ budgetKind: e.target.value as CampaignForm['strategy']['budgetKind'] })}
          >
            <option value="count">devices</option>
            <option value="percent">% of devices</option>
          </select>
        </Field>
        <Field label="Pause between waves (s)" error={errors['strategy.pauseBetweenWavesSeconds']}>
          <input {...num('pauseBetweenWavesSeconds')} />
        </Field>
      </div>
      <div className="cform-columns">
        <div className="choice">
          <span className="field-label">Gates</span>
          {check('gateAfterCanary', 'An approver opens the gate after the canary wave')}
          {check('gateEveryWave', 'An approver opens the gate after every wave')}
        </div>
        <fieldset className="choice">
          <legend className="field-label">Accepting the new software</legend>
          <label>
            <input
              type="radio"
              name="acceptMode"
              checked={s.acceptMode === 'AUTO'}
              onChange={() => setS({ acceptMode: 'AUTO' })}
            />{' '}
            Accept automatically when post-checks pass
          </label>
          <label>
            <input
              type="radio"
              name="acceptMode"
              checked={s.acceptMode === 'MANUAL'}
              onChange={() => setS({ acceptMode: 'MANUAL' })}
            />{' '}
            Wait for an operator on each device
          </label>
        </fieldset>
        <div className="choice">
          <span className="field-label">Cisco</span>
          <Field
            label="Rollback timer (s)"
            error={errors['strategy.rollbackTimerSeconds']}
            hint="60–7200; empty keeps the device's own"
          >
            <input {...num('rollbackTimerSeconds')} placeholder="2700" />
          </Field>
          {check('allowDisruptive', 'Allow the disruptive Fast Software Upgrade when images are incompatible')}
        </div>
        <div className="choice">
          <span className="field-label">Junos</span>
          {check('rebootOldMaster', 'Reboot the old master onto the new release')}
          {check('restoreMastership', 'Give mastership back to the original master RE')}
        </div>
      </div>
    </fieldset>
  );
}
