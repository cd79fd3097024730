// The syslog collector process: receives syslog over UDP and TCP, stores it in PostgreSQL in
// batches matched to devices and runs, publishes it live, prunes it after the retention time,
// and serves /metrics, /healthz and /readyz. Several may run behind one address (a load
// balancer, or one per site): they share nothing but PostgreSQL and Redis.
import { loadConfig } from '@hitless/config';
import { createPrisma } from '@hitless/db';
import { createRedis, EventPublisher } from '@hitless/messaging';
import { createRegistry, startOpsServerOrWarn } from '@hitless/metrics';
import { pino } from 'pino';
import { startCollector } from './collector.ts';

const DEFAULT_METRICS_PORT = 9103;

const config = loadConfig();
const logger = pino({ level: config.log.level, base: { service: 'collector' } });
const db = createPrisma(config.database.url, { max: 4, auditKey: null });
const redis = createRedis(config.redis.url);
const events = new EventPublisher(redis, config.redis.prefix);
const registry = createRegistry('collector');

await db.$queryRaw`SELECT 1`;
const collector = await startCollector({
  syslog: config.syslog,
  db,
  redis,
  prefix: config.redis.prefix,
  events,
  registry,
  logger,
});
// A taken port costs the metrics, not the syslog (the launcher would restart into the same port).
const ops = await startOpsServerOrWarn({
  host: config.metrics.host,
  port: config.metrics.port ?? DEFAULT_METRICS_PORT,
  token: config.metrics.token,
  registry,
  checks: [
    { name: 'postgres', check: async () => void (await db.$queryRaw`SELECT 1`) },
    { name: 'redis', check: async () => void (await redis.ping()) },
  ],
  logger,
});
const metricsPort = ops?.port ?? null;
logger.info({ udp: collector.udpPort, tcp: collector.tcpPort, metrics: metricsPort }, 'collector ready');
process.send?.({ type: 'ready', udpPort: collector.udpPort, tcpPort: collector.tcpPort, metricsPort });

let stopping = false;
async function shutdown(signal: string) {
  if (stopping) return;
  stopping = true;
  logger.info({ signal }, 'shutting down; storing what is queued');
  await collector.close().catch((err: unknown) => logger.error({ err }, 'collector did not close cleanly'));
  await ops?.close();
  await Promise.all([db.$disconnect(), redis.quit()]);
  process.exit(0);
}
process.on('SIGINT', () => void shutdown('SIGINT'));
process.on('SIGTERM', () => void shutdown('SIGTERM'));
process.on('disconnect', () => void shutdown('parent exited'));
