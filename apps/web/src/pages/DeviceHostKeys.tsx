// The SSH host keys section of the device form: the pinned keys (each with Forget, for admins) and
// a key the device offered that is not pinned.
import type { Device, PinnedHostKey } from '@hitless/contracts';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { api, friendlyError } from '../api.ts';
import { useAuth } from '../auth.tsx';
import { Banner } from '../components/ui.tsx';
import { HostKeyFacts, PinnedHostKeys } from './HostKeyDialog.tsx';
import { dateTime } from '../time.ts';

/** The pinned keys (each with Forget, for admins) and an offered key that is not pinned. */
export function HostKeySection({ device: initialDevice }: { device: Device }) {
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
            detail={`${offeredHostKey.algorithm}, first seen ${dateTime(offeredHostKey.seenAt)}`}
          />
        </>
      )}
    </section>
  );
}
