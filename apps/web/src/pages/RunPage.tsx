// Longer than 300 lines: the run page's parts (timeline, console, countdown, dialogs) share one live
// query; they split into components when the device page (issue 12) reuses them.
// One run as it happens: the step timeline filling in, the device's CLI streaming beside its
// syslog, the rollback timer counting down from the deadline the worker read off the device
// (corrected for this browser's clock), and the operator's accept / abort. Rebuilt from the REST
// API on every (re)connect; live events patch it in between.
import type {
  RunDetail,
  RunStep,
  StepOutputEvent,
  StepUpdatedEvent,
  RunUpdatedEvent,
  SyslogMessage,
  SyslogMessageEvent,
} from '@hitless/contracts';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useCallback, useEffect, useLayoutEffect, useRef, useState } from 'react';
import { acceptEffect, STARTED_RUN_STATUSES } from '@hitless/core';
import { Link, useParams } from 'react-router';
import { api, friendlyError } from '../api.ts';
import { useAuth } from '../auth.tsx';
import { Banner, Dialog, Field } from '../components/ui.tsx';
import { RunStatusBadge, PROCEDURE_LABEL } from '../components/runs.tsx';
import { RunSyslog, StepSyslogMarks } from '../components/RunSyslog.tsx';
import { messagesByStep, useSyslog } from '../components/syslog.ts';
import { useRoom } from '../live.tsx';
import { applyOutput, formatCountdown, formatDuration, longer } from '../transcript.ts';

/** A missed transcript chunk is fetched after the worker has saved it (it saves every second). */
const GAP_REFETCH_MS = 1500;

export const runKey = (id: string) => ['runs', 'detail', id];

/** The run's syslog kept in memory at most (the tail loads older lines on request). */
const SYSLOG_PAGE = 500;
const SYSLOG_CAP = 5000;

/** The run's room also carries the device's syslog lines matched to the run. */
function useRun(id: string, syslog: { onEvent: (event: SyslogMessageEvent) => unknown; refetch: () => void }) {
  const queryClient = useQueryClient();
  const key = runKey(id);
  const query = useQuery({
    queryKey: key,
    queryFn: () => api.get<RunDetail>(`/api/v1/runs/${id}`),
    staleTime: Infinity,
  });
  /** Transcript text that arrived live, ahead of what the last fetch returned. */
  const [live, setLive] = useState<Record<string, string>>({});
  const gapTimer = useRef<ReturnType<typeof setTimeout> | undefined>(undefined);
  const refetch = useCallback(() => void queryClient.invalidateQueries({ queryKey: runKey(id) }), [queryClient, id]);
  const refetchSoon = useCallback(() => {
    if (gapTimer.current) return;
    gapTimer.current = setTimeout(() => {
      gapTimer.current = undefined;
      refetch();
    }, GAP_REFETCH_MS);
  }, [refetch]);
  useEffect(() => () => clearTimeout(gapTimer.current), []);

  const fetched = (stepId: string) =>
    queryClient.getQueryData<RunDetail>(key)?.steps.find((s) => s.id === stepId)?.transcript;

  useRoom(
    `run:${id}`,
    {
      'run.updated': ({ run }: RunUpdatedEvent) => {
        if (run.id !== id) return;
        queryClient.setQueryData<RunDetail>(key, (old) => (old ? { ...old, ...run } : old));
        // Pre-check verdicts are part of the detail only.
        if (!query.data?.prechecks) refetch();
      },
      'step.updated': ({ runId, step }: StepUpdatedEvent) => {
        if (runId !== id) return;
        const { transcriptLength, ...rest } = step;
        let known = false;
        queryClient.setQueryData<RunDetail>(key, (old) => {
          if (!old) return old;
          known = true;
          const existing = old.steps.find((s) => s.id === step.id);
          const merged: RunStep = { ...rest, transcript: existing?.transcript ?? '' };
          const steps = existing
            ? old.steps.map((s) => (s.id === step.id ? merged : s))
            : [...old.steps, merged].sort((a, b) => a.seq - b.seq);
          return { ...old, steps };
        });
        const have = longer(live[step.id], fetched(step.id)).length;
        if (!known || (step.endedAt && have < transcriptLength)) refetchSoon();
      },
      'step.output': ({ runId, stepId, offset, text }: StepOutputEvent) => {
        if (runId !== id) return;
        setLive((prev) => {
          const next = applyOutput(longer(prev[stepId], fetched(stepId)), offset, text);
          if (next === null) {
            refetchSoon();
            return prev;
          }
          return { ...prev, [stepId]: next };
        });
      },
      'syslog.message': (event: SyslogMessageEvent) => syslog.onEvent(event),
    },
    () => {
      refetch();
      syslog.refetch();
    },
  );

  const transcriptOf = (step: RunStep) => longer(live[step.id], step.transcript);
  return { query, transcriptOf, refetch };
}

