// The run's session to its device: opened once for the pre-checks, dropped at every switchover
// (the device drops it anyway), and reopened — as a recorded `reconnect` step — for as long as
// the device may take to come back: the reconnect timeout, and at least until the device's
// rollback deadline has passed, so a device unreachable until it rolls itself back is found
// rolled back, not given up on. A host key the driver refuses (HostKeyRejected) is never retried.
import type { EngineConfig } from '@hitless/config';
import type { Db, Device } from '@hitless/db';
import { Transcript, TransportError, type SessionObserver, type SshTarget } from '@hitless/drivers';
import { connect, sshTargetOf, type AnyDriver } from './device-access.ts';
import { firstLine, HostKeyRejected, RunFailure, WorkerStopping } from './errors.ts';
import type { RunRecorder } from './recorder.ts';

/** How long after the device's rollback deadline a run keeps trying to reach it. */
const ROLLBACK_GRACE_MS = 120_000;

export interface SessionDeps {
  db: Db;
  key: Buffer;
  engine: EngineConfig;
  shouldStop: () => boolean;
  observer?: SessionObserver;
}

export class DeviceSession {
  private access: AnyDriver | null = null;
  private target: SshTarget | null = null;
  private everConnected = false;
  /** Every byte to and from the device, secrets redacted; steps attach to it while they run. */
  readonly transcript = new Transcript([], { keep: false });

  constructor(
    private readonly deps: SessionDeps,
    private readonly rec: RunRecorder,
    private readonly device: Device,
  ) {}

  private async sshTarget(): Promise<SshTarget> {
    if (!this.target) {
      this.target = await sshTargetOf(this.deps.db, this.deps.key, this.device);
      this.transcript.addSecret(this.target.password);
      this.transcript.addSecret(this.target.enableSecret);
    }
    return this.target;
  }

  /**
   * The session, (re)connecting as needed. A run's first connection tries once (an unreachable
   * device fails the pre-checks); later ones (a switchover, a resumed run) retry.
   */
  async driver(): Promise<AnyDriver> {
    if (this.access && !this.access.driver.session.isClosed) return this.access;
    this.drop();
    const target = await this.sshTarget();
    const run = await this.rec.load();
    const fresh = !this.everConnected && !run.cp.prechecksAt;
    this.everConnected = true;
    const options = {
      engine: this.deps.engine,
      transcript: this.transcript,
      ...(this.deps.observer && { observer: this.deps.observer }),
    };
    if (fresh) {
      this.access = await connect(this.deps.db, this.device, target, options);
      return this.access;
    }
    // A wait the run is in stays open: reconnecting is how it goes on reading the device.
    const step = await this.rec.startStep('reconnect');
    step.attach(this.transcript);
    const t0 = Date.now();
    const rollbackDeadline = run.row.rollbackDeadline?.getTime() ?? 0;
    const retryUntil = Math.max(t0 + this.deps.engine.reconnectTimeoutMs, rollbackDeadline + ROLLBACK_GRACE_MS);
    let attempts = 0;
    try {
      this.access = await connect(this.deps.db, this.device, target, {
        ...options,
        retryUntil,
        shouldStop: this.deps.shouldStop,
        onAttempt: (n, err) => {
          attempts = n;
          step.note(`attempt ${n}: ${firstLine(err)}`);
        },
      });
    } catch (err) {
      if (err instanceof HostKeyRejected) {
        await step.end('FAILED', err.message);
        throw err;
      }
      if (this.deps.shouldStop()) throw new WorkerStopping();
      await step.end('FAILED', `${this.device.hostname} did not answer for ${Math.round((Date.now() - t0) / 1000)} s`);
      throw new RunFailure(`${this.device.hostname} unreachable: ${(err as Error).message}`);
    }
    const took = ((Date.now() - t0) / 1000).toFixed(1);
    await step.end('SUCCEEDED', `reconnected after ${took} s (${attempts + 1} attempt${attempts ? 's' : ''})`);
    return this.access;
  }

  /** Reads from the device; a session that dropped (a switchover we did not cause, a flaky link) is reopened. Never for commands. */
  async read<T>(fn: (a: AnyDriver) => Promise<T>): Promise<T> {
    for (let tries = 0; ; tries++) {
      const a = await this.driver();
      try {
        return await fn(a);
      } catch (err) {
        if (err instanceof TransportError && err.kind !== 'timeout' && tries < 3) {
          this.drop();
          continue;
        }
        throw err;
      }
    }
  }

  /** Closes the session (after a switchover it is dead anyway); the next use reconnects. */
  drop(): void {
    this.access?.driver.close();
    this.access = null;
  }
}
