// The worker's ops server after one real upgrade: a worker process (apps/worker/src/main.ts, as
// the launcher starts it) drives a lab run over SSH; its /metrics then shows the run it finished
// and each of its steps, its jobs and SSH sessions, its /healthz and /readyz answer; and the
// api, built on the same database and queues, counts the run among its runs by status; and the
// collector the lab sends its syslog to counts the run's messages.
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { rm } from 'node:fs/promises';
import { loadConfig } from '@hitless/config';
import { createQueue, enqueue, EventPublisher } from '@hitless/messaging';
import { startCollector, type Collector } from '@hitless/collector';
import { createRegistry, parseMetrics, samplesOf, type Registry, type Sample } from '@hitless/metrics';
import { redisUrl, uniquePrefix } from '@hitless/testkit';
import { eventually } from '@hitless/testkit/poll';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../api/src/app.ts';
import { startBed, stepNames, type Bed } from '../../../packages/engine/test/harness.ts';
import { startWorker, stopWorker, untilTerminal, type WorkerProcess } from './workers.ts';

let bed: Bed;
let worker: WorkerProcess;
let metricsPort: number;
let prefix: string;
let collector: Collector;
let collectorRegistry: Registry;
const previousPort = process.env.HITLESS_METRICS_PORT;

beforeAll(async () => {
  bed = await startBed(['c10k']);
  prefix = uniquePrefix('metrics');
  // An ephemeral port: other test files run workers on this machine at the same time.
  process.env.HITLESS_METRICS_PORT = '0';
  worker = startWorker(bed, prefix);
  const ready = new Promise<number>((resolve, reject) => {
    worker.child.on('message', (m: { type?: string; metricsPort?: number | null }) => {
      if (m.type !== 'ready') return;
      if (typeof m.metricsPort === 'number') resolve(m.metricsPort);
      else reject(new Error('the worker started without its ops server'));
    });
  });
  await worker.ready;
  metricsPort = await ready;
  collectorRegistry = createRegistry('collector');
  collector = await startCollector({
    syslog: { ...loadConfig(serviceEnv()).syslog, udpPort: 0, tcpPort: 0, flushMs: 20 },
    db: bed.db,
    redis: bed.redis,
    prefix,
    events: null,
    registry: collectorRegistry,
    logger: pino({ level: 'silent' }),
  });
  bed.lab.syslog.target = { host: '127.0.0.1', port: collector.udpPort, format: '3164' };
}, 60_000);

afterAll(async () => {
  if (previousPort === undefined) delete process.env.HITLESS_METRICS_PORT;
  else process.env.HITLESS_METRICS_PORT = previousPort;
  if (worker) await stopWorker(worker);
  await collector?.close();
  await bed?.close();
});

const ops = (p: string, init?: RequestInit) => fetch(`http://127.0.0.1:${metricsPort}${p}`, init);

async function scrapeWorker(): Promise<Sample[]> {
  const res = await ops('/metrics');
  expect(res.status).toBe(200);
  return parseMetrics(await res.text());
}

const valueOf = (samples: Sample[], name: string, labels: Record<string, string>) =>
  samplesOf(samples, name, labels)[0]?.value;

describe('worker metrics', () => {
  it('answers /healthz and /readyz from its ops server', async () => {
    const health = await ops('/healthz');
    expect([health.status, await health.json()]).toEqual([200, { status: 'ok' }]);
    const ready = await ops('/readyz');
    expect([ready.status, await ready.json()]).toEqual([200, { status: 'ok', database: 'up', redis: 'up' }]);
  });

  it('after a lab upgrade: the finished run, its steps, its job and its SSH session; the api counts the run', async () => {
    const hostname = bed.devices[0]!.hostname;
    const queue = createQueue('device-upgrade', bed.redis, prefix);
    try {
      const before = await scrapeWorker();
      expect(valueOf(before, 'hitless_run_finished_total', { procedure: 'CISCO_ISSU', status: 'COMPLETED' })).toBe(0);
      expect(valueOf(before, 'hitless_ssh_sessions_open', {})).toBe(0);

      const runId = await bed.createRun(hostname, '12.2(33)SB9', { rollbackTimerSeconds: 7200 });
      await enqueue(queue, 'device-upgrade', { runId });
      const run = await untilTerminal(bed, runId, 120_000);
      expect(run.status, run.summary ?? '').toBe('COMPLETED');

      // The job's own completion follows the run's end by a moment.
      const after = await eventually(
        async () => {
          const s = await scrapeWorker();
          return (
            valueOf(s, 'hitless_jobs_processed_total', { queue: 'device-upgrade', result: 'completed' }) === 1 && s
          );
        },
        { timeoutMs: 10_000, what: 'the upgrade job counted as completed' },
      );
      expect(valueOf(after, 'hitless_run_finished_total', { procedure: 'CISCO_ISSU', status: 'COMPLETED' })).toBe(1);
      expect(valueOf(after, 'hitless_run_finished_total', { procedure: 'CISCO_ISSU', status: 'FAILED' })).toBe(0);
      const steps = await stepNames(bed.db, runId);
      expect(steps.length).toBeGreaterThan(5);
      for (const step of new Set(steps)) {
        const count = valueOf(after, 'hitless_step_duration_seconds_count', {
          procedure: 'CISCO_ISSU',
          step,
          status: 'SUCCEEDED',
          service: 'worker',
        });
        expect(count, step).toBeGreaterThan(0);
      }
      const stepTotal = samplesOf(after, 'hitless_step_duration_seconds_count').reduce((n, s) => n + s.value, 0);
      expect(stepTotal).toBe(steps.length);
      expect(valueOf(after, 'hitless_job_wait_seconds_count', { queue: 'device-upgrade' })).toBe(1);
      expect(valueOf(after, 'hitless_ssh_command_duration_seconds_count', { vendor: 'cisco' })).toBeGreaterThan(5);
      // The session was closed with the run (the switchover's dropped one too).
      expect(valueOf(after, 'hitless_ssh_sessions_open', {})).toBe(0);
      // Every reason is a series from the start (a dashboard rates over them).
      expect(samplesOf(after, 'hitless_ssh_connect_failures_total').map((s) => s.labels.reason)).toEqual(
        expect.arrayContaining(['connect', 'auth', 'timeout', 'hostkey']),
      );
      // Nothing names the run, the device or its address.
      const text = await (await ops('/metrics')).text();
      for (const id of [runId, hostname, bed.devices[0]!.address]) expect(text).not.toContain(id);

      // The api, on the same database and queues, counts it from PostgreSQL at scrape time.
      const apiSamples = await scrapeApi();
      expect(valueOf(apiSamples, 'hitless_runs', { status: 'COMPLETED', service: 'api' })).toBe(1);
      expect(valueOf(apiSamples, 'hitless_runs', { status: 'RUNNING' })).toBe(0);
      expect(valueOf(apiSamples, 'hitless_queue_jobs', { queue: 'device-upgrade', state: 'completed' })).toBe(1);

      // The collector matched the device's syslog during the run to the run, and counted it.
      const matched = await bed.db.syslogMessage.count({ where: { runId } });
      expect(matched).toBeGreaterThan(3);
      const collected = parseMetrics(await collectorRegistry.metrics());
      expect(valueOf(collected, 'hitless_syslog_run_messages_total', { service: 'collector' })).toBe(matched);
      expect(valueOf(collected, 'hitless_syslog_matched_total', { match: 'address' })).toBeGreaterThanOrEqual(matched);
      expect(valueOf(collected, 'hitless_syslog_unparsed_total', {})).toBe(0);
    } finally {
      await queue.close();
    }
  }, 180_000);
});

