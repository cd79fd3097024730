// Real worker processes for the crash, takeover and chaos tests: `apps/worker/src/main.ts`
// started the way the launcher starts it, against a test bed's database, Redis and queue prefix.
import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { repoRoot } from '@hitless/config';
import { isTerminal } from '@hitless/core';
import { redisUrl } from '@hitless/testkit';
import { eventually } from '@hitless/testkit/poll';
import type { Bed } from '../../../packages/engine/test/harness.ts';

export { CISCO_DISRUPTIVE, JUNOS_DISRUPTIVE } from '../../../packages/engine/test/harness.ts';

export interface WorkerOptions {
  /** HITLESS_CHAOS_KILL_AFTER_STEP: the worker kills itself after this step. */
  chaos?: string;
  /** Job lock and stall check; the defaults (unset) are the product's. */
  lockMs?: number;
  stalledMs?: number;
  leaseStaleMs?: number;
  pollMs?: number;
}

export interface WorkerProcess {
  child: ChildProcess;
  exited: Promise<NodeJS.Signals | number | null>;
  /** Resolves when the worker said it is ready (it re-queued active runs and takes jobs). */
  ready: Promise<void>;
}

export function startWorker(bed: Bed, prefix: string, o: WorkerOptions = {}): WorkerProcess {
  // The product's defaults unless this test says otherwise.
  const OURS = [
    'HITLESS_JOB_LOCK_MS',
    'HITLESS_JOB_STALLED_MS',
    'HITLESS_RUN_LEASE_STALE_MS',
    'HITLESS_CHAOS_KILL_AFTER_STEP',
  ];
  const inherited = Object.fromEntries(Object.entries(process.env).filter(([k]) => !OURS.includes(k)));
  const env: NodeJS.ProcessEnv = {
    ...inherited,
    NODE_ENV: 'test',
    DATABASE_URL: bed.database.url,
    REDIS_URL: redisUrl(),
    HITLESS_SECRET_KEY: bed.key.toString('base64'),
    HITLESS_QUEUE_PREFIX: prefix,
    HITLESS_LOG_LEVEL: 'warn',
    HITLESS_ENGINE_POLL_MS: String(o.pollMs ?? 100),
    HITLESS_ENGINE_RELOAD_TIMEOUT_S: '60',
    HITLESS_ENGINE_ISSU_TIMEOUT_S: '120',
    HITLESS_ENGINE_RECONNECT_TIMEOUT_S: '60',
    HITLESS_ENGINE_SETTLE_S: '2',
    ...(o.lockMs && { HITLESS_JOB_LOCK_MS: String(o.lockMs) }),
    ...(o.stalledMs && { HITLESS_JOB_STALLED_MS: String(o.stalledMs) }),
    ...(o.leaseStaleMs && { HITLESS_RUN_LEASE_STALE_MS: String(o.leaseStaleMs) }),
    ...(o.chaos && { HITLESS_CHAOS_KILL_AFTER_STEP: o.chaos }),
  };
  const child = spawn(process.execPath, ['--import', 'tsx', path.join(repoRoot, 'apps/worker/src/main.ts')], {
    cwd: repoRoot,
    stdio: ['ignore', 'ignore', 'pipe', 'ipc'],
    env,
  });
  // A worker that dies for another reason than a kill shows why.
  child.stderr!.on('data', (d: Buffer) => process.stderr.write(`[worker ${child.pid}] ${d.toString()}`));
  const exited = new Promise<NodeJS.Signals | number | null>((resolve) =>
    child.once('exit', (code, signal) => resolve(signal ?? code)),
  );
  const ready = new Promise<void>((resolve, reject) => {
    child.on('message', (m: { type?: string }) => m.type === 'ready' && resolve());
    void exited.then((how) => reject(new Error(`worker exited (${String(how)}) before it was ready`)));
  });
  ready.catch(() => undefined);
  return { child, exited, ready };
}

/** Stops a worker the way the launcher does, and waits for it. */
export async function stopWorker(w: WorkerProcess): Promise<void> {
  if (w.child.exitCode === null && w.child.signalCode === null) w.child.kill('SIGTERM');
  await w.exited;
}

export async function untilTerminal(bed: Bed, runId: string, timeoutMs: number) {
  return eventually(
    async () => {
      const r = await bed.db.deviceRun.findUniqueOrThrow({ where: { id: runId } });
      return isTerminal(r.status) && r;
    },
    { timeoutMs, intervalMs: 250, what: `run ${runId} ended` },
  );
}

/** Disruptive commands as the lab counted them (a command cancelled at its confirmation never ran). */
export async function disruptiveCounts(bed: Bed, hostname: string, pattern: RegExp): Promise<Record<string, number>> {
  const { counts } = await bed.api.commands(hostname);
  return Object.fromEntries(Object.entries(counts).filter(([line]) => pattern.test(line)));
}
