// Longer than 300 lines: every setting of every process is declared here once, with its
// validation and its error message, so this file is the one reference the README's table follows.
// The one place that reads the environment. Every process parses it once at boot into a
// typed, nested config and passes the pieces it needs to the code that needs them.
import { readFileSync } from 'node:fs';
import { isIP } from 'node:net';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { z } from 'zod';

/** Repository root, for defaults that are paths (data directory, built web assets). */
export const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');

/** The product version, from the repository's package.json. */
export const version: string = (
  JSON.parse(readFileSync(path.join(repoRoot, 'package.json'), 'utf8')) as { version: string }
).version;

const bool = z
  .enum(['true', 'false', '1', '0', 'yes', 'no'])
  .transform((v) => v === 'true' || v === '1' || v === 'yes');

const port = z.coerce.number().int().min(0).max(65535);

/** Loopback only by default: the product binds to 127.0.0.0/8 or ::1 unless told otherwise. */
const host = z.string().min(1).default('127.0.0.1');

/** An IANA time zone the platform knows (luxon's IANAZone.isValidZone asks Intl the same way). */
const timeZone = z
  .string()
  .default('UTC')
  .refine(
    (v) => {
      try {
        new Intl.DateTimeFormat('en-US', { timeZone: v });
        return true;
      } catch {
        return false;
      }
    },
    { error: 'must be an IANA time zone, such as UTC or Europe/Zurich' },
  );

const commaList = (v: string) =>
  v
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);

/** proxy-addr's names for whole ranges, accepted beside addresses and CIDR networks. */
const PROXY_RANGES = new Set(['loopback', 'linklocal', 'uniquelocal']);

