// One device: who it is, its release against its family's golden one, the facts of its last
// discovery (Discover asks a worker to read them again), its runs, campaigns, syslog and audit.
import {
  Rooms,
  VENDOR_LABELS,
  type Credential,
  type Device,
  type DeviceFacets,
  type Discovery,
} from '@hitless/contracts';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { Link, useNavigate, useParams } from 'react-router';
import { api, ApiError, friendlyError } from '../api.ts';
import { useAuth } from '../auth.tsx';
import { LastRun, upgradeBlocker } from '../components/devices.tsx';
import { useSyslog } from '../components/syslog.ts';
import { SyslogTail } from '../components/SyslogTail.tsx';
import { Banner } from '../components/ui.tsx';
import { useRoom } from '../live.tsx';
import { dateTime } from '../time.ts';
import { DeleteDeviceDialog } from './DeleteDeviceDialog.tsx';
import { DeviceDialog } from './DeviceDialog.tsx';
import { ComplianceSummary, DeviceFactsPanel } from './DeviceFacts.tsx';
import { DeviceAudit, DeviceCampaigns, DeviceRuns } from './DeviceHistory.tsx';
import { UpgradeDialog } from './UpgradeDialog.tsx';
import './DevicePage.css';

const SYSLOG_PAGE = 100;
const SYSLOG_CAP = 500;

function DeviceSyslog({ device }: { device: Device }) {
  const syslog = useSyslog({ deviceId: device.id }, { limit: SYSLOG_PAGE, cap: SYSLOG_CAP, live: true });
  useRoom(Rooms.device(device.id), { 'syslog.message': (e) => void syslog.onEvent(e) }, syslog.refetch);
  const { query, items } = syslog;
  return (
    <section className="device-section" aria-labelledby="device-syslog">
      <div className="section-head">
        <h2 id="device-syslog">Syslog</h2>
        <Link to={`/syslog?deviceId=${device.id}`} className="small-text">
          All syslog of {device.hostname}
        </Link>
      </div>
      {query.error && <Banner kind="error">{friendlyError(query.error, 'could not load the syslog')}</Banner>}
      <SyslogTail
        messages={[...items].reverse()}
        label={`Syslog of ${device.hostname}`}
        focus={null}
        empty={
          query.isPending ? 'Loading…' : `No syslog from ${device.hostname} yet; lines appear here as it sends them.`
        }
      />
    </section>
  );
}

/** Discover asks a worker to read the device again; its answer is said under the page's head. */
function useDiscover(device: Device | undefined) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: () => api.post<Discovery>(`/api/v1/devices/${device!.id}/discover`),
    onSettled: () => {
      void queryClient.invalidateQueries({ queryKey: ['devices'] });
      void queryClient.invalidateQueries({ queryKey: ['audit', 'device', device?.id] });
    },
  });
}

function DiscoverResult({ discover }: { discover: ReturnType<typeof useDiscover> }) {
  if (discover.error)
    return <Banner kind="error">{friendlyError(discover.error, 'the discovery could not be requested')}</Banner>;
  if (!discover.data) return null;
  return discover.data.status === 'SUCCEEDED' ? (
    <Banner kind="success">Discovered: the facts below are fresh.</Banner>
  ) : (
    <Banner kind="info">The discovery is still under way; the facts update when the worker is done.</Banner>
  );
}

