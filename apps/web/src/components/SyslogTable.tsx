// The explorer's results: one row per message, newest first, severity coloured, an unknown
// source and an unparsed line marked; rows that arrived live flash once.
import type { SyslogMessage } from '@hitless/contracts';
import type { ReactNode } from 'react';
import { Link } from 'react-router';
import { clockMark, lineTimeTitle, Severity } from './SyslogTail.tsx';
import { clockTime } from './syslog.ts';

/** The date before a time, when it is not today (`12/1/2026 `). */
function dayOf(iso: string): string {
  const d = new Date(iso);
  return d.toDateString() === new Date().toDateString() ? '' : `${d.toLocaleDateString()} `;
}

export function SyslogTable({
  items,
  arrived,
  busy,
  children,
}: {
  items: readonly SyslogMessage[];
  arrived: ReadonlySet<string>;
  busy: boolean;
  /** Rows after the messages: empty states. */
  children?: ReactNode;
}) {
  return (
    <div className="table-wrap">
      <table className="grid syslog-grid" aria-label="Syslog messages" aria-busy={busy}>
        <thead>
          <tr>
            <th>Received</th>
            <th>Device time</th>
            <th>Device</th>
            <th>Severity</th>
            <th>Event</th>
            <th>Message</th>
          </tr>
        </thead>
        <tbody>
          {items.map((m) => (
            <tr
              key={m.id}
              data-id={m.id}
              className={`sev-line-${m.severity ?? 'none'}${arrived.has(m.id) ? ' flash' : ''}`}
            >
              <td className="muted mono" title={new Date(m.receivedAt).toISOString()}>
                {dayOf(m.receivedAt)}
                {clockTime(m.receivedAt)}
              </td>
              <td className="muted mono" title={lineTimeTitle(m)}>
                {m.timestamp ? `${clockMark(m)}${clockTime(m.timestamp)}` : '—'}
              </td>
              <td>
                {m.device ? (
                  <span className="strong">{m.device}</span>
                ) : (
                  <span className="muted" title="No device in the inventory has this address">
                    {m.sourceAddress}
                    {m.hostname && ` (${m.hostname})`} <span className="flag flag-warn">unknown</span>
                  </span>
                )}
                {m.runId && (
                  <Link className="syslog-run-link small-text" to={`/runs/${m.runId}`} title="The run in flight">
                    run
                  </Link>
                )}
              </td>
              <td>
                <Severity value={m.severity} />
              </td>
              <td className="mono syslog-event-cell">
                {m.parseError ? (
                  <span className="syslog-flag" title={`Not parsed: ${m.parseError}`}>
                    unparsed
                  </span>
                ) : (
                  (m.event ?? <span className="muted">—</span>)
                )}
              </td>
              <td className={`cell-msg${m.parseError ? ' mono' : ''}`}>{m.parseError ? m.raw : m.message}</td>
            </tr>
          ))}
          {children}
        </tbody>
      </table>
    </div>
  );
}