function proxyEntryProblem(entry: string): string | null {
  if (PROXY_RANGES.has(entry)) return null;
  if (/^(true|yes|1|\*)$/i.test(entry) || /\/0+$/.test(entry))
    return 'trusting every peer lets any client choose its address with X-Forwarded-For; list the addresses or networks of your reverse proxies instead (e.g. 127.0.0.1,10.0.0.0/8)';
  const [address = '', bits, extra] = entry.split('/');
  const family = isIP(address);
  if (!family || extra !== undefined)
    return `"${entry}" is not an IP address, a network (CIDR) or loopback/linklocal/uniquelocal`;
  if (bits !== undefined && (!/^\d{1,3}$/.test(bits) || Number(bits) > (family === 4 ? 32 : 128)))
    return `"${entry}" has an invalid prefix length`;
  // Several wide networks add up to everyone (0.0.0.0/1,128.0.0.0/1; ::ffff:0:0/96 is every IPv4
  // peer): no proxy fleet needs more than a /8, of IPv4 or of IPv6 (fd00::/8).
  if (bits !== undefined) {
    // The WHATWG URL parser writes an IPv6 address in its one canonical form (0::ffff:0:0 and
    // 0:0:0:0:0:ffff:0:0 both become ::ffff:0:0).
    const mapped = family === 6 && /^\[::ffff:/i.test(new URL(`http://[${address}]`).host);
    const widest = family === 4 ? 8 : mapped ? 104 : 8;
    if (Number(bits) < widest)
      return `"${entry}" is too wide a network to trust (wider than /${widest}): list the addresses or networks of your reverse proxies instead`;
  }
  return null;
}

/**
 * The reverse proxies whose X-Forwarded-For / -Proto is believed (comma-separated addresses and
 * networks); none by default. Never everyone (`true`, `*`): any client could then choose the
 * address that the login rate limit counts and the audit records.
 */
const trustProxy = z
  .string()
  .default('')
  .transform((v, ctx) => {
    const entries = commaList(v);
    if (entries.length === 1 && /^(false|no|0|none)$/i.test(entries[0]!)) return [];
    for (const entry of entries) {
      const problem = proxyEntryProblem(entry);
      if (problem) {
        ctx.addIssue({ code: 'custom', message: problem });
        return z.NEVER;
      }
    }
    return entries;
  });

/** An http(s) origin as a browser sends it in `Origin`: scheme://host[:port]. */
function originOf(text: string): string | null {
  try {
    const url = new URL(text);
    return /^https?:$/.test(url.protocol) && url.username === '' && url.password === '' ? url.origin : null;
  } catch {
    return null;
  }
}

/** The URL users open the dashboard at; its origin is the one allowed to make changes with the cookie. */
const publicUrl = z.string().transform((v, ctx) => {
  const origin = originOf(v.trim());
  if (!origin) {
    ctx.addIssue({ code: 'custom', message: 'must be the http(s) URL users open the dashboard at' });
    return z.NEVER;
  }
  return origin;
});

/** Further origins allowed besides the public URL's (comma-separated, exact: no wildcards). */
const allowedOrigins = z
  .string()
  .default('')
  .transform((v, ctx) => {
    const origins: string[] = [];
    for (const entry of commaList(v)) {
      const origin = originOf(entry);
      if (!origin || origin !== entry.replace(/\/$/, '').toLowerCase()) {
        ctx.addIssue({
          code: 'custom',
          message: `"${entry}" is not an origin (scheme://host[:port], e.g. https://hitless.example.net; no wildcards or paths)`,
        });
        return z.NEVER;
      }
      origins.push(origin);
    }
    return origins;
  });

/** The 32-byte key that seals device secrets, written as 64 hex characters or base64. */
export function parseSecretKey(text: string): Buffer {
  const trimmed = text.trim();
  const buf = /^[0-9a-f]{64}$/i.test(trimmed) ? Buffer.from(trimmed, 'hex') : Buffer.from(trimmed, 'base64');
  if (buf.length !== 32) throw new ConfigError('must be 32 bytes, as 64 hex characters or base64');
  return buf;
}

const secretKey = z.string().transform((v, ctx) => {
  try {
    return parseSecretKey(v);
  } catch (err) {
    ctx.addIssue({ code: 'custom', message: (err as Error).message });
    return z.NEVER;
  }
});

const logLevel = z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info');

/**
 * How long the engine waits for things a real device does at its own pace (seconds): an RP/RE
 * reload, a Junos in-service upgrade, a device coming back after a switchover, a command's
 * effect showing (the settle window before a command that seems not to have taken goes again). The launcher
 * divides them by the demo lab's time scale; the engine only ever sees the result.
 */
export const DEVICE_TIMEOUTS_S = { reload: 45 * 60, issu: 3 * 3600, reconnect: 3600, settle: 120 } as const;

const serviceEnv = z.object({
  NODE_ENV: z.enum(['development', 'production', 'test']).default('development'),
  DATABASE_URL: z.url({ protocol: /^postgres(ql)?$/ }),
  REDIS_URL: z.url({ protocol: /^rediss?$/ }),
  HITLESS_SECRET_KEY: secretKey,
  HITLESS_HOST: host,
  HITLESS_PORT: port.default(8080),
  HITLESS_LOG_LEVEL: logLevel,
  HITLESS_QUEUE_PREFIX: z
    .string()
    .regex(/^[a-zA-Z0-9:_-]+$/)
    .default('hitless'),
  HITLESS_SESSION_TTL_HOURS: z.coerce
    .number()
    .positive()
    .max(24 * 30)
    .default(12),
  HITLESS_COOKIE_SECURE: bool.default(false),
  HITLESS_TRUST_PROXY: trustProxy,
  HITLESS_PUBLIC_URL: publicUrl.optional(),
  HITLESS_ALLOWED_ORIGINS: allowedOrigins,
  HITLESS_LOGIN_RATE_LIMIT: z.coerce.number().int().positive().default(10),
  HITLESS_WEB_DIST: z.string().default(path.join(repoRoot, 'apps/web/dist')),
  /** The image store: uploaded image files (and uploads under way) in this directory. */
  HITLESS_IMAGE_STORE_DIR: z
    .string()
    .min(1)
    .default(path.join(repoRoot, '.data', 'images')),
  HITLESS_WORKER_CONCURRENCY: z.coerce.number().int().min(1).max(500).default(8),
  // A dead worker's job moves on when its lock expires (renewed every half lock) and the next
  // stall check runs: at most lock + stalled, 15 s by default.
  HITLESS_JOB_LOCK_MS: z.coerce.number().int().min(1000).default(10_000),
  HITLESS_JOB_STALLED_MS: z.coerce.number().int().min(500).default(5000),
  /** The campaign scheduler's periodic tick (a backstop: ticks also follow run ends and wake-ups). */
  HITLESS_CAMPAIGN_TICK_MS: z.coerce.number().int().min(100).default(5000),
  /** A run whose driver's heartbeat is older than this may be taken by another driver. */
  HITLESS_RUN_LEASE_STALE_MS: z.coerce.number().int().min(1000).default(10_000),
  HITLESS_ENGINE_POLL_MS: z.coerce.number().int().min(50).default(2000),
  HITLESS_ENGINE_RELOAD_TIMEOUT_S: z.coerce.number().positive().default(DEVICE_TIMEOUTS_S.reload),
  HITLESS_ENGINE_ISSU_TIMEOUT_S: z.coerce.number().positive().default(DEVICE_TIMEOUTS_S.issu),
  HITLESS_ENGINE_RECONNECT_TIMEOUT_S: z.coerce.number().positive().default(DEVICE_TIMEOUTS_S.reconnect),
  HITLESS_ENGINE_COMMAND_TIMEOUT_S: z.coerce.number().positive().default(120),
  HITLESS_ENGINE_SETTLE_S: z.coerce.number().positive().default(DEVICE_TIMEOUTS_S.settle),
  /** Refuse devices with no pinned SSH host key (no trust on first use). */
  HITLESS_SSH_STRICT_HOST_KEYS: bool.default(false),
  /** The lab of simulated chassis (its API and bearer token): asked what each switchover cost in traffic. */
  HITLESS_LAB_API_URL: z.url({ protocol: /^https?$/ }).optional(),
  HITLESS_LAB_API_TOKEN: z.string().min(1).optional(),
  /** Chaos testing only: the worker kills itself (SIGKILL) right after finishing this step. */
  HITLESS_CHAOS_KILL_AFTER_STEP: z.string().optional(),
  /** Signed checkpoints of the audit chain's head, outside the database (packages/db/src/audit-checkpoints.ts). */
  HITLESS_AUDIT_CHECKPOINT_FILE: z
    .string()
    .min(1)
    .default(path.join(repoRoot, '.data', 'audit-checkpoints.jsonl')),
  HITLESS_AUDIT_CHECKPOINT_INTERVAL_S: z.coerce.number().int().min(1).default(300),
  /** The syslog collector's listeners (UDP and TCP on the same port number by default; 514 needs root). */
  HITLESS_SYSLOG_HOST: host,
  HITLESS_SYSLOG_UDP_PORT: port.default(5514),
  HITLESS_SYSLOG_TCP_PORT: port.default(5514),
  /** The UDP socket's receive buffer; the kernel caps it at net.core.rmem_max (the collector logs what it got). */
  HITLESS_SYSLOG_RECV_BUFFER_BYTES: z.coerce
    .number()
    .int()
    .min(65_536)
    .default(32 * 1024 * 1024),
  HITLESS_SYSLOG_BATCH_SIZE: z.coerce.number().int().min(1).max(10_000).default(1000),
  HITLESS_SYSLOG_FLUSH_MS: z.coerce.number().int().min(1).max(60_000).default(100),
  /** Messages held in memory while PostgreSQL is slow or away; beyond it they are dropped, and counted. */
  HITLESS_SYSLOG_QUEUE_MAX: z.coerce.number().int().min(1000).default(200_000),
  HITLESS_SYSLOG_MAX_MESSAGE_BYTES: z.coerce.number().int().min(480).max(1_048_576).default(65_536),
  HITLESS_SYSLOG_RETENTION_DAYS: z.coerce.number().positive().max(3650).default(30),
  /** The zone of RFC 3164 timestamps that carry none the parser trusts (their devices' clocks). */
  HITLESS_SYSLOG_TIME_ZONE: timeZone,
  /** Each process's /metrics, /healthz and /readyz server (worker, collector; the api serves them on its own port). */
  HITLESS_METRICS_HOST: host,
  HITLESS_METRICS_PORT: port.optional(),
  /** When set, /metrics wants `Authorization: Bearer <token>`; when unset it answers loopback peers only. */
  HITLESS_METRICS_TOKEN: z.string().min(16, { error: 'must be at least 16 characters' }).optional(),
});

export interface Config {
  env: 'development' | 'production' | 'test';
  http: {
    host: string;
    port: number;
    cookieSecure: boolean;
    /** Proxy addresses / networks for Fastify's trustProxy; empty: trust none. */
    trustProxy: string[];
    /** The origin of HITLESS_PUBLIC_URL; null: derived from host and port (see apps/api/src/plugins/origin.ts). */
    publicOrigin: string | null;
    allowedOrigins: string[];
    webDist: string;
  };
  database: { url: string };
  /** Where image files are kept (apps/api/src/services/image-store.ts). */
  images: { storeDir: string };
  redis: { url: string; prefix: string };
  secrets: { key: Buffer };
  audit: { checkpointFile: string; checkpointIntervalMs: number };
  auth: { sessionTtlMs: number; loginRateLimitPerMinute: number };
  log: { level: z.infer<typeof logLevel> };
  worker: {
    concurrency: number;
    lockMs: number;
    stalledMs: number;
    chaosKillAfterStep: string | null;
    /** Period of each active campaign's scheduler tick. */
    campaignTickMs: number;
  };
  engine: EngineConfig;
  syslog: SyslogConfig;
  metrics: {
    host: string;
    /** null: the process's own default (worker 9102, collector 9103). */
    port: number | null;
    token: string | null;
  };
}

/** The syslog collector (apps/collector). */
export interface SyslogConfig {
  host: string;
  udpPort: number;
  tcpPort: number;
  recvBufferBytes: number;
  batchSize: number;
  flushMs: number;
  queueMax: number;
  maxMessageBytes: number;
  retentionMs: number;
  /** IANA zone for RFC 3164 timestamps without a trusted zone of their own. */
  timeZone: string;
}

/** How the upgrade engine paces itself and how long it waits for devices. */
export interface EngineConfig {
  pollMs: number;
  /** A run lease whose heartbeat is older than this is free (the heartbeat runs five times as often). */
  leaseStaleMs: number;
  reloadTimeoutMs: number;
  issuTimeoutMs: number;
  reconnectTimeoutMs: number;
  commandTimeoutMs: number;
  /** How long a device is given to show a command's effect before the command may go again. */
  settleMs: number;
  /** Refuse SSH to a device with no pinned host key, instead of trusting its key on first use. */
  strictHostKeys: boolean;
  /** The lab's API, asked for the traffic lost at each switchover (packages/engine/src/traffic.ts); absent or null: nothing is asked. */
  labApi?: { url: string; token: string } | null;
}

export class ConfigError extends Error {
  override name = 'ConfigError';
}

function formatIssues(error: z.ZodError): string {
  return error.issues.map((i) => `  ${i.path.join('.') || '(root)'}: ${i.message}`).join('\n');
}

/** Configuration of the api and worker processes. Throws ConfigError naming every bad variable. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const parsed = serviceEnv.safeParse(env);
  if (!parsed.success) throw new ConfigError(`Invalid environment:\n${formatIssues(parsed.error)}`);
  const e = parsed.data;
  if ((e.HITLESS_LAB_API_URL === undefined) !== (e.HITLESS_LAB_API_TOKEN === undefined))
    throw new ConfigError(
      'Invalid environment:\n  HITLESS_LAB_API_URL / HITLESS_LAB_API_TOKEN: set both (the lab API and its bearer token) or neither',
    );
  return {
    env: e.NODE_ENV,
    http: {
      host: e.HITLESS_HOST,
      port: e.HITLESS_PORT,
      cookieSecure: e.HITLESS_COOKIE_SECURE,
      trustProxy: e.HITLESS_TRUST_PROXY,
      publicOrigin: e.HITLESS_PUBLIC_URL ?? null,
      allowedOrigins: e.HITLESS_ALLOWED_ORIGINS,
      webDist: e.HITLESS_WEB_DIST,
    },
    database: { url: e.DATABASE_URL },
    images: { storeDir: path.resolve(e.HITLESS_IMAGE_STORE_DIR) },
    redis: { url: e.REDIS_URL, prefix: e.HITLESS_QUEUE_PREFIX },
    secrets: { key: e.HITLESS_SECRET_KEY },
    audit: {
      checkpointFile: path.resolve(e.HITLESS_AUDIT_CHECKPOINT_FILE),
      checkpointIntervalMs: e.HITLESS_AUDIT_CHECKPOINT_INTERVAL_S * 1000,
    },
    auth: {
      sessionTtlMs: e.HITLESS_SESSION_TTL_HOURS * 3600_000,
      loginRateLimitPerMinute: e.HITLESS_LOGIN_RATE_LIMIT,
    },
    log: { level: e.HITLESS_LOG_LEVEL },
    worker: {
      concurrency: e.HITLESS_WORKER_CONCURRENCY,
      lockMs: e.HITLESS_JOB_LOCK_MS,
      stalledMs: e.HITLESS_JOB_STALLED_MS,
      chaosKillAfterStep: e.HITLESS_CHAOS_KILL_AFTER_STEP ?? null,
      campaignTickMs: e.HITLESS_CAMPAIGN_TICK_MS,
    },
    engine: {
      pollMs: e.HITLESS_ENGINE_POLL_MS,
      leaseStaleMs: e.HITLESS_RUN_LEASE_STALE_MS,
      reloadTimeoutMs: e.HITLESS_ENGINE_RELOAD_TIMEOUT_S * 1000,
      issuTimeoutMs: e.HITLESS_ENGINE_ISSU_TIMEOUT_S * 1000,
      reconnectTimeoutMs: e.HITLESS_ENGINE_RECONNECT_TIMEOUT_S * 1000,
      commandTimeoutMs: e.HITLESS_ENGINE_COMMAND_TIMEOUT_S * 1000,
      settleMs: e.HITLESS_ENGINE_SETTLE_S * 1000,
      strictHostKeys: e.HITLESS_SSH_STRICT_HOST_KEYS,
      labApi:
        e.HITLESS_LAB_API_URL && e.HITLESS_LAB_API_TOKEN
          ? { url: e.HITLESS_LAB_API_URL, token: e.HITLESS_LAB_API_TOKEN }
          : null,
    },
    syslog: {
      host: e.HITLESS_SYSLOG_HOST,
      udpPort: e.HITLESS_SYSLOG_UDP_PORT,
      tcpPort: e.HITLESS_SYSLOG_TCP_PORT,
      recvBufferBytes: e.HITLESS_SYSLOG_RECV_BUFFER_BYTES,
      batchSize: e.HITLESS_SYSLOG_BATCH_SIZE,
      flushMs: e.HITLESS_SYSLOG_FLUSH_MS,
      queueMax: e.HITLESS_SYSLOG_QUEUE_MAX,
      maxMessageBytes: e.HITLESS_SYSLOG_MAX_MESSAGE_BYTES,
      retentionMs: e.HITLESS_SYSLOG_RETENTION_DAYS * 86_400_000,
      timeZone: e.HITLESS_SYSLOG_TIME_ZONE,
    },
    metrics: {
      host: e.HITLESS_METRICS_HOST,
      port: e.HITLESS_METRICS_PORT ?? null,
      token: e.HITLESS_METRICS_TOKEN ?? null,
    },
  };
}

const launcherEnv = z.object({
  DATABASE_URL: z.url({ protocol: /^postgres(ql)?$/ }).optional(),
  DATABASE_OWNER_URL: z.url({ protocol: /^postgres(ql)?$/ }).optional(),
  REDIS_URL: z.url({ protocol: /^rediss?$/ }).optional(),
  HITLESS_SECRET_KEY: z.string().optional(),
  HITLESS_DATA_DIR: z.string().default(path.join(repoRoot, '.data')),
  HITLESS_HOST: host,
  HITLESS_PORT: port.default(8080),
  HITLESS_LOG_LEVEL: logLevel,
  HITLESS_ADMIN_PASSWORD: z.string().min(12).optional(),
  HITLESS_SKIP_WEB_BUILD: bool.default(false),
  HITLESS_REDIS_SERVER: z.string().min(1).default('redis-server'),
  HITLESS_LAB: bool.default(true),
  HITLESS_LAB_DEVICES: z.coerce.number().int().min(1).max(5000).default(12),
  HITLESS_LAB_TIME_SCALE: z.coerce.number().positive().max(100_000).default(30),
  // Port 22 needs root; everyone else gets 2222 unless they say otherwise.
  HITLESS_LAB_SSH_PORT: port.default(process.getuid?.() === 0 ? 22 : 2222),
  HITLESS_LAB_BASE_ADDRESS: z
    .string()
    .regex(/^127\.\d+\.\d+\.\d+$/, { error: 'must be in 127.0.0.0/8' })
    .default('127.10.0.0'),
  /** Where `npm start`'s worker and collector serve /metrics, /healthz and /readyz (0: any free port). */
  HITLESS_WORKER_METRICS_PORT: port.default(9102),
  HITLESS_COLLECTOR_METRICS_PORT: port.default(9103),
});

