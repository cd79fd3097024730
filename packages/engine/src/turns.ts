// The turn loop: pre-checks once, then turns of observe → decide (core) → act until the
// procedure says done. Each turn loads the run once; an operator's abort is taken (or refused,
// past the point of no return) before deciding; a command's checkpoint is written before it
// goes out and confirmed after the device answered.
import type { EngineConfig } from '@hitless/config';
import { abortPlan, type AbortReason, type Decision } from '@hitless/core';
import { DeviceError, TransportError } from '@hitless/drivers';
import type { Logger } from 'pino';
import type { BoundCommand, ProcedureBinding } from './binding.ts';
import { firstLine, isDeviceProblem, RunFailure, StepFailed, WorkerStopping } from './errors.ts';
import type { LoadedRun } from './recorder.ts';
import { finishRun, postchecksStep, prechecksStep, verifyStep, type StepContext } from './run-steps.ts';
import type { StepHandle } from './step.ts';

/** Consecutive turns that may fail on a device error (a timed-out show, a refused command) before the run fails. */
const MAX_TURN_ERRORS = 5;

const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

export interface TurnDeps {
  engine: EngineConfig;
  log: Logger;
  shouldStop: () => boolean;
  /** Whether this driver still holds the run (checked right before every command). */
  holdsRun: () => Promise<boolean>;
  /** The procedure chosen by the pre-checks, bound to its vendor's port. */
  bind: (run: LoadedRun) => ProcedureBinding;
}

/** The device's own words when it refused a command: its `%` / `error:` lines. */
function refusalWords(err: DeviceError): string {
  const lines = err.output.split('\n').map((l) => l.trim());
  const said = lines.filter((l) => /^(%|error:)/i.test(l));
  return (said.length ? said : lines.filter(Boolean).slice(0, 3)).join(' ').slice(0, 500);
}

export class TurnLoop {
  private wait: { name: string; since: number; step: StepHandle } | null = null;

  constructor(
    private readonly deps: TurnDeps,
    private readonly c: StepContext,
  ) {}

  async drive(): Promise<void> {
    let run = await this.c.rec.load();
    if (!run.cp.prechecksAt) {
      if (run.flags.abortRequested) return finishRun(this.c, 'ABORTED', 'aborted before it started');
      if (await prechecksStep(this.c, run)) return;
    }
    let turnErrors = 0;
    for (;;) {
      if (this.deps.shouldStop()) throw new WorkerStopping();
      run = await this.takeAbortRequest(await this.c.rec.load());
      try {
        const turn = await this.deps.bind(run).turn(run);
        await this.trackRollbackDeadline(run, turn.rollbackSeconds);
        if (await this.act(run, turn.decision, turn.command)) return;
        turnErrors = 0;
      } catch (err) {
        // A timed-out show, output we cannot parse, a command the device refused (its rollback
        // timer may just have fired): read the device again rather than leave it mid-procedure.
        if (!isDeviceProblem(err) || ++turnErrors > MAX_TURN_ERRORS) throw err;
        this.c.session.drop();
        const note = `failed: ${firstLine(err)}; reading the device again (${turnErrors}/${MAX_TURN_ERRORS})`;
        await this.c.rec.closeOpenSteps(note, this.wait?.step);
        this.deps.log.warn(
          { err, runId: this.c.rec.runId, attempt: turnErrors },
          'turn failed; observing the device again',
        );
        await sleep(this.deps.engine.pollMs);
      }
    }
  }

  /** Returns true when the run ended. */
  private async act(run: LoadedRun, d: Decision, bound: BoundCommand | null): Promise<boolean> {
    if (d.kind !== 'wait') await this.endWait();
    switch (d.kind) {
      case 'done':
        await finishRun(this.c, d.status, d.reason);
        return true;
      case 'wait':
        await this.waitTurn(d, run);
        return false;
      case 'command':
        if (d.abortReason && !run.cp.abortAt) await this.startAbort(d.abortReason);
        await this.command(bound!, d.step, d.reason, run);
        return false;
      case 'postchecks': {
        const abort = await postchecksStep(this.c, run);
        if (abort) await this.startAbort(abort);
        return false;
      }
      case 'verify':
        await verifyStep(this.c, run);
        return true;
      default: {
        const unreachable: never = d;
        throw new Error(`unknown decision ${JSON.stringify(unreachable)}`);
      }
    }
  }

