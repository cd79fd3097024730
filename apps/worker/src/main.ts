// The worker process. For now it connects to PostgreSQL and Redis and reports its health
// through a heartbeat key (shown by GET /api/v1/system/status); the upgrade processors
// arrive with the ISSU engine.
import { randomUUID } from 'node:crypto';
import os from 'node:os';
import { loadConfig } from '@hitless/config';
import { createPrisma } from '@hitless/db';
import { clearHeartbeat, createRedis, HEARTBEAT_INTERVAL_MS, writeHeartbeat } from '@hitless/messaging';
import { pino } from 'pino';

const config = loadConfig();
const logger = pino({ level: config.log.level, base: { service: 'worker' } });
const db = createPrisma(config.database.url, { max: 5 });
const redis = createRedis(config.redis.url);
const id = `${os.hostname()}:${process.pid}:${randomUUID().slice(0, 8)}`;
const startedAt = new Date().toISOString();

async function beat() {
  await db.$queryRaw`SELECT 1`;
  await writeHeartbeat(redis, config.redis.prefix, { id, hostname: os.hostname(), pid: process.pid, startedAt, seenAt: new Date().toISOString() });
}

await beat();
const timer = setInterval(() => {
  beat().catch((err: unknown) => logger.warn({ err }, 'heartbeat failed'));
}, HEARTBEAT_INTERVAL_MS);
logger.info({ id }, 'worker ready');
process.send?.({ type: 'ready' });

let closing = false;
async function shutdown(signal: string) {
  if (closing) return;
  closing = true;
  logger.info({ signal }, 'shutting down');
  clearInterval(timer);
  await clearHeartbeat(redis, config.redis.prefix, id);
  await Promise.all([db.$disconnect(), redis.quit()]);
  process.exit(0);
}
process.on('SIGINT', () => void shutdown('SIGINT'));
process.on('SIGTERM', () => void shutdown('SIGTERM'));
process.on('disconnect', () => void shutdown('parent exited'));
