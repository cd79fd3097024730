// The audit events of one page: when (this browser's zone), who, what, on what (linked where the
// dashboard has a page for it), and the request that made it; each row opens to its details.
import type { AuditEvent } from '@hitless/contracts';
import { Fragment, useState, type ReactNode } from 'react';
import { Link } from 'react-router';
import { useAuth } from '../auth.tsx';
import { dateTime } from '../time.ts';
import { TARGET_TYPES } from './AuditFilters.tsx';
import { EmptyRow } from '../components/table.tsx';

/** Where the dashboard shows a target, if anywhere this user may open. */
function useTargetHref(): (type: string, id: string | null) => string | null {
  const { can } = useAuth();
  return (type, id) => {
    switch (type) {
      case 'device':
        return id ? `/devices/${id}` : null;
      case 'run':
        return id ? `/runs/${id}` : null;
      case 'campaign':
        return id ? `/campaigns/${id}` : null;
      case 'image':
        return '/images';
      case 'compatibility':
        return '/images/matrix';
      case 'user':
        return can('users:manage') ? '/admin/users' : null;
      case 'credential':
        return can('credentials:write') ? '/admin/credentials' : null;
      default:
        return null;
    }
  };
}

const shortId = (id: string) => (id.length > 12 ? `${id.slice(0, 8)}…` : id);

function Target({ event, href }: { event: AuditEvent; href: string | null }): ReactNode {
  const type = TARGET_TYPES[event.targetType] ?? event.targetType;
  const label = (
    <>
      <span className="audit-target-type">{type}</span>
      {event.targetId && (
        <span className="mono" title={event.targetId}>
          {' '}
          {shortId(event.targetId)}
        </span>
      )}
    </>
  );
  return href ? <Link to={href}>{label}</Link> : label;
}

function Details({ event }: { event: AuditEvent }) {
  return (
    <dl className="audit-details">
      <dt>Event</dt>
      <dd className="mono">#{event.id}</dd>
      <dt>Target</dt>
      <dd className="mono">
        {event.targetType} {event.targetId ?? '—'}
      </dd>
      <dt>Request id</dt>
      <dd className="mono">{event.requestId ?? '— (not made by an API request)'}</dd>
      <dt>Address</dt>
      <dd className="mono">{event.ip ?? '—'}</dd>
      <dt>Actor id</dt>
      <dd className="mono">{event.actorId ?? '— (the system)'}</dd>
      <dt>Hash</dt>
      <dd className="mono audit-hash">{event.hash}</dd>
      <dt>Details</dt>
      <dd>
        {event.details === null || event.details === undefined ? (
          <span className="muted">none</span>
        ) : (
          <pre className="audit-json">{JSON.stringify(event.details, null, 2)}</pre>
        )}
      </dd>
    </dl>
  );
}

export function AuditTable({ items, busy, empty }: { items: AuditEvent[]; busy: boolean; empty: ReactNode }) {
  const [open, setOpen] = useState<ReadonlySet<string>>(new Set());
  const hrefOf = useTargetHref();
  const toggle = (id: string) =>
    setOpen((prev) => {
      const next = new Set(prev);
      if (!next.delete(id)) next.add(id);
      return next;
    });
  return (
    <div className="table-wrap">
      <table className="grid audit-table" aria-label="Audit events" aria-busy={busy}>
        <thead>
          <tr>
            <th>Time</th>
            <th>Actor</th>
            <th>Action</th>
            <th>Target</th>
            <th>Request</th>
            <th>
              <span className="audit-sr">Details</span>
            </th>
          </tr>
        </thead>
        <tbody>
          {items.map((e) => {
            const expanded = open.has(e.id);
            return (
              <Fragment key={e.id}>
                <tr className={expanded ? 'audit-open' : undefined}>
                  <td className="audit-time">{dateTime(e.at)}</td>
                  <td className="strong">{e.actorName}</td>
                  <td className="mono">{e.action}</td>
                  <td>
                    <Target event={e} href={hrefOf(e.targetType, e.targetId)} />
                  </td>
                  <td className="mono muted" title={e.requestId ?? undefined}>
                    {e.requestId ? shortId(e.requestId) : '—'}
                  </td>
                  <td className="audit-toggle">
                    <button
                      type="button"
                      className="btn btn-small btn-quiet"
                      aria-expanded={expanded}
                      aria-controls={`audit-details-${e.id}`}
                      aria-label={`${expanded ? 'Hide' : 'Show'} details of event ${e.id}`}
                      onClick={() => toggle(e.id)}
                    >
                      {expanded ? 'Hide' : 'Details'}
                    </button>
                  </td>
                </tr>
                {expanded && (
                  <tr id={`audit-details-${e.id}`} className="audit-details-row">
                    <td colSpan={6}>
                      <Details event={e} />
                    </td>
                  </tr>
                )}
              </Fragment>
            );
          })}
          {items.length === 0 && <EmptyRow columns={6}>{empty}</EmptyRow>}
        </tbody>
      </table>
    </div>
  );
}
