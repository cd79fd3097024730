// Prometheus metrics and health endpoints shared by the api, the worker and the collector. The
// only package that depends on prom-client: the others take its metric classes from here.
export { BUCKETS, createRegistry, type ServiceName } from './registry.ts';
export { checkReadiness, READINESS_TIMEOUT_MS, type Readiness, type ReadinessCheck } from './readiness.ts';
export { isLoopback, scrapeRefusal, type ScrapeRefusal } from './scrape.ts';
export {
  startOpsServer,
  startOpsServerOrWarn,
  type OpsLogger,
  type OpsServer,
  type OpsServerOptions,
} from './ops-server.ts';
export { Counter, Gauge, Histogram, type Registry } from 'prom-client';
export { parseMetrics, samplesOf, type Sample } from './parse.ts';