export interface LauncherConfig {
  dataDir: string;
  databaseUrl: string | undefined;
  /** The owner role's URL for migrations (external PostgreSQL); DATABASE_URL when unset. */
  databaseOwnerUrl: string | undefined;
  redisUrl: string | undefined;
  /** Raw key text when given; otherwise the launcher keeps one in the data directory. */
  secretKey: string | undefined;
  host: string;
  port: number;
  logLevel: z.infer<typeof logLevel>;
  /** Initial admin password for unattended set-ups (tests); otherwise a random one-time password. */
  adminPassword: string | undefined;
  skipWebBuild: boolean;
  /** The redis-server binary for the embedded Redis. */
  redisServer: string;
  /** The lab of simulated chassis started with the product (`HITLESS_LAB=false` to skip). */
  lab: { enabled: boolean; devices: number; timeScale: number; sshPort: number; baseAddress: string };
  /** The metrics / health ports of the worker and the collector `npm start` runs. */
  metricsPorts: { worker: number; collector: number };
  /** The environment the launcher was given, passed on to its children. */
  passthroughEnv: NodeJS.ProcessEnv;
}

/** Configuration of `npm start`: every external service is optional and embedded when absent. */
export function loadLauncherConfig(env: NodeJS.ProcessEnv = process.env): LauncherConfig {
  const parsed = launcherEnv.safeParse(env);
  if (!parsed.success) throw new ConfigError(`Invalid environment:\n${formatIssues(parsed.error)}`);
  const e = parsed.data;
  if (e.HITLESS_SECRET_KEY !== undefined) {
    const key = secretKey.safeParse(e.HITLESS_SECRET_KEY);
    if (!key.success)
      throw new ConfigError(`Invalid environment:\n  HITLESS_SECRET_KEY: ${key.error.issues[0]?.message}`);
  }
  return {
    dataDir: path.resolve(e.HITLESS_DATA_DIR),
    databaseUrl: e.DATABASE_URL,
    databaseOwnerUrl: e.DATABASE_OWNER_URL,
    redisUrl: e.REDIS_URL,
    secretKey: e.HITLESS_SECRET_KEY,
    host: e.HITLESS_HOST,
    port: e.HITLESS_PORT,
    logLevel: e.HITLESS_LOG_LEVEL,
    adminPassword: e.HITLESS_ADMIN_PASSWORD,
    skipWebBuild: e.HITLESS_SKIP_WEB_BUILD,
    redisServer: e.HITLESS_REDIS_SERVER,
    lab: {
      enabled: e.HITLESS_LAB,
      devices: e.HITLESS_LAB_DEVICES,
      timeScale: e.HITLESS_LAB_TIME_SCALE,
      sshPort: e.HITLESS_LAB_SSH_PORT,
      baseAddress: e.HITLESS_LAB_BASE_ADDRESS,
    },
    metricsPorts: { worker: e.HITLESS_WORKER_METRICS_PORT, collector: e.HITLESS_COLLECTOR_METRICS_PORT },
    passthroughEnv: { ...env },
  };
}

