// Everything a run does goes to PostgreSQL first, then out as a live event: the run's status,
// each step (start, end, outcome, evidence, transcript) and the run's checkpoints. A step is
// written whole before the next begins, so a run can always be read back and resumed.
import { Rooms } from '@hitless/contracts';
import type { Checkpoints } from '@hitless/core';
import { recordAudit, type Db, type Prisma, type RunStep } from '@hitless/db';
import type { TranscriptEntry, Transcript } from '@hitless/drivers';
import type { EventName, EventPayload, EventPublisher } from '@hitless/messaging';
import type { Logger } from 'pino';
import { runInclude, toRunDto, toStepDto, type RunRow } from './dto.ts';

/** Transcript text is saved at least this often while a step runs (and always when it ends). */
const FLUSH_MS = 1000;
/** The longest transcript kept per step; a runaway device cannot fill the database. */
const MAX_TRANSCRIPT = 2_000_000;

export interface RunContext {
  procedure?: 'CISCO_ISSU' | 'CISCO_FSU' | 'JUNOS_ISSU';
  family?: string;
  original?: string;
  target?: string;
  originalMaster?: number;
  snapshot?: unknown;
  prechecks?: unknown;
  checkpoints?: Checkpoints;
}

export class StepHandle {
  private text = '';
  private saved = 0;
  private timer: NodeJS.Timeout | undefined;
  private unsubscribe: (() => void) | undefined;
  ended = false;

  constructor(
    private readonly rec: RunRecorder,
    readonly row: RunStep,
  ) {
    rec.open.add(this);
  }

  get name(): string {
    return this.row.name;
  }

  /** Streams a session's transcript into this step while it runs. */
  attach(transcript: Transcript): void {
    this.unsubscribe?.();
    this.unsubscribe = transcript.subscribe((e) => this.onEntry(e));
  }

  private onEntry(e: TranscriptEntry): void {
    if (e.direction === 'sent') return; // the device's echo shows what was typed; secrets never
    this.append(
      e.direction === 'note'
        ? `${this.text.endsWith('\n') || !this.text ? '' : '\n'}[${e.text}]\n`
        : e.text.replace(/\r/g, ''),
    );
  }

  append(text: string): void {
    if (this.ended || this.text.length >= MAX_TRANSCRIPT) return;
    const offset = this.text.length;
    this.text += text.slice(0, MAX_TRANSCRIPT - offset);
    this.rec.publishOutput(this.row.id, offset, text);
    this.timer ??= setTimeout(() => {
      // A failed save is retried by the next one, and the step's end writes the whole text.
      this.flush().catch((err: unknown) => this.rec.warn(err, 'transcript not saved'));
    }, FLUSH_MS);
  }

  note(text: string): void {
    this.append(`${this.text.endsWith('\n') || !this.text ? '' : '\n'}[${text}]\n`);
  }

  async flush(): Promise<void> {
    clearTimeout(this.timer);
    this.timer = undefined;
    if (this.saved === this.text.length) return;
    const text = this.text;
    await this.rec.db.runStep.update({ where: { id: this.row.id }, data: { transcript: text } });
    this.saved = text.length;
  }

  async end(status: 'SUCCEEDED' | 'FAILED' | 'SKIPPED', outcome: string, evidence?: unknown): Promise<void> {
    if (this.ended) return;
    this.unsubscribe?.();
    clearTimeout(this.timer);
    this.ended = true;
    this.rec.open.delete(this);
    const row = await this.rec.db.runStep.update({
      where: { id: this.row.id },
      data: {
        status,
        outcome: outcome.slice(0, 2000),
        endedAt: new Date(),
        transcript: this.text,
        ...(evidence !== undefined && { evidence: evidence as Prisma.InputJsonValue }),
      },
    });
    await this.rec.publishStep(row);
    if (status === 'SUCCEEDED') this.rec.onStepSucceeded?.(row.name);
  }
}

export class RunRecorder {
  onStepSucceeded?: (name: string) => void;
  /** Steps this recorder started that have not ended yet. */
  readonly open = new Set<StepHandle>();

  constructor(
    readonly db: Db,
    private readonly events: EventPublisher,
    readonly runId: string,
    private readonly log: Logger,
  ) {}

  async load(): Promise<RunRow> {
    return this.db.deviceRun.findUniqueOrThrow({ where: { id: this.runId }, include: runInclude });
  }

  async update(data: Prisma.DeviceRunUpdateInput): Promise<RunRow> {
    const run = await this.db.deviceRun.update({ where: { id: this.runId }, data, include: runInclude });
    await this.publishRun(run);
    return run;
  }

  async publishRun(run: RunRow): Promise<void> {
    await this.publish('run.updated', [Rooms.run(run.id), Rooms.device(run.deviceId), Rooms.runs], {
      run: toRunDto(run),
    });
  }

  /** Merges into the run's context (checkpoints are merged key by key). */
  async context(patch: RunContext): Promise<RunContext> {
    return this.db.$transaction(async (tx) => {
      const rows = await tx.$queryRaw<
        { context: RunContext }[]
      >`SELECT context FROM "DeviceRun" WHERE id = ${this.runId}::uuid FOR UPDATE`;
      const current = rows[0]?.context ?? {};
      const next: RunContext = { ...current, ...patch, checkpoints: { ...current.checkpoints, ...patch.checkpoints } };
      await tx.deviceRun.update({ where: { id: this.runId }, data: { context: next as Prisma.InputJsonValue } });
      return next;
    });
  }

  async checkpoint(cp: Checkpoints): Promise<RunContext> {
    return this.context({ checkpoints: cp });
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

  /** Steps a dead worker left RUNNING are closed as interrupted before this worker goes on. */
  async closeInterrupted(workerId: string): Promise<number> {
    const open = await this.db.runStep.findMany({ where: { runId: this.runId, status: 'RUNNING' } });
    for (const s of open) {
      const row = await this.db.runStep.update({
        where: { id: s.id },
        data: {
          status: 'FAILED',
          endedAt: new Date(),
          outcome: `interrupted: the worker driving this step stopped; resumed by ${workerId}`,
        },
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