/** This browser's clock minus the server's, from the serverTime of the last response. */
function useClockSkew(serverTime: string | undefined, receivedAt: number): number {
  return serverTime ? receivedAt - Date.parse(serverTime) : 0;
}

function useNow(intervalMs: number, enabled: boolean): number {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    if (!enabled) return;
    const t = setInterval(() => setNow(Date.now()), intervalMs);
    return () => clearInterval(t);
  }, [intervalMs, enabled]);
  return now;
}

function RollbackCountdown({ run, skewMs }: { run: RunDetail; skewMs: number }) {
  const active = (STARTED_RUN_STATUSES as readonly string[]).includes(run.status);
  const now = useNow(250, active && Boolean(run.rollbackDeadline));
  if (!run.rollbackDeadline || !active) return null;
  const left = Date.parse(run.rollbackDeadline) - (now - skewMs);
  const urgent = left < 5 * 60_000;
  return (
    <div className={`countdown${urgent ? ' countdown-urgent' : ''}`}>
      <div className="countdown-label">Device rolls back in</div>
      <div className="countdown-value mono" role="timer" aria-label="Rollback timer" aria-live="off">
        {formatCountdown(left)}
      </div>
      <div className="muted countdown-note">
        {left > 0
          ? run.acceptRequestedAt
            ? 'accepted: the worker is stopping the timer'
            : `unless accepted by ${new Date(Date.parse(run.rollbackDeadline) + skewMs).toLocaleTimeString()}`
          : 'the timer has run out: the device restores the original software'}
      </div>
    </div>
  );
}

const STEP_MARK = { RUNNING: '◌', SUCCEEDED: '✓', FAILED: '✕', SKIPPED: '–' } as const;

function StepTimeline({
  run,
  now,
  onPick,
  syslog,
  onPickLine,
}: {
  run: RunDetail;
  now: number;
  onPick: (step: RunStep) => void;
  syslog: readonly SyslogMessage[];
  onPickLine: (m: SyslogMessage) => void;
}) {
  const byStep = messagesByStep(run.steps, syslog, now);
  return (
    <ol className="timeline" aria-label="Steps">
      {run.steps.map((s) => {
        const took = (s.endedAt ? Date.parse(s.endedAt) : now) - Date.parse(s.startedAt);
        return (
          <li key={s.id} className={`step step-${s.status.toLowerCase()}`} data-step={s.name} data-status={s.status}>
            <button type="button" className="step-button" onClick={() => onPick(s)}>
              <span className="step-mark" aria-hidden>
                {STEP_MARK[s.status]}
              </span>
              <span className="step-name">{s.name}</span>
              <span className="step-time muted">{formatDuration(took)}</span>
            </button>
            {s.outcome && <div className="step-outcome">{s.outcome}</div>}
            <StepSyslogMarks step={s} messages={byStep.get(s.id)} now={now} onPick={onPickLine} />
          </li>
        );
      })}
      {run.steps.length === 0 && <li className="muted">Waiting for a worker to take the run…</li>}
    </ol>
  );
}

/** The whole CLI session, step after step; follows the end unless the reader scrolled up. */
function Console({
  run,
  transcriptOf,
  focus,
}: {
  run: RunDetail;
  transcriptOf: (s: RunStep) => string;
  focus: { id: string } | null;
}) {
  const ref = useRef<HTMLDivElement>(null);
  const follow = useRef(true);
  const text = run.steps.map(transcriptOf).join('');
  useLayoutEffect(() => {
    const el = ref.current;
    if (el && follow.current) el.scrollTop = el.scrollHeight;
  }, [text]);
  useEffect(() => {
    if (!focus) return;
    follow.current = false;
    ref.current?.querySelector(`[data-step-id="${focus.id}"]`)?.scrollIntoView({ block: 'start' });
  }, [focus]);
  return (
    <div
      ref={ref}
      className="console"
      role="log"
      aria-label="Device transcript"
      onScroll={(e) => {
        const el = e.currentTarget;
        follow.current = el.scrollHeight - el.scrollTop - el.clientHeight < 24;
      }}
    >
      {run.steps.map((s) => (
        <section key={s.id} data-step-id={s.id}>
          <div className="console-step">── {s.name} ──</div>
          <pre>{transcriptOf(s)}</pre>
        </section>
      ))}
    </div>
  );
}

