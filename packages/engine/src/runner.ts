// One device upgrade run, driven to its end: pre-checks, then turns of observe → decide → act
// until the procedure says done. Any worker can run any run at any moment — the decisions come
// from the device's state (packages/core), and what this run did is in its checkpoints.
import { randomUUID } from 'node:crypto';
import type { EngineConfig } from '@hitless/config';
import {
  canAbort,
  comparePostchecks,
  decideCiscoFsu,
  decideCiscoIssu,
  decideJunosIssu,
  failed,
  isTerminal,
  platformFamily,
  ciscoFilesystems,
  type AbortReason,
  type CheckResult,
  type Checkpoints,
  type CiscoObserved,
  type Decision,
  type HealthSnapshot,
  type OperatorFlags,
  type ProcedureKind,
  type RunStatus,
} from '@hitless/core';
import { RunOptions } from '@hitless/contracts';
import type { Db, Device, Prisma, SoftwareImage } from '@hitless/db';
import { DeviceError, ParseError, Transcript, TransportError, type SshTarget } from '@hitless/drivers';
import type { EventPublisher } from '@hitless/messaging';
import type { Logger } from 'pino';
import { connect, sshTargetOf, vendorOf, type AnyDriver } from './device-access.ts';
import { discover } from './discovery.ts';
import type { RunRow } from './dto.ts';
import { ciscoSnapshot, junosSnapshot, observeCisco, observeJunos } from './observe.ts';
import { runCiscoPrechecks, runJunosPrechecks } from './prechecks.ts';
import { RunRecorder, type RunContext, type StepHandle } from './recorder.ts';

export interface RunnerDeps {
  db: Db;
  events: EventPublisher;
  key: Buffer;
  engine: EngineConfig;
  log: Logger;
  workerId: string;
  /** Called when a step succeeds (chaos testing kills the worker here). */
  onStepSucceeded?: (name: string) => void;
  /** Stop at the next turn (worker shutdown); the run stays RUNNING for another worker. */
  shouldStop?: () => boolean;
  /** Whether this driver still holds the run (checked right before every command). */
  holdsRun?: () => Promise<boolean>;
}

/** The step failed as the device reported it; the run goes on to decide from the device's state. */
class StepFailed extends Error {}

/** The device answered in a way that ends the run (as opposed to an outage of our own). */
class RunFailure extends Error {
  constructor(
    message: string,
    readonly evidence?: unknown,
  ) {
    super(message);
  }
}

export class WorkerStopping extends Error {}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** A worker heartbeats the runs it drives this often; a run whose heartbeat is older than STALE_MS is free. */
export const HEARTBEAT_MS = 2000;
export const STALE_MS = 10_000;

/** How long after the device's rollback deadline a run keeps trying to reach it. */
const ROLLBACK_GRACE_MS = 120_000;

/** Consecutive turns that may fail on a device error (a timed-out show, a refused command) before the run fails. */
const MAX_TURN_ERRORS = 5;

/**
 * Takes an active run for one driver (a token per call, so two jobs in one worker process are
 * two holders): only when nobody holds it, or its holder's heartbeat is stale (that worker
 * died). Two drivers never drive one run, whatever the queue did.
 */
async function claim(db: Db, runId: string, holder: string): Promise<boolean> {
  const n = await db.$executeRaw`
    UPDATE "DeviceRun" SET "workerId" = ${holder}, "heartbeatAt" = now()
     WHERE id = ${runId}::uuid
       AND status IN ('PENDING', 'QUEUED', 'RUNNING', 'WAITING_ACCEPT')
       AND ("workerId" IS NULL OR "heartbeatAt" IS NULL OR "heartbeatAt" < now() - make_interval(secs => ${STALE_MS / 1000}))`;
  return n === 1;
}

async function holds(db: Db, runId: string, holder: string): Promise<boolean> {
  return (await db.deviceRun.count({ where: { id: runId, workerId: holder } })) === 1;
}