  /** An operator's abort: taken while the procedure allows it, otherwise withdrawn and said so. */
  private async takeAbortRequest(run: LoadedRun): Promise<LoadedRun> {
    if (!run.flags.abortRequested || run.cp.abortAt) return run;
    // The API checked too, but the run may have passed the point of no return since.
    const plan = abortPlan(run.row.status, run.ctx.procedure ?? run.row.procedure, run.cp, {
      original: run.ctx.original ?? '',
      target: run.ctx.target ?? '',
    });
    if (plan.possible) {
      await this.startAbort('operator');
      return this.c.rec.load();
    }
    await this.c.rec.audit('run.abort_refused', { reason: plan.reason });
    return this.c.rec.update({ abortRequestedAt: null });
  }

  private async startAbort(reason: AbortReason): Promise<void> {
    await this.c.rec.checkpoint({ abortAt: new Date().toISOString(), abortReason: reason });
    await this.c.rec.audit('run.abort_started', { reason });
  }

  /** The device's rollback timer, as a deadline on the run (browsers count down from it). */
  private async trackRollbackDeadline(run: LoadedRun, left: number | null): Promise<void> {
    const deadline = left === null ? null : new Date(Date.now() + left * 1000);
    const current = run.row.rollbackDeadline?.getTime() ?? null;
    const moved =
      deadline === null ? current !== null : current === null || Math.abs(current - deadline.getTime()) > 2000;
    if (moved) await this.c.rec.update({ rollbackDeadline: deadline });
  }

  private async waitTurn(d: Extract<Decision, { kind: 'wait' }>, run: LoadedRun): Promise<void> {
    if (this.wait?.name !== d.step) {
      await this.endWait();
      const step = await this.c.rec.startStep(d.step);
      step.note(d.reason);
      this.wait = { name: d.step, since: Date.now(), step };
    }
    if (d.timeoutKind === 'operator' && run.row.status !== 'WAITING_ACCEPT')
      await this.c.rec.update({ status: 'WAITING_ACCEPT' });
    const e = this.deps.engine;
    const limits = {
      reload: e.reloadTimeoutMs,
      issu: e.issuTimeoutMs,
      rollback: e.reconnectTimeoutMs,
      operator: Infinity,
    };
    const waited = Date.now() - this.wait.since;
    if (waited <= limits[d.timeoutKind]) return sleep(e.pollMs);
    const { step } = this.wait;
    this.wait = null;
    const seconds = Math.round(waited / 1000);
    if (d.onTimeout === 'abort' && !run.cp.abortAt) {
      // Seed 003: a standby that never comes up hot is aborted, restoring the original image.
      await step.end('FAILED', `gave up after ${seconds} s: ${d.reason}`);
      return this.startAbort('standby never reached STANDBY HOT');
    }
    await step.end('FAILED', `gave up after ${seconds} s: ${d.reason}`);
    throw new RunFailure(`timed out waiting: ${d.reason}`);
  }

  async endWait(): Promise<void> {
    if (!this.wait) return;
    const { step, since } = this.wait;
    this.wait = null;
    await step.end('SUCCEEDED', `done after ${((Date.now() - since) / 1000).toFixed(1)} s`);
    const run = await this.c.rec.load();
    if (run.row.status === 'WAITING_ACCEPT') await this.c.rec.update({ status: 'RUNNING' });
  }

  private async command(bound: BoundCommand, stepName: string, reason: string, run: LoadedRun): Promise<void> {
    const { rec, session } = this.c;
    const step = await rec.startStep(stepName);
    step.attach(session.transcript);
    step.note(reason);
    try {
      await session.driver();
      // A driver that lost its claim (it stalled, another worker took over) never touches the device.
      if (!(await this.deps.holdsRun())) throw new WorkerStopping();
      // Written the moment before the command goes out: whoever resumes the run knows it was sent.
      await rec.checkpoint({ [bound.checkpoint]: new Date().toISOString() });
      const out = await bound.send(run, step);
      await rec.confirm(bound.checkpoint);
      await step.end('SUCCEEDED', out);
    } catch (err) {
      if (err instanceof WorkerStopping) {
        await step.end('FAILED', 'not sent: this worker no longer holds the run');
        throw err;
      }
      await step.end('FAILED', firstLine(err));
      if (err instanceof StepFailed) return;
      // The session died during the command: never send it again blindly; the next turn reads
      // the device, and the checkpoint tells the decision it was sent.
      if (err instanceof TransportError) return session.drop();
      // The device said no: its words go into the run, and the procedure decides what that means.
      if (err instanceof DeviceError) {
        const at = new Date().toISOString();
        await rec.checkpoint({
          refusal: { checkpoint: bound.checkpoint, command: err.command, output: refusalWords(err), at },
        });
      }
      throw err;
    }
  }
}
