// The api process: parse config, connect, build the app, listen; on SIGINT/SIGTERM stop
// taking requests, finish the ones in flight, close connections, exit.
import { loadConfig, version } from '@hitless/config';
import { createPrisma, deriveAuditKey } from '@hitless/db';
import { createQueue, createRedis, EventPublisher } from '@hitless/messaging';
import { pino } from 'pino';
import { buildApp, REDACT } from './app.ts';

const config = loadConfig();
const logger = pino({ level: config.log.level, redact: REDACT, base: { service: 'api' } });
const db = createPrisma(config.database.url, { auditKey: deriveAuditKey(config.secrets.key) });
const redis = createRedis(config.redis.url);
const upgrades = createQueue('device-upgrade', redis, config.redis.prefix);
const discoveries = createQueue('device-discovery', redis, config.redis.prefix);
const campaignTicks = createQueue('campaign-tick', redis, config.redis.prefix);
const campaignPrechecks = createQueue('campaign-precheck', redis, config.redis.prefix);
const app = await buildApp({
  config,
  db,
  redis,
  events: new EventPublisher(redis, config.redis.prefix),
  upgrades,
  discoveries,
  campaignTicks,
  campaignPrechecks,
  logger,
  version,
});

let closing = false;
async function shutdown(signal: string) {
  if (closing) return;
  closing = true;
  logger.info({ signal }, 'shutting down');
  const force = setTimeout(() => {
    logger.error('shutdown took longer than 15 s; exiting');
    process.exit(1);
  }, 15_000);
  force.unref();
  await app.close();
  await Promise.all([upgrades.close(), discoveries.close(), campaignTicks.close(), campaignPrechecks.close()]);
  await Promise.all([db.$disconnect(), redis.quit()]);
  process.exit(0);
}
process.on('SIGINT', () => void shutdown('SIGINT'));
process.on('SIGTERM', () => void shutdown('SIGTERM'));
// Started by the launcher with an IPC channel: if the launcher dies, so do we.
process.on('disconnect', () => void shutdown('parent exited'));

await app.listen({ host: config.http.host, port: config.http.port });
const address = app.server.address();
const port = typeof address === 'object' && address ? address.port : config.http.port;
// The launcher waits for this message to know the URL.
process.send?.({ type: 'listening', port });
