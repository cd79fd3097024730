// SSH host keys in the dashboard: the pinned set of a device (one key per routing engine where its
// management address follows the master), and an admin's confirmation before pinning the key a
// device offered: the pinned fingerprints and the offered one side by side, whether it is ADDED
// (another routing engine's key) or REPLACES the set (a replaced device or routing engine), and the
// fingerprint sent back is the one shown.
import { HOST_KEY_SOURCE_LABELS, type Device, type PinnedHostKey } from '@hitless/contracts';
import { useMutation } from '@tanstack/react-query';
import { useState } from 'react';
import { api, friendlyError } from '../api.ts';
import { Banner, Dialog } from '../components/ui.tsx';
import { dateTime } from '../time.ts';

export function HostKeyFacts({ label, fingerprint, detail }: { label: string; fingerprint: string; detail: string }) {
  return (
    <div className="field">
      <span className="field-label">{label}</span>
      <span className="mono">{fingerprint}</span>
      <span className="field-hint">{detail}</span>
    </div>
  );
}

export const pinnedDetail = (k: PinnedHostKey) =>
  `${k.algorithm}, ${HOST_KEY_SOURCE_LABELS[k.source]} on ${dateTime(k.pinnedAt)}`;

/** The pinned fingerprints, each with its type, source and date (and a Forget button when given). */
export function PinnedHostKeys({
  keys,
  onForget,
  busy,
}: {
  keys: PinnedHostKey[];
  onForget?: (key: PinnedHostKey) => void;
  busy?: boolean;
}) {
  return (
    <ul className="host-keys" aria-label="Pinned host keys">
      {keys.map((k) => (
        <li key={k.fingerprint}>
          <span className="host-key-text">
            <span className="mono">{k.fingerprint}</span>
            <span className="field-hint">{pinnedDetail(k)}</span>
          </span>
          {onForget && (
            <button
              type="button"
              className="btn btn-small"
              disabled={busy}
              aria-label={`Forget ${k.fingerprint}`}
              onClick={() => onForget(k)}
            >
              Forget
            </button>
          )}
        </li>
      ))}
    </ul>
  );
}

export function AcceptHostKeyDialog({
  device,
  onClose,
  onAccepted,
}: {
  device: Device & { offeredHostKey: NonNullable<Device['offeredHostKey']> };
  onClose(): void;
  onAccepted(device: Device): void;
}) {
  const offered = device.offeredHostKey;
  const pinned = device.hostKeys;
  const [replace, setReplace] = useState(false);
  const accept = useMutation({
    mutationFn: () =>
      api.post<Device>(`/api/v1/devices/${device.id}/host-key/accept`, { fingerprint: offered.fingerprint, replace }),
    onSuccess: onAccepted,
  });
  const seen = dateTime(offered.seenAt);
  return (
    <Dialog title={`Accept the new host key of ${device.hostname}?`} onClose={onClose}>
      <div className="form-grid">
        <Banner kind="error">
          {pinned.length > 0
            ? `${device.hostname} presented an SSH host key that is not pinned on ${seen}. Every connection to it is refused until the new key is accepted.`
            : `${device.hostname} has no pinned SSH host key and strict host key checking refused the key it presented on ${seen}. Every connection to it is refused until a key is accepted or imported.`}
        </Banner>
        {pinned.length > 0 && (
          <div className="field">
            <span className="field-label">{pinned.length === 1 ? 'Pinned key' : `Pinned keys (${pinned.length})`}</span>
            <PinnedHostKeys keys={pinned} />
          </div>
        )}
        <HostKeyFacts
          label="Offered key (new)"
          fingerprint={offered.fingerprint}
          detail={`${offered.algorithm}, first seen ${seen}`}
        />
        {pinned.length > 0 && (
          <fieldset className="choice" aria-label="How to pin the offered key">
            <label className="check">
              <input type="radio" name="accept-mode" checked={!replace} onChange={() => setReplace(false)} />
              Add as another routing engine&apos;s key
            </label>
            <span className="field-hint">
              Right for a dual-RE / dual-RP device whose management address answers with the master&apos;s key: after a
              switchover the other routing engine presents its own key. Both stay pinned.
            </span>
            <label className="check">
              <input type="radio" name="accept-mode" checked={replace} onChange={() => setReplace(true)} />
              Replace the pinned keys
            </label>
            <span className="field-hint">
              Right when the device or a routing engine was replaced, reinstalled or had its keys regenerated: the old
              keys are forgotten, so a server still holding them is refused.
            </span>
          </fieldset>
        )}
        <p className="muted">
          Accept only if you know why the device presents this key and the fingerprint matches what the device itself
          reports on its console (for a routing engine: on that engine). Otherwise another server may be answering at
          its address. Accepting pins the key: the device&apos;s credentials are then sent to whoever holds it. The
          change is audited.
        </p>
        {accept.error && <Banner kind="error">{friendlyError(accept.error, 'the key could not be accepted')}</Banner>}
        <div className="actions">
          <button type="button" className="btn" onClick={onClose}>
            Cancel
          </button>
          <button type="button" className="btn btn-primary" disabled={accept.isPending} onClick={() => accept.mutate()}>
            {accept.isPending ? 'Accepting…' : replace ? 'Replace with the new key' : 'Accept new key'}
          </button>
        </div>
      </div>
    </Dialog>
  );
}