function ActionDialog({ kind, run, onClose }: { kind: 'accept' | 'abort'; run: RunDetail; onClose: () => void }) {
  const queryClient = useQueryClient();
  const [comment, setComment] = useState('');
  const act = useMutation({
    mutationFn: () =>
      api.post<RunDetail>(`/api/v1/runs/${run.id}/${kind}`, comment.trim() ? { comment: comment.trim() } : {}),
    onSuccess: (updated) => {
      queryClient.setQueryData(runKey(run.id), updated);
      onClose();
    },
  });
  const accept = kind === 'accept';
  return (
    <Dialog
      title={accept ? `Accept ${run.toVersion} on ${run.deviceHostname}` : `Abort the upgrade of ${run.deviceHostname}`}
      onClose={onClose}
    >
      <form
        className="form-grid"
        onSubmit={(e) => {
          e.preventDefault();
          act.mutate();
        }}
      >
        <p>
          {accept
            ? acceptEffect(run.procedure, run.options, run.toVersion)
            : run.abortPlan.possible
              ? run.abortPlan.effect
              : `An abort is no longer possible: ${run.abortPlan.reason}.`}
        </p>
        <Field label="Comment (audited)">
          <textarea rows={2} maxLength={500} value={comment} onChange={(e) => setComment(e.target.value)} />
        </Field>
        {act.error && <Banner kind="error">{friendlyError(act.error, 'the request failed')}</Banner>}
        <div className="actions">
          <button type="button" className="btn" onClick={onClose}>
            Cancel
          </button>
          <button type="submit" className={`btn ${accept ? 'btn-primary' : 'btn-danger'}`} disabled={act.isPending}>
            {accept ? 'Accept new software' : 'Abort upgrade'}
          </button>
        </div>
      </form>
    </Dialog>
  );
}

export function RunPage() {
  const { id = '' } = useParams();
  const { can } = useAuth();
  const syslog = useSyslog({ runId: id }, { limit: SYSLOG_PAGE, cap: SYSLOG_CAP, live: true });
  const { query, transcriptOf } = useRun(id, syslog);
  const run = query.data;
  const skewMs = useClockSkew(run?.serverTime, query.dataUpdatedAt);
  const running = Boolean(run && !run.endedAt);
  const now = useNow(1000, running);
  const [action, setAction] = useState<'accept' | 'abort' | null>(null);
  const [focus, setFocus] = useState<{ id: string } | null>(null);
  const [lineFocus, setLineFocus] = useState<{ id: string } | null>(null);

  if (query.error) {
    return (
      <section className="page">
        <Banner kind="error">{friendlyError(query.error, 'could not load the run')}</Banner>
        <Link to="/runs">All runs</Link>
      </section>
    );
  }
  if (!run) return <section className="page muted">Loading…</section>;
  const operate = can('runs:operate');
  const started = run.startedAt ?? run.createdAt;

  return (
    <section className="page run-page">
      <div className="page-head">
        <div>
          <div className="crumbs">
            <Link to="/runs">Runs</Link> /
          </div>
          <h1>
            {run.deviceHostname} <span className="muted">→</span> <span className="mono">{run.toVersion}</span>
          </h1>
          <p className="muted">
            {PROCEDURE_LABEL[run.procedure]} from <span className="mono">{run.fromVersion ?? 'unknown'}</span> ·{' '}
            {run.acceptMode === 'MANUAL' ? 'operator accepts' : 'accepted automatically'} · started by {run.createdBy}{' '}
            {new Date(started).toLocaleString()} ·{' '}
            {formatDuration((run.endedAt ? Date.parse(run.endedAt) : now) - Date.parse(started))}
          </p>
        </div>
        <div className="page-actions">
          <RunStatusBadge status={run.status} />
          {operate && run.canAccept && (
            <button type="button" className="btn btn-primary" onClick={() => setAction('accept')}>
              Accept
            </button>
          )}
          {operate && run.canAbort && (
            <button type="button" className="btn btn-danger" onClick={() => setAction('abort')}>
              Abort
            </button>
          )}
        </div>
      </div>

      {run.summary && (
        <Banner kind={run.status === 'COMPLETED' ? 'success' : run.endedAt ? 'error' : 'info'}>{run.summary}</Banner>
      )}
      {run.status === 'WAITING_ACCEPT' && !run.acceptRequestedAt && (
        <Banner kind="info">
          Post-checks passed. The new software runs on the{' '}
          {run.procedure === 'JUNOS_ISSU' ? 'new master routing engine' : 'active route processor'} and waits for an
          operator to accept it.
        </Banner>
      )}
      {run.abortRequestedAt && !run.endedAt && (
        <Banner kind="info">
          Abort requested {new Date(run.abortRequestedAt).toLocaleTimeString()}: the worker is carrying it out.
        </Banner>
      )}

      <div className="run-grid">
        <aside className="run-side">
          <RollbackCountdown run={run} skewMs={skewMs} />
          <h2 className="side-title">Steps</h2>
          <StepTimeline
            run={run}
            now={now}
            onPick={(s) => setFocus({ id: s.id })}
            syslog={syslog.items}
            onPickLine={(m) => setLineFocus({ id: m.id })}
          />
          {run.prechecks && (
            <>
              <h2 className="side-title">Pre-checks</h2>
              <ul className="checks" aria-label="Pre-checks">
                {run.prechecks.map((c) => (
                  <li key={c.rule} className={`check-${c.verdict}`} title={c.detail}>
                    <span className="verdict">{c.verdict}</span> {c.title}
                    <div className="muted check-detail">{c.detail}</div>
                  </li>
                ))}
              </ul>
            </>
          )}
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
