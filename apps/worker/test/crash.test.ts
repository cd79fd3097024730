// kill -9 the worker at every step boundary of a Cisco and of a Junos run: a fresh worker
// finishes each run correctly, and the lab's command counters show that no disruptive command
// was sent twice. Real worker processes, real BullMQ, real SSH against the lab.
import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { repoRoot } from '@hitless/config';
import { createQueue, enqueue } from '@hitless/messaging';
import { redisUrl, uniquePrefix } from '@hitless/testkit';
import { eventually } from '@hitless/testkit/poll';
import type { PlatformFamily } from '@hitless/sim';
import { describe, expect, it } from 'vitest';
import { ENGINE, startBed, type Bed } from '../../../packages/engine/test/harness.ts';

/** Slower than the engine tests, so the rollback window (60 s here) outlasts a worker restart under load. */
const SCALE = 120;
const BATCH = 5;

const CISCO_BOUNDARIES = [
  'pre-checks',
  'loadversion',
  'standby hot',
  'runversion',
  'reconnect',
  'post-checks',
  'acceptversion',
  'commitversion',
  'standby hot on the new image',
  'verify',
];
const JUNOS_BOUNDARIES = [
  'pre-checks',
  'in-service upgrade',
  'reconnect',
  'post-checks',
  'reboot old master',
  'backup RE up',
  'restore mastership',
  'reconnect#2',
  'verify',
];
const CISCO_DISRUPTIVE = /^issu (loadversion|runversion|acceptversion|commitversion|abortversion)/;
const JUNOS_DISRUPTIVE =
  /^request (system software in-service-upgrade|system reboot|chassis routing-engine master switch)/;

function worker(bed: Bed, prefix: string, chaos?: string): ChildProcess {
  const child = spawn(process.execPath, ['--import', 'tsx', path.join(repoRoot, 'apps/worker/src/main.ts')], {
    cwd: repoRoot,
    stdio: ['ignore', 'ignore', 'pipe', 'ipc'],
    env: {
      ...process.env,
      NODE_ENV: 'test',
      DATABASE_URL: bed.database.url,
      REDIS_URL: redisUrl(),
      HITLESS_SECRET_KEY: bed.key.toString('base64'),
      HITLESS_QUEUE_PREFIX: prefix,
      HITLESS_LOG_LEVEL: 'warn',
      HITLESS_JOB_LOCK_MS: '2000',
      HITLESS_JOB_STALLED_MS: '1000',
      HITLESS_ENGINE_POLL_MS: String(ENGINE.pollMs),
      HITLESS_ENGINE_RELOAD_TIMEOUT_S: '60',
      HITLESS_ENGINE_ISSU_TIMEOUT_S: '120',
      HITLESS_ENGINE_RECONNECT_TIMEOUT_S: '60',
      ...(chaos && { HITLESS_CHAOS_KILL_AFTER_STEP: chaos }),
    },
  });
  // A worker that dies for another reason than the chaos kill shows why.
  child.stderr!.on('data', (d: Buffer) => process.stderr.write(`[worker ${child.pid}] ${d.toString()}`));
  return child;
}

const exited = (p: ChildProcess) =>
  new Promise<NodeJS.Signals | number | null>((resolve) => p.once('exit', (code, signal) => resolve(signal ?? code)));

/**
 * One scenario, on its own lab device, database and queue (a worker re-queues every active run
 * of its database at start): the first worker dies after `boundary`, a fresh one finishes.
 */
async function crashAndResume(family: PlatformFamily, version: string, boundary: string, disruptive: RegExp) {
  const bed = await startBed([family], {}, SCALE);
  const hostname = bed.devices[0]!.hostname;
  const prefix = uniquePrefix('crash');
  const queue = createQueue('device-upgrade', bed.redis, prefix);
  try {
    const runId = await bed.createRun(hostname, version, { rollbackTimerSeconds: 7200 });
    const first = worker(bed, prefix, boundary);
    const firstExit = exited(first);
    await enqueue(queue, 'device-upgrade', { runId });
    expect(await firstExit, `${boundary}: the first worker was killed`).toBe('SIGKILL');
    const killedAt = await bed.db.deviceRun.findUniqueOrThrow({ where: { id: runId } });
    // A fresh worker takes over the stalled job and finishes the run from the device's state.
    const second = worker(bed, prefix);
    const secondExit = exited(second);
    const run = await eventually(
      async () => {
        const r = await bed.db.deviceRun.findUniqueOrThrow({ where: { id: runId } });
        return ['COMPLETED', 'FAILED', 'ROLLED_BACK', 'ABORTED', 'REFUSED'].includes(r.status) && r;
      },
      { timeoutMs: 180_000, intervalMs: 250, what: `run after a crash at ${boundary}` },
    );
    second.kill('SIGTERM');
    await secondExit;
    return {
      run,
      killedAt,
      counts: Object.entries((await bed.api.commands(hostname)).counts).filter(([l]) => disruptive.test(l)),
    };
  } finally {
    await queue.close();
    await bed.close();
  }
}

/** Runs the scenarios a few at a time: each boots two worker processes on a 2-core machine. */
async function inBatches<T, R>(items: T[], size: number, fn: (item: T) => Promise<R>): Promise<R[]> {
  const out: R[] = [];
  for (let i = 0; i < items.length; i += size) out.push(...(await Promise.all(items.slice(i, i + size).map(fn))));
  return out;
}

describe('crash recovery: kill -9 at every step boundary', () => {
  it('Cisco ISSU completes after a crash at each boundary, each disruptive command sent once', async () => {
    const results = await inBatches(CISCO_BOUNDARIES, BATCH, async (boundary) => ({
      boundary,
      ...(await crashAndResume('c10k', '12.2(33)SB9', boundary, CISCO_DISRUPTIVE)),
    }));
    for (const r of results) {
      expect(r.run.status, `${r.boundary}: ${r.run.summary}`).toBe('COMPLETED');
      expect(r.killedAt.status, r.boundary).not.toBe('COMPLETED');
      expect(Object.fromEntries(r.counts.map(([l, n]) => [l.split(' ')[1], n])), r.boundary).toEqual({
        loadversion: 1,
        runversion: 1,
        acceptversion: 1,
        commitversion: 1,
      });
    }
  }, 300_000);

  it('Junos ISSU completes after a crash at each boundary, each disruptive command sent once', async () => {
    const results = await inBatches(JUNOS_BOUNDARIES, BATCH, async (boundary) => ({
      boundary,
      ...(await crashAndResume('mx', '10.3R2.11', boundary, JUNOS_DISRUPTIVE)),
    }));
    for (const r of results) {
      expect(r.run.status, `${r.boundary}: ${r.run.summary}`).toBe('COMPLETED');
      expect(r.killedAt.status, r.boundary).not.toBe('COMPLETED');
      expect(
        r.counts.map(([, n]) => n),
        r.boundary,
      ).toEqual([1, 1, 1]);
    }
  }, 300_000);
});
