// Everything a run does goes to PostgreSQL first, then out as a live event: the run's status,
// each step (start, end, outcome, evidence, transcript) and the run's checkpoints. A step is
// written whole before the next begins, so a run can always be read back and resumed.
import { Rooms, RunOptions } from '@hitless/contracts';
import {
  parseRunContext,
  type CheckpointKey,
  type Checkpoints,
  type OperatorFlags,
  type RunContext,
} from '@hitless/core';
import { recordAudit, type Db, type Prisma, type RunStep } from '@hitless/db';
import type { EventName, EventPayload, EventPublisher } from '@hitless/messaging';
import { runInclude, toRunDto, toStepDto, type RunRow } from '@hitless/read-model';
import type { ProcedureKind } from '@hitless/contracts';
import type { Logger } from 'pino';
import { WorkerStopping } from './errors.ts';
import type { EngineObserver } from './observer.ts';
import { StepHandle, type StepSink } from './step.ts';

/** A run as one turn sees it: the row, its context and options parsed, what operators asked. */
export interface LoadedRun {
  row: RunRow;
  ctx: RunContext;
  cp: Checkpoints;
  options: RunOptions;
  flags: OperatorFlags;
}

function loaded(row: RunRow): LoadedRun {
  const ctx = parseRunContext(row.context);
  return {
    row,
    ctx,
    cp: ctx.checkpoints,
    options: RunOptions.parse(row.options ?? {}),
    flags: {
      abortRequested: Boolean(row.abortRequestedAt),
      acceptRequested: Boolean(row.acceptRequestedAt),
      acceptMode: row.acceptMode,
    },
  };
}

export class RunRecorder implements StepSink {
  onStepSucceeded?: (name: string) => void | Promise<void>;
  observer?: EngineObserver;
  /** The run's procedure as last read (the pre-checks may change it), for what the observer is told. */
  private procedure: ProcedureKind | null = null;
  /** Steps this recorder started that have not ended yet. */
  readonly open = new Set<StepHandle>();

  constructor(
    readonly db: Db,
    private readonly events: EventPublisher,
    readonly runId: string,
    private readonly log: Logger,
  ) {}

  /** The one way to read the run: once per turn, and after changes that the turn depends on. */
  async load(): Promise<LoadedRun> {
    const row = await this.db.deviceRun.findUniqueOrThrow({ where: { id: this.runId }, include: runInclude });
    this.procedure = row.procedure;
    return loaded(row);
  }

  async update(data: Prisma.DeviceRunUpdateInput): Promise<LoadedRun> {
    const row = await this.db.deviceRun.update({ where: { id: this.runId }, data, include: runInclude });
    this.procedure = row.procedure;
    await this.publishRun(row);
    return loaded(row);
  }

  stepEnded(step: string, status: 'SUCCEEDED' | 'FAILED' | 'SKIPPED', seconds: number): void {
    if (this.procedure) this.observer?.stepEnded?.({ procedure: this.procedure, step, status, seconds });
  }

  async publishRun(row: RunRow): Promise<void> {
    await this.publish('run.updated', [Rooms.run(row.id), Rooms.device(row.deviceId), Rooms.runs], {
      run: toRunDto(row),
    });
  }

  /**
   * Changes the run's context under a row lock: `change` gets the stored context, parsed. With
   * `holder`, only while that lease still holds the run (else `WorkerStopping`): the check and
   * the write are one.
   */
  async changeContext(change: (current: RunContext) => RunContext, holder?: string): Promise<void> {
    await this.db.$transaction(async (tx) => {
      const rows = await tx.$queryRaw<
        { context: unknown; workerId: string | null }[]
      >`SELECT context, "workerId" FROM "DeviceRun" WHERE id = ${this.runId}::uuid FOR UPDATE`;
      if (holder !== undefined && rows[0]?.workerId !== holder) throw new WorkerStopping();
      const next = change(parseRunContext(rows[0]?.context));
      await tx.deviceRun.update({ where: { id: this.runId }, data: { context: next as Prisma.InputJsonValue } });
    });
  }

