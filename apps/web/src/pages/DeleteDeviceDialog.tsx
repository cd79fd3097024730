// Deleting a device, confirmed in the app's own dialog (never the browser's confirm box). The
// API refuses a device with upgrade history or in a campaign, and says so here.
import type { Device } from '@hitless/contracts';
import { useMutation } from '@tanstack/react-query';
import { api, friendlyError } from '../api.ts';
import { Banner, Dialog } from '../components/ui.tsx';

export function DeleteDeviceDialog({
  device,
  onClose,
  onDeleted,
}: {
  device: Pick<Device, 'id' | 'hostname'>;
  onClose(): void;
  onDeleted(): void;
}) {
  const remove = useMutation({
    mutationFn: () => api.delete(`/api/v1/devices/${device.id}`),
    onSuccess: onDeleted,
  });
  return (
    <Dialog title={`Delete ${device.hostname}?`} onClose={onClose}>
      <div className="form-grid">
        <p>
          {device.hostname} leaves the inventory. Its discoveries and host keys go with it; the audit log keeps what was
          done. A device with upgrade history, or in a campaign, cannot be deleted.
        </p>
        {remove.error && <Banner kind="error">{friendlyError(remove.error, 'the device could not be deleted')}</Banner>}
        <div className="actions">
          <button type="button" className="btn btn-quiet" onClick={onClose}>
            Cancel
          </button>
          <button type="button" className="btn btn-danger" disabled={remove.isPending} onClick={() => remove.mutate()}>
            {remove.isPending ? 'Deleting…' : 'Delete device'}
          </button>
        </div>
      </div>
    </Dialog>
  );
}
