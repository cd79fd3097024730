// The top of the run page: which device goes to which release, by which procedure, when it
// started and ended and how long it took, its status with Accept / Abort for operators; under it
// the outcome (with the release the device runs now), what the run waits for, and a lost
// connection said on the page itself (the header's dot is easy to miss on a wall screen).
import type { RunDetail, RunStatus } from '@hitless/contracts';
import { Link } from 'react-router';
import { PROCEDURE_LABEL, RunStatusBadge } from '../components/runs.tsx';
import { Banner } from '../components/ui.tsx';
import { useLive } from '../live.tsx';
import { dateTime, duration, timeOfDay } from '../time.ts';

export function RunHeader({
  run,
  now,
  operate,
  onAction,
}: {
  run: RunDetail;
  /** The clock the page ticks with while the run goes on (its duration so far). */
  now: number;
  operate: boolean;
  onAction: (kind: 'accept' | 'abort') => void;
}) {
  const started = run.startedAt ?? run.createdAt;
  return (
    <div className="page-head run-head">
      <div>
        <div className="crumbs">
          <Link to="/runs">Runs</Link> /
        </div>
        <h1>
          <Link to={`/devices/${run.deviceId}`} className="run-device-link">
            {run.deviceHostname}
          </Link>{' '}
          <span className="muted">→</span> <span className="mono">{run.toVersion}</span>
        </h1>
        <p className="muted">
          {PROCEDURE_LABEL[run.procedure]} from <span className="mono">{run.fromVersion ?? 'an unknown release'}</span>{' '}
          · {run.acceptMode === 'MANUAL' ? 'operator accepts' : 'accepted automatically'} · started by {run.createdBy}
        </p>
        <dl className="run-times">
          <div>
            <dt>Started</dt>
            <dd>{run.startedAt ? dateTime(run.startedAt) : `queued ${dateTime(run.createdAt)}`}</dd>
          </div>
          <div>
            <dt>Ended</dt>
            <dd data-testid="run-ended">{run.endedAt ? dateTime(run.endedAt) : 'not yet'}</dd>
          </div>
          <div>
            <dt>{run.endedAt ? 'Took' : 'Running for'}</dt>
            <dd data-testid="run-duration">
              {duration(started, run.endedAt ?? new Date(Math.max(now, Date.parse(started))).toISOString())}
            </dd>
          </div>
        </dl>
      </div>
      <div className="page-actions">
        <RunStatusBadge status={run.status} />
        {operate && run.canAccept && (
          <button type="button" className="btn btn-primary" onClick={() => onAction('accept')}>
            Accept
          </button>
        )}
        {operate && run.canAbort && (
          <button type="button" className="btn btn-danger" onClick={() => onAction('abort')}>
            Abort
          </button>
        )}
      </div>
    </div>
  );
}

const NOW_ON: Partial<Record<RunStatus, (release: string) => string>> = {
  COMPLETED: (r) => `The device now runs ${r}.`,
  ROLLED_BACK: (r) => `The device runs ${r} again, the release it had before this run.`,
  ABORTED: (r) => `The device stays on ${r}.`,
  REFUSED: (r) => `Nothing was changed: the device stays on ${r}.`,
};

/** The outcome, what the run waits for, and whether this page is still live. */
export function RunBanners({ run }: { run: RunDetail }) {
  const { status, socket } = useLive();
  // Connected once (the socket is kept) and not now: socket.io is trying again.
  const reconnecting = socket !== null && status !== 'live';
  // Said once: a summary that already names the release (the worker's, since it names it) stands alone.
  const nowOn =
    run.releaseAfter && !run.summary?.includes(run.releaseAfter) ? NOW_ON[run.status]?.(run.releaseAfter) : null;
  return (
    <>
      {reconnecting && (
        <div className="run-reconnecting" role="status">
          <strong>Reconnecting…</strong> Live updates stopped; the run is reloaded as soon as the connection is back
          {run.endedAt ? '.' : ', and what is shown may be behind the device until then.'}
        </div>
      )}
      {run.summary && (
        <Banner kind={run.status === 'COMPLETED' ? 'success' : run.endedAt ? 'error' : 'info'}>
          <div className="run-summary">{run.summary}</div>
          {nowOn && <div className="run-now-on">{nowOn}</div>}
        </Banner>
      )}
      {run.status === 'WAITING_ACCEPT' && !run.acceptRequestedAt && (
        <Banner kind="info">
          Post-checks passed. The new software runs on the{' '}
          {run.procedure === 'JUNOS_ISSU' ? 'new master routing engine' : 'active route processor'} and waits for an
          operator to accept it.
        </Banner>
      )}
      {run.abortRequestedAt && !run.endedAt && (
        <Banner kind="info">Abort requested {timeOfDay(run.abortRequestedAt)}: the worker is carrying it out.</Banner>
      )}
    </>
  );
}
