// One step of a run while it happens: its transcript streams out live (with offsets, so a
// browser can tell a missed chunk) and is saved at least every second; its end is written
// whole, with outcome and evidence, before the run goes on.
import type { Db, Prisma, RunStep } from '@hitless/db';
import type { Transcript, TranscriptEntry } from '@hitless/drivers';

/** Transcript text is saved at least this often while a step runs (and always when it ends). */
const FLUSH_MS = 1000;
/** The longest transcript kept per step; a runaway device cannot fill the database. */
const MAX_TRANSCRIPT = 2_000_000;

/** What a step needs from the run it belongs to (the recorder). */
export interface StepSink {
  readonly db: Db;
  readonly open: Set<StepHandle>;
  onStepSucceeded?: (name: string) => void | Promise<void>;
  /** A step's end was written, `seconds` after it started (metrics). */
  stepEnded?(name: string, status: 'SUCCEEDED' | 'FAILED' | 'SKIPPED', seconds: number): void;
  publishOutput(stepId: string, offset: number, text: string): void;
  publishStep(row: RunStep): Promise<void>;
  warn(err: unknown, message: string): void;
}

export class StepHandle {
  private text = '';
  private saved = 0;
  private timer: NodeJS.Timeout | undefined;
  private unsubscribe: (() => void) | undefined;
  private readonly t0 = performance.now();
  ended = false;

  constructor(
    private readonly rec: StepSink,
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
    this.rec.stepEnded?.(row.name, status, (performance.now() - this.t0) / 1000);
    await this.rec.publishStep(row);
    if (status === 'SUCCEEDED') await this.rec.onStepSucceeded?.(row.name);
  }
}
