// npm run bench:worker [-- --runs 50 --time-scale 30 --families c10k,mx --accept manual]
// One real worker process drives N upgrade runs at once against lab devices (throwaway
// PostgreSQL and Redis, lab in this process). Prints the worker's resident memory idle and
// with every run in flight, the memory per run in flight, and how long the runs took, per
// platform family. `--runs 2 --time-scale 1` gives the duration of full runs at the lab's
// default time scale (a Junos run then takes about three quarters of an hour); `--accept
// manual` makes every run wait for an operator, and the bench accepts each as it waits.
// Whatever it started is stopped on every way out: success, failure, Ctrl-C.
import { spawn } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { inheritedEnv, repoRoot } from '@hitless/config';
import { generateSecretKey, hashPassword } from '@hitless/crypto';
import { applyMigrations, createPrisma, deriveAuditKey } from '@hitless/db';
import { registerLabFleet, startLab } from '@hitless/lab';
import { createQueue, createRedis, enqueue } from '@hitless/messaging';
import { startEmbeddedPostgres, startRedis } from '@hitless/runtime';
import { STARTED_RUN_STATUSES, TERMINAL_RUN_STATUSES } from '@hitless/core';
import { compatibility, generateFleet, imagesOf, type PlatformFamily } from '@hitless/sim';
import { insertQueuedRun } from '@hitless/testkit/runs';

const { values } = parseArgs({
  options: {
    runs: { type: 'string', default: '50' },
    'time-scale': { type: 'string', default: '30' },
    families: { type: 'string', default: 'c10k,mx' },
    'base-address': { type: 'string', default: '127.60.0.0' },
    accept: { type: 'string', default: 'auto' },
  },
});
const N = Number(values.runs);
const SCALE = Number(values['time-scale']);
const FAMILIES = values.families.split(',') as PlatformFamily[];
const MANUAL = values.accept === 'manual';
const out = (line: string) => process.stdout.write(`${line}\n`);

/** Everything started so far, stopped in reverse order whichever way the bench ends. */
const cleanups: { what: string; run: () => Promise<unknown> }[] = [];
async function cleanUp(): Promise<void> {
  for (const c of cleanups.splice(0).reverse()) {
    try {
      await c.run();
    } catch (err) {
      process.stderr.write(`bench: could not stop ${c.what}: ${(err as Error).message}\n`);
    }
  }
}
process.on('SIGINT', () => void cleanUp().then(() => process.exit(130)));
process.on('SIGTERM', () => void cleanUp().then(() => process.exit(143)));

async function rssKiB(pid: number): Promise<number> {
  return Number(/VmRSS:\s+(\d+) kB/.exec(await readFile(`/proc/${pid}/status`, 'utf8'))![1]);
}

/** The first newer image the device may reach by ISSU. */
function targetOf(family: PlatformFamily): string {
  const [current, ...rest] = imagesOf(family);
  const to = rest.find((i) => compatibility(family, current!.version, i.version) !== 'I');
  if (!to) throw new Error(`no ISSU target for ${family}`);
  return to.version;
}

