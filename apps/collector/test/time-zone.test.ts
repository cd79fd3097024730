// HITLESS_SYSLOG_TIME_ZONE: the zone an RFC 3164 timestamp without a zone of its own is read in,
// from the environment (validated at start) through the collector to the stored timestamp.
import dgram from 'node:dgram';
import { ConfigError, loadConfig } from '@hitless/config';
import { createRedis, type Redis } from '@hitless/messaging';
import { createRegistry } from '@hitless/metrics';
import { createTestDatabase, redisUrl, uniquePrefix, type TestDatabase } from '@hitless/testkit';
import { eventually } from '@hitless/testkit/poll';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startCollector, type Collector } from '../src/index.ts';

const base = {
  DATABASE_URL: 'postgresql://unused/unused',
  REDIS_URL: 'redis://unused',
  HITLESS_SECRET_KEY: 'a'.repeat(64),
};

describe('HITLESS_SYSLOG_TIME_ZONE', () => {
  it('is UTC by default, takes an IANA zone, and refuses anything else at start-up naming the variable', () => {
    expect(loadConfig(base).syslog.timeZone).toBe('UTC');
    expect(loadConfig({ ...base, HITLESS_SYSLOG_TIME_ZONE: 'Europe/Zurich' }).syslog.timeZone).toBe('Europe/Zurich');
    for (const bad of ['Mars/Olympus_Mons', 'EST5EDT+', '', '+02:00']) {
      expect(() => loadConfig({ ...base, HITLESS_SYSLOG_TIME_ZONE: bad }), bad).toThrow(ConfigError);
      expect(() => loadConfig({ ...base, HITLESS_SYSLOG_TIME_ZONE: bad }), bad).toThrow(/HITLESS_SYSLOG_TIME_ZONE/);
    }
  });
});

describe('the collector with a time zone', () => {
  let database: TestDatabase;
  let redis: Redis;
  let collector: Collector;
  beforeAll(async () => {
    database = await createTestDatabase();
    redis = createRedis(redisUrl());
    const { syslog } = loadConfig({ ...base, HITLESS_SYSLOG_TIME_ZONE: 'America/New_York' });
    collector = await startCollector({
      syslog: { ...syslog, udpPort: 0, tcpPort: 0, flushMs: 20 },
      db: database.db,
      redis,
      prefix: uniquePrefix('collector-tz'),
      events: null,
      registry: createRegistry('collector'),
      logger: pino({ level: 'silent' }),
    });
  });
  afterAll(async () => {
    await collector?.close();
    await redis?.quit();
    await database?.drop();
  });

  it('reads an RFC 3164 timestamp without a zone in it (10:00 in New York in December is 15:00 UTC)', async () => {
    const s = dgram.createSocket('udp4');
    await new Promise<void>((resolve, reject) =>
      s.send('<14>Dec  2 10:00:00 tzhost app: tz-marker', collector.udpPort, '127.0.0.1', (e) =>
        e ? reject(e) : resolve(),
      ),
    );
    s.close();
    const row = await eventually(() => database.db.syslogMessage.findFirst({ where: { message: 'tz-marker' } }), {
      what: 'the message stored',
    });
    expect(row.timestamp?.toISOString()).toMatch(/-12-02T15:00:00\.000Z$/);
  });
});