export function DevicePage() {
  const { id = '' } = useParams();
  const { can } = useAuth();
  const navigate = useNavigate();
  const queryClient = useQueryClient();
  const [dialog, setDialog] = useState<'edit' | 'delete' | 'upgrade' | null>(null);
  const query = useQuery({
    queryKey: ['devices', 'detail', id],
    queryFn: () => api.get<Device>(`/api/v1/devices/${id}`),
    retry: (count, err) => !(err instanceof ApiError && err.status < 500) && count < 2,
  });
  const device = query.data;
  const writable = can('inventory:write');
  const discover = useDiscover(device);
  // For the edit form only: the credentials to pick from and the sites already in use.
  const credentials = useQuery({
    queryKey: ['credentials'],
    queryFn: async () => (await api.get<{ items: Credential[] }>('/api/v1/credentials')).items,
    enabled: writable && dialog === 'edit',
  });
  const facets = useQuery({
    queryKey: ['devices', 'facets'],
    queryFn: () => api.get<DeviceFacets>('/api/v1/devices/facets'),
    enabled: writable && dialog === 'edit',
  });

  if (query.error) {
    const missing = query.error instanceof ApiError && (query.error.status === 404 || query.error.status === 400);
    return (
      <section className="page">
        <div className="crumbs">
          <Link to="/inventory">Inventory</Link> /
        </div>
        <h1>{missing ? 'Device not found' : 'Device'}</h1>
        <Banner kind="error">
          {missing
            ? 'No device has this address: it may have been deleted, or the link is wrong.'
            : friendlyError(query.error, 'could not load the device')}
        </Banner>
        <p>
          <Link to="/inventory">Back to the inventory</Link>
        </p>
      </section>
    );
  }
  if (!device) {
    return (
      <section className="page" aria-busy="true">
        <h1>Device</h1>
        <p className="muted">Loading…</p>
      </section>
    );
  }

  const operate = can('runs:operate');
  const blocker = upgradeBlocker(device);
  // A missing credential is said once, beside Discover, when both buttons are shown.
  const sharedWhy = writable && !device.credentialName;
  return (
    <section className="page device-page">
      <div className="page-head device-head">
        <div>
          <div className="crumbs">
            <Link to="/inventory">Inventory</Link> /
          </div>
          <h1>{device.hostname}</h1>
          <p className="muted">
            {VENDOR_LABELS[device.vendor]} · {device.platform} ({device.platformFamily}) ·{' '}
            <span className="mono">
              {device.mgmtAddress}
              {device.port !== 22 && `:${device.port}`}
            </span>
            {device.site && ` · ${device.site}`}
            {device.redundancyGroup && ` · group ${device.redundancyGroup}`} · credential{' '}
            {device.credentialName ?? <span className="warn-text">none</span>}
          </p>
        </div>
        <div className="page-actions device-actions">
          {writable && (
            <>
              {!device.credentialName && (
                <span id="discover-why" className="warn-text small-text">
                  no credential: assign one to discover or upgrade
                </span>
              )}
              <button
                type="button"
                className="btn btn-primary"
                disabled={discover.isPending || !device.credentialName}
                aria-describedby={device.credentialName ? undefined : 'discover-why'}
                onClick={() => discover.mutate()}
              >
                {discover.isPending ? 'Discovering…' : 'Discover'}
              </button>
            </>
          )}
          {operate && (
            <>
              {blocker && !sharedWhy && (
                <span id="upgrade-why" className="warn-text small-text">
                  {blocker}
                </span>
              )}
              <button
                type="button"
                className="btn"
                disabled={Boolean(blocker)}
                aria-describedby={blocker ? (sharedWhy ? 'discover-why' : 'upgrade-why') : undefined}
                onClick={() => setDialog('upgrade')}
              >
                Upgrade
              </button>
            </>
          )}
          {writable && (
            <>
              <button type="button" className="btn" onClick={() => setDialog('edit')}>
                Edit
              </button>
              <button type="button" className="btn btn-danger" onClick={() => setDialog('delete')}>
                Delete
              </button>
            </>
          )}
        </div>
      </div>

      <div aria-live="polite">
        <DiscoverResult discover={discover} />
      </div>
      <div className="device-top">
        <ComplianceSummary device={device} />
        <section className="panel device-panel" aria-labelledby="device-last-run">
          <h2 id="device-last-run" className="side-title">
            Last run and record
          </h2>
          <LastRun run={device.lastRun} />
          <p className="muted small-text">
            Facts read {device.factsUpdatedAt ? dateTime(device.factsUpdatedAt) : 'never'}; changed{' '}
            {dateTime(device.updatedAt)}
          </p>
          {device.notes && (
            <p className="device-notes">
              <span className="muted">Notes: </span>
              {device.notes}
            </p>
          )}
        </section>
      </div>
      <DeviceFactsPanel device={device} />
      <DeviceRuns deviceId={device.id} hostname={device.hostname} />
      <DeviceCampaigns deviceId={device.id} hostname={device.hostname} />
      <DeviceSyslog device={device} />
      <DeviceAudit deviceId={device.id} hostname={device.hostname} />

      {dialog === 'edit' && credentials.data && (
        <DeviceDialog
          device={device}
          facets={facets.data}
          credentials={credentials.data}
          onClose={() => setDialog(null)}
          onSaved={() => {
            setDialog(null);
            void queryClient.invalidateQueries({ queryKey: ['devices'] });
          }}
        />
      )}
      {dialog === 'delete' && (
        <DeleteDeviceDialog
          device={device}
          onClose={() => setDialog(null)}
          onDeleted={() => {
            void navigate('/inventory');
            void queryClient.invalidateQueries({ queryKey: ['devices', 'list'] });
          }}
        />
      )}
      {dialog === 'upgrade' && (
        <UpgradeDialog
          device={device}
          onClose={() => setDialog(null)}
          onStarted={(run) => navigate(`/runs/${run.id}`)}
        />
      )}
    </section>
  );
}
