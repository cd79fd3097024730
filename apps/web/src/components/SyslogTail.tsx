// A device's syslog as a tail: oldest at the top, newest at the bottom, following the end unless
// the reader scrolled up (as the transcript console does). Severity sets the colour; a line the
// collector could not parse is shown raw and marked.
import type { SyslogMessage } from '@hitless/contracts';
import { useEffect, useLayoutEffect, useRef, type ReactNode } from 'react';
import { scrollInside } from './scroll.ts';
import { clockTime, severityName, shownTime } from './syslog.ts';
import { dateTime } from '../time.ts';

export function Severity({ value }: { value: number | null }) {
  return <span className={`sev sev-${value ?? 'none'}`}>{severityName(value)}</span>;
}

/** When the line happened, by the device's clock when it sent one (marked when that clock is not to be trusted). */
export function lineTimeTitle(m: SyslogMessage): string {
  const clock =
    m.clock === 'UNSET'
      ? ' (the device clock was never set)'
      : m.clock === 'UNSYNCED'
        ? ' (device clock not in sync)'
        : '';
  const device = m.timestamp ? `device time ${dateTime(m.timestamp)}${clock}; ` : '';
  return `${device}received ${dateTime(m.receivedAt)}`;
}

/** IOS's marks before a time from a clock never set (`*`) or not in sync (`.`). */
export const clockMark = (m: SyslogMessage): string => (m.clock === 'UNSET' ? '*' : m.clock === 'UNSYNCED' ? '.' : '');

/** One line's words after the time: the event name and the text, or the raw line when it could not be parsed. */
export function lineText(m: SyslogMessage): string {
  return m.parseError ? m.raw : `${m.event ? `${m.event}: ` : ''}${m.message}`;
}

export function SyslogTail({
  messages,
  label,
  focus,
  head,
  empty,
}: {
  /** Oldest first. */
  messages: readonly SyslogMessage[];
  label: string;
  /** A line to scroll to and highlight (picked on the step timeline). */
  focus: { id: string } | null;
  /** Above the lines (older lines to load). */
  head?: ReactNode;
  empty: ReactNode;
}) {
  const ref = useRef<HTMLDivElement>(null);
  const follow = useRef(true);
  const last = messages.at(-1)?.id;
  useLayoutEffect(() => {
    const el = ref.current;
    if (el && follow.current) el.scrollTop = el.scrollHeight;
  }, [last, messages.length]);
  useEffect(() => {
    if (!focus) return;
    follow.current = false;
    const line = ref.current?.querySelector(`[data-id="${focus.id}"]`);
    if (ref.current && line) scrollInside(ref.current, line, 'center');
  }, [focus]);
  return (
    <div
      ref={ref}
      className="syslog-tail"
      role="log"
      aria-label={label}
      onScroll={(e) => {
        const el = e.currentTarget;
        follow.current = el.scrollHeight - el.scrollTop - el.clientHeight < 24;
      }}
    >
      {head}
      {messages.length === 0 && <div className="syslog-empty muted">{empty}</div>}
      {messages.map((m) => {
        const time = shownTime(m);
        return (
          <div
            key={m.id}
            data-id={m.id}
            className={`syslog-line sev-line-${m.severity ?? 'none'}${m.parseError ? ' syslog-unparsed' : ''}${focus?.id === m.id ? ' syslog-line-focus' : ''}`}
          >
            <span className="syslog-time" title={lineTimeTitle(m)}>
              {clockMark(m)}
              {clockTime(time.at)}
            </span>
            <Severity value={m.severity} />
            <span className="syslog-body">
              {m.parseError ? (
                <>
                  <span className="syslog-flag" title={`Not parsed: ${m.parseError}`}>
                    unparsed
                  </span>{' '}
                  <span className="syslog-text">{m.raw}</span>
                </>
              ) : (
                <>
                  {m.event && <span className="syslog-event">{m.event}</span>}{' '}
                  <span className="syslog-text">{m.message}</span>
                </>
              )}
            </span>
          </div>
        );
      })}
    </div>
  );
}