describe('worker metrics of a device that does not answer', () => {
  it('counts the failed connection by its reason, and the discovery job that reported it', async () => {
    const device = await bed.db.device.findUniqueOrThrow({ where: { hostname: bed.devices[0]!.hostname } });
    // A port nothing listens on, on the device's own address: the connection is refused.
    const closed = await new Promise<number>((resolve) => {
      const s = net.createServer().listen(0, device.mgmtAddress, () => {
        const { port } = s.address() as net.AddressInfo;
        s.close(() => resolve(port));
      });
    });
    await bed.db.device.update({ where: { id: device.id }, data: { port: closed } });
    const queue = createQueue('device-discovery', bed.redis, prefix);
    try {
      const before = await scrapeWorker();
      const refused = valueOf(before, 'hitless_ssh_connect_failures_total', { reason: 'connect' })!;
      const discovery = await bed.db.discovery.create({ data: { deviceId: device.id } });
      await enqueue(queue, 'device-discovery', { discoveryId: discovery.id });
      const after = await eventually(
        async () => {
          const s = await scrapeWorker();
          const done = valueOf(s, 'hitless_jobs_processed_total', { queue: 'device-discovery', result: 'completed' });
          return done === 1 && s;
        },
        { timeoutMs: 20_000, what: 'the discovery job counted' },
      );
      const row = await bed.db.discovery.findUniqueOrThrow({ where: { id: discovery.id } });
      expect(row.status, row.error ?? '').toBe('FAILED');
      expect(valueOf(after, 'hitless_ssh_connect_failures_total', { reason: 'connect' })).toBe(refused + 1);
      expect(valueOf(after, 'hitless_ssh_connect_failures_total', { reason: 'auth' })).toBe(0);
      expect(valueOf(after, 'hitless_job_wait_seconds_count', { queue: 'device-discovery' })).toBe(1);
      expect(valueOf(after, 'hitless_ssh_sessions_open', {})).toBe(0);
    } finally {
      await queue.close();
      await bed.db.device.update({ where: { id: device.id }, data: { port: device.port } });
    }
  }, 60_000);
});

/** The environment the api (and the collector) would be started with on the bed. */
function serviceEnv(): NodeJS.ProcessEnv {
  return {
    NODE_ENV: 'test',
    DATABASE_URL: bed.database.url,
    REDIS_URL: redisUrl(),
    HITLESS_SECRET_KEY: bed.key.toString('base64'),
    HITLESS_AUDIT_CHECKPOINT_FILE: path.join(os.tmpdir(), `hitless-audit-${bed.database.name}.jsonl`),
    HITLESS_QUEUE_PREFIX: prefix,
    HITLESS_WEB_DIST: '/nonexistent',
  };
}

/** An api instance on the bed's database, Redis and queue prefix, scraped once. */
async function scrapeApi(): Promise<Sample[]> {
  const config = loadConfig(serviceEnv());
  const queues = {
    upgrades: createQueue('device-upgrade', bed.redis, prefix),
    discoveries: createQueue('device-discovery', bed.redis, prefix),
    campaignTicks: createQueue('campaign-tick', bed.redis, prefix),
    campaignPrechecks: createQueue('campaign-precheck', bed.redis, prefix),
  };
  const app = await buildApp({
    config,
    db: bed.db,
    redis: bed.redis,
    events: new EventPublisher(bed.redis, prefix),
    ...queues,
    logger: pino({ level: 'warn' }),
  });
  try {
    const res = await app.inject({ method: 'GET', url: '/metrics' });
    expect(res.statusCode).toBe(200);
    return parseMetrics(res.body);
  } finally {
    await app.close();
    await Promise.all(Object.values(queues).map((q) => q.close()));
    await rm(config.audit.checkpointFile, { force: true });
  }
}
