// The bench's two receivers as step targets: the collector child process (its /metrics, a
// SELECT count over the app role, /proc/net/udp for its port) and rsyslogd (its file's lines).
import type { Db } from '@hitless/db';
import { parseMetrics, samplesOf, type Sample } from '@hitless/metrics';
import { kernelUdpDrops } from '../src/kernel-drops.ts';
import type { Rsyslog } from './rsyslog.ts';
import type { Snapshot, Target } from './steps.ts';

const sum = (samples: Sample[]) => samples.reduce((n, s) => n + s.value, 0);

export function collectorTarget(o: {
  metricsPort: number;
  udpPort: number;
  db: Db;
  alive: () => boolean;
  pending?: () => number;
}): Target {
  return {
    name: 'collector',
    alive: o.alive,
    ...(o.pending && { pending: o.pending }),
    async snapshot(withDbCount): Promise<Snapshot> {
      const [text, kernel, storedDb] = await Promise.all([
        fetch(`http://127.0.0.1:${o.metricsPort}/metrics`).then(async (r) => {
          if (!r.ok) throw new Error(`collector /metrics answered ${r.status}`);
          return r.text();
        }),
        kernelUdpDrops(o.udpPort),
        withDbCount ? o.db.syslogMessage.count() : Promise.resolve(null),
      ]);
      const samples = parseMetrics(text);
      const buckets = new Map<number, number>();
      for (const s of samplesOf(samples, 'hitless_syslog_insert_duration_seconds_bucket'))
        buckets.set(s.labels.le === '+Inf' ? Infinity : Number(s.labels.le), s.value);
      return {
        received: sum(samplesOf(samples, 'hitless_syslog_received_total')),
        stored: sum(samplesOf(samples, 'hitless_syslog_stored_total')),
        storedDb,
        kernelProc: kernel ?? 0,
        kernelMetric: sum(samplesOf(samples, 'hitless_syslog_dropped_total', { reason: 'kernel' })),
        queueFull: sum(samplesOf(samples, 'hitless_syslog_dropped_total', { reason: 'queue_full' })),
        depth: sum(samplesOf(samples, 'hitless_syslog_queue_depth')),
        buckets,
        batches: sum(samplesOf(samples, 'hitless_syslog_insert_duration_seconds_count')),
      };
    },
  };
}

export function rsyslogTarget(r: Rsyslog): Target {
  return {
    name: 'rsyslogd',
    alive: r.alive,
    async snapshot(): Promise<Snapshot> {
      const [lines, kernel] = await Promise.all([r.lines(), r.kernelDrops()]);
      return {
        received: null,
        stored: lines,
        storedDb: null,
        kernelProc: kernel,
        kernelMetric: null,
        queueFull: null,
        depth: 0,
        buckets: new Map(),
        batches: 0,
      };
    },
  };
}
