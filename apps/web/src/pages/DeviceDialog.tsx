import {
  DeviceCreate,
  portFromText,
  type Credential,
  type Device,
  type DeviceFacets,
  type Vendor,
} from '@hitless/contracts';
import { PLATFORM_FAMILIES, platformFamiliesOf, platformFamily } from '@hitless/core';
import { useState, type FormEvent } from 'react';
import { api } from '../api.ts';
import { FormActions, fieldErrorsOf, useSubmit } from '../components/submit.tsx';
import { Banner, Dialog, Field } from '../components/ui.tsx';
import { HostKeySection } from './DeviceHostKeys.tsx';
import { VendorOptions } from '../components/devices.tsx';

interface Props {
  device: Device | null;
  facets: DeviceFacets | undefined;
  credentials: Credential[];
  onClose(): void;
  onSaved(device: Device, created: boolean): void;
}

type Form = Record<
  | 'hostname'
  | 'mgmtAddress'
  | 'port'
  | 'vendor'
  | 'platform'
  | 'site'
  | 'tags'
  | 'redundancyGroup'
  | 'credentialId'
  | 'currentVersion'
  | 'notes',
  string
>;

function initial(d: Device | null): Form {
  return {
    hostname: d?.hostname ?? '',
    mgmtAddress: d?.mgmtAddress ?? '',
    port: String(d?.port ?? 22),
    vendor: d?.vendor ?? 'CISCO_IOS',
    platform: d?.platform ?? platformFamiliesOf(d?.vendor ?? 'CISCO_IOS')[0]!.family,
    site: d?.site ?? '',
    tags: d?.tags.join(' ') ?? '',
    redundancyGroup: d?.redundancyGroup ?? '',
    credentialId: d?.credentialId ?? '',
    currentVersion: d?.currentVersion ?? '',
    notes: d?.notes ?? '',
  };
}

/** Field labels, for "Hostname is required" rather than a bare "is required". */
const LABELS: Record<string, string> = {
  hostname: 'Hostname',
  mgmtAddress: 'Management address',
  port: 'SSH port',
  vendor: 'Vendor',
  platform: 'Platform family',
};

/** One wording for a missing required field, whichever side found it: "<Label> is required". */
function fieldMessages(raw: Record<string, string>): Record<string, string> {
  return Object.fromEntries(
    Object.entries(raw).map(([k, m]) => [k, m === 'is required' && LABELS[k] ? `${LABELS[k]} is required` : m]),
  );
}

/**
 * The known families of `vendor`; a device registered with a model (ASR1006, MX480) keeps it as
 * the first choice, named with its family, so saving the form never changes it unasked.
 */
function platformOptions(vendor: Vendor, current: string): { value: string; label: string }[] {
  const known = platformFamiliesOf(vendor).map((f) => ({ value: f.family, label: `${f.label} (${f.family})` }));
  if (!current || known.some((k) => k.value === current)) return known;
  const family = platformFamily(vendor, current);
  const named = PLATFORM_FAMILIES.find((f) => f.family === family);
  return [{ value: current, label: `${current} — ${named ? named.label : 'unknown family'}` }, ...known];
}

