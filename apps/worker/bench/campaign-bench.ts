// npm run bench:campaign [-- --devices 50 --time-scale 30 --concurrency 8 --wave-size 16 --canary 2]
// One fleet campaign of lab devices (Cisco c10k and ASR 1000, Junos MX) run by one real worker
// process at `npm start`'s lab time scale and engine timeouts (throwaway PostgreSQL and Redis, the
// lab in this process, the product's periodic tick). Prints the wall time, the ideal bound (the
// sum over waves of the longest run in each wave; and the same with the concurrency cap, runs
// packed onto `concurrency` lanes), the scheduler's largest gap between a run ending and the next
// run of the same wave starting, and the gaps between waves. Stops whatever it started on every
// way out.
import { spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { inheritedEnv, loadLauncherConfig, repoRoot } from '@hitless/config';
import { lanesMakespan } from '@hitless/core';
import { generateSecretKey, hashPassword } from '@hitless/crypto';
import { applyMigrations, createPrisma, deriveAuditKey } from '@hitless/db';
import { registerLabFleet, startLab } from '@hitless/lab';
import { createQueue, createRedis } from '@hitless/messaging';
import { startEmbeddedPostgres, startRedis } from '@hitless/runtime';
import { generateFleet, type PlatformFamily } from '@hitless/sim';
import { demoEngineEnv } from '../../launcher/src/services.ts';
import { campaignRecord, createApprovedCampaign, intervalsOf, kick } from '../test/campaign-harness.ts';

const { values } = parseArgs({
  options: {
    devices: { type: 'string', default: '50' },
    'time-scale': { type: 'string', default: String(loadLauncherConfig({}).lab.timeScale) },
    families: { type: 'string', default: 'c10k,asr1000,mx' },
    concurrency: { type: 'string', default: '8' },
    'wave-size': { type: 'string', default: '16' },
    canary: { type: 'string', default: '2' },
    'base-address': { type: 'string', default: '127.61.0.0' },
  },
});
const N = Number(values.devices);
const SCALE = Number(values['time-scale']);
const FAMILIES = values.families.split(',') as PlatformFamily[];
const CONCURRENCY = Number(values.concurrency);
const WAVE = Number(values['wave-size']);
const CANARY = Number(values.canary);
const out = (line: string) => process.stdout.write(`${line}\n`);
const s = (ms: number) => `${(ms / 1000).toFixed(1)} s`;

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

async function main() {
  for (const [name, v] of [
    ['--devices', N],
    ['--concurrency', CONCURRENCY],
    ['--wave-size', WAVE],
  ] as const) {
    if (!Number.isInteger(v) || v < 1) throw new Error(`${name} must be a positive whole number`);
  }
  const dir = await mkdtemp(path.join(os.tmpdir(), 'hitless-campaign-bench-'));
  cleanups.push({ what: 'the scratch directory', run: () => rm(dir, { recursive: true, force: true }) });
  const postgres = await startEmbeddedPostgres({ baseDir: dir, durable: false });
  cleanups.push({ what: 'PostgreSQL', run: () => postgres.stop() });
  const redisServer = await startRedis({ dir: path.join(dir, 'redis'), durable: false });
  cleanups.push({ what: 'Redis', run: () => redisServer.stop() });
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

  // The worker as `npm start` runs it: the product's defaults, the engine timeouts scaled to the lab.
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
      ...demoEngineEnv(SCALE, {}),
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

  const { id, plan } = await createApprovedCampaign(db, {
    name: 'bench',
    hostnames: lab.info().map((d) => d.hostname),
    strategy: {
      canarySize: CANARY,
      waveSize: WAVE,
      concurrency: CONCURRENCY,
      failureBudget: { kind: 'count', value: 1 },
      rollbackTimerSeconds: 7200,
    },
    userId: user.id,
  });
  const ticks = createQueue('campaign-tick', redis, 'bench');
  cleanups.push({ what: 'the queue', run: () => ticks.close() });
  const t0 = Date.now();
  await kick(ticks, id, 'approved');
  let lastReport = Date.now();
  for (;;) {
    const c = await db.campaign.findUniqueOrThrow({ where: { id } });
    if (c.endedAt) break;
    if (Date.now() - lastReport > 60_000) {
      lastReport = Date.now();
      const states = await db.campaignDevice.groupBy({ by: ['state'], where: { campaignId: id }, _count: true });
      out(
        `  ${s(Date.now() - t0)}: ${c.status}, wave ${c.currentWave}, ${states.map((x) => `${x.state} ${x._count}`).join(', ')}`,
      );
    }
    if (worker.exitCode !== null || worker.signalCode !== null)
      throw new Error(`the worker exited (${worker.exitCode ?? worker.signalCode}) mid-campaign`);
    await new Promise((r) => setTimeout(r, 250));
  }

  const record = await campaignRecord(db, id);
  const intervals = intervalsOf(record);
  const waves = [...new Set(intervals.map((i) => i.wave!))].sort((a, b) => a - b);
  let ideal = 0;
  let idealCapped = 0;
  let worstInWave = { ms: 0, what: 'none: every run of a wave started with the wave' };
  const betweenWaves: string[] = [];
  for (const w of waves) {
    const runs = intervals.filter((i) => i.wave === w).sort((a, b) => a.start - b.start);
    const durations = runs.map((r) => r.end - r.start);
    ideal += Math.max(...durations);
    idealCapped += lanesMakespan(durations, CONCURRENCY);
    const waveStart = runs[0]!.start;
    // A run that did not start with its wave waited for a slot: the gap from the end that freed one.
    for (const r of runs.filter((x) => x.start > waveStart)) {
      const freed = Math.max(...runs.filter((x) => x.end <= r.start).map((x) => x.end));
      if (Number.isFinite(freed) && r.start - freed > worstInWave.ms) {
        worstInWave = { ms: r.start - freed, what: `wave ${w}, ${r.key}` };
      }
    }
    const previous = intervals.filter((i) => i.wave === w - 1);
    if (previous.length > 0) betweenWaves.push(s(waveStart - Math.max(...previous.map((p) => p.end))));
  }
  const wall = record.campaign.endedAt!.getTime() - t0;
  const states = record.devices.reduce<Record<string, number>>(
    (a, d) => ({ ...a, [d.state]: (a[d.state] ?? 0) + 1 }),
    {},
  );
  out(
    `bench:campaign — ${N} devices (${FAMILIES.join(', ')}), lab time scale ${SCALE}, ${plan.waves.length} waves (canary ${CANARY}, wave size ${WAVE}), concurrency ${CONCURRENCY}, one worker`,
  );
  out(`outcome:                            ${record.campaign.status} ${JSON.stringify(states)}`);
  out(`wall time (approval → ended):       ${s(wall)}`);
  out(`ideal bound (Σ longest run/wave):   ${s(ideal)}  (wall is ${((wall / ideal - 1) * 100).toFixed(0)} % above)`);
  out(
    `ideal with the cap (lanes/wave):    ${s(idealCapped)}  (wall is ${((wall / idealCapped - 1) * 100).toFixed(0)} % above)`,
  );
  out(`largest gap, run end → next start:  ${s(worstInWave.ms)} (${worstInWave.what})`);
  out(`between waves (last end → start):   ${betweenWaves.join(', ')}`);
  const ms = intervals.map((i) => i.end - i.start).sort((a, b) => a - b);
  out(`run durations:                      median ${s(ms[ms.length >> 1]!)}, max ${s(ms.at(-1)!)}`);
}

try {
  await main();
} catch (err) {
  process.stderr.write(`bench:campaign failed: ${(err as Error).message}\n`);
  process.exitCode = 1;
} finally {
  await cleanUp();
}