/** Runs (or resumes) one run to its end. Returns when the run is terminal, held by another live worker, or this worker stops. */
export async function runUpgrade(deps: RunnerDeps, runId: string): Promise<void> {
  const rec = new RunRecorder(deps.db, deps.events, runId, deps.log);
  if (deps.onStepSucceeded) rec.onStepSucceeded = deps.onStepSucceeded;
  const run = await rec.load();
  if (isTerminal(run.status as RunStatus)) return;
  const holder = `${deps.workerId}#${randomUUID().slice(0, 8)}`;
  // The previous holder may have just died: wait for its heartbeat to go stale.
  const claimDeadline = Date.now() + STALE_MS + 5000;
  while (!(await claim(deps.db, runId, holder))) {
    if (isTerminal((await rec.load()).status as RunStatus)) return;
    if (Date.now() > claimDeadline || deps.shouldStop?.()) {
      deps.log.info({ runId }, 'run held by another live worker; leaving it to that one');
      return;
    }
    await sleep(1000);
  }
  let lost = false;
  const beat = setInterval(() => {
    deps.db
      .$executeRaw`UPDATE "DeviceRun" SET "heartbeatAt" = now() WHERE id = ${runId}::uuid AND "workerId" = ${holder}`.then(
      (n) => {
        if (n === 0) lost = true;
      },
      (err: unknown) => deps.log.warn({ err, runId }, 'run heartbeat failed'),
    );
  }, HEARTBEAT_MS);
  const stop = deps.shouldStop;
  deps = {
    ...deps,
    workerId: holder,
    shouldStop: () => lost || Boolean(stop?.()),
    holdsRun: () => holds(deps.db, runId, holder),
  };
  try {
    await drive(deps, rec);
  } finally {
    clearInterval(beat);
  }
}

async function drive(deps: RunnerDeps, rec: RunRecorder): Promise<void> {
  let run = await rec.load();
  const interrupted = await rec.closeInterrupted(deps.workerId);
  run = await rec.update({
    status: run.status === 'WAITING_ACCEPT' ? 'WAITING_ACCEPT' : 'RUNNING',
    startedAt: run.startedAt ?? new Date(),
  });
  if (interrupted > 0) await rec.audit('run.resumed', { worker: deps.workerId, interruptedSteps: interrupted });
  const device = await deps.db.device.findUniqueOrThrow({ where: { id: run.deviceId } });
  const image = await deps.db.softwareImage.findUniqueOrThrow({ where: { id: run.imageId } });
  const options = RunOptions.parse(run.options ?? {});
  const engine = new Engine(deps, rec, device, image, options);
  try {
    await engine.drive();
  } catch (err) {
    if (err instanceof WorkerStopping) return;
    if (
      err instanceof RunFailure ||
      err instanceof DeviceError ||
      err instanceof ParseError ||
      err instanceof TransportError
    ) {
      await engine.finish('FAILED', err.message, err instanceof RunFailure ? err.evidence : undefined);
      return;
    }
    throw err;
  } finally {
    engine.close();
  }
}

class Engine {
  private access: AnyDriver | null = null;
  private target: SshTarget | null = null;
  private readonly transcript: Transcript;
  private wait: { name: string; since: number; step: StepHandle } | null = null;
  private everConnected = false;
  /** The last observation of a Cisco device: commands take the RP slots from it. */
  private lastCisco: CiscoObserved | null = null;

  constructor(
    private readonly deps: RunnerDeps,
    private readonly rec: RunRecorder,
    private readonly device: Device,
    private readonly image: SoftwareImage,
    private readonly runOptions: RunOptions,
  ) {
    this.transcript = new Transcript([], { keep: false });
  }

  private get family(): string {
    return platformFamily(this.device.vendor, this.device.platform);
  }

  close(): void {
    this.dropSession();
  }

  /** Closes the session (after a switchover it is dead anyway); the next use reconnects. */
  private dropSession(): void {
    this.access?.driver.close();
    this.access = null;
  }

  // ---- main loop ----------------------------------------------------------------------------

