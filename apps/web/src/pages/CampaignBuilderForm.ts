// The campaign builder's form state (text as typed) and its conversion to the API's CampaignCreate,
// validated with the same schema the API uses; messages are keyed by the field's path
// (`window.start`, `strategy.failureBudget.value`) so each shows beside its control.
import { CampaignCreate, type CampaignDetail, type Vendor } from '@hitless/contracts';
import type { ApiError } from '../api.ts';

export interface PickedDevice {
  id: string;
  hostname: string;
  vendor: Vendor;
  platform: string;
}

export interface SelectionFilter {
  vendor: string;
  platform: string;
  site: string;
  tag: string;
  redundancyGroup: string;
}

export interface CampaignForm {
  name: string;
  ticket: string;
  description: string;
  mode: 'filter' | 'ids';
  filter: SelectionFilter;
  picked: PickedDevice[];
  /** `${vendor}|${family}` → image id. */
  targets: Record<string, string>;
  window: { start: string; end: string; timeZone: string; blackoutDates: string[] };
  strategy: {
    canarySize: string;
    waveSize: string;
    concurrency: string;
    budgetKind: 'count' | 'percent';
    budgetValue: string;
    gateAfterCanary: boolean;
    gateEveryWave: boolean;
    pauseBetweenWavesSeconds: string;
    acceptMode: 'AUTO' | 'MANUAL';
    rollbackTimerSeconds: string;
    allowDisruptive: boolean;
    rebootOldMaster: boolean;
    restoreMastership: boolean;
  };
}

export type FieldErrors = Record<string, string>;

export const familyKey = (vendor: string, family: string) => `${vendor}|${family}`;

const pad = (n: number) => String(n).padStart(2, '0');
const localDateTime = (d: Date) =>
  `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}T${pad(d.getHours())}:${pad(d.getMinutes())}`;

export function browserTimeZone(): string {
  return Intl.DateTimeFormat().resolvedOptions().timeZone || 'UTC';
}

/** A new campaign: tonight's window 01:00–05:00 in this browser's zone, the schema's default strategy. */
export function emptyForm(now = new Date()): CampaignForm {
  const start = new Date(now);
  start.setDate(start.getDate() + 1);
  start.setHours(1, 0, 0, 0);
  const end = new Date(start);
  end.setHours(5);
  return {
    name: '',
    ticket: '',
    description: '',
    mode: 'ids',
    filter: { vendor: '', platform: '', site: '', tag: '', redundancyGroup: '' },
    picked: [],
    targets: {},
    window: { start: localDateTime(start), end: localDateTime(end), timeZone: browserTimeZone(), blackoutDates: [] },
    strategy: {
      canarySize: '1',
      waveSize: '10',
      concurrency: '2',
      budgetKind: 'count',
      budgetValue: '1',
      gateAfterCanary: true,
      gateEveryWave: false,
      pauseBetweenWavesSeconds: '0',
      acceptMode: 'AUTO',
      rollbackTimerSeconds: '',
      allowDisruptive: false,
      rebootOldMaster: true,
      restoreMastership: true,
    },
  };
}

/** The form of an existing campaign (edit). */
export function formOf(c: CampaignDetail): CampaignForm {
  const s = c.strategy;
  const sel = c.selection;
  const byId = new Map(c.devices.map((d) => [d.deviceId, d]));
  return {
    name: c.name,
    ticket: c.ticket,
    description: c.description ?? '',
    mode: sel.kind,
    filter:
      sel.kind === 'filter'
        ? {
            vendor: sel.vendor ?? '',
            platform: sel.platform ?? '',
            site: sel.site ?? '',
            tag: sel.tag ?? '',
            redundancyGroup: sel.redundancyGroup ?? '',
          }
        : emptyForm().filter,
    picked:
      sel.kind === 'ids'
        ? sel.deviceIds.map((id) => {
            const d = byId.get(id);
            return { id, hostname: d?.hostname ?? id, vendor: d?.vendor ?? 'CISCO_IOS', platform: d?.platform ?? '' };
          })
        : [],
    targets: Object.fromEntries(c.targets.map((t) => [familyKey(t.vendor, t.platformFamily), t.imageId])),
    window: {
      start: c.window.start.slice(0, 16),
      end: c.window.end.slice(0, 16),
      timeZone: c.window.timeZone,
      blackoutDates: [...c.window.blackoutDates],
    },
    strategy: {
      canarySize: String(s.canarySize),
      waveSize: String(s.waveSize),
      concurrency: String(s.concurrency),
      budgetKind: s.failureBudget.kind,
      budgetValue: String(s.failureBudget.value),
      gateAfterCanary: s.gateAfterCanary,
      gateEveryWave: s.gateEveryWave,
      pauseBetweenWavesSeconds: String(s.pauseBetweenWavesSeconds),
      acceptMode: s.acceptMode,
      rollbackTimerSeconds: s.rollbackTimerSeconds === null ? '' : String(s.rollbackTimerSeconds),
      allowDisruptive: s.allowDisruptive,
      rebootOldMaster: s.rebootOldMaster,
      restoreMastership: s.restoreMastership,
    },
  };
}

