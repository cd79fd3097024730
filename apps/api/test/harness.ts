// An api instance per test file: its own database (cloned from the migrated template), its
// own Redis key prefix, the real app with every plugin. Requests go through app.inject (a
// real HTTP pipeline without a socket) unless a test needs a listening server.
import { rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { Writable } from 'node:stream';
import { loadConfig, type Config } from '@hitless/config';
import type { Role } from '@hitless/contracts';
import { hashPassword } from '@hitless/crypto';
import { createQueue, createRedis, EventPublisher, type Queue, type Redis } from '@hitless/messaging';
import { createTestDatabase, redisUrl, uniquePrefix, type TestDatabase } from '@hitless/testkit';
import type { FastifyInstance, InjectOptions, LightMyRequestResponse } from 'fastify';
import { pino } from 'pino';
import { afterAll, beforeAll } from 'vitest';
import { buildApp, REDACT } from '../src/app.ts';
import { registerLabFleet, type Lab } from '@hitless/lab';
import { labOf } from '@hitless/lab/testing';
import type { PlatformFamily } from '@hitless/sim';

export interface Harness {
  app: FastifyInstance;
  config: Config;
  database: TestDatabase;
  redis: Redis;
  upgrades: Queue;
  discoveries: Queue;
  campaignTicks: Queue;
  campaignPrechecks: Queue;
  /** Every log line the app wrote, for "never logs a secret" checks. */
  logs: string[];
  /** The dashboard's origin, which clients send as `Origin` the way the browser does. */
  origin: string;
  createUser(
    role: Role,
    options?: { username?: string; password?: string; mustChangePassword?: boolean },
  ): Promise<{ id: string; username: string; password: string }>;
  login(username: string, password: string): Promise<string>;
  /** A logged-in client of a new user with this role. */
  as(role: Role): Promise<Client>;
  close(): Promise<void>;
}

export interface Client {
  cookie: string;
  userId: string;
  username: string;
  /** Sends `Origin: <the dashboard's origin>` unless `headers.origin` says otherwise (undefined: none). */
  request(options: InjectOptions): Promise<LightMyRequestResponse>;
  get(url: string): Promise<LightMyRequestResponse>;
  post(url: string, payload?: unknown): Promise<LightMyRequestResponse>;
  patch(url: string, payload?: unknown): Promise<LightMyRequestResponse>;
  delete(url: string): Promise<LightMyRequestResponse>;
}

let counter = 0;

export async function startHarness(env: Record<string, string> = {}): Promise<Harness> {
  const database = await createTestDatabase();
  const config = loadConfig({
    NODE_ENV: 'test',
    DATABASE_URL: database.url,
    REDIS_URL: redisUrl(),
    // The database's key: its audit rows are keyed with it, as the api verifies them.
    HITLESS_SECRET_KEY: database.secretKey.toString('base64'),
    HITLESS_AUDIT_CHECKPOINT_FILE: path.join(os.tmpdir(), `hitless-audit-${database.name}.jsonl`),
    HITLESS_IMAGE_STORE_DIR: path.join(os.tmpdir(), `hitless-images-${database.name}`),
    HITLESS_QUEUE_PREFIX: uniquePrefix('api'),
    HITLESS_LOG_LEVEL: 'info',
    HITLESS_WEB_DIST: '/nonexistent',
    HITLESS_LOGIN_RATE_LIMIT: '1000',
    ...env,
  });
  const logs: string[] = [];
  const sink = new Writable({
    write(chunk: Buffer, _enc, done) {
      logs.push(chunk.toString('utf8'));
      done();
    },
  });
  const logger = pino({ level: 'trace', redact: REDACT }, sink);
  const redis = createRedis(config.redis.url);
  const upgrades = createQueue('device-upgrade', redis, config.redis.prefix);
  const discoveries = createQueue('device-discovery', redis, config.redis.prefix);
  const campaignTicks = createQueue('campaign-tick', redis, config.redis.prefix);
  const campaignPrechecks = createQueue('campaign-precheck', redis, config.redis.prefix);
  const app = await buildApp({
    config,
    db: database.db,
    redis,
    events: new EventPublisher(redis, config.redis.prefix),
    upgrades,
    discoveries,
    campaignTicks,
    campaignPrechecks,
    logger,
  });
  await app.ready();

  const createUser: Harness['createUser'] = async (role, options = {}) => {
    const username = options.username ?? `${role.toLowerCase()}-${++counter}-${Math.random().toString(36).slice(2, 6)}`;
    const password = options.password ?? `pw-${username}-long-enough`;
    const user = await database.db.user.create({
      data: {
        username,
        role,
        passwordHash: await hashPassword(password),
        mustChangePassword: options.mustChangePassword ?? false,
      },
    });
    return { id: user.id, username, password };
  };

  const login: Harness['login'] = async (username, password) => {
    const res = await app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { username, password } });
    if (res.statusCode !== 200) throw new Error(`login failed: ${res.statusCode} ${res.body}`);
    const cookie = res.cookies.find((c) => c.name === 'hitless_session');
    if (!cookie) throw new Error('no session cookie');
    return `hitless_session=${cookie.value}`;
  };

  // Like the dashboard in a browser, every request names the dashboard's origin; a test that
  // passes `origin: undefined` sends none (as curl does).
  const origin = env.HITLESS_PUBLIC_URL
    ? new URL(env.HITLESS_PUBLIC_URL).origin
    : `http://127.0.0.1:${env.HITLESS_PORT ?? '8080'}`;
  const client = (cookie: string, userId: string, username: string): Client => {
    const request = (options: InjectOptions) => {
      const given = new Map(Object.entries(options.headers ?? {}).map(([k, v]) => [k.toLowerCase(), v]));
      const merged = new Map<string, unknown>([['cookie', cookie], ['origin', origin], ...given]);
      const headers = Object.fromEntries([...merged].flatMap(([k, v]) => (v === undefined ? [] : [[k, String(v)]])));
      return app.inject({ ...options, headers });
    };
    return {
      cookie,
      userId,
      username,
      request,
      get: (url) => request({ method: 'GET', url }),
      post: (url, payload) =>
        request({
          method: 'POST',
          url,
          ...(payload !== undefined && { payload: payload as InjectOptions['payload'] }),
        }),
      patch: (url, payload) =>
        request({
          method: 'PATCH',
          url,
          ...(payload !== undefined && { payload: payload as InjectOptions['payload'] }),
        }),
      delete: (url) => request({ method: 'DELETE', url }),
    };
  };

  return {
    app,
    config,
    database,
    redis,
    upgrades,
    discoveries,
    campaignTicks,
    campaignPrechecks,
    logs,
    origin,
    createUser,
    login,
    as: async (role) => {
      const u = await createUser(role);
      return client(await login(u.username, u.password), u.id, u.username);
    },
    close: async () => {
      await app.close();
      await Promise.all([upgrades.close(), discoveries.close(), campaignTicks.close(), campaignPrechecks.close()]);
      await redis.quit();
      await database.drop();
      await rm(config.audit.checkpointFile, { force: true });
      await rm(config.images.storeDir, { recursive: true, force: true });
    },
  };
}