  async drive(): Promise<void> {
    let run = await this.rec.load();
    let ctx = run.context as RunContext;
    if (!ctx.checkpoints?.prechecksAt) {
      if (run.abortRequestedAt) return this.finish('ABORTED', 'aborted before it started');
      const refused = await this.prechecks();
      if (refused) return;
      run = await this.rec.load();
      ctx = run.context as RunContext;
    }
    let turnErrors = 0;
    for (;;) {
      if (this.deps.shouldStop?.()) throw new WorkerStopping();
      run = await this.rec.load();
      ctx = run.context as RunContext;
      const cp = ctx.checkpoints ?? {};
      const flags: OperatorFlags = {
        abortRequested: Boolean(run.abortRequestedAt),
        acceptRequested: Boolean(run.acceptRequestedAt),
        acceptMode: run.acceptMode,
      };
      if (flags.abortRequested && !cp.abortAt) {
        // The API checked too, but the run may have passed the point of no return since.
        const ok = canAbort(run.status as RunStatus, (ctx.procedure ?? run.procedure) as ProcedureKind, cp);
        if (ok.ok) {
          await this.rec.checkpoint({ abortAt: new Date().toISOString(), abortReason: 'operator' });
          await this.rec.audit('run.abort_started', { by: 'operator' });
          continue;
        }
        // Too late: say so in the audit trail and withdraw the request, so nobody waits for it.
        await this.rec.audit('run.abort_refused', { reason: ok.reason });
        await this.rec.update({ abortRequestedAt: null });
        flags.abortRequested = false;
      }
      try {
        const decision = await this.decide(run, ctx, flags);
        if (decision.kind !== 'wait') await this.endWait();
        switch (decision.kind) {
          case 'done':
            return await this.finish(decision.status, decision.reason);
          case 'wait':
            await this.waitTurn(decision, run.status as RunStatus);
            break;
          case 'command':
            await this.command(decision.command, decision.step, decision.reason, ctx);
            break;
          case 'postchecks':
            await this.postchecks(ctx);
            break;
          case 'verify':
            return await this.verify(ctx);
          default: {
            const unreachable: never = decision;
            throw new Error(`unknown decision ${JSON.stringify(unreachable)}`);
          }
        }
        turnErrors = 0;
      } catch (err) {
        // A timed-out show, output we cannot parse, a command the device refused (its rollback
        // timer may just have fired): read the device again rather than leave it mid-procedure.
        if (
          !(err instanceof DeviceError || err instanceof ParseError || err instanceof TransportError) ||
          ++turnErrors > MAX_TURN_ERRORS
        )
          throw err;
        this.dropSession();
        await this.rec.closeOpenSteps(
          `failed: ${err.message.split('\n')[0]}; reading the device again (${turnErrors}/${MAX_TURN_ERRORS})`,
          this.wait?.step,
        );
        this.deps.log.warn(
          { err, runId: this.rec.runId, attempt: turnErrors },
          'turn failed; observing the device again',
        );
        await sleep(this.deps.engine.pollMs);
      }
    }
  }

