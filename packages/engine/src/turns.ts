// The turn loop: pre-checks once, then turns of observe → decide (core) → act until the
// procedure says done. Each turn loads the run once; an operator's abort is taken (or refused,
// past the point of no return) before deciding; a command's checkpoint is written before it
// goes out and confirmed after the device answered; a wait keeps its clock in the run, so a
// driver that takes the run over does not start its timeout afresh.
import type { EngineConfig } from '@hitless/config';
import { abortPlanOfRun, type AbortReason, type Decision, type WaitKind } from '@hitless/core';
import { DeviceError, TransportError } from '@hitless/drivers';
import type { Logger } from 'pino';
import type { BoundCommand, ProcedureBinding } from './binding.ts';
import { firstLine, isDeviceProblem, RunFailure, StepFailed, WorkerStopping } from './errors.ts';
import type { LoadedRun } from './recorder.ts';
import { finishRun, postchecksStep, prechecksStep, verifyStep, type StepContext } from './run-steps.ts';
import type { StepHandle } from './step.ts';
import { switchoverTraffic } from './traffic.ts';

/** Consecutive turns that may fail on a device error (a timed-out show, a refused command) before the run fails. */
const MAX_TURN_ERRORS = 5;

const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

export interface TurnDeps {
  engine: EngineConfig;
  log: Logger;
  shouldStop: () => boolean;
  /** Whether this driver still holds the run (checked right before every command and every ending). */
  holdsRun: () => Promise<boolean>;
  /** This driver's lease token: a command's checkpoint is written only while it holds the run. */
  holder: string;
  /** The procedure chosen by the pre-checks, bound to its vendor's port. */
  bind: (run: LoadedRun) => ProcedureBinding;
}

/** The device's own words when it refused a command: its `%` / `error:` lines. */
function refusalWords(err: DeviceError): string {
  const lines = err.output.split('\n').map((l) => l.trim());
  const said = lines.filter((l) => /^(%|error:)/i.test(l));
  return (said.length ? said : lines.filter(Boolean).slice(0, 3)).join(' ').slice(0, 500);
}

type Acted = 'ended' | 'went-on' | 'session-lost';

export class TurnLoop {
  private wait: { name: string; kind: WaitKind; since: number; step: StepHandle } | null = null;

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
        const turn = await this.deps.bind(run).turn(run, { now: Date.now(), settleMs: this.deps.engine.settleMs });
        await this.trackRollbackDeadline(run, turn.rollbackSeconds);
        const acted = await this.act(run, turn.decision, turn.command);
        if (acted === 'ended') return;
        // A command whose session died is not an error of the device yet, but it must not go on forever.
        if (acted === 'session-lost' && ++turnErrors > MAX_TURN_ERRORS) {
          throw new RunFailure(
            `the session to the device kept dropping during commands (${MAX_TURN_ERRORS} times in a row)`,
          );
        }
        if (acted === 'went-on') turnErrors = 0;
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

  /** A driver that lost its lease ends nothing and sends nothing. */
  private async mustHold(): Promise<void> {
    if (this.deps.shouldStop() || !(await this.deps.holdsRun())) throw new WorkerStopping();
  }

  private async act(run: LoadedRun, d: Decision, bound: BoundCommand | null): Promise<Acted> {
    if (d.kind !== 'wait') {
      // Only the holder moves the run on (a stalled driver must not close its successor's wait).
      await this.mustHold();
      if (this.wait) await this.endWait(d.reason, run.flags.acceptRequested);
      else await this.leaveWaitOf(run);
    }
    switch (d.kind) {
      case 'done':
        await finishRun(this.c, d.status, d.reason);
        return 'ended';
      case 'wait':
        await this.waitTurn(d, run);
        return 'went-on';
      case 'command':
        if (d.abortReason && !run.cp.abortAt) await this.startAbort(d.abortReason);
        return this.command(bound!, d.step, d.reason, run);
      case 'postchecks': {
        const abort = await postchecksStep(this.c, run);
        if (abort) await this.startAbort(abort);
        return 'went-on';
      }
      case 'verify':
        await verifyStep(this.c, run);
        return 'ended';
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
    const plan = abortPlanOfRun(run.row, run.ctx);
    if (plan.possible) {
      await this.startAbort('operator');
      return this.c.rec.load();
    }
    await this.mustHold();
    await this.c.rec.audit('run.abort_refused', { reason: plan.reason });
    return this.c.rec.update({ abortRequestedAt: null });
  }

  private async startAbort(reason: AbortReason): Promise<void> {
    await this.mustHold();
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
      await this.endWait(d.reason, run.flags.acceptRequested);
      // The same wait a previous driver was in keeps its start: its timeout does not begin again
      // (a different one it was in is replaced below).
      const kept = run.ctx.wait?.step === d.step ? Date.parse(run.ctx.wait.since) : NaN;
      const since = Number.isNaN(kept) ? Date.now() : kept;
      const step = await this.c.rec.startStep(d.step);
      step.note(d.reason);
      this.wait = { name: d.step, kind: d.timeoutKind, since, step };
      if (Number.isNaN(kept)) await this.c.rec.setWait({ step: d.step, since: new Date(since).toISOString() });
    }
    const waitingForAccept = d.timeoutKind === 'operator';
    if (waitingForAccept !== (run.row.status === 'WAITING_ACCEPT')) {
      await this.c.rec.update({ status: waitingForAccept ? 'WAITING_ACCEPT' : 'RUNNING' });
    }
    const e = this.deps.engine;
    const limits: Record<WaitKind, number> = {
      reload: e.reloadTimeoutMs,
      issu: e.issuTimeoutMs,
      rollback: e.reconnectTimeoutMs,
      // Ended by the decision itself: an operator acts, the settle window passes.
      operator: Infinity,
      settle: Infinity,
    };
    const waited = Date.now() - this.wait.since;
    if (waited <= limits[d.timeoutKind]) return sleep(e.pollMs);
    const { step } = this.wait;
    this.wait = null;
    await this.c.rec.setWait(null);
    await step.end('FAILED', `gave up after ${Math.round(waited / 1000)} s: ${d.reason}`);
    // Seed 003: a standby that never comes up hot is aborted, restoring the original image.
    if (d.onTimeout === 'abort' && !run.cp.abortAt) return this.startAbort('standby never reached STANDBY HOT');
    throw new RunFailure(`timed out waiting: ${d.reason}`);
  }