/** A valid device body; override what the test is about. */
export function deviceBody(overrides: Record<string, unknown> = {}) {
  counter++;
  return {
    hostname: `pe${counter}.lab`,
    mgmtAddress: `127.20.${Math.floor(counter / 250)}.${(counter % 250) + 1}`,
    vendor: 'CISCO_IOS',
    platform: 'c10k',
    site: 'LAB1',
    tags: ['lab'],
    ...overrides,
  };
}

/** A lab of simulated devices registered in the harness's inventory; `ids` by platform. */
export async function labInInventory(
  h: Harness,
  families: PlatformFamily[],
): Promise<{ lab: Lab; ids: Record<string, string> }> {
  const lab = await labOf(families);
  await registerLabFleet(h.database.db, h.config.secrets.key, lab.info());
  const ids: Record<string, string> = {};
  for (const d of await h.database.db.device.findMany()) ids[d.platform] = d.id;
  return { lab, ids };
}

export interface FileHarness {
  h: Harness;
  op: Client;
  viewer: Client;
  /** Set when the file asked for lab devices. */
  lab: Lab | undefined;
  ids: Record<string, string>;
}

/**
 * The set-up most API test files share: one harness for the file, an operator and a viewer, and
 * (when `lab` names platform families) the lab's devices in the inventory. Filled in before the
 * file's first test; the lab and the harness are closed after its last.
 */
export function fileHarness(options: { lab?: PlatformFamily[] } = {}): FileHarness {
  const t = { ids: {} } as FileHarness;
  beforeAll(async () => {
    t.h = await startHarness();
    if (options.lab) ({ lab: t.lab, ids: t.ids } = await labInInventory(t.h, options.lab));
    t.op = await t.h.as('OPERATOR');
    t.viewer = await t.h.as('VIEWER');
  });
  afterAll(async () => {
    await t.lab?.stop();
    await t.h?.close();
  });
  return t;
}
