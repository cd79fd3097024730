// The worker's metrics: what its runs, steps, jobs and SSH sessions do, counted in this process
// and served by its ops server (packages/metrics). The engine and the drivers report through the
// EngineObserver interface and know nothing of prom-client; BullMQ's worker events give the jobs.
// Labels are closed sets (procedures, step names from core's tables, statuses, queue names,
// vendors, transport error kinds): no run, device, host or job id is ever a label.
import { PROCEDURES, TERMINAL_RUN_STATUSES } from '@hitless/core';
import type { EngineObserver } from '@hitless/engine';
import { COLLECTOR_JOBS, JOBS, type Worker } from '@hitless/messaging';
import { BUCKETS, Counter, createRegistry, Gauge, Histogram, type Registry } from '@hitless/metrics';

/** Job names this process takes (the collector's are not a worker's). */
const WORKER_QUEUES = Object.keys(JOBS).filter((n) => !(COLLECTOR_JOBS as readonly string[]).includes(n));
const CONNECT_FAILURE_REASONS = ['connect', 'auth', 'closed', 'timeout', 'protocol', 'hostkey', 'algorithms'];

export interface WorkerMetrics {
  registry: Registry;
  /** Give it to the engine (runUpgrade, runDiscovery, runCampaignPrecheck). */
  observer: EngineObserver;
  /** Counts the jobs these BullMQ workers take and finish. */
  watch(workers: Worker[]): void;
}

export function createWorkerMetrics(): WorkerMetrics {
  const registry = createRegistry('worker');
  const registers = [registry];
  const runFinished = new Counter({
    name: 'hitless_run_finished_total',
    help: 'Runs this worker brought to a terminal status',
    labelNames: ['procedure', 'status'],
    registers,
  });
  const stepDuration = new Histogram({
    name: 'hitless_step_duration_seconds',
    help: 'How long each run step took, from its start to its end being written',
    labelNames: ['procedure', 'step', 'status'],
    buckets: [...BUCKETS.step],
    registers,
  });
  const jobWait = new Histogram({
    name: 'hitless_job_wait_seconds',
    help: 'How long a job waited in its queue before this worker took it (a delayed job from when it was due)',
    labelNames: ['queue'],
    buckets: [...BUCKETS.jobWait],
    registers,
  });
  const jobsProcessed = new Counter({
    name: 'hitless_jobs_processed_total',
    help: 'Jobs this worker finished, by outcome',
    labelNames: ['queue', 'result'],
    registers,
  });
  const sshOpen = new Gauge({
    name: 'hitless_ssh_sessions_open',
    help: 'SSH sessions to devices open in this worker',
    registers,
  });
  const sshCommand = new Histogram({
    name: 'hitless_ssh_command_duration_seconds',
    help: 'Round trip of one CLI command, answered or not',
    labelNames: ['vendor'],
    buckets: [...BUCKETS.sshCommand],
    registers,
  });
  const sshConnectFailures = new Counter({
    name: 'hitless_ssh_connect_failures_total',
    help: 'SSH connection attempts that failed, by why (every attempt of a reconnect counts)',
    labelNames: ['reason'],
    registers,
  });

  // Every series a dashboard rates over exists from the start, at 0.
  for (const procedure of Object.keys(PROCEDURES))
    for (const status of TERMINAL_RUN_STATUSES) runFinished.inc({ procedure, status }, 0);
  for (const queue of WORKER_QUEUES)
    for (const result of ['completed', 'failed']) jobsProcessed.inc({ queue, result }, 0);
  for (const reason of CONNECT_FAILURE_REASONS) sshConnectFailures.inc({ reason }, 0);
  sshOpen.set(0);

  const queueOf = (name: string) => (WORKER_QUEUES.includes(name) ? name : 'other');

  return {
    registry,
    observer: {
      runFinished: ({ procedure, status }) => runFinished.inc({ procedure, status }),
      stepEnded: ({ procedure, step, status, seconds }) => stepDuration.observe({ procedure, step, status }, seconds),
      sessionOpened: () => sshOpen.inc(),
      sessionClosed: () => sshOpen.dec(),
      commandDone: (vendor, seconds) => sshCommand.observe({ vendor }, seconds),
      connectFailed: (_vendor, reason) => sshConnectFailures.inc({ reason }),
    },
    watch(workers) {
      for (const w of workers) {
        w.on('active', (job) => {
          if (job.processedOn === undefined) return;
          const due = job.timestamp + (job.delay || 0);
          jobWait.observe({ queue: queueOf(job.name) }, Math.max(0, job.processedOn - due) / 1000);
        });
        w.on('completed', (job) => jobsProcessed.inc({ queue: queueOf(job.name), result: 'completed' }));
        w.on('failed', (job) => jobsProcessed.inc({ queue: queueOf(job?.name ?? ''), result: 'failed' }));
      }
    },
  };
}
