// The collector against a real PostgreSQL and Redis: runs matched by time, nothing lost while
// PostgreSQL is away, a full queue dropping and counting, and retention by its job scheduler.
import dgram from 'node:dgram';
import { loadConfig } from '@hitless/config';
import type { Db } from '@hitless/db';
import { createRedis, EventPublisher, type Redis } from '@hitless/messaging';
import { createRegistry } from '@hitless/metrics';
import {
  adminDatabaseUrl,
  asSuperuser,
  createTestDatabase,
  redisUrl,
  uniquePrefix,
  type TestDatabase,
} from '@hitless/testkit';
import { eventually } from '@hitless/testkit/poll';
import pg from 'pg';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startCollector, type Collector, type CollectorOptions } from '../src/index.ts';

let database: TestDatabase;
let redis: Redis;
const open: Collector[] = [];
const silent = pino({ level: process.env.DEBUG_COLLECTOR ? 'debug' : 'silent' });

const baseSyslog = () =>
  loadConfig({
    DATABASE_URL: 'postgresql://unused/unused',
    REDIS_URL: 'redis://unused',
    HITLESS_SECRET_KEY: 'a'.repeat(64),
  }).syslog;

async function collect(
  overrides: Partial<Omit<CollectorOptions, 'syslog'>> & { syslog?: Partial<CollectorOptions['syslog']> } = {},
) {
  const c = await startCollector({
    db: database.db,
    redis,
    prefix: uniquePrefix('collector'),
    events: null,
    registry: createRegistry('collector'),
    logger: silent,
    ...overrides,
    syslog: { ...baseSyslog(), udpPort: 0, tcpPort: 0, flushMs: 20, ...overrides.syslog },
  });
  open.push(c);
  return c;
}

async function send(c: Collector, texts: string[], from = '127.0.0.1') {
  const s = dgram.createSocket('udp4');
  await new Promise<void>((resolve) => s.bind({ address: from, port: 0 }, () => resolve()));
  for (const t of texts)
    await new Promise<void>((resolve, reject) => s.send(t, c.udpPort, '127.0.0.1', (e) => (e ? reject(e) : resolve())));
  s.close();
}

const metric = async (_c: Collector, registry: ReturnType<typeof createRegistry>, name: string) =>
  (await registry.getSingleMetricAsString(name)).split('\n').filter((l) => l.startsWith(name));

beforeAll(async () => {
  database = await createTestDatabase();
  redis = createRedis(redisUrl());
});
afterAll(async () => {
  for (const c of open) await c.close().catch(() => undefined);
  await redis.quit();
  await database.drop();
});

/** A statement on the cluster's maintenance database (the test database may refuse connections). */
async function asAdminOnPostgres(statement: string) {
  const client = new pg.Client({ connectionString: adminDatabaseUrl() });
  await client.connect();
  try {
    await client.query(statement);
  } finally {
    await client.end();
  }
}

async function seedRun(db: Db, address: string) {
  const user = await db.user.create({ data: { username: `u${Date.now()}`, passwordHash: 'x', role: 'OPERATOR' } });
  const device = await db.device.create({
    data: { hostname: `r-${address}`, mgmtAddress: address, vendor: 'CISCO_IOS', platform: 'c10k' },
  });
  const image = await db.softwareImage.create({
    data: {
      vendor: 'CISCO_IOS',
      platformFamily: 'c10k',
      version: `v${Date.now()}`,
      fileName: `img-${Date.now()}.bin`,
      sizeBytes: 1n,
    },
  });
  const run = await db.deviceRun.create({
    data: {
      deviceId: device.id,
      imageId: image.id,
      procedure: 'CISCO_ISSU',
      status: 'RUNNING',
      toVersion: image.version,
      createdById: user.id,
      startedAt: new Date(Date.now() - 1000),
    },
  });
  return { device, run };
}