async function main() {
  if (!Number.isInteger(N) || N < 1) throw new Error('--runs must be a positive whole number');
  const dir = await mkdtemp(path.join(os.tmpdir(), 'hitless-bench-'));
  cleanups.push({ what: 'the scratch directory', run: () => rm(dir, { recursive: true, force: true }) });
  const [pgStarted, redisStarted] = await Promise.allSettled([
    startEmbeddedPostgres({ baseDir: dir, durable: false }),
    startRedis({ dir: path.join(dir, 'redis'), durable: false }),
  ]);
  for (const [what, r] of [
    ['PostgreSQL', pgStarted],
    ['Redis', redisStarted],
  ] as const) {
    if (r.status === 'fulfilled') cleanups.push({ what, run: () => r.value.stop() });
  }
  if (pgStarted.status === 'rejected') throw pgStarted.reason;
  if (redisStarted.status === 'rejected') throw redisStarted.reason;
  const postgres = pgStarted.value;
  const redisServer = redisStarted.value;
  await applyMigrations(postgres.ownerUrl);
  const key = generateSecretKey();
  const db = createPrisma(postgres.url, { auditKey: deriveAuditKey(key) });
  cleanups.push({ what: 'the database client', run: () => db.$disconnect() });
  const redis = createRedis(redisServer.url);
  cleanups.push({ what: 'the Redis client', run: () => redis.quit() });
  const lab = await startLab({
    devices: generateFleet({ devices: N, families: FAMILIES, port: 0, baseAddress: values['base-address'] }),
    timeScale: SCALE,
  });
  cleanups.push({ what: 'the lab', run: () => lab.stop() });
  await registerLabFleet(db, key, lab.info());
  const user = await db.user.create({
    data: { username: 'bench', role: 'OPERATOR', passwordHash: await hashPassword('bench password long') },
  });

  const worker = spawn(process.execPath, ['--import', 'tsx', path.join(repoRoot, 'apps/worker/src/main.ts')], {
    cwd: repoRoot,
    stdio: ['ignore', 'ignore', 'inherit', 'ipc'],
    env: inheritedEnv({
      NODE_ENV: 'production',
      DATABASE_URL: postgres.url,
      REDIS_URL: redisServer.url,
      HITLESS_SECRET_KEY: key.toString('base64'),
      HITLESS_QUEUE_PREFIX: 'bench',
      HITLESS_LOG_LEVEL: 'warn',
      HITLESS_WORKER_CONCURRENCY: String(N),
    }),
  });
  const workerExited = new Promise((r) => worker.once('exit', r));
  cleanups.push({
    what: 'the worker',
    run: async () => {
      if (worker.exitCode === null && worker.signalCode === null) worker.kill('SIGTERM');
      await workerExited;
    },
  });
  await new Promise<void>((resolve, reject) => {
    worker.on('message', (m: { type?: string }) => m.type === 'ready' && resolve());
    worker.once('exit', (code) => reject(new Error(`the worker exited (code ${code}) before it was ready`)));
  });
  await new Promise((r) => setTimeout(r, 3000));
  const idle = await rssKiB(worker.pid!);

  const devices = await db.device.findMany({ orderBy: { hostname: 'asc' } });
  const queue = createQueue('device-upgrade', redis, 'bench');
  cleanups.push({ what: 'the queue', run: () => queue.close() });
  const t0 = Date.now();
  for (const d of devices) {
    const family = lab.info().find((i) => i.hostname === d.hostname)!.family as PlatformFamily;
    const runId = await insertQueuedRun(db, {
      hostname: d.hostname,
      version: targetOf(family),
      userId: user.id,
      acceptMode: MANUAL ? 'MANUAL' : 'AUTO',
    });
    await enqueue(queue, 'device-upgrade', { runId });
  }

  let peak = idle;
  let allInFlight = 0;
  let lastReport = 0;
  for (;;) {
    const [rss, byStatus] = await Promise.all([
      rssKiB(worker.pid!),
      db.deviceRun.groupBy({ by: ['status'], _count: true }),
    ]);
    const count = (s: string[]) => byStatus.filter((g) => s.includes(g.status)).reduce((a, g) => a + g._count, 0);
    const running = count([...STARTED_RUN_STATUSES]);
    const done = count([...TERMINAL_RUN_STATUSES]);
    // An operator who accepts as soon as a run asks (the wait counts in the run's duration).
    if (MANUAL) {
      await db.deviceRun.updateMany({
        where: { status: 'WAITING_ACCEPT', acceptRequestedAt: null },
        data: { acceptRequestedAt: new Date() },
      });
    }
    peak = Math.max(peak, rss);
    if (running === N) allInFlight = Math.max(allInFlight, rss);
    if (Date.now() - lastReport > 60_000) {
      lastReport = Date.now();
      out(
        `  ${Math.round((Date.now() - t0) / 1000)} s: ${running} running, ${done} done, worker RSS ${(rss / 1024).toFixed(1)} MiB`,
      );
    }
    if (done === N) break;
    if (worker.exitCode !== null || worker.signalCode !== null)
      throw new Error(`the worker exited (${worker.exitCode ?? worker.signalCode}) with runs still going`);
    await new Promise((r) => setTimeout(r, 500));
  }

  const runs = await db.deviceRun.findMany({ include: { device: true } });
  const byFamily = new Map<string, { ms: number[]; statuses: Record<string, number> }>();
  for (const r of runs) {
    const family = lab.info().find((i) => i.hostname === r.device.hostname)!.family;
    const f = byFamily.get(family) ?? { ms: [], statuses: {} };
    f.ms.push(r.endedAt!.getTime() - r.startedAt!.getTime());
    f.statuses[r.status] = (f.statuses[r.status] ?? 0) + 1;
    byFamily.set(family, f);
  }
  const mib = (kib: number) => `${(kib / 1024).toFixed(1)} MiB`;
  const minutes = (ms: number) => `${(ms / 60_000).toFixed(1)} min`;
  out(
    `bench:worker — ${N} runs in one worker, lab time scale ${SCALE}, families ${FAMILIES.join(', ')}, accept ${MANUAL ? 'manual' : 'auto'}`,
  );
  out(`worker RSS idle:                 ${mib(idle)}`);
  out(`worker RSS, all runs in flight:  ${allInFlight ? mib(allInFlight) : 'never all at once'}`);
  out(`worker RSS peak:                 ${mib(peak)}`);
  out(`memory per run in flight:        ${(((allInFlight || peak) - idle) / N).toFixed(1)} KiB`);
  for (const [family, f] of byFamily) {
    const sorted = [...f.ms].sort((a, b) => a - b);
    out(
      `${family.padEnd(8)} ${f.ms.length} runs ${JSON.stringify(f.statuses)}; duration median ${minutes(sorted[Math.floor(sorted.length / 2)]!)}, max ${minutes(sorted.at(-1)!)}`,
    );
  }
  out(`all runs done in ${minutes(Date.now() - t0)}`);
}

try {
  await main();
} catch (err) {
  process.stderr.write(`bench:worker failed: ${(err as Error).message}\n`);
  process.exitCode = 1;
} finally {
  await cleanUp();
}
