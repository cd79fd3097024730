// One run as it happens: the step timeline filling in, the device's CLI streaming beside its
// syslog, the rollback timer counting down from the deadline the worker read off the device
// (corrected for this browser's clock), and the operator's accept / abort with what operators
// said. Rebuilt from the REST API on every (re)connect; live events patch it in between
// (RunLive.ts). The panes scroll inside themselves, so the header with the status, Accept and
// Abort stays in view whatever step is picked.
import { useState } from 'react';
import { Link, useParams } from 'react-router';
import { friendlyError } from '../api.ts';
import { useAuth } from '../auth.tsx';
import { RunSyslog } from '../components/RunSyslog.tsx';
import { useSyslog } from '../components/syslog.ts';
import { Banner } from '../components/ui.tsx';
import { ActionDialog, OperatorActions } from './RunActions.tsx';
import { RunBanners, RunHeader } from './RunHeader.tsx';
import { useNow } from '../components/hooks.ts';
import { clockSkew, useRun } from './RunLive.ts';
import { Console, Prechecks, RollbackCountdown, StepTimeline } from './RunSteps.tsx';
import './RunPage.css';

export { runKey } from './RunLive.ts';

/** The run's syslog kept in memory at most (the tail loads older lines on request). */
const SYSLOG_PAGE = 500;
const SYSLOG_CAP = 5000;

export function RunPage() {
  const { id = '' } = useParams();
  const { can } = useAuth();
  const syslog = useSyslog({ runId: id }, { limit: SYSLOG_PAGE, cap: SYSLOG_CAP, live: true });
  const { query, transcriptOf } = useRun(id, syslog);
  const run = query.data;
  const skewMs = clockSkew(run?.serverTime, query.dataUpdatedAt);
  const now = useNow(1000, Boolean(run && !run.endedAt));
  const [action, setAction] = useState<'accept' | 'abort' | null>(null);
  const [focus, setFocus] = useState<{ id: string } | null>(null);
  const [lineFocus, setLineFocus] = useState<{ id: string } | null>(null);

  if (query.error) {
    return (
      <section className="page">
        <h1>Run</h1>
        <Banner kind="error">{friendlyError(query.error, 'could not load the run')}</Banner>
        <Link to="/runs">All runs</Link>
      </section>
    );
  }
  if (!run) {
    return (
      <section className="page" aria-busy="true">
        <h1>Run</h1>
        <p className="muted">Loading the run…</p>
      </section>
    );
  }

  return (
    <section className="page run-page">
      <RunHeader run={run} now={now} operate={can('runs:operate')} onAction={setAction} />
      <RunBanners run={run} />

      <div className="run-grid">
        <aside className="run-side" aria-label="Run steps">
          <RollbackCountdown run={run} skewMs={skewMs} />
          <OperatorActions actions={run.operatorActions} />
          <h2 className="side-title">Steps</h2>
          <StepTimeline
            run={run}
            now={now}
            onPick={(s) => setFocus({ id: s.id })}
            syslog={syslog.items}
            onPickLine={(m) => setLineFocus({ id: m.id })}
          />
          {run.prechecks && <Prechecks checks={run.prechecks} />}
        </aside>
        <div className="run-main">
          <Console run={run} transcriptOf={transcriptOf} focus={focus} />
          <RunSyslog run={run} syslog={syslog} focus={lineFocus} />
        </div>
      </div>

      {action && <ActionDialog kind={action} run={run} onClose={() => setAction(null)} />}
    </section>
  );
}
