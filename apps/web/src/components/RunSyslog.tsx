// The run page's syslog: the device's lines matched to the run (a tail beside the transcript) and
// where each fell on the step timeline (a tick per line across the step's span).
import type { SyslogMessage } from '@hitless/contracts';
import { Link } from 'react-router';
import { friendlyError } from '../api.ts';
import { Banner } from './ui.tsx';
import { lineText, SyslogTail } from './SyslogTail.tsx';
import { clockTime, severityName, shownTime, type useSyslog } from './syslog.ts';

/** Slots across a step's span: lines closer than one slot share a tick (its title lists them all). */
const SLOTS = 48;

export function StepSyslogMarks({
  step,
  messages,
  now,
  onPick,
}: {
  step: { name: string; startedAt: string; endedAt: string | null };
  messages: readonly SyslogMessage[] | undefined;
  now: number;
  onPick: (m: SyslogMessage) => void;
}) {
  if (!messages?.length) return null;
  const start = Date.parse(step.startedAt);
  const span = Math.max(1, (step.endedAt ? Date.parse(step.endedAt) : now) - start);
  const slots = new Map<number, SyslogMessage[]>();
  for (const m of messages) {
    const slot = Math.round(Math.min(1, Math.max(0, (Date.parse(m.receivedAt) - start) / span)) * SLOTS);
    slots.set(slot, [...(slots.get(slot) ?? []), m]);
  }
  const worst = Math.min(...messages.map((m) => m.severity ?? 7));
  return (
    <div
      className="step-syslog"
      role="group"
      aria-label={`Syslog during ${step.name}: ${messages.length} line${messages.length === 1 ? '' : 's'}`}
    >
      <div className="syslog-ticks">
        {[...slots].map(([slot, lines]) => {
          const text = lines
            .map((m) => `${clockTime(shownTime(m).at)} ${severityName(m.severity)} ${lineText(m)}`)
            .join('\n');
          const severity = Math.min(...lines.map((m) => m.severity ?? 7));
          return (
            <button
              key={slot}
              type="button"
              className={`syslog-tick sev-tick-${severity}${lines.length > 1 ? ' syslog-tick-many' : ''}`}
              style={{ left: `${(slot / SLOTS) * 100}%` }}
              title={text}
              aria-label={text}
              onClick={() => onPick(lines[0]!)}
            />
          );
        })}
      </div>
      <span className={`syslog-count sev-${worst}`}>{messages.length} syslog</span>
    </div>
  );
}

export function RunSyslog({
  run,
  syslog,
  focus,
}: {
  run: { deviceId: string; deviceHostname: string; startedAt: string | null; endedAt: string | null };
  syslog: ReturnType<typeof useSyslog>;
  focus: { id: string } | null;
}) {
  const { query, items } = syslog;
  const oldestFirst = [...items].reverse();
  return (
    <section className="run-syslog" aria-label="Syslog">
      <div className="panel-head">
        <h2 className="side-title">Device syslog</h2>
        <span className="muted small-text">
          {query.data ? `${items.length}${query.hasNextPage ? '+' : ''} line${items.length === 1 ? '' : 's'}` : ''}
          {!run.endedAt && ' · live'}
        </span>
        <Link className="small-text panel-link" to={`/syslog?deviceId=${run.deviceId}`}>
          All syslog of {run.deviceHostname}
        </Link>
      </div>
      {query.error && <Banner kind="error">{friendlyError(query.error, 'could not load the syslog')}</Banner>}
      <SyslogTail
        messages={oldestFirst}
        label="Device syslog"
        focus={focus}
        head={
          query.hasNextPage && (
            <button
              type="button"
              className="btn btn-small syslog-older"
              disabled={query.isFetchingNextPage}
              onClick={() => void query.fetchNextPage()}
            >
              {query.isFetchingNextPage ? 'Loading…' : 'Load older lines'}
            </button>
          )
        }
        empty={
          query.isPending
            ? 'Loading…'
            : run.endedAt
              ? `${run.deviceHostname} sent no syslog during this run.`
              : `No syslog from ${run.deviceHostname} during this run yet; lines appear here as the device sends them.`
        }
      />
    </section>
  );
}
