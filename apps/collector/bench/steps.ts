// One bench step: send at a rate for a while, wait until the receiver has stored everything it
// will (its queue empty and its counts still), and work out what happened to every message.
// A target is the collector (its /metrics, a SELECT count and /proc/net/udp) or rsyslogd (lines
// in its file and /proc/net/udp); both answer the same snapshot.
import { readFile } from 'node:fs/promises';
import os from 'node:os';
import { performance } from 'node:perf_hooks';
import type { SendResult } from './generator.ts';

export interface Snapshot {
  /** Messages the receiver read from its socket (null: it does not say). */
  received: number | null;
  stored: number;
  /** Stored as a SELECT count(*) sees it (collector only). */
  storedDb: number | null;
  /** The kernel's drop count for the receiver's UDP port (/proc/net/udp). */
  kernelProc: number;
  /** The collector's own drop counters. */
  kernelMetric: number | null;
  queueFull: number | null;
  depth: number;
  /** Insert-duration histogram: cumulative count per upper bound, then count and sum. */
  buckets: Map<number, number>;
  batches: number;
}

export interface Target {
  name: string;
  snapshot(withDbCount: boolean): Promise<Snapshot>;
  /** Bytes the generator still holds for this target (TCP). */
  pending?(): number;
  alive(): boolean;
}

export interface StepRow {
  offered: number;
  achieved: number;
  sent: number;
  sendErrors: number;
  received: number | null;
  stored: number;
  storedDb: number | null;
  kernel: number;
  kernelMetric: number | null;
  queueFull: number | null;
  /** Still in the collector's queue when the drain deadline passed. */
  left: number;
  /** Sent and neither stored, nor queued, nor counted as dropped anywhere. */
  unaccounted: number;
  drainSeconds: number;
  drained: boolean;
  stepSeconds: number;
  p50ms: number | null;
  p99ms: number | null;
  batches: number;
  peakDepth: number;
  cpuPercent: number;
  load1: number;
}

/** Seconds of CPU (user + system) `pid` has used, from /proc/<pid>/stat. */
export async function cpuSecondsOf(pid: number): Promise<number> {
  const stat = await readFile(`/proc/${pid}/stat`, 'utf8').catch(() => null);
  if (!stat) return 0;
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  // utime and stime are fields 14 and 15 of the whole line (11 and 12 after the command).
  return (Number(fields[11]) + Number(fields[12])) / 100;
}

/** Prometheus' histogram_quantile over the step's bucket deltas (linear within a bucket). */
export function quantile(q: number, before: Map<number, number>, after: Map<number, number>): number | null {
  const bounds = [...after.keys()].sort((a, b) => a - b);
  const cum = bounds.map((b) => (after.get(b) ?? 0) - (before.get(b) ?? 0));
  const total = cum.at(-1) ?? 0;
  if (total <= 0) return null;
  const rank = q * total;
  for (let i = 0; i < bounds.length; i++) {
    if (cum[i]! < rank) continue;
    if (!Number.isFinite(bounds[i]!)) return bounds[i - 1] ?? null;
    const lower = i === 0 ? 0 : bounds[i - 1]!;
    const below = i === 0 ? 0 : cum[i - 1]!;
    const inBucket = cum[i]! - below;
    return lower + (bounds[i]! - lower) * (inBucket > 0 ? (rank - below) / inBucket : 1);
  }
  return null;
}

const POLL_MS = 200;
const PEAK_POLL_MS = 1000;
/** Counts unchanged for this long (and the queue empty): the receiver is done. */
const STILL_MS = 600;

