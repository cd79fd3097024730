// One device upgrade run, driven to its end by whichever worker holds its lease: the run is
// resumed where its checkpoints and the device say it is, steps a previous driver left open
// are closed saying what really happened to it, and the turn loop does the rest.
import type { EngineConfig } from '@hitless/config';
import type { ProcedureKind } from '@hitless/contracts';
import { isTerminal, platformFamily } from '@hitless/core';
import type { Db } from '@hitless/db';
import type { EventPublisher } from '@hitless/messaging';
import type { Logger } from 'pino';
import { bindingFor, type ProcedureBinding } from './binding.ts';
import { ciscoPort } from './cisco-port.ts';
import { firstLine, HostKeyRejected, isDeviceProblem, RunFailure, WorkerStopping } from './errors.ts';
import { junosPort } from './junos-port.ts';
import type { EngineObserver } from './observer.ts';
import { RunLease, workerOf, type PreviousHolder } from './lease.ts';
import { RunRecorder, type LoadedRun } from './recorder.ts';
import { finishRun, type StepContext } from './run-steps.ts';
import { DeviceSession } from './session.ts';
import { TurnLoop } from './turns.ts';

export interface RunnerDeps {
  db: Db;
  events: EventPublisher;
  key: Buffer;
  engine: EngineConfig;
  log: Logger;
  /** This worker process's id; each drive adds a token of its own. */
  workerId: string;
  /** Called when a step succeeds (chaos testing kills the worker here). */
  onStepSucceeded?: (name: string) => void | Promise<void>;
  /** Stop at the next turn (worker shutdown); the run stays active for another worker. */
  shouldStop?: () => boolean;
  /**
   * Why this process's last drive of a run stopped early (the database went away, say), by run
   * id: the next drive says so on the steps it closes instead of blaming a worker that is alive.
   */
  stops?: Map<string, string>;
  /** When a worker process last said it was alive (its heartbeat in Redis), for the messages of a takeover. */
  workerSeenAt?: (workerId: string) => Promise<Date | null>;
  /** Told of step ends, run ends and SSH sessions (the worker's metrics). */
  observer?: EngineObserver;
}

/** What the steps a previous driver left open were cut short by, as far as this driver can tell. */
export async function interruption(
  deps: RunnerDeps,
  previous: PreviousHolder | null,
  me: string,
  run: LoadedRun,
): Promise<string> {
  if (!previous) return `interrupted; resumed by ${workerOf(me)}`;
  const who = workerOf(previous.workerId);
  // The previous driver said why it stopped, when it still could.
  const said = run.ctx.lastStop?.holder === previous.workerId ? run.ctx.lastStop.reason : null;
  if (who === workerOf(me)) {
    const why = said ?? deps.stops?.get(run.row.id) ?? 'no reason recorded';
    return `interrupted: this worker's previous attempt stopped (${why}); resumed by the same worker`;
  }
  if (said) return `interrupted: worker ${who} stopped driving the run (${said}); resumed by ${workerOf(me)}`;
  if (!previous.heartbeatAt)
    return `interrupted: worker ${who} shut down and handed the run over; resumed by ${workerOf(me)}`;
  const silent = Math.round((Date.now() - previous.heartbeatAt.getTime()) / 1000);
  // Alive: the worker kept saying so after it last renewed the run (a dead one stopped both at
  // once, within one renew interval); a heartbeat key alone outlives its worker.
  const seen = await deps.workerSeenAt?.(who).catch(() => null);
  const renewMs = deps.engine.leaseStaleMs / 5;
  if (seen && seen.getTime() > previous.heartbeatAt.getTime() + renewMs + 1000) {
    return `interrupted: worker ${who} is running but stopped holding the run (no heartbeat on it for ${silent} s: it lost PostgreSQL, or its job for the run failed); resumed by ${workerOf(me)}`;
  }
  return `interrupted: worker ${who} stopped answering (no heartbeat for ${silent} s); resumed by ${workerOf(me)}`;
}

/** Why a drive stopped, in words for the next one: our own outages are named as such. */
function stopReason(err: unknown): string {
  const text = firstLine(err);
  const name = err instanceof Error ? err.constructor.name : '';
  if (/^Prisma|DriverAdapter/.test(name) || /database|postgres|ECONNREFUSED|Connection terminated/i.test(text)) {
    return `it lost its connection to PostgreSQL: ${text}`;
  }
  return text;
}

