// An admin's confirmation before pinning the different SSH host key a device offered: both
// fingerprints side by side, what accepting means, and the fingerprint sent back is the one shown.
import { HOST_KEY_SOURCE_LABELS, type Device } from '@hitless/contracts';
import { useMutation } from '@tanstack/react-query';
import { api, ApiError } from '../api.ts';
import { Banner, Dialog } from '../components/ui.tsx';

export function HostKeyFacts({ label, fingerprint, detail }: { label: string; fingerprint: string; detail: string }) {
  return (
    <div className="field">
      <span className="field-label">{label}</span>
      <span className="mono">{fingerprint}</span>
      <span className="field-hint">{detail}</span>
    </div>
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
  const pinned = device.hostKey;
  const accept = useMutation({
    mutationFn: () =>
      api.post<Device>(`/api/v1/devices/${device.id}/host-key/accept`, { fingerprint: offered.fingerprint }),
    onSuccess: onAccepted,
  });
  return (
    <Dialog title={`Accept the new host key of ${device.hostname}?`} onClose={onClose}>
      <div className="form-grid">
        <Banner kind="error">
          {pinned
            ? `${device.hostname} presented a different SSH host key on ${new Date(offered.seenAt).toLocaleString()}. Every connection to it is refused until the new key is accepted.`
            : `${device.hostname} has no pinned SSH host key and strict host key checking refused the key it presented on ${new Date(offered.seenAt).toLocaleString()}. Every connection to it is refused until a key is accepted or imported.`}
        </Banner>
        {pinned && (
          <HostKeyFacts
            label="Pinned key (old)"
            fingerprint={pinned.fingerprint}
            detail={`${pinned.algorithm}, ${HOST_KEY_SOURCE_LABELS[pinned.source]} on ${new Date(pinned.pinnedAt).toLocaleString()}`}
          />
        )}
        <HostKeyFacts
          label="Offered key (new)"
          fingerprint={offered.fingerprint}
          detail={`${offered.algorithm}, first seen ${new Date(offered.seenAt).toLocaleString()}`}
        />
        <p className="muted">
          Accept only if you know why the key changed (the device or its routing engine was replaced, reinstalled or had
          its keys regenerated) and the new fingerprint matches what the device itself reports on its console. Otherwise
          another server may be answering at its address. Accepting pins the new key: the device&apos;s credentials are
          then sent to whoever holds it. The change is audited.
        </p>
        {accept.error && (
          <Banner kind="error">
            {accept.error instanceof ApiError ? accept.error.friendly : 'the key could not be accepted'}
          </Banner>
        )}
        <div className="actions">
          <button type="button" className="btn" onClick={onClose}>
            Cancel
          </button>
          <button type="button" className="btn btn-primary" disabled={accept.isPending} onClick={() => accept.mutate()}>
            {accept.isPending ? 'Accepting…' : 'Accept new key'}
          </button>
        </div>
      </div>
    </Dialog>
  );
}