  /** Merges into the run's context (checkpoints key by key, `confirmed` too). */
  async context(patch: Partial<Omit<RunContext, 'checkpoints'>> & { checkpoints?: Checkpoints }): Promise<void> {
    await this.changeContext((current) => ({
      ...current,
      ...patch,
      checkpoints: {
        ...current.checkpoints,
        ...patch.checkpoints,
        confirmed: { ...current.checkpoints.confirmed, ...patch.checkpoints?.confirmed },
      },
    }));
  }

  async checkpoint(cp: Checkpoints): Promise<void> {
    await this.context({ checkpoints: cp });
  }

  /** The command behind `key` goes out now (if `holder` still holds the run): its time, one more send, no answer yet. */
  async sending(key: CheckpointKey, holder: string): Promise<void> {
    await this.changeContext((c) => {
      const { [key]: _answered, ...confirmed } = c.checkpoints.confirmed ?? {};
      const sends = { ...c.checkpoints.sends, [key]: (c.checkpoints.sends?.[key] ?? 0) + 1 };
      return { ...c, checkpoints: { ...c.checkpoints, [key]: new Date().toISOString(), sends, confirmed } };
    }, holder);
  }

  /** The device answered the command behind `key` without an error. */
  async confirm(key: CheckpointKey): Promise<void> {
    await this.checkpoint({ confirmed: { [key]: new Date().toISOString() } });
  }

  /** The wait the run is in (or none), kept so whoever drives next keeps its clock. */
  async setWait(wait: RunContext['wait'] | null): Promise<void> {
    await this.changeContext(({ wait: _old, ...c }) => (wait ? { ...c, wait } : c));
  }

  async startStep(name: string): Promise<StepHandle> {
    const [count, sameName] = await Promise.all([
      this.db.runStep.count({ where: { runId: this.runId } }),
      this.db.runStep.count({ where: { runId: this.runId, name } }),
    ]);
    const row = await this.db.runStep.create({
      data: { runId: this.runId, seq: count + 1, name, attempt: sameName + 1 },
    });
    await this.update({ currentStep: name });
    await this.publishStep(row);
    return new StepHandle(this, row);
  }

  /** Ends every step still open (an error cut it short, or the run ended) as FAILED with this outcome. */
  async closeOpenSteps(outcome: string, except?: StepHandle): Promise<void> {
    for (const step of [...this.open]) if (step !== except) await step.end('FAILED', outcome);
  }

  warn(err: unknown, message: string): void {
    this.log.warn({ err, runId: this.runId }, message);
  }

  /** Steps a previous driver left RUNNING are closed, saying why, before this driver goes on. */
  async closeInterrupted(outcome: string): Promise<number> {
    const open = await this.db.runStep.findMany({ where: { runId: this.runId, status: 'RUNNING' } });
    for (const s of open) {
      const row = await this.db.runStep.update({
        where: { id: s.id },
        data: { status: 'FAILED', endedAt: new Date(), outcome: outcome.slice(0, 2000) },
      });
      await this.publishStep(row);
    }
    return open.length;
  }

  async publishStep(row: RunStep): Promise<void> {
    const { transcript, ...rest } = toStepDto(row);
    await this.publish('step.updated', [Rooms.run(this.runId)], {
      runId: this.runId,
      step: { ...rest, transcriptLength: transcript.length },
    });
  }

  publishOutput(stepId: string, offset: number, text: string): void {
    void this.publish('step.output', [Rooms.run(this.runId)], { runId: this.runId, stepId, offset, text });
  }

  async audit(
    action: string,
    details: Record<string, unknown>,
    actor = { id: null, name: 'worker', ip: null },
  ): Promise<void> {
    await this.db.$transaction((tx) =>
      recordAudit(tx, actor, { action, targetType: 'run', targetId: this.runId, details }),
    );
  }

  private async publish<E extends EventName>(type: E, rooms: string[], payload: EventPayload<E>): Promise<void> {
    try {
      await this.events.publish(type, rooms, payload);
    } catch (err) {
      // PostgreSQL already has it; clients refetch on reconnect.
      this.log.warn({ err, type }, 'live event not published');
    }
  }
}