export function DeviceDialog({ device, facets, credentials, onClose, onSaved }: Props) {
  const [form, setForm] = useState<Form>(() => initial(device));
  const [legacySsh, setLegacySsh] = useState(device?.legacySsh ?? false);
  const { busy, failure, errors, invalid, send } = useSubmit();
  const set = (k: keyof Form) => (e: { target: { value: string } }) => setForm((f) => ({ ...f, [k]: e.target.value }));

  async function submit(e: FormEvent) {
    e.preventDefault();
    const body = {
      hostname: form.hostname,
      mgmtAddress: form.mgmtAddress,
      port: portFromText(form.port),
      vendor: form.vendor,
      platform: form.platform,
      site: form.site || null,
      tags: form.tags.split(/[\s,;]+/).filter(Boolean),
      redundancyGroup: form.redundancyGroup || null,
      credentialId: form.credentialId || null,
      currentVersion: form.currentVersion || null,
      notes: form.notes || null,
      legacySsh,
    };
    // The same schema the API enforces, so most mistakes show before a round trip.
    const parsed = DeviceCreate.safeParse(body);
    if (!parsed.success) return invalid(fieldMessages(fieldErrorsOf(parsed.error)));
    // A conflict or an invalid field is said on the field (a duplicate hostname on Hostname); the
    // banner is for what belongs to no field of the form.
    await send(
      async () => {
        const saved = device
          ? await api.patch<Device>(`/api/v1/devices/${device.id}`, parsed.data)
          : await api.post<Device>('/api/v1/devices', parsed.data);
        onSaved(saved, !device);
      },
      { fields: fieldMessages, quietWhenOn: Object.keys(initial(null)) },
    );
  }

  return (
    <Dialog title={device ? `Edit ${device.hostname}` : 'Add device'} onClose={onClose}>
      <form className="form-grid" onSubmit={(e) => void submit(e)} noValidate>
        {failure && <Banner kind="error">{failure}</Banner>}
        <p className="muted small-text">
          Fields marked <span className="field-required">*</span> are required.
        </p>
        <Field label="Hostname" error={errors.hostname} required>
          <input value={form.hostname} onChange={set('hostname')} placeholder="pe1.ams1" autoComplete="off" />
        </Field>
        <div className="row">
          <Field label="Management address" error={errors.mgmtAddress} required>
            <input
              value={form.mgmtAddress}
              onChange={set('mgmtAddress')}
              placeholder="10.0.0.1"
              className="mono"
              autoComplete="off"
            />
          </Field>
          <Field label="SSH port" error={errors.port}>
            <input value={form.port} onChange={set('port')} inputMode="numeric" className="mono narrow-input" />
          </Field>
        </div>
        {device && <HostKeySection device={device} />}
        <div className="field">
          <label className="check">
            <input type="checkbox" checked={legacySsh} onChange={(e) => setLegacySsh(e.target.checked)} />
            Needs the legacy SSH algorithms
          </label>
          <span className="field-hint">
            <span className="warn-text">
              Allows SHA-1 key exchange, CBC and 3DES ciphers, ssh-dss and HMAC-MD5 for this device: weaker, only for
              old boxes that cannot do better.
            </span>
          </span>
        </div>
        <div className="row">
          <Field label="Vendor" error={errors.vendor} required>
            <select
              value={form.vendor}
              onChange={(e) => {
                const vendor = e.target.value as Vendor;
                // A family of the old vendor is no choice for the new one; the device's own model is, for its vendor.
                setForm((f) => ({
                  ...f,
                  vendor,
                  platform:
                    platformFamiliesOf(vendor).some((o) => o.family === f.platform) ||
                    (device && vendor === device.vendor && f.platform === device.platform)
                      ? f.platform
                      : platformFamiliesOf(vendor)[0]!.family,
                }));
              }}
            >
              <VendorOptions />
            </select>
          </Field>
          <Field
            label="Platform family"
            error={errors.platform}
            required
            hint="Images, golden release and procedures are per family."
          >
            <select value={form.platform} onChange={set('platform')}>
              {platformOptions(form.vendor as Vendor, form.platform).map((o) => (
                <option key={o.value} value={o.value}>
                  {o.label}
                </option>
              ))}
            </select>
          </Field>
        </div>
        <div className="row">
          <Field label="Site" error={errors.site}>
            <input value={form.site} onChange={set('site')} list="sites" />
          </Field>
          <Field
            label="Redundancy group"
            error={errors.redundancyGroup}
            hint="Devices in one group never upgrade together."
          >
            <input value={form.redundancyGroup} onChange={set('redundancyGroup')} />
          </Field>
        </div>
        <Field label="Tags" error={errors.tags} hint="Separated by spaces.">
          <input value={form.tags} onChange={set('tags')} />
        </Field>
        <div className="row">
          <Field label="Credential" error={errors.credentialId}>
            <select value={form.credentialId} onChange={set('credentialId')}>
              <option value="">None</option>
              {credentials.map((c) => (
                <option key={c.id} value={c.id}>
                  {c.name} ({c.username})
                </option>
              ))}
            </select>
          </Field>
          <Field label="Current version" error={errors.currentVersion} hint="Filled in by discovery later.">
            <input value={form.currentVersion} onChange={set('currentVersion')} className="mono" />
          </Field>
        </div>
        <Field label="Notes" error={errors.notes}>
          <textarea value={form.notes} onChange={set('notes')} rows={2} />
        </Field>
        <datalist id="sites">
          {facets?.sites.map((s) => (
            <option key={s} value={s} />
          ))}
        </datalist>
        <FormActions onCancel={onClose} busy={busy} label={device ? 'Save' : 'Add device'} busyLabel="Saving…" />
      </form>
    </Dialog>
  );
}
