// A phase is one receiver under rising steps; this module runs one and says what it showed:
// the highest rate kept up with zero drops, where drops began, and the ratio to the reference.
import type { SendResult } from './generator.ts';
import { dropsOf, header, keptUp, row, runStep, senderReached, type StepRow, type Target } from './steps.ts';

export interface Phase {
  title: string;
  /** The collector (metrics, queue) or the reference (a file). */
  collector: boolean;
  transport: 'udp' | 'tcp';
  rows: StepRow[];
  stop: string;
}

export interface PhaseOptions {
  title: string;
  target: Target;
  collector: boolean;
  transport: 'udp' | 'tcp';
  send: (rate: number, seconds: number) => Promise<SendResult>;
  receiverPid: number;
  steps: number[];
  seconds: number;
  drainMaxMs: number;
  /** No step starts unless it can end (without its drain) before this. */
  until: number;
  /** No drain waits past this. */
  deadline: number;
  out: (line: string) => void;
}

/** Rising steps until the receiver loses messages, keeps a backlog, the sender tops out, or time is up. */
export async function runPhase(o: PhaseOptions): Promise<Phase> {
  o.out(`\n${o.title}`);
  o.out(header(o.collector));
  const rows: StepRow[] = [];
  let stop = 'all steps run';
  for (const rate of o.steps) {
    if (Date.now() + o.seconds * 1000 + 5000 > o.until) {
      stop = `time cap: no room for the ${rate}/s step`;
      break;
    }
    const drainDeadlineMs = Math.max(2000, Math.min(o.drainMaxMs, o.deadline - Date.now() - o.seconds * 1000));
    const r = await runStep({ ...o, rate, drainDeadlineMs });
    rows.push(r);
    o.out(row(r, o.collector));
    if (!o.target.alive()) {
      stop = `${o.target.name} exited`;
      break;
    }
    if (dropsOf(r) > 0) {
      stop = `messages lost at ${rate}/s${r.drained ? '' : ` (and ${r.left} still queued after ${(drainDeadlineMs / 1000).toFixed(0)} s)`}`;
      break;
    }
    if (!r.drained) {
      stop = `not drained within ${(drainDeadlineMs / 1000).toFixed(0)} s`;
      break;
    }
    if (!senderReached(r)) {
      stop =
        o.transport === 'udp'
          ? `the generator reached only ${r.achieved.toFixed(0)} of ${rate} msg/s`
          : `TCP held the generator back to ${r.achieved.toFixed(0)} of ${rate} msg/s`;
      break;
    }
  }
  o.out(`stopped: ${stop}`);
  return { title: o.title, collector: o.collector, transport: o.transport, rows, stop };
}

const storedRate = (r: StepRow) => r.stored / (r.stepSeconds + r.drainSeconds);

/** The highest rate sent that the receiver kept up with and lost nothing of; the first step that lost some. */
export function verdict(p: Phase) {
  return {
    zero: Math.max(0, ...p.rows.filter(keptUp).map((r) => r.achieved)),
    firstDrop: p.rows.find((r) => dropsOf(r) > 0) ?? null,
    best: Math.max(0, ...p.rows.map(storedRate)),
  };
}

function udpLine(p: Phase): string {
  const v = verdict(p);
  let line = `sustained with zero drops: ${v.zero.toFixed(0)} msg/s; drops begin at: `;
  if (v.firstDrop) {
    const f = v.firstDrop;
    line += `${f.offered} msg/s (kernel ${f.kernel}, queue ${f.queueFull ?? '-'}, other ${f.unaccounted}`;
    line += f.drained ? ')' : `; ${f.left} still queued at the drain deadline)`;
  } else line += `not reached (${p.stop})`;
  const backlog = p.rows.filter((r) => dropsOf(r) === 0 && !keptUp(r)).map((r) => r.offered);
  if (backlog.length) line += `; nothing lost but a backlog built up at ${backlog.join(', ')} msg/s`;
  return `${line}; best stored ÷ (step + drain): ${v.best.toFixed(0)} msg/s`;
}

function tcpLine(p: Phase): string {
  const best = p.rows.reduce<StepRow | null>((b, r) => (!b || storedRate(r) > storedRate(b) ? r : b), null);
  const lost = p.rows.reduce((n, r) => n + dropsOf(r), 0);
  if (!best) return `nothing measured (${p.stop})`;
  return (
    `max sustained stored ÷ (step + drain): ${storedRate(best).toFixed(0)} msg/s ` +
    `(offered ${best.offered}/s, sent ${best.achieved.toFixed(0)}/s, drain ${best.drainSeconds.toFixed(1)} s); ` +
    `kept up with zero drops: ${verdict(p).zero.toFixed(0)} msg/s; lost ${lost}; ${p.stop}`
  );
}

export function summary(phases: Phase[]): string[] {
  const lines = phases.map((p) => `${p.title}: ${p.transport === 'tcp' ? tcpLine(p) : udpLine(p)}`);
  const reference = phases.find((p) => !p.collector);
  const udp = phases.find((p) => p.collector && p.transport === 'udp');
  if (reference && udp) {
    const [a, b] = [verdict(udp), verdict(reference)];
    const bound = b.firstDrop
      ? ''
      : ' (rsyslogd lost nothing at any step: its rate is a lower bound, so the ratio is at most this)';
    lines.push(
      `ratio collector ÷ rsyslogd (zero-drop rates): ${b.zero ? (a.zero / b.zero).toFixed(3) : 'n/a'}${bound}`,
    );
  }
  return lines;
}
