// The inventory's table: one row per device, in columns that fit a 1024 px laptop (related facts
// share a cell, a second line under the first), with the actions the role may use.
import { VENDOR_LABELS, type Device } from '@hitless/contracts';
import type { ReactNode } from 'react';
import { DeviceLink } from '../components/DeviceLink.tsx';
import { ComplianceBadge, IssuState, LastRun, upgradeBlocker } from '../components/devices.tsx';
import './Inventory.css';
import { dateTime } from '../time.ts';
import { EmptyRow, RowAction } from '../components/table.tsx';

function relative(iso: string): string {
  const s = Math.round((Date.now() - new Date(iso).getTime()) / 1000);
  if (s < 60) return 'just now';
  if (s < 3600) return `${Math.floor(s / 60)} min ago`;
  if (s < 86400) return `${Math.floor(s / 3600)} h ago`;
  return new Date(iso).toLocaleDateString();
}

export interface RowActions {
  onUpgrade?: ((d: Device) => void) | undefined;
  onEdit?: ((d: Device) => void) | undefined;
  onDelete?: ((d: Device) => void) | undefined;
  onAcceptKey?: ((d: Device) => void) | undefined;
}

function HostKeyBadge({ d, onAccept }: { d: Device; onAccept: ((d: Device) => void) | undefined }) {
  if (!d.offeredHostKey) return null;
  const text = d.hostKeys.length > 0 ? 'host key not pinned' : 'host key to accept';
  // For admins the badge opens the acceptance too.
  return onAccept ? (
    <button
      type="button"
      className="status status-failed host-key-changed"
      title={`offered ${d.offeredHostKey.fingerprint}: review and accept the new key`}
      onClick={() => onAccept(d)}
    >
      {text}
    </button>
  ) : (
    <span
      className="status status-failed host-key-changed"
      title={`offered ${d.offeredHostKey.fingerprint}; connections are refused until an admin accepts it`}
    >
      {text}
    </span>
  );
}

function Actions({ d, a }: { d: Device; a: RowActions }) {
  const blocker = a.onUpgrade && !(a.onAcceptKey && d.offeredHostKey) ? upgradeBlocker(d) : null;
  return (
    <>
      {blocker && (
        <span className="inv-blocker warn-text" id={`why-${d.id}`}>
          {blocker}
        </span>
      )}
      <div className="row-actions inv-actions">
        {/* Every connection to a device whose key changed is refused: accepting comes first. */}
        {a.onAcceptKey && d.offeredHostKey ? (
          <button
            type="button"
            className="btn btn-small btn-danger"
            aria-label={`Accept new host key of ${d.hostname}`}
            onClick={() => a.onAcceptKey!(d)}
          >
            Accept new key
          </button>
        ) : (
          a.onUpgrade && (
            <button
              type="button"
              className="btn btn-small"
              aria-label={`Upgrade ${d.hostname}`}
              aria-describedby={blocker ? `why-${d.id}` : undefined}
              disabled={Boolean(blocker)}
              onClick={() => a.onUpgrade!(d)}
            >
              Upgrade
            </button>
          )
        )}
        {a.onEdit && <RowAction label="Edit" of={d.hostname} onClick={() => a.onEdit!(d)} />}
        {a.onDelete && <RowAction label="Delete" of={d.hostname} danger onClick={() => a.onDelete!(d)} />}
      </div>
    </>
  );
}

export function InventoryTable({
  devices,
  busy,
  filtered,
  recentlyChanged,
  sortHeader,
  actions,
}: {
  devices: Device[] | undefined;
  busy: boolean;
  filtered: boolean;
  recentlyChanged: ReadonlySet<string>;
  sortHeader: (field: string, label: string) => ReactNode;
  actions: RowActions;
}) {
  const hasActions = Boolean(actions.onUpgrade || actions.onEdit || actions.onDelete || actions.onAcceptKey);
  const columns = hasActions ? 8 : 7;
  return (
    <div className="table-wrap inv-wrap">
      <table className="grid inv-grid" aria-label="Devices" aria-busy={busy}>
        <thead>
          <tr>
            <th>{sortHeader('hostname', 'Device')}</th>
            <th>{sortHeader('platform', 'Platform')}</th>
            <th>{sortHeader('site', 'Site')}</th>
            <th>Release</th>
            <th>ISSU</th>
            <th>Last run</th>
            <th>Credential · {sortHeader('updatedAt', 'Updated')}</th>
            {hasActions && <th aria-label="Actions" />}
          </tr>
        </thead>
        <tbody>
          {devices?.map((d) => (
            <tr key={d.id} className={recentlyChanged.has(d.id) ? 'flash' : undefined} data-hostname={d.hostname}>
              <td className="inv-device">
                <span className="strong">
                  <DeviceLink id={d.id} hostname={d.hostname} />
                </span>
                <HostKeyBadge d={d} onAccept={actions.onAcceptKey} />
                <span className="inv-sub mono">
                  {d.mgmtAddress}
                  {d.port !== 22 && `:${d.port}`}
                </span>
              </td>
              <td>
                <span className={`vendor vendor-${d.vendor.toLowerCase()}`}>{VENDOR_LABELS[d.vendor]}</span>
                <span className="inv-sub">{d.platform}</span>
              </td>
              <td className="inv-site">
                {d.site ?? <span className="muted">—</span>}
                {d.redundancyGroup && <span className="inv-sub">group {d.redundancyGroup}</span>}
                {d.tags.length > 0 && (
                  <span className="inv-tags">
                    {d.tags.map((t) => (
                      <span key={t} className="tag">
                        {t}
                      </span>
                    ))}
                  </span>
                )}
              </td>
              <td>
                <span className="mono">{d.currentVersion ?? <span className="muted">unknown</span>}</span>
                <span className="inv-sub">
                  <ComplianceBadge compliance={d.compliance} />
                </span>
              </td>
              <td>
                <IssuState state={d.issuState} />
              </td>
              <td>
                <LastRun run={d.lastRun} />
              </td>
              <td>
                {d.credentialName ?? <span className="warn-text">none</span>}
                <span className="inv-sub" title={dateTime(d.updatedAt)}>
                  updated {relative(d.updatedAt)}
                </span>
              </td>
              {hasActions && (
                <td className="inv-actions-cell">
                  <Actions d={d} a={actions} />
                </td>
              )}
            </tr>
          ))}
          {devices && devices.length === 0 && (
            <EmptyRow columns={columns}>
              {filtered ? 'No device matches these filters.' : 'No devices yet. Add one or import a CSV file.'}
            </EmptyRow>
          )}
          {!devices && (
            <tr>
              <td colSpan={columns} className="empty muted">
                Loading devices…
              </td>
            </tr>
          )}
        </tbody>
      </table>
    </div>
  );
}
