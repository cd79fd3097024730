// The run page's panes: the rollback countdown, the step timeline, the pre-check verdicts with
// their evidence, and the device's CLI session (which scrolls to a step picked on the timeline).
import type { CheckResultDto, RunDetail, RunStep, SyslogMessage } from '@hitless/contracts';
import { STARTED_RUN_STATUSES } from '@hitless/core';
import { useEffect, useLayoutEffect, useRef } from 'react';
import { StepSyslogMarks } from '../components/RunSyslog.tsx';
import { scrollInside } from '../components/scroll.ts';
import { messagesByStep } from '../components/syslog.ts';
import { timeOfDay } from '../time.ts';
import { formatCountdown, formatDuration } from '../transcript.ts';
import { useNow } from '../components/hooks.ts';

export function RollbackCountdown({ run, skewMs }: { run: RunDetail; skewMs: number }) {
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
            : `unless accepted by ${timeOfDay(new Date(Date.parse(run.rollbackDeadline) + skewMs).toISOString())}`
          : 'the timer has run out: the device restores the original software'}
      </div>
    </div>
  );
}

const STEP_MARK = { RUNNING: '◌', SUCCEEDED: '✓', FAILED: '✕', SKIPPED: '–' } as const;

export function StepTimeline({
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

const text = (v: unknown) => (typeof v === 'string' || typeof v === 'number' ? String(v) : null);

/** A check's two sides, when it compared something (a checksum: the registered and the device's). */
function Compared({ check }: { check: CheckResultDto }) {
  const expected = text(check.evidence?.['expected']);
  const actual = text(check.evidence?.['actual']);
  if (expected === null && actual === null) return null;
  const checksum = check.rule.startsWith('checksum');
  return (
    <dl className="check-compared">
      <dt>{checksum ? 'Registered' : 'Expected'}</dt>
      <dd className="mono">{expected ?? '—'}</dd>
      <dt>{checksum ? 'On the device' : 'Actual'}</dt>
      <dd className="mono">{actual ?? 'none read'}</dd>
    </dl>
  );
}

export function Prechecks({ checks }: { checks: readonly CheckResultDto[] }) {
  return (
    <>
      <h2 className="side-title">Pre-checks</h2>
      <ul className="checks" aria-label="Pre-checks">
        {checks.map((c) => (
          <li key={c.rule} className={`check-${c.verdict}`} data-rule={c.rule}>
            <span className="verdict">{c.verdict}</span> {c.title}
            <div className="muted check-detail">{c.detail}</div>
            {c.verdict !== 'pass' && <Compared check={c} />}
          </li>
        ))}
      </ul>
    </>
  );
}

/** The whole CLI session, step after step; follows the end unless the reader scrolled up. */
export function Console({
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
  const all = run.steps.map(transcriptOf).join('');
  useLayoutEffect(() => {
    const el = ref.current;
    if (el && follow.current) el.scrollTop = el.scrollHeight;
  }, [all]);
  useEffect(() => {
    const section = focus && ref.current?.querySelector(`[data-step-id="${focus.id}"]`);
    if (!ref.current || !section) return;
    follow.current = false;
    // The console scrolls, the page does not: the run's header (status, Accept, Abort) stays put.
    scrollInside(ref.current, section);
  }, [focus]);
  return (
    <div
      ref={ref}
      className="console"
      role="log"
      aria-label="Device transcript"
      tabIndex={0}
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