/** DATABASE_URL alone, for tools that only touch the database (migrations). */
export function loadDatabaseUrl(env: NodeJS.ProcessEnv = process.env): string {
  const parsed = z.object({ DATABASE_URL: serviceEnv.shape.DATABASE_URL }).safeParse(env);
  if (!parsed.success) throw new ConfigError(`Invalid environment:\n${formatIssues(parsed.error)}`);
  return parsed.data.DATABASE_URL;
}

/**
 * The URL migrations (and the audit re-key) run with: DATABASE_OWNER_URL, the role that owns
 * the tables; DATABASE_URL when there is only one role. The secret key when the tool needs it.
 */
export function loadOwnerDatabaseEnv(env: NodeJS.ProcessEnv = process.env): {
  ownerUrl: string;
  secretKey: Buffer | null;
  /** The api's audit checkpoint file, when given. */
  checkpointFile: string | null;
} {
  const parsed = z
    .object({
      DATABASE_OWNER_URL: serviceEnv.shape.DATABASE_URL.optional(),
      DATABASE_URL: serviceEnv.shape.DATABASE_URL.optional(),
      HITLESS_SECRET_KEY: secretKey.optional(),
      HITLESS_AUDIT_CHECKPOINT_FILE: z.string().min(1).optional(),
    })
    .refine((e) => e.DATABASE_OWNER_URL ?? e.DATABASE_URL, { error: 'set DATABASE_OWNER_URL (or DATABASE_URL)' })
    .safeParse(env);
  if (!parsed.success) throw new ConfigError(`Invalid environment:\n${formatIssues(parsed.error)}`);
  return {
    ownerUrl: (parsed.data.DATABASE_OWNER_URL ?? parsed.data.DATABASE_URL)!,
    secretKey: parsed.data.HITLESS_SECRET_KEY ?? null,
    checkpointFile: parsed.data.HITLESS_AUDIT_CHECKPOINT_FILE ?? null,
  };
}

/** The environment for a child process: this process's own (PATH, locale…) plus `extra`. */
export function inheritedEnv(extra: Record<string, string | undefined> = {}): NodeJS.ProcessEnv {
  return { ...process.env, ...extra };
}

/** A minimal environment (PATH, HOME, TMPDIR) for third-party servers: no secrets leak into them. */
export function systemEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const { PATH, HOME, TMPDIR } = process.env;
  return { ...(PATH && { PATH }), ...(HOME && { HOME }), ...(TMPDIR && { TMPDIR }), ...extra };
}