describe('the collector', () => {
  it('matches a message to the run in flight on its device, and not after the run ended', async () => {
    const registry = createRegistry('collector');
    const { device, run } = await seedRun(database.db, '127.88.0.1');
    const c = await collect({ registry });
    await send(c, ['<189>1: *Mar  1 00:00:01.123 UTC: %ISSU-5-ISSU_LOADVERSION: during'], '127.88.0.1');
    const during = await eventually(() =>
      database.db.syslogMessage.findFirst({ where: { deviceId: device.id, message: { contains: 'during' } } }),
    );
    expect(during).toMatchObject({ runId: run.id, sequence: 1, clock: 'UNSET', event: 'ISSU-5-ISSU_LOADVERSION' });
    expect(await metric(c, registry, 'hitless_syslog_run_messages_total')).toEqual([
      'hitless_syslog_run_messages_total{service="collector"} 1',
    ]);

    await database.db.deviceRun.update({ where: { id: run.id }, data: { status: 'COMPLETED', endedAt: new Date() } });
    // The matcher reads the runs at most once a second.
    await eventually(
      async () => {
        await send(c, ['<189>2: *Mar  1 00:00:02.000 UTC: %SYS-5-CONFIG_I: after'], '127.88.0.1');
        const after = await database.db.syslogMessage.findMany({
          where: { deviceId: device.id, message: { contains: 'after' } },
        });
        return after.some((m) => m.runId === null);
      },
      { timeoutMs: 5000, what: 'a message after the run with no run' },
    );
  });

  it('decides nothing on a key several devices share: an address (by port), a short name', async () => {
    const make = (hostname: string, mgmtAddress: string, port = 22) =>
      database.db.device.create({ data: { hostname, mgmtAddress, port, vendor: 'CISCO_IOS', platform: 'c10k' } });
    await make('ts-a.lab', '127.88.1.1', 2001);
    const ts2 = await make('ts-b.lab', '127.88.1.1', 2002);
    await make('core1.ams.lab', '127.88.1.2');
    await make('core1.fra.lab', '127.88.1.3');
    const c = await collect();
    await send(
      c,
      ['<14>Dec  2 10:00:00 ts-b app: shared-by-name', '<14>Dec  2 10:00:00 nobody app: shared-no-name'],
      '127.88.1.1',
    );
    await send(c, ['<14>Dec  2 10:00:00 core1 app: short-ambiguous'], '127.88.1.9');
    const rows = await eventually(async () => {
      const found = await database.db.syslogMessage.findMany({ where: { message: { contains: 'shared-' } } });
      const short = await database.db.syslogMessage.findMany({ where: { message: 'short-ambiguous' } });
      return found.length === 2 && short.length === 1 && [...found, ...short];
    });
    const by = (m: string) => rows.find((r) => r.message === m)!.deviceId;
    expect(by('shared-by-name')).toBe(ts2.id);
    expect(by('shared-no-name')).toBeNull();
    expect(by('short-ambiguous')).toBeNull();
  });

  it('loses nothing while PostgreSQL is away: the queue holds, and everything lands once it is back', async () => {
    const registry = createRegistry('collector');
    const c = await collect({ registry });
    // The outage: no new connections to this database, and every open one cut.
    await asAdminOnPostgres(`ALTER DATABASE ${database.name} ALLOW_CONNECTIONS false`);
    await asAdminOnPostgres(
      `SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = '${database.name}' AND pid <> pg_backend_pid()`,
    );
    const texts = Array.from({ length: 300 }, (_, i) => `<14>Dec  2 10:00:00 h app: outage-${i}`);
    await send(c, texts);
    await eventually(async () => c.store.depth === 300, { what: '300 queued while PostgreSQL is away' });
    await eventually(async () =>
      (await metric(c, registry, 'hitless_syslog_stored_total')).some((l) => l.endsWith(' 0')),
    );
    await asAdminOnPostgres(`ALTER DATABASE ${database.name} ALLOW_CONNECTIONS true`);
    await eventually(
      async () => (await database.db.syslogMessage.count({ where: { message: { startsWith: 'outage-' } } })) === 300,
      { timeoutMs: 15_000, what: 'all 300 stored after the outage' },
    );
    expect(await metric(c, registry, 'hitless_syslog_dropped_total')).toEqual([]);
  });

  it('a message PostgreSQL refuses blocks nothing: it is stored raw with the reason, its batch is stored', async () => {
    const registry = createRegistry('collector');
    const c = await collect({ registry, syslog: { flushMs: 50 } });
    // A sequence number beyond PostgreSQL's integer, between two ordinary messages of one batch.
    await send(c, [
      '<189>7: *Mar  1 00:00:01.000 UTC: %SYS-5-CONFIG_I: poison-before',
      '<189>9999999999: *Mar  1 00:00:01.000 UTC: %SYS-5-CONFIG_I: poison-itself',
      '<189>8: *Mar  1 00:00:01.000 UTC: %SYS-5-CONFIG_I: poison-after',
    ]);
    const stored = await eventually(
      async () => {
        const rows = await database.db.syslogMessage.findMany({
          where: { raw: { contains: 'poison-' } },
          orderBy: { id: 'asc' },
        });
        return rows.length === 3 && rows;
      },
      { timeoutMs: 10_000, what: 'all three stored' },
    );
    expect(stored.map((m) => m.sequence)).toEqual([7, null, 8]);
    expect(stored[1]!.raw).toContain('poison-itself');
    expect(await metric(c, registry, 'hitless_syslog_dropped_total')).toEqual([]);
  });

  it('a row PostgreSQL refuses for a reason nobody foresaw is stored raw, with that reason', async () => {
    // The database refuses one parsed value (a constraint standing in for any refusal).
    await asSuperuser(
      database,
      `ALTER TABLE "SyslogMessage" ADD CONSTRAINT refuse_poisonapp CHECK ("appName" IS DISTINCT FROM 'poisonapp')`,
    );
    try {
      const c = await collect({ syslog: { flushMs: 50 } });
      await send(c, ['<14>Dec  2 10:00:00 h goodapp: refused-ok', '<14>Dec  2 10:00:00 h poisonapp: refused-raw']);
      const rows = await eventually(
        async () => {
          const found = await database.db.syslogMessage.findMany({ where: { raw: { contains: 'refused-' } } });
          return found.length === 2 && found;
        },
        { timeoutMs: 10_000, what: 'both stored' },
      );
      const raw = rows.find((r) => r.raw.includes('poisonapp'))!;
      expect(raw).toMatchObject({ appName: null, format: null, message: raw.raw });
      expect(raw.parseError).toMatch(/could not be stored as parsed: .*refuse_poisonapp/);
      expect(rows.find((r) => r.raw.includes('goodapp'))).toMatchObject({ appName: 'goodapp', parseError: null });
    } finally {
      await asSuperuser(database, `ALTER TABLE "SyslogMessage" DROP CONSTRAINT refuse_poisonapp`);
    }
  });

  it('retries, with a pause that doubles, a batch PostgreSQL refuses for a reason other than its content', async () => {
    const registry = createRegistry('collector');
    const errors: string[] = [];
    const logger = {
      ...silent,
      info: () => undefined,
      warn: () => undefined,
      error: (_o: object, m: string) => void errors.push(m),
    };
    const c = await collect({
      registry,
      logger: logger as unknown as CollectorOptions['logger'],
      syslog: { batchSize: 10 },
    });
    await asSuperuser(database, `REVOKE INSERT ON "SyslogMessage" FROM hitless_app`);
    try {
      const sent = Array.from({ length: 60 }, (_, i) => `<14>Dec  2 10:00:00 h app: revoked-${i}`);
      const started = Date.now();
      for (let i = 0; i < sent.length; i += 10) await send(c, sent.slice(i, i + 10));
      await eventually(() => c.store.depth === 60 && Date.now() - started > 1500, { what: 'held for 1.5 s' });
      // Backoff from 100 ms doubling: about five tries in 1.5 s however many messages arrive.
      expect(errors.length).toBeLessThan(10);
      expect(await metric(c, registry, 'hitless_syslog_dropped_total')).toEqual([]);
    } finally {
      await asSuperuser(database, `GRANT INSERT ON "SyslogMessage" TO hitless_app`);
    }
    await eventually(
      async () => (await database.db.syslogMessage.count({ where: { message: { startsWith: 'revoked-' } } })) === 60,
      { timeoutMs: 15_000, what: 'all 60 stored once allowed again' },
    );
    await c.close();
    expect(await database.db.syslogMessage.count({ where: { message: { startsWith: 'revoked-' } } })).toBe(60);
  });

  it('goes on storing while Redis is away (live events are hints), and stops promptly', async () => {
    const dead = createRedis('redis://127.0.0.1:1', { lazyConnect: true });
    dead.on('error', () => undefined);
    const c = await collect({ events: new EventPublisher(dead, 'gone') });
    for (let i = 0; i < 3; i++) await send(c, [`<14>Dec  2 10:00:00 h app: no-redis-${i}`]);
    await eventually(
      async () => (await database.db.syslogMessage.count({ where: { message: { startsWith: 'no-redis-' } } })) === 3,
      { what: 'all three stored' },
    );
    const t0 = Date.now();
    await c.close();
    expect(Date.now() - t0).toBeLessThan(4000);
    dead.disconnect();
  });

  it('stores exactly what was received when it stops at once', async () => {
    const registry = createRegistry('collector');
    const c = await collect({ registry, syslog: { flushMs: 5, batchSize: 7 } });
    await send(
      c,
      Array.from({ length: 40 }, (_, i) => `<14>Dec  2 10:00:00 h app: closing-${i}`),
    );
    await eventually(async () =>
      (await metric(c, registry, 'hitless_syslog_received_total')).some((l) => l.endsWith(' 40')),
    );
    await c.close();
    const rows = await database.db.syslogMessage.findMany({ where: { message: { startsWith: 'closing-' } } });
    expect(rows).toHaveLength(40);
    expect(new Set(rows.map((r) => r.message)).size).toBe(40);
  });

  it('drops and counts what does not fit in a full queue, and stores the rest', async () => {
    const registry = createRegistry('collector');
    const c = await collect({ registry, syslog: { queueMax: 50, batchSize: 10_000, flushMs: 60_000 } });
    const texts = Array.from({ length: 80 }, (_, i) => `<14>Dec  2 10:00:00 h app: full-${i}`);
    await send(c, texts);
    await eventually(
      async () => (await metric(c, registry, 'hitless_syslog_received_total')).some((l) => l.endsWith(' 80')),
      {
        what: '80 received',
      },
    );
    expect(await metric(c, registry, 'hitless_syslog_dropped_total')).toContain(
      'hitless_syslog_dropped_total{reason="queue_full",service="collector"} 30',
    );
    await c.close();
    expect(await database.db.syslogMessage.count({ where: { message: { startsWith: 'full-' } } })).toBe(50);
  });

  it('deletes messages older than the retention through its BullMQ job scheduler', async () => {
    const old = new Date(Date.now() - 31 * 86_400_000);
    await database.db.syslogMessage.createMany({
      data: [
        { receivedAt: old, sourceAddress: '127.0.0.2', message: 'retention-old', raw: 'retention-old' },
        { sourceAddress: '127.0.0.2', message: 'retention-new', raw: 'retention-new' },
      ],
    });
    await collect({ retentionEveryMs: 200, syslog: { retentionMs: 30 * 86_400_000 } });
    await eventually(
      async () => (await database.db.syslogMessage.count({ where: { message: 'retention-old' } })) === 0,
      { timeoutMs: 10_000, what: 'the old message deleted' },
    );
    expect(await database.db.syslogMessage.count({ where: { message: 'retention-new' } })).toBe(1);
  });
});
