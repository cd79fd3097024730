// One Prometheus registry per process (never prom-client's global one: tests build several apps
// in one process, and each must count only its own). Every series carries `service`, and the
// process's own figures (CPU, memory, event loop lag, GC, handles) come with the hitless_ prefix.
import { collectDefaultMetrics, Registry } from 'prom-client';

export type ServiceName = 'api' | 'worker' | 'collector';

export function createRegistry(service: ServiceName): Registry {
  const registry = new Registry();
  registry.setDefaultLabels({ service });
  collectDefaultMetrics({ register: registry, prefix: 'hitless_' });
  return registry;
}

/**
 * Histogram buckets in seconds, shared so dashboards compare like with like. Each starts a little
 * under the fastest case worth telling apart and ends past the slowest one a process waits for.
 */
export const BUCKETS = {
  /** An HTTP request: 5 ms to 10 s. */
  http: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
  /** A run's step: a 0.1 s read to a 3 h operator wait or a slow chassis reload. */
  step: [0.1, 0.5, 1, 5, 15, 30, 60, 120, 300, 600, 1200, 1800, 3600, 7200, 10_800],
  /** A job waiting in its queue before a worker took it: 10 ms to an hour. */
  jobWait: [0.01, 0.05, 0.1, 0.5, 1, 5, 15, 60, 300, 900, 3600],
  /** One CLI command: 50 ms to the hour a Junos in-service upgrade may stream for. */
  sshCommand: [0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 300, 900, 1800, 3600],
  /** A database write: 1 ms to 10 s. */
  dbWrite: [0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 10],
} as const satisfies Record<string, readonly number[]>;