  // ---- device access ------------------------------------------------------------------------

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
   * device fails the pre-checks); after that — a switchover, a resumed run — it retries until the
   * reconnect timeout, and at least until the device's rollback deadline has passed, so a device
   * that stays unreachable until it rolls itself back is found rolled back, not given up on.
   */
  private async driver(): Promise<AnyDriver> {
    if (this.access && !this.access.driver.session.isClosed) return this.access;
    this.dropSession();
    const target = await this.sshTarget();
    const run = await this.rec.load();
    const fresh = !this.everConnected && !(run.context as RunContext).checkpoints?.prechecksAt;
    this.everConnected = true;
    if (fresh) {
      this.access = await connect(target, vendorOf(this.device), {
        engine: this.deps.engine,
        transcript: this.transcript,
      });
      return this.access;
    }
    await this.endWait();
    const step = await this.rec.startStep('reconnect');
    step.attach(this.transcript);
    const t0 = Date.now();
    const retryUntil = Math.max(
      t0 + this.deps.engine.reconnectTimeoutMs,
      (run.rollbackDeadline?.getTime() ?? 0) + ROLLBACK_GRACE_MS,
    );
    let attempts = 0;
    try {
      this.access = await connect(target, vendorOf(this.device), {
        engine: this.deps.engine,
        transcript: this.transcript,
        retryUntil,
        shouldStop: () => Boolean(this.deps.shouldStop?.()),
        onAttempt: (n, err) => {
          attempts = n;
          step.note(`attempt ${n}: ${(err as Error).message.split('\n')[0]}`);
        },
      });
    } catch (err) {
      if (this.deps.shouldStop?.()) throw new WorkerStopping();
      await step.end('FAILED', `${this.device.hostname} did not answer for ${Math.round((Date.now() - t0) / 1000)} s`);
      throw new RunFailure(`${this.device.hostname} unreachable: ${(err as Error).message}`);
    }
    await step.end(
      'SUCCEEDED',
      `reconnected after ${((Date.now() - t0) / 1000).toFixed(1)} s (${attempts + 1} attempt${attempts ? 's' : ''})`,
    );
    return this.access;
  }

  /** Reads from the device; a session that dropped (a switchover we did not cause, a flaky link) is reopened. Never for commands. */
  private async withDevice<T>(fn: (a: AnyDriver) => Promise<T>): Promise<T> {
    for (let tries = 0; ; tries++) {
      const a = await this.driver();
      try {
        return await fn(a);
      } catch (err) {
        if (err instanceof TransportError && err.kind !== 'timeout' && tries < 3) {
          this.dropSession();
          continue;
        }
        throw err;
      }
    }
  }

  // ---- pre-checks ---------------------------------------------------------------------------

  /** Returns true when the run ended (refused). */
  private async prechecks(): Promise<boolean> {
    const step = await this.rec.startStep('pre-checks');
    step.attach(this.transcript);
    const run = await this.rec.load();
    try {
      if (this.device.vendor === 'JUNOS') {
        const r = await this.withDevice((a) => runJunosPrechecks(this.deps.db, this.junos(a), this.image));
        const snapshot = await this.withDevice((a) => junosSnapshot(this.junos(a)));
        return await this.recordPrechecks(
          step,
          r.results,
          r.decision,
          {
            procedure: 'JUNOS_ISSU',
            family: this.family,
            original: r.fromVersion,
            target: this.image.version,
            originalMaster: r.originalMaster,
            snapshot,
            prechecks: r.results,
          },
          r.fromVersion,
        );
      }
      const r = await this.withDevice((a) =>
        runCiscoPrechecks(this.deps.db, this.cisco(a), this.family, this.image, run.allowDisruptive),
      );
      const snapshot = await this.withDevice((a) => ciscoSnapshot(this.cisco(a)));
      return await this.recordPrechecks(
        step,
        r.results,
        r.decision,
        {
          procedure: r.decision === 'FSU' ? 'CISCO_FSU' : 'CISCO_ISSU',
          family: this.family,
          original: r.originalImage,
          target: this.image.fileName,
          snapshot,
          prechecks: r.results,
        },
        r.fromVersion,
      );
    } catch (err) {
      await step.end('FAILED', (err as Error).message);
      throw err;
    }
  }

  private async recordPrechecks(
    step: StepHandle,
    results: CheckResult[],
    decision: 'ISSU' | 'FSU' | 'REFUSE',
    ctx: RunContext,
    fromVersion: string,
  ): Promise<boolean> {
    const bad = failed(results);
    const warnings = results.filter((r) => r.verdict === 'warn');
    if (decision === 'REFUSE') {
      const why = bad.length ? bad.map((r) => `${r.title}: ${r.detail}`).join('; ') : 'no procedure fits these images';
      await step.end('FAILED', `refused: ${why}`, { results });
      await this.rec.context(ctx);
      await this.rec.update({ fromVersion });
      await this.finish('REFUSED', `refused by pre-checks: ${why}`);
      return true;
    }
    // Options chosen at start that change the device come after the checks, before anything else.
    const run = await this.rec.load();
    const opts = run.options as { rollbackTimerSeconds?: number };
    if (opts.rollbackTimerSeconds && this.device.vendor !== 'JUNOS') {
      await this.withDevice((a) => this.cisco(a).setRollbackTimer(opts.rollbackTimerSeconds!));
      step.note(`rollback timer set to ${opts.rollbackTimerSeconds} s`);
    }
    await this.rec.context({ ...ctx, checkpoints: { prechecksAt: new Date().toISOString() } });
    await this.rec.update({ fromVersion, procedure: ctx.procedure! });
    await step.end(
      'SUCCEEDED',
      `${results.length - warnings.length} passed, ${warnings.length} warning${warnings.length === 1 ? '' : 's'}${decision === 'FSU' ? ' — images incompatible: Fast Software Upgrade (disruptive), as allowed' : ''}`,
      { results },
    );
    return false;
  }

  private cisco(a: AnyDriver) {
    if (a.kind !== 'cisco') throw new Error('not a Cisco session');
    return a.driver;
  }

  private junos(a: AnyDriver) {
    if (a.kind !== 'junos') throw new Error('not a Junos session');
    return a.driver;
  }

  // ---- observe and decide -------------------------------------------------------------------

  private async decide(run: RunRow, ctx: RunContext, flags: OperatorFlags): Promise<Decision> {
    const cp = ctx.checkpoints ?? {};
    if (ctx.procedure === 'JUNOS_ISSU') {
      const obs = await this.withDevice((a) => observeJunos(this.junos(a)));
      return decideJunosIssu(obs, this.junosState(ctx, cp), flags);
    }
    const obs = await this.withDevice((a) =>
      observeCisco(this.cisco(a), { original: ctx.original!, target: ctx.target! }),
    );
    this.lastCisco = obs;
    await this.trackRollbackDeadline(run, obs);
    const state = { original: ctx.original!, target: ctx.target!, checkpoints: cp };
    return ctx.procedure === 'CISCO_FSU' ? decideCiscoFsu(obs, state, flags) : decideCiscoIssu(obs, state, flags);
  }

  private junosState(ctx: RunContext, cp: Checkpoints) {
    return {
      original: ctx.original!,
      target: ctx.target!,
      originalMaster: ctx.originalMaster ?? 0,
      rebootOldMaster: this.runOptions.rebootOldMaster,
      restoreMastership: this.runOptions.restoreMastership,
      checkpoints: cp,
    };
  }

  /** The device's rollback timer, as a deadline on the run (shown as a countdown). */
  private async trackRollbackDeadline(run: RunRow, obs: CiscoObserved): Promise<void> {
    const left = obs.rollback.inProgress ? obs.rollback.remainingSeconds : null;
    const deadline = left === null ? null : new Date(Date.now() + left * 1000);
    const current = run.rollbackDeadline?.getTime() ?? null;
    if (deadline === null ? current !== null : current === null || Math.abs(current - deadline.getTime()) > 2000) {
      await this.rec.update({ rollbackDeadline: deadline });
    }
  }

  // ---- waits --------------------------------------------------------------------------------

  private async waitTurn(d: Extract<Decision, { kind: 'wait' }>, status: RunStatus): Promise<void> {
    if (this.wait?.name !== d.step) {
      await this.endWait();
      const step = await this.rec.startStep(d.step);
      step.note(d.reason);
      this.wait = { name: d.step, since: Date.now(), step };
    }
    if (d.timeoutKind === 'operator' && status !== 'WAITING_ACCEPT')
      await this.rec.update({ status: 'WAITING_ACCEPT' });
    const limit =
      d.timeoutKind === 'reload'
        ? this.deps.engine.reloadTimeoutMs
        : d.timeoutKind === 'issu'
          ? this.deps.engine.issuTimeoutMs
          : d.timeoutKind === 'rollback'
            ? this.deps.engine.reconnectTimeoutMs
            : Infinity;
    const waited = Date.now() - this.wait.since;
    if (waited > limit) {
      const step = this.wait.step;
      this.wait = null;
      const seconds = Math.round(waited / 1000);
      const run = await this.rec.load();
      if (d.step === 'standby hot' && !(run.context as RunContext).checkpoints?.abortAt) {
        // Seed 003: a standby that never comes up hot is aborted, restoring the original image.
        await step.end('FAILED', `the standby did not reach STANDBY HOT in ${seconds} s`);
        await this.abort('standby never reached STANDBY HOT');
        return;
      }
      await step.end('FAILED', `gave up after ${seconds} s: ${d.reason}`);
      throw new RunFailure(`timed out waiting: ${d.reason}`);
    }
    await sleep(this.deps.engine.pollMs);
  }

  private async endWait(outcome?: string): Promise<void> {
    if (!this.wait) return;
    const { step, since } = this.wait;
    this.wait = null;
    await step.end('SUCCEEDED', outcome ?? `done after ${((Date.now() - since) / 1000).toFixed(1)} s`);
    const run = await this.rec.load();
    if (run.status === 'WAITING_ACCEPT') await this.rec.update({ status: 'RUNNING' });
  }

  private async abort(reason: AbortReason | string): Promise<void> {
    await this.rec.checkpoint({ abortAt: new Date().toISOString(), abortReason: reason as AbortReason });
    await this.rec.audit('run.abort_started', { reason });
  }

  // ---- commands -----------------------------------------------------------------------------

  /** Checkpoints written before the command goes out: a worker that dies mid-command knows it was sent. */
  private checkpointFor(command: string, step: string): Checkpoints | null {
    const now = new Date().toISOString();
    switch (command) {
      case 'loadversion':
        return { loadversionAt: now };
      case 'runversion':
        return { runversionAt: now };
      case 'acceptversion':
        return { acceptedAt: now };
      case 'commitversion':
        return { commitAt: now };
      case 'reload-peer':
        return { peerReloadAt: now };
      case 'force-switchover':
        return { forceSwitchoverAt: now };
      case 'in-service-upgrade':
        return { issuStartedAt: now };
      case 'reboot-other':
        return step.startsWith('recovery') ? { recoveryRebootAt: now } : { rebootOldMasterAt: now };
      case 'master-switch':
        return step.startsWith('recovery') ? { recoverySwitchAt: now } : { mastershipRestoredAt: now };
      case 'rollback-other':
        return { recoveryRollbackAt: now };
      case 'rollback-self':
        return { recoveryPendingClearedAt: now };
      case 'set-boot':
        return { bootSetAt: now };
      default:
        return null;
    }
  }

  private async command(command: string, stepName: string, reason: string, ctx: RunContext): Promise<void> {
    // The one abort the procedure decides by itself: too little of the rollback window left.
    if (command === 'abortversion' && !ctx.checkpoints?.abortAt) await this.abort('rollback window too short');
    const step = await this.rec.startStep(stepName);
    step.attach(this.transcript);
    step.note(reason);
    try {
      const a = await this.driver();
      // A driver that lost its claim (it stalled, another worker took over) never touches the device.
      if (this.deps.holdsRun && !(await this.deps.holdsRun())) throw new WorkerStopping();
      // Written the moment before the command goes out: whoever resumes the run knows it was sent.
      const cp = this.checkpointFor(command, stepName);
      if (cp) await this.rec.checkpoint(cp);
      const out = await this.send(a, command, ctx, step);
      await step.end('SUCCEEDED', out);
    } catch (err) {
      if (err instanceof WorkerStopping) {
        await step.end('FAILED', 'not sent: this worker no longer holds the run');
        throw err;
      }
      await step.end('FAILED', (err as Error).message.split('\n')[0]!);
      if (err instanceof StepFailed) return;
      // The session died during the command: never send it again blindly; the next turn reads
      // the device, and the checkpoint tells the decision it was sent.
      if (err instanceof TransportError) {
        this.dropSession();
        return;
      }
      throw err;
    }
  }

  private async send(a: AnyDriver, command: string, ctx: RunContext, step: StepHandle): Promise<string> {
    const T = ctx.target!;
    const O = ctx.original!;
    if (a.kind === 'junos') {
      const d = a.driver;
      switch (command) {
        case 'in-service-upgrade': {
          const res = await d.inServiceUpgrade(`/var/tmp/${this.image.fileName}`, {
            reboot: false,
            timeoutMs: this.deps.engine.issuTimeoutMs,
          });
          this.dropSession();
          if (res.outcome === 'aborted') {
            // The device said no, or gave up on its own; the decision reads the REs' state next.
            const error = res.errors.join(' / ') || `stopped after the ${res.lastPhase ?? 'first'} phase`;
            const touched = res.lastPhase !== null && !['checked', 'validating'].includes(res.lastPhase);
            await this.rec.checkpoint({ issuOutcome: 'aborted', issuError: error, issuBackupTouched: touched });
            throw new StepFailed(
              touched ? `the device aborted the upgrade: ${error}` : `the device refused the upgrade: ${error}`,
            );
          }
          await this.rec.checkpoint({ issuOutcome: res.outcome });
          return res.outcome === 'switched-over'
            ? 'mastership switched to the upgraded routing engine; the session dropped with it'
            : `the session dropped during the upgrade (last phase: ${res.lastPhase ?? 'none'})`;
        }
        case 'reboot-other':
          await d.rebootOther();
          return 'the other routing engine is rebooting';
        case 'master-switch': {
          const r = await d.masterSwitch();
          this.dropSession();
          return r.disconnected ? 'mastership switched; the session dropped with it' : 'mastership switched';
        }
        case 'rollback-other':
          return (await d.softwareRollbackOther()).trim() || 'rollback scheduled';
        case 'rollback-self':
          return (await d.softwareRollbackSelf()).trim() || 'pending package dropped';
        default:
          throw new Error(`unknown Junos command ${command}`);
      }
    }
    const d = a.driver;
    const fs = ciscoFilesystems(this.family);
    const obs = this.lastCisco ?? (await observeCisco(d, { original: O, target: T }));
    switch (command) {
      case 'loadversion':
        return (await d.loadVersion(obs.active.slot, `${fs.active}${T}`, obs.standby.slot, `${fs.standby}${T}`)).trim();
      case 'runversion': {
        // Until the device is read again after the switchover, its configured window is the best
        // deadline there is (a reconnect keeps trying at least that long).
        const total = obs.rollback.configuredSeconds;
        if (total) await this.rec.update({ rollbackDeadline: new Date(Date.now() + total * 1000) });
        const r = await d.runVersion(obs.standby.slot, `${fs.standby}${T}`);
        this.dropSession();
        return r.disconnected
          ? 'switched over; the session dropped with the old active RP'
          : r.output.trim() || 'runversion sent';
      }
      case 'acceptversion':
        return (await d.acceptVersion(obs.active.slot, `${fs.active}${T}`)).trim();
      case 'commitversion':
        return (await d.commitVersion(obs.standby.slot, `${fs.standby}${T}`)).trim();
      case 'abortversion': {
        const r = await d.abortVersion();
        if (r.disconnected) this.dropSession();
        return r.disconnected ? 'switched back; the session dropped' : r.output.trim() || 'abortversion sent';
      }
      case 'set-boot':
        await d.setBootImage(`${fs.active}${T}`);
        return `boot system flash ${fs.active}${T}`;
      case 'restore-boot':
        await d.setBootImage(`${fs.active}${O}`);
        return `boot system flash ${fs.active}${O}`;
      case 'reload-peer':
        await d.reloadPeer();
        return 'the standby is reloading';
      case 'force-switchover': {
        const r = await d.forceSwitchover();
        this.dropSession();
        step.note('disruptive switchover: traffic is lost until the new active forwards');
        return r.disconnected ? 'switched over; the session dropped' : 'switchover sent';
      }
      default:
        throw new Error(`unknown Cisco command ${command}`);
    }
  }

  // ---- post-checks and verification ---------------------------------------------------------

  private async postchecks(ctx: RunContext): Promise<void> {
    const step = await this.rec.startStep('post-checks');
    step.attach(this.transcript);
    const before = ctx.snapshot as HealthSnapshot;
    let after: HealthSnapshot;
    let actual: string | null;
    if (ctx.procedure === 'JUNOS_ISSU') {
      after = await this.withDevice((a) => junosSnapshot(this.junos(a)));
      actual = (await this.withDevice((a) => observeJunos(this.junos(a)))).master.version;
    } else {
      after = await this.withDevice((a) => ciscoSnapshot(this.cisco(a)));
      const obs = await this.withDevice((a) =>
        observeCisco(this.cisco(a), { original: ctx.original!, target: ctx.target! }),
      );
      actual = obs.active.image;
    }
    const results = comparePostchecks(before, after, { expected: ctx.target!, actual });
    const bad = failed(results);
    if (bad.length > 0) {
      await step.end('FAILED', `post-checks failed: ${bad.map((r) => r.detail).join('; ')}`, {
        results,
        before,
        after,
      });
      await this.abort('post-checks failed');
      return;
    }
    await this.rec.checkpoint({ postchecksAt: new Date().toISOString() });
    await step.end('SUCCEEDED', results.map((r) => `${r.title}: ${r.verdict}`).join('; '), { results, before, after });
  }

  private async verify(ctx: RunContext): Promise<void> {
    const step = await this.rec.startStep('verify');
    step.attach(this.transcript);
    const facts = await this.withDevice((a) => discover(this.device, a));
    const versions = facts.processors.map((p) => p.version);
    const target = this.image.version;
    const allNew = versions.every((v) => v === target);
    const junosPartial =
      ctx.procedure === 'JUNOS_ISSU' && !this.runOptions.rebootOldMaster && versions.includes(target);
    if (!allNew && !junosPartial) {
      await step.end(
        'FAILED',
        `the device does not show the upgrade: ${facts.processors.map((p) => `${p.slot} ${p.version}`).join(', ')}`,
        { facts },
      );
      return this.finish('FAILED', 'final state check failed', { facts });
    }
    await this.deps.db.device.update({
      where: { id: this.device.id },
      data: { currentVersion: target, facts: facts as unknown as Prisma.InputJsonValue, factsUpdatedAt: new Date() },
    });
    await step.end(
      'SUCCEEDED',
      `${facts.processors.map((p) => `${p.slot} ${p.role} ${p.state} on ${p.version}`).join('; ')}`,
      { facts },
    );
    const summary = allNew
      ? `upgraded to ${target} on every ${ctx.procedure === 'JUNOS_ISSU' ? 'routing engine' : 'route processor'}`
      : `upgraded to ${target}; the old master stays on ${ctx.original} until rebooted`;
    return this.finish('COMPLETED', summary);
  }

  async finish(status: RunStatus, summary: string, evidence?: unknown): Promise<void> {
    await this.endWait();
    await this.rec.closeOpenSteps(`ended with the run: ${summary}`.slice(0, 2000));
    const run = await this.rec.update({
      status,
      summary: summary.slice(0, 2000),
      endedAt: new Date(),
      currentStep: null,
      rollbackDeadline: null,
      ...(evidence !== undefined && status === 'FAILED' && { error: evidence as Prisma.InputJsonValue }),
    });
    await this.rec.audit(`run.${status.toLowerCase()}`, {
      summary,
      device: this.device.hostname,
      from: run.fromVersion,
      to: run.toVersion,
    });
    this.deps.log.info({ runId: run.id, device: this.device.hostname, status }, 'run finished');
  }
}
