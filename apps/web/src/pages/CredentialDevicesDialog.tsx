import type { Credential, CredentialDevice } from '@hitless/contracts';
import { useQuery } from '@tanstack/react-query';
import { Link } from 'react-router';
import { api, friendlyError } from '../api.ts';
import { Banner, Dialog } from '../components/ui.tsx';

/** Every device that logs in with a credential, each a link to its page. */
export function CredentialDevicesDialog({ credential, onClose }: { credential: Credential; onClose(): void }) {
  const devices = useQuery({
    queryKey: ['credentials', credential.id, 'devices'],
    queryFn: async () =>
      (await api.get<{ items: CredentialDevice[] }>(`/api/v1/credentials/${credential.id}/devices`)).items,
  });
  return (
    <Dialog title={`Devices using ${credential.name}`} onClose={onClose} wide>
      {devices.error && <Banner kind="error">{friendlyError(devices.error, 'could not load the devices')}</Banner>}
      {devices.isPending && <p className="muted">Loading…</p>}
      {devices.data && devices.data.length === 0 && <p className="muted">No device uses it.</p>}
      {devices.data && devices.data.length > 0 && (
        <ul className="device-list" aria-label={`Devices using ${credential.name}`}>
          {devices.data.map((d) => (
            <li key={d.id}>
              <Link to={`/devices/${d.id}`}>{d.hostname}</Link>
            </li>
          ))}
        </ul>
      )}
      <div className="actions">
        <button type="button" className="btn" onClick={onClose}>
          Close
        </button>
      </div>
    </Dialog>
  );
}
