// The collector's own metrics (the names docs/grafana/hitless.json charts).
import { Counter, Gauge, Histogram, type Registry } from '@hitless/metrics';

/** `tcpConnections` is read at each scrape. */
export function collectorMetrics(registry: Registry, sources: { tcpConnections: () => number }) {
  const registers = [registry];
  return {
    received: new Counter({
      name: 'hitless_syslog_received_total',
      help: 'Syslog messages received, by transport',
      labelNames: ['transport'] as const,
      registers,
    }),
    stored: new Counter({
      name: 'hitless_syslog_stored_total',
      help: 'Syslog messages stored in PostgreSQL',
      registers,
    }),
    dropped: new Counter({
      name: 'hitless_syslog_dropped_total',
      help: 'Syslog messages lost: kernel (UDP receive buffer full), queue_full (PostgreSQL too slow or away)',
      labelNames: ['reason'] as const,
      registers,
    }),
    unparsed: new Counter({
      name: 'hitless_syslog_unparsed_total',
      help: 'Syslog messages stored raw because they could not be parsed',
      registers,
    }),
    matched: new Counter({
      name: 'hitless_syslog_matched_total',
      help: 'Stored syslog messages by how their device was found (address, hostname, unknown)',
      labelNames: ['match'] as const,
      registers,
    }),
    matchedToRun: new Counter({
      name: 'hitless_syslog_run_messages_total',
      help: 'Stored syslog messages that arrived while a run was in flight on their device',
      registers,
    }),
    queueDepth: new Gauge({
      name: 'hitless_syslog_queue_depth',
      help: 'Syslog messages received and not yet stored',
      registers,
    }),
    insertSeconds: new Histogram({
      name: 'hitless_syslog_insert_duration_seconds',
      help: 'Time to store one batch of syslog messages',
      buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
      registers,
    }),
    tcpConnections: new Gauge({
      name: 'hitless_syslog_tcp_connections',
      help: 'TCP syslog connections open',
      registers,
      collect() {
        this.set(sources.tcpConnections());
      },
    }),
  };
}

export type CollectorMetrics = ReturnType<typeof collectorMetrics>;