/** Whole numbers as typed; anything else is reported on its field before the schema sees it. */
function int(text: string, path: string, errors: FieldErrors): number {
  const t = text.trim();
  if (!/^-?\d+$/.test(t)) {
    errors[path] = t ? 'must be a whole number' : 'is required';
    return Number.NaN;
  }
  return Number(t);
}

/** The request body, or the messages per field path (empty when valid). */
export function toBody(f: CampaignForm): { body: CampaignCreate | null; errors: FieldErrors } {
  const errors: FieldErrors = {};
  const s = f.strategy;
  const filter = Object.fromEntries(Object.entries(f.filter).filter(([, v]) => v.trim() !== ''));
  const raw = {
    name: f.name,
    ticket: f.ticket,
    description: f.description.trim() ? f.description : null,
    targetImageIds: [...new Set(Object.values(f.targets).filter(Boolean))],
    selection: f.mode === 'ids' ? { kind: 'ids', deviceIds: f.picked.map((d) => d.id) } : { kind: 'filter', ...filter },
    window: f.window,
    strategy: {
      canarySize: int(s.canarySize, 'strategy.canarySize', errors),
      waveSize: int(s.waveSize, 'strategy.waveSize', errors),
      concurrency: int(s.concurrency, 'strategy.concurrency', errors),
      failureBudget: { kind: s.budgetKind, value: int(s.budgetValue, 'strategy.failureBudget.value', errors) },
      gateAfterCanary: s.gateAfterCanary,
      gateEveryWave: s.gateEveryWave,
      pauseBetweenWavesSeconds: int(s.pauseBetweenWavesSeconds, 'strategy.pauseBetweenWavesSeconds', errors),
      acceptMode: s.acceptMode,
      rollbackTimerSeconds: s.rollbackTimerSeconds.trim()
        ? int(s.rollbackTimerSeconds, 'strategy.rollbackTimerSeconds', errors)
        : null,
      allowDisruptive: s.allowDisruptive,
      rebootOldMaster: s.rebootOldMaster,
      restoreMastership: s.restoreMastership,
    },
  };
  if (f.window.end && f.window.start && f.window.end <= f.window.start)
    errors['window.end'] ??= 'must be after the start';
  const parsed = CampaignCreate.safeParse(raw);
  if (!parsed.success) {
    for (const issue of parsed.error.issues) {
      const path = issue.path.join('.');
      errors[path] ??= issue.message;
    }
  }
  if (f.mode === 'filter' && Object.keys(filter).length === 0)
    errors['selection'] ??= 'choose at least one filter, or pick devices from the list';
  return { body: parsed.success && Object.keys(errors).length === 0 ? parsed.data : null, errors };
}

/** The API's field messages by full path (without `body.`). */
export function serverFieldErrors(err: ApiError): FieldErrors {
  const out: FieldErrors = {};
  for (const i of err.body.issues ?? []) out[i.path.replace(/^(body|querystring|params)\./, '')] ??= i.message;
  return out;
}

/** The first message at `path` or under it. */
export function errorAt(errors: FieldErrors, path: string): string | undefined {
  if (errors[path]) return errors[path];
  const k = Object.keys(errors).find((key) => key.startsWith(`${path}.`));
  return k ? errors[k] : undefined;
}
