// What `npm start` runs, as services the supervisor can (re)start: the embedded PostgreSQL and
// Redis (a restart keeps their port and password, so every client's URL stays valid), and our
// own Node services. Also the engine timeouts that fit the demo lab's time scale.
import path from 'node:path';
import { DEVICE_TIMEOUTS_S, repoRoot } from '@hitless/config';
import { startEmbeddedPostgres, startRedis, type ServiceHandle } from '@hitless/runtime';
import { spawnService } from './children.ts';
import type { Running, Service } from './supervisor.ts';

const lastLine = (text: string) =>
  text
    .split('\n')
    .map((l) => l.trim())
    .filter(Boolean)
    .at(-1) ?? null;

function running(h: ServiceHandle): Running {
  return {
    pid: h.pid,
    exited: h.exited ?? new Promise(() => undefined),
    stop: h.stop,
    lastWords: () => lastLine(h.logTail?.() ?? ''),
  };
}

const portOf = (url: string) => Number(new URL(url).port);

/**
 * The embedded PostgreSQL; `onUrl` hears the application role's URL and the owner's (for
 * migrations), the same on every restart.
 */
export function postgresService(dataDir: string, onUrl: (url: string, ownerUrl: string) => void): Service {
  let port: number | undefined;
  return {
    name: 'PostgreSQL',
    logFile: path.join(dataDir, 'postgres.log'),
    async start() {
      const h = await startEmbeddedPostgres({ baseDir: dataDir, ...(port && { port }) });
      port = portOf(h.url);
      onUrl(h.url, h.ownerUrl);
      return running(h);
    },
  };
}

export function redisService(dataDir: string, binary: string, onUrl: (url: string) => void): Service {
  let same: { port: number; password: string } | undefined;
  return {
    name: 'Redis',
    logFile: path.join(dataDir, 'redis', 'redis.log'),
    async start() {
      const h = await startRedis({ dir: path.join(dataDir, 'redis'), binary, ...same });
      const u = new URL(h.url);
      same = { port: Number(u.port), password: decodeURIComponent(u.password) };
      onUrl(h.url);
      return running(h);
    },
  };
}

export interface NodeServiceOptions {
  name: string;
  entry: string;
  readyMessage: string;
  logs: string;
  env: () => NodeJS.ProcessEnv;
  args: () => string[];
  onAlert: (name: string, line: string) => void;
  /** Hears the ready message of every (re)start. */
  onReady: (message: Record<string, unknown>, attempt: number) => Promise<void> | void;
}

/** One of our services (api, worker, lab) as a child process with an IPC channel. */
export function nodeService(o: NodeServiceOptions): Service {
  const logFile = path.join(o.logs, `${o.name}.log`);
  return {
    name: o.name,
    logFile,
    async start(attempt) {
      const { service, message } = await spawnService({
        name: o.name,
        entry: path.join(repoRoot, o.entry),
        args: o.args(),
        env: o.env(),
        logFile,
        onAlert: o.onAlert,
        readyMessage: o.readyMessage,
      });
      try {
        await o.onReady(message, attempt);
      } catch (err) {
        // Started but not usable (its registration failed): stop it, or it holds its ports.
        await service.stop();
        throw err;
      }
      return { pid: service.child.pid!, exited: service.ended, stop: service.stop, lastWords: service.lastWords };
    },
  };
}

/** Below this, a scaled timeout would be shorter than the SSH round trips around it. */
const MIN_SCALED_S = 30;

/**
 * The engine's device timeouts for a lab that runs `timeScale` times faster than real devices,
 * unless the user set them: a standby that never comes up hot gives up in 90 s at scale 30, not
 * 45 minutes.
 */
export function demoEngineEnv(timeScale: number, given: NodeJS.ProcessEnv): Record<string, string> {
  const scaled = (seconds: number) => String(Math.max(MIN_SCALED_S, Math.ceil(seconds / timeScale)));
  const out: Record<string, string> = {};
  const set = (name: string, seconds: number) => {
    if (given[name] === undefined) out[name] = scaled(seconds);
  };
  set('HITLESS_ENGINE_RELOAD_TIMEOUT_S', DEVICE_TIMEOUTS_S.reload);
  set('HITLESS_ENGINE_ISSU_TIMEOUT_S', DEVICE_TIMEOUTS_S.issu);
  set('HITLESS_ENGINE_RECONNECT_TIMEOUT_S', DEVICE_TIMEOUTS_S.reconnect);
  if (given.HITLESS_ENGINE_SETTLE_S === undefined) {
    // A command's effect shows within seconds on the lab; a short settle keeps the demo brisk.
    out.HITLESS_ENGINE_SETTLE_S = String(Math.max(5, Math.ceil(DEVICE_TIMEOUTS_S.settle / timeScale)));
  }
  return out;
}

/**
 * Where the worker finds the lab the launcher started (its API's URL and bearer token), so the
 * engine can ask what each switchover cost in traffic; nothing when there is no lab, or when the
 * user pointed the worker at a lab API of their own.
 */
export function labApiEnv(apiUrl: string | null, token: string, given: NodeJS.ProcessEnv): Record<string, string> {
  if (!apiUrl || given.HITLESS_LAB_API_URL !== undefined || given.HITLESS_LAB_API_TOKEN !== undefined) return {};
  return { HITLESS_LAB_API_URL: apiUrl, HITLESS_LAB_API_TOKEN: token };
}

/**
 * The lab's command line. Every value goes inline (`--name=value`): node's parseArgs takes a
 * separate value that starts with a dash for an option, and a random token sometimes does.
 */
export function labArguments(options: {
  devices: number;
  timeScale: number;
  sshPort: number;
  baseAddress: string;
  api: string;
  apiToken: string;
  stateDir: string;
  /** Where the devices send syslog (the collector's UDP address). */
  syslog: string;
}): string[] {
  const values: [string, string | number][] = [
    ['devices', options.devices],
    ['time-scale', options.timeScale],
    ['port', options.sshPort],
    ['base-address', options.baseAddress],
    ['api', options.api],
    ['api-token', options.apiToken],
    ['state-dir', options.stateDir],
    ['syslog', options.syslog],
  ];
  return [...values.map(([name, value]) => `--${name}=${value}`), '--quiet'];
}
