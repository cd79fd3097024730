import {
  DeviceCreate,
  portFromText,
  VENDOR_LABELS,
  type Credential,
  type Device,
  type DeviceFacets,
  type PinnedHostKey,
  type Vendor,
} from '@hitless/contracts';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { api, ApiError, friendlyError } from '../api.ts';
import { useAuth } from '../auth.tsx';
import { Banner, Dialog, Field } from '../components/ui.tsx';
import { HostKeyFacts, PinnedHostKeys } from './HostKeyDialog.tsx';

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
    platform: d?.platform ?? '',
    site: d?.site ?? '',
    tags: d?.tags.join(' ') ?? '',
    redundancyGroup: d?.redundancyGroup ?? '',
    credentialId: d?.credentialId ?? '',
    currentVersion: d?.currentVersion ?? '',
    notes: d?.notes ?? '',
  };
}

/** The pinned keys (each with Forget, for admins) and an offered key that is not pinned. */
function HostKeySection({ device: initialDevice }: { device: Device }) {
  const { can } = useAuth();
  const queryClient = useQueryClient();
  const [device, setDevice] = useState(initialDevice);
  const forget = useMutation({
    mutationFn: async (key: PinnedHostKey) => {
      await api.delete(`/api/v1/devices/${device.id}/host-keys/${encodeURIComponent(key.fingerprint)}`);
      return api.get<Device>(`/api/v1/devices/${device.id}`);
    },
    onSuccess: (fresh) => {
      setDevice(fresh);
      void queryClient.invalidateQueries({ queryKey: ['devices'] });
    },
  });
  const { hostKeys, offeredHostKey } = device;
  return (
    <section className="form-grid" aria-label="SSH host key">
      <div className="field">
        <span className="field-label">
          {hostKeys.length > 1 ? `SSH host keys (${hostKeys.length} pinned)` : 'SSH host key'}
        </span>
        {hostKeys.length > 0 ? (
          <PinnedHostKeys
            keys={hostKeys}
            busy={forget.isPending}
            {...(can('host-keys:trust') && { onForget: (k: PinnedHostKey) => forget.mutate(k) })}
          />
        ) : (
          <span className="muted">Not pinned yet — trusted on first connection</span>
        )}
        <span className="field-hint">
          Any pinned key is accepted: a device whose routing engines have their own keys (dual RE / RP, the management
          address answering with the master&apos;s) needs each of them.
        </span>
      </div>
      {forget.error && <Banner kind="error">{friendlyError(forget.error, 'the key could not be forgotten')}</Banner>}
      {offeredHostKey && (
        <>
          <Banner kind="error">
            {hostKeys.length > 0
              ? 'Host key not pinned: the device presented a key that is none of the pinned ones.'
              : 'Strict host key checking refused the key this device presented (no key is pinned).'}{' '}
            Every connection is refused until an admin accepts the new key (Inventory: Accept new key).
          </Banner>
          <HostKeyFacts
            label="Offered key (new)"
            fingerprint={offeredHostKey.fingerprint}
            detail={`${offeredHostKey.algorithm}, first seen ${new Date(offeredHostKey.seenAt).toLocaleString()}`}
          />
        </>
      )}
    </section>
  );
}

export function DeviceDialog({ device, facets, credentials, onClose, onSaved }: Props) {
  const [form, setForm] = useState<Form>(() => initial(device));
  const [legacySsh, setLegacySsh] = useState(device?.legacySsh ?? false);
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [failure, setFailure] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const set = (k: keyof Form) => (e: { target: { value: string } }) => setForm((f) => ({ ...f, [k]: e.target.value }));

  async function submit(e: FormEvent) {
    e.preventDefault();
    setFailure(null);
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
    if (!parsed.success) {
      const fieldErrors: Record<string, string> = {};
      for (const i of parsed.error.issues) fieldErrors[String(i.path[0])] ??= i.message;
      setErrors(fieldErrors);
      return;
    }
    setErrors({});
    setBusy(true);
    try {
      const saved = device
        ? await api.patch<Device>(`/api/v1/devices/${device.id}`, parsed.data)
        : await api.post<Device>('/api/v1/devices', parsed.data);
      onSaved(saved, !device);
    } catch (err) {
      if (!(err instanceof ApiError)) throw err;
      setErrors(err.fieldErrors());
      setFailure(err.friendly);
    } finally {
      setBusy(false);
    }
  }

  return (
    <Dialog title={device ? `Edit ${device.hostname}` : 'Add device'} onClose={onClose}>
      <form className="form-grid" onSubmit={(e) => void submit(e)} noValidate>
        {failure && <Banner kind="error">{failure}</Banner>}
        <Field label="Hostname" error={errors.hostname}>
          <input value={form.hostname} onChange={set('hostname')} placeholder="pe1.ams1" autoComplete="off" />
        </Field>
        <div className="row">
          <Field label="Management address" error={errors.mgmtAddress}>
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
          <Field label="Vendor" error={errors.vendor}>
            <select value={form.vendor} onChange={set('vendor')}>
              {(Object.keys(VENDOR_LABELS) as Vendor[]).map((v) => (
                <option key={v} value={v}>
                  {VENDOR_LABELS[v]}
                </option>
              ))}
            </select>
          </Field>
          <Field label="Platform" error={errors.platform}>
            <input
              value={form.platform}
              onChange={set('platform')}
              list="platforms"
              placeholder="ASR1006, c10k, MX480…"
            />
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
        <datalist id="platforms">
          {facets?.platforms.map((p) => (
            <option key={p} value={p} />
          ))}
        </datalist>
        <datalist id="sites">
          {facets?.sites.map((s) => (
            <option key={s} value={s} />
          ))}
        </datalist>
        <div className="actions">
          <button type="button" className="btn btn-quiet" onClick={onClose}>
            Cancel
          </button>
          <button type="submit" className="btn btn-primary" disabled={busy}>
            {busy ? 'Saving…' : device ? 'Save' : 'Add device'}
          </button>
        </div>
      </form>
    </Dialog>
  );
}