/** Runs (or resumes) one run to its end. Returns when the run is terminal, held by another live driver, or this worker stops. */
export async function runUpgrade(deps: RunnerDeps, runId: string): Promise<void> {
  const rec = new RunRecorder(deps.db, deps.events, runId, deps.log);
  if (deps.onStepSucceeded) rec.onStepSucceeded = deps.onStepSucceeded;
  if (deps.observer) rec.observer = deps.observer;
  if (isTerminal((await rec.load()).row.status)) return;
  const lease = await RunLease.acquire(deps.db, runId, deps.workerId, {
    log: deps.log,
    staleMs: deps.engine.leaseStaleMs,
    ...(deps.shouldStop && { shouldStop: deps.shouldStop }),
  });
  if (!lease) return;
  const shuttingDown = () => Boolean(deps.shouldStop?.());
  try {
    await drive(deps, rec, lease, () => lease.lost || shuttingDown());
    deps.stops?.delete(runId);
  } catch (err) {
    if (err instanceof WorkerStopping) {
      // Lost to another driver: nothing to do. Shutting down: hand over, and let the caller keep the job.
      if (!shuttingDown()) return;
      await lease.release(true);
      throw err;
    }
    const reason = stopReason(err);
    deps.stops?.set(runId, reason);
    // Say why on the run and let go at once, when PostgreSQL still listens: the next driver
    // (this worker's retry, or another) need not wait for the lease to go stale, nor guess.
    try {
      await rec.changeContext((c) => ({
        ...c,
        lastStop: { holder: lease.holder, reason, at: new Date().toISOString() },
      }));
      await lease.release(true);
    } catch (recordErr) {
      deps.log.warn({ err: recordErr, runId }, 'could not record why the drive stopped');
    }
    throw err;
  } finally {
    await lease.release();
  }
}

async function drive(deps: RunnerDeps, rec: RunRecorder, lease: RunLease, shouldStop: () => boolean): Promise<void> {
  const run = await rec.load();
  const interrupted = await rec.closeInterrupted(await interruption(deps, lease.previous, lease.holder, run));
  await rec.update({
    status: run.row.status === 'WAITING_ACCEPT' ? 'WAITING_ACCEPT' : 'RUNNING',
    startedAt: run.row.startedAt ?? new Date(),
  });
  if (interrupted > 0) await rec.audit('run.resumed', { worker: lease.holder, interruptedSteps: interrupted });
  const device = await deps.db.device.findUniqueOrThrow({ where: { id: run.row.deviceId } });
  const image = await deps.db.softwareImage.findUniqueOrThrow({ where: { id: run.row.imageId } });
  const family = platformFamily(device.vendor, device.platform);

  // The session and the loop refer to each other (a reconnect closes the loop's open wait).
  const endWait = (next?: string) => turns.endWait(next);
  const session = new DeviceSession(
    { db: deps.db, key: deps.key, engine: deps.engine, shouldStop, ...(deps.observer && { observer: deps.observer }) },
    rec,
    device,
  );
  const portDeps = { session, rec, engine: deps.engine, image, family };
  const cisco = ciscoPort(portDeps);
  const junos = junosPort(portDeps);
  const ports = { cisco: () => cisco, junos: () => junos };
  const bindings = new Map<ProcedureKind, ProcedureBinding>();
  const c: StepContext = {
    rec,
    session,
    port: device.vendor === 'JUNOS' ? junos : cisco,
    device,
    image,
    family,
    log: deps.log,
    endWait,
  };
  const turns: TurnLoop = new TurnLoop(
    {
      engine: deps.engine,
      log: deps.log,
      shouldStop,
      holdsRun: () => lease.holds(),
      holder: lease.holder,
      bind: (r) => {
        const kind = r.ctx.procedure ?? r.row.procedure;
        if (!bindings.has(kind)) bindings.set(kind, bindingFor(kind, ports));
        return bindings.get(kind)!;
      },
    },
    c,
  );
  try {
    await turns.drive();
  } catch (err) {
    if (err instanceof HostKeyRejected) {
      if (!(await lease.holds())) throw new WorkerStopping();
      // Nothing more goes to the device. Before the pre-checks passed nothing was changed on it:
      // the run is refused. Later the device is mid-procedure and the run cannot go on: it fails,
      // and says in what state it left the device.
      const started = Boolean((await rec.load()).cp.prechecksAt);
      return started
        ? finishRun(
            c,
            'FAILED',
            `${err.message}. The run stopped mid-procedure without sending anything more: check the device by hand (a running rollback timer may still roll it back)`,
          )
        : finishRun(c, 'REFUSED', err.message);
    }
    if (err instanceof RunFailure || isDeviceProblem(err)) {
      // Only the holder ends the run: a stalled driver whose successor drives it stops here.
      if (!(await lease.holds())) throw new WorkerStopping();
      return finishRun(c, 'FAILED', err.message, err instanceof RunFailure ? err.evidence : undefined);
    }
    throw err;
  } finally {
    session.drop();
  }
}