  /**
   * Ends the wait this driver is in, saying what came next. An operator wait that ends without an
   * accept (an abort, the device's rollback timer, the run failing) did not get what it waited
   * for; a settle wait only waited.
   */
  async endWait(next?: string, accepted = false): Promise<void> {
    if (!this.wait) return;
    const { step, since, kind } = this.wait;
    this.wait = null;
    const waited = `after ${((Date.now() - since) / 1000).toFixed(1)} s`;
    const then = next ? `; then: ${next}` : '';
    const unmet = kind === 'operator' && !accepted;
    const said = unmet ? 'not accepted' : kind === 'settle' ? 'waited for the effect' : 'done';
    await step.end(unmet ? 'FAILED' : 'SUCCEEDED', `${said} ${waited}${then}`);
    await this.c.rec.setWait(null);
    const current = await this.c.rec.load();
    if (current.row.status === 'WAITING_ACCEPT') await this.c.rec.update({ status: 'RUNNING' });
  }

  /**
   * The run moves on from a wait a previous driver was in (this driver never opened it): its
   * clock and its WAITING_ACCEPT status go, or a later wait of the same name would inherit them.
   */
  private async leaveWaitOf(run: LoadedRun): Promise<void> {
    if (run.ctx.wait) await this.c.rec.setWait(null);
    if (run.row.status === 'WAITING_ACCEPT') await this.c.rec.update({ status: 'RUNNING' });
  }

  private async command(bound: BoundCommand, stepName: string, reason: string, run: LoadedRun): Promise<Acted> {
    const { rec, session } = this.c;
    const step = await rec.startStep(stepName);
    step.attach(session.transcript);
    step.note(reason);
    try {
      await session.driver();
      // A driver that lost its claim (it stalled, another worker took over), or a worker that is
      // shutting down, never touches the device.
      await this.mustHold();
      // Written the moment before the command goes out: whoever resumes the run knows it was sent.
      await rec.sending(bound.checkpoint, this.deps.holder);
      const out = await bound.send(run, step);
      await rec.confirm(bound.checkpoint);
      // A switchover: the traffic it cost, when the lab measured it (best effort, never fails the run).
      const traffic = bound.disruptive
        ? await switchoverTraffic(this.deps.engine.labApi, this.c.device, step.row.startedAt, this.deps.log)
        : undefined;
      await step.end('SUCCEEDED', out, traffic);
      return 'went-on';
    } catch (err) {
      if (err instanceof WorkerStopping) {
        await step.end('FAILED', 'not sent: this worker no longer holds the run, or is shutting down');
        throw err;
      }
      await step.end('FAILED', firstLine(err));
      if (err instanceof StepFailed) return 'went-on';
      // The session died during the command: never send it again blindly; the next turn reads
      // the device, and the checkpoint (sent, not answered) tells the decision so.
      if (err instanceof TransportError) {
        session.drop();
        return 'session-lost';
      }
      // The device said no: its words go into the run, and the procedure decides what that means.
      if (err instanceof DeviceError) {
        const at = new Date().toISOString();
        const output = refusalWords(err);
        await rec.checkpoint({ refusal: { checkpoint: bound.checkpoint, command: err.command, output, at } });
      }
      throw err;
    }
  }
}
