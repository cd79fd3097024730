// The campaign's timeline, Gantt-like: one bar per device run from its start to its end (or now,
// by the server's clock), coloured by state and grouped by wave. Plain divs positioned in percent.
import type { CampaignDetail } from '@hitless/contracts';
import { Link } from 'react-router';
import { deviceStateLabel, waveLabeler, wavesOf } from './CampaignCommon.tsx';
import { formatDuration } from '../transcript.ts';

const TICKS = 6;

export function CampaignTimeline({ c, now }: { c: CampaignDetail; now: number }) {
  const started = c.devices.filter((d) => d.startedAt);
  if (started.length === 0) return null;
  const end = (d: (typeof started)[number]) => (d.endedAt ? Date.parse(d.endedAt) : now);
  const from = Math.min(...started.map((d) => Date.parse(d.startedAt!)));
  const last = Math.max(...started.map(end));
  // At least a minute across, so the first seconds of a run do not fill the whole width.
  const to = Math.max(from + 60_000, last);
  const span = to - from;
  const pct = (t: number) => ((t - from) / span) * 100;
  const waves = wavesOf(c);
  const label = waveLabeler(waves);
  const order = [...new Set([...waves.map((w) => w.index), ...started.map((d) => d.wave)])];
  const ticks = Array.from({ length: TICKS + 1 }, (_, i) => from + (span * i) / TICKS);

  return (
    <section className="ctimeline" aria-label="Timeline">
      <div className="section-head">
        <h2>Timeline</h2>
        <span className="muted">
          {new Date(from).toLocaleTimeString()} – {c.endedAt ? new Date(last).toLocaleTimeString() : 'now'} ·{' '}
          {formatDuration(last - from)}
        </span>
      </div>
      <div className="gantt">
        <div className="gantt-row gantt-axis" aria-hidden>
          <span className="gantt-label" />
          <div className="gantt-track">
            {ticks.map((t, i) => (
              <span
                key={t}
                className="gantt-tick"
                style={{ left: `${(i / TICKS) * 100}%` }}
                data-edge={i === 0 ? 'start' : i === TICKS ? 'end' : undefined}
              >
                {new Date(t).toLocaleTimeString([], {
                  hour: '2-digit',
                  minute: '2-digit',
                  ...(span < 10 * 60_000 && { second: '2-digit' }),
                })}
              </span>
            ))}
          </div>
        </div>
        {order.map((w) => {
          const rows = started.filter((d) => d.wave === w);
          if (rows.length === 0) return null;
          return (
            <div key={String(w)} className="gantt-group">
              <div className="gantt-wave">{label(w)}</div>
              {rows.map((d) => {
                const s = Date.parse(d.startedAt!);
                const e = end(d);
                const title = `${d.hostname}: ${deviceStateLabel(d.state)}, ${formatDuration(e - s)}${d.endedAt ? '' : ' so far'}`;
                const bar = (
                  <span
                    className={`gantt-bar seg-${d.state.toLowerCase()}${d.endedAt ? '' : ' gantt-open'}`}
                    style={{ left: `${pct(s)}%`, width: `max(3px, ${pct(e) - pct(s)}%)` }}
                    title={title}
                    data-hostname={d.hostname}
                  />
                );
                return (
                  <div key={d.deviceId} className="gantt-row">
                    <span className="gantt-label" title={d.hostname}>
                      {d.runId ? <Link to={`/runs/${d.runId}`}>{d.hostname}</Link> : d.hostname}
                    </span>
                    <div className="gantt-track">{bar}</div>
                  </div>
                );
              })}
            </div>
          );
        })}
      </div>
    </section>
  );
}
