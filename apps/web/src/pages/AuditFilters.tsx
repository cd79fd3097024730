// The audit page's filters, kept in the address (shareable): actor, action prefix, target type
// and id, and a time range entered in this browser's zone and sent as ISO instants.
import { Field } from '../components/ui.tsx';

export const FILTER_KEYS = ['actor', 'action', 'targetType', 'targetId', 'from', 'to'] as const;
export type FilterKey = (typeof FILTER_KEYS)[number];
export type AuditFilterValues = Partial<Record<FilterKey, string>>;

/** The target types the product records, with their names for people. */
export const TARGET_TYPES: Record<string, string> = {
  device: 'Device',
  run: 'Run',
  campaign: 'Campaign',
  image: 'Image',
  compatibility: 'Compatibility matrix',
  credential: 'Credential',
  user: 'User',
  api_token: 'API token',
};

/** Action prefixes offered while typing (any prefix works: `device.host_key.` too). */
const ACTION_HINTS = [
  'auth.',
  'campaign.',
  'compatibility.',
  'credential.',
  'device.',
  'image.',
  'run.',
  'token.',
  'user.',
];

/** An ISO time as a `datetime-local` value in this browser's zone; '' if unreadable. */
function toLocalInput(iso: string | undefined): string {
  const d = iso ? new Date(iso) : null;
  if (!d || Number.isNaN(d.getTime())) return '';
  const p = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())}T${p(d.getHours())}:${p(d.getMinutes())}:${p(d.getSeconds())}`;
}

const fromLocalInput = (value: string): string | null => {
  if (!value) return null;
  const d = new Date(value);
  return Number.isNaN(d.getTime()) ? null : d.toISOString();
};

export function AuditFilters({
  values,
  errors,
  onChange,
  onClear,
}: {
  values: AuditFilterValues;
  errors: Record<string, string>;
  onChange: (key: FilterKey, value: string | null) => void;
  onClear: () => void;
}) {
  const any = FILTER_KEYS.some((k) => values[k]);
  return (
    <form className="audit-filters" role="search" aria-label="Audit filters" onSubmit={(e) => e.preventDefault()}>
      <Field label="Actor" error={errors.actor} hint="user name, exactly">
        <input
          type="search"
          autoComplete="off"
          placeholder="e.g. admin"
          value={values.actor ?? ''}
          onChange={(e) => onChange('actor', e.target.value)}
        />
      </Field>
      <Field label="Action" error={errors.action} hint="starts with">
        <input
          type="search"
          list="audit-actions"
          autoComplete="off"
          placeholder="e.g. device."
          value={values.action ?? ''}
          onChange={(e) => onChange('action', e.target.value)}
        />
      </Field>
      <datalist id="audit-actions">
        {ACTION_HINTS.map((a) => (
          <option key={a} value={a} />
        ))}
      </datalist>
      <Field label="Target type" error={errors.targetType}>
        <select value={values.targetType ?? ''} onChange={(e) => onChange('targetType', e.target.value || null)}>
          <option value="">Any</option>
          {Object.entries(TARGET_TYPES).map(([type, label]) => (
            <option key={type} value={type}>
              {label}
            </option>
          ))}
        </select>
      </Field>
      <Field label="Target id" error={errors.targetId}>
        <input
          type="search"
          autoComplete="off"
          className="mono"
          placeholder="id"
          value={values.targetId ?? ''}
          onChange={(e) => onChange('targetId', e.target.value)}
        />
      </Field>
      <Field label="From" error={errors.from}>
        <input
          type="datetime-local"
          step={1}
          value={toLocalInput(values.from)}
          onChange={(e) => onChange('from', fromLocalInput(e.target.value))}
        />
      </Field>
      <Field label="To" error={errors.to}>
        <input
          type="datetime-local"
          step={1}
          value={toLocalInput(values.to)}
          onChange={(e) => onChange('to', fromLocalInput(e.target.value))}
        />
      </Field>
      <div className="audit-filter-actions">
        <button type="button" className="btn btn-small" disabled={!any} onClick={onClear}>
          Clear filters
        </button>
      </div>
    </form>
  );
}
