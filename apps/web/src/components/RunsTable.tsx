// A table of runs: the runs page's (every device) and the device page's (one device, no Device
// column). Each row links to its run; an ended run shows its summary where a moving one shows
// its step.
import type { Run } from '@hitless/contracts';
import type { ReactNode } from 'react';
import { Link } from 'react-router';
import { dateTime } from '../time.ts';
import { formatDuration } from '../transcript.ts';
import { DeviceLink } from './DeviceLink.tsx';
import { RunStatusBadge } from './runs.tsx';
import { EmptyRow } from './table.tsx';

export function RunsTable({
  label,
  runs,
  busy,
  withDevice,
  empty,
}: {
  label: string;
  /** Undefined while loading. */
  runs: readonly Run[] | undefined;
  busy: boolean;
  withDevice: boolean;
  empty: ReactNode;
}) {
  const columns = withDevice ? 9 : 8;
  return (
    <div className="table-wrap">
      <table className="grid" aria-label={label} aria-busy={busy}>
        <thead>
          <tr>
            {withDevice && <th>Device</th>}
            <th>Run</th>
            <th>From</th>
            <th>To</th>
            <th>Status</th>
            <th>Step</th>
            <th>Started</th>
            <th>Duration</th>
            <th>By</th>
          </tr>
        </thead>
        <tbody>
          {runs?.map((r) => (
            <tr key={r.id}>
              {withDevice && (
                <td className="strong">
                  <DeviceLink id={r.deviceId} hostname={r.deviceHostname} />
                </td>
              )}
              <td>
                <Link to={`/runs/${r.id}`} aria-label={`Open run of ${r.deviceHostname} to ${r.toVersion}`}>
                  Open
                </Link>
              </td>
              <td className="mono">{r.fromVersion ?? '—'}</td>
              <td className="mono">{r.toVersion}</td>
              <td>
                <RunStatusBadge status={r.status} />
              </td>
              <td className="cell-summary" title={r.summary ?? undefined}>
                {r.endedAt ? (
                  <span className="muted">{r.summary ?? ''}</span>
                ) : (
                  (r.currentStep ?? <span className="muted">—</span>)
                )}
              </td>
              <td className="muted">{dateTime(r.startedAt ?? r.createdAt)}</td>
              <td className="muted">
                {r.startedAt
                  ? formatDuration(
                      (r.endedAt ? Date.parse(r.endedAt) : Date.parse(r.serverTime)) - Date.parse(r.startedAt),
                    )
                  : '—'}
              </td>
              <td>{r.createdBy}</td>
            </tr>
          ))}
          {!runs && <EmptyRow columns={columns}>Loading runs…</EmptyRow>}
          {runs?.length === 0 && <EmptyRow columns={columns}>{empty}</EmptyRow>}
        </tbody>
      </table>
    </div>
  );
}