export async function runStep(o: {
  target: Target;
  rate: number;
  seconds: number;
  send: (rate: number, seconds: number) => Promise<SendResult>;
  drainDeadlineMs: number;
  receiverPid: number;
}): Promise<StepRow> {
  const before = await o.target.snapshot(true);
  const cpuBefore = await cpuSecondsOf(o.receiverPid);
  let peakDepth = 0;
  let sending = true;
  // The queue's depth while sending (the collector's, every second).
  const watch = (async () => {
    while (sending) {
      await new Promise((r) => setTimeout(r, PEAK_POLL_MS));
      if (sending && o.target.alive()) peakDepth = Math.max(peakDepth, (await o.target.snapshot(false)).depth);
    }
  })().then(
    () => null,
    (err: unknown) => err,
  );
  const started = performance.now();
  const sent = await o.send(o.rate, o.seconds).finally(() => (sending = false));
  const watchError = await watch;
  // A receiver that died is reported by the step; any other failure to scrape is the bench's.
  if (watchError && o.target.alive()) throw watchError;
  const sendEnd = performance.now();

  // Drain: wait for the queue to empty and the counts to stop moving, or the deadline.
  const deadline = sendEnd + o.drainDeadlineMs;
  let last = await o.target.snapshot(false);
  let lastChange = performance.now();
  let drained = false;
  for (;;) {
    peakDepth = Math.max(peakDepth, last.depth);
    const now = performance.now();
    if (last.depth === 0 && (o.target.pending?.() ?? 0) === 0 && now - lastChange >= STILL_MS) {
      drained = true;
      break;
    }
    if (now > deadline || !o.target.alive()) break;
    await new Promise((r) => setTimeout(r, POLL_MS));
    const next = await o.target.snapshot(false);
    if (next.stored !== last.stored || next.received !== last.received || next.kernelProc !== last.kernelProc)
      lastChange = performance.now();
    last = next;
  }
  const cpu = (await cpuSecondsOf(o.receiverPid)) - cpuBefore;
  const after = await o.target.snapshot(true);
  const drainSeconds = Math.max(0, (Math.min(lastChange, performance.now()) - sendEnd) / 1000);
  const d = (a: number | null, b: number | null) => (a === null || b === null ? null : a - b);
  const stored = after.stored - before.stored;
  const kernel = after.kernelProc - before.kernelProc;
  const queueFull = d(after.queueFull, before.queueFull);
  return {
    offered: o.rate,
    achieved: sent.sent / sent.seconds,
    sent: sent.sent,
    sendErrors: sent.errors,
    received: d(after.received, before.received),
    stored,
    storedDb: d(after.storedDb, before.storedDb),
    kernel,
    kernelMetric: d(after.kernelMetric, before.kernelMetric),
    queueFull,
    left: after.depth,
    unaccounted: sent.sent - stored - kernel - (queueFull ?? 0) - after.depth,
    drainSeconds,
    drained,
    stepSeconds: sent.seconds,
    p50ms: scaled(quantile(0.5, before.buckets, after.buckets)),
    p99ms: scaled(quantile(0.99, before.buckets, after.buckets)),
    batches: after.batches - before.batches,
    peakDepth,
    cpuPercent: (100 * cpu) / ((performance.now() - started) / 1000),
    load1: os.loadavg()[0]!,
  };
}

const scaled = (s: number | null) => (s === null ? null : s * 1000);

/** Messages lost in the step (sent, not stored, not still queued), whatever the reason. */
export const dropsOf = (r: StepRow) => r.sent - r.stored - r.left;

/**
 * The receiver kept up: nothing lost, and what was still queued when the sending stopped was
 * stored within 2 s (or a fifth of the step): no backlog that a longer step would have grown.
 */
export const keptUp = (r: StepRow) =>
  dropsOf(r) === 0 && r.drained && r.drainSeconds <= Math.max(2, 0.2 * r.stepSeconds);

/** The generator reached 95 % of the offered rate. */
export const senderReached = (r: StepRow) => r.achieved >= 0.95 * r.offered;

const n = (v: number | null, digits = 0) => (v === null ? '-' : v.toFixed(digits));

export function header(collector: boolean): string {
  const cols = ['offered/s', 'sent/s', 'sent', collector ? 'received' : null, 'stored', collector ? 'db count' : null];
  cols.push('kernel', collector ? 'queue' : null, collector ? 'left' : null, 'other', 'drain s');
  cols.push('stored/s all', 'stored/s step');
  if (collector) cols.push('ins p50 ms', 'ins p99 ms', 'batches', 'peak queue');
  cols.push('cpu %', 'load1');
  return cols
    .filter((c) => c !== null)
    .map((c) => c.padStart(11))
    .join(' ');
}

export function row(r: StepRow, collector: boolean): string {
  const cols: (string | null)[] = [n(r.offered), n(r.achieved), n(r.sent), collector ? n(r.received) : null];
  cols.push(n(r.stored), collector ? n(r.storedDb) : null);
  const kernel =
    r.kernelMetric !== null && r.kernelMetric !== r.kernel ? `${r.kernel}(m${r.kernelMetric})` : n(r.kernel);
  cols.push(kernel, collector ? n(r.queueFull) : null, collector ? n(r.left) : null, n(r.unaccounted));
  cols.push(`${n(r.drainSeconds, 1)}${r.drained ? '' : '!'}`);
  cols.push(n(r.stored / (r.stepSeconds + r.drainSeconds)), n(r.stored / r.stepSeconds));
  if (collector) cols.push(n(r.p50ms, 1), n(r.p99ms, 1), n(r.batches), n(r.peakDepth));
  cols.push(n(r.cpuPercent), n(r.load1, 2));
  return cols
    .filter((c) => c !== null)
    .map((c) => c.padStart(11))
    .join(' ');
}
