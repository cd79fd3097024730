// The run lease: who drives a run right now. BullMQ already moves a dead worker's job to another
// worker, but a job is not a run (two jobs for one run, a stalled worker that wakes up): the
// driver also claims the run row with a token of its own and keeps a heartbeat on it, and it
// only takes a run nobody holds, whose holder let go, or whose holder's heartbeat went stale.
// Like BullMQ's lock manager, this is its own object: acquire, renew in the background, check
// before every command, release.
import { randomUUID } from 'node:crypto';
import { ACTIVE_RUN_STATUSES, isActive } from '@hitless/core';
import { Prisma, type Db } from '@hitless/db';
import type { Logger } from 'pino';

/** The default: a lease whose heartbeat is older than this is free; it is renewed five times as often. */
export const STALE_MS = 10_000;

/** Who held the run before this lease, as the row said the moment it was taken. */
export interface PreviousHolder {
  workerId: string;
  /** Null when that holder let go on purpose (a worker shutting down). */
  heartbeatAt: Date | null;
}

const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

export class RunLease {
  private lostFlag = false;
  private readonly timer: NodeJS.Timeout;
  /** A renew in flight: a hand-over waits for it, or the renew would undo the hand-over. */
  private renewing: Promise<void> = Promise.resolve();

  private constructor(
    private readonly db: Db,
    readonly runId: string,
    /** This driver's token: the worker's id and a suffix, so two jobs in one process are two holders. */
    readonly holder: string,
    readonly previous: PreviousHolder | null,
    private readonly log: Logger,
    staleMs: number,
  ) {
    this.timer = setInterval(() => {
      this.renewing = this.renew();
    }, staleMs / 5);
  }

  /**
   * Takes the run for one driver, waiting for a previous holder's heartbeat to go stale (that
   * worker just died). Null when the run has ended, or another live driver keeps it.
   */
  static async acquire(
    db: Db,
    runId: string,
    workerId: string,
    options: { log: Logger; shouldStop?: () => boolean; staleMs?: number },
  ): Promise<RunLease | null> {
    const holder = `${workerId}#${randomUUID().slice(0, 8)}`;
    const staleMs = options.staleMs ?? STALE_MS;
    const deadline = Date.now() + staleMs * 1.5;
    for (;;) {
      // Atomically: take the row if it is free, and say who had it.
      const rows = await db.$queryRaw<{ workerId: string | null; heartbeatAt: Date | null }[]>`
        WITH old AS (
          SELECT id, "workerId", "heartbeatAt" FROM "DeviceRun" WHERE id = ${runId}::uuid FOR UPDATE
        )
        UPDATE "DeviceRun" r SET "workerId" = ${holder}, "heartbeatAt" = now()
          FROM old
         WHERE r.id = old.id
           AND r.status::text IN (${Prisma.join([...ACTIVE_RUN_STATUSES])})
           AND (old."workerId" IS NULL OR old."heartbeatAt" IS NULL
                OR old."heartbeatAt" < now() - make_interval(secs => ${staleMs / 1000}))
        RETURNING old."workerId", old."heartbeatAt"`;
      const row = rows[0];
      if (row) {
        const previous = row.workerId ? { workerId: row.workerId, heartbeatAt: row.heartbeatAt } : null;
        return new RunLease(db, runId, holder, previous, options.log, staleMs);
      }
      const run = await db.deviceRun.findUnique({ where: { id: runId }, select: { status: true } });
      if (!run || !isActive(run.status)) return null;
      if (Date.now() > deadline || options.shouldStop?.()) {
        options.log.info({ runId }, 'run held by another live worker; leaving it to that one');
        return null;
      }
      await sleep(Math.min(1000, staleMs / 5));
    }
  }

  /** Another driver took the run (this one stalled past the stale limit): stop at the next turn. */
  get lost(): boolean {
    return this.lostFlag;
  }

  private async renew(): Promise<void> {
    try {
      const n = await this.db
        .$executeRaw`UPDATE "DeviceRun" SET "heartbeatAt" = now() WHERE id = ${this.runId}::uuid AND "workerId" = ${this.holder}`;
      if (n === 0) this.lostFlag = true;
    } catch (err) {
      // The database is away: the next turn's own reads fail and say so; renewing resumes with it.
      this.log.warn({ err, runId: this.runId }, 'run heartbeat failed');
    }
  }

  /** Whether this driver still holds the run: checked right before every command. */
  async holds(): Promise<boolean> {
    if (this.lostFlag) return false;
    return (await this.db.deviceRun.count({ where: { id: this.runId, workerId: this.holder } })) === 1;
  }

  /**
   * Stops renewing. `handOver` also lets go at once (a worker shutting down), so the next worker
   * need not wait for the heartbeat to go stale; the holder's id stays for the record.
   */
  async release(handOver = false): Promise<void> {
    clearInterval(this.timer);
    await this.renewing;
    if (!handOver || this.lostFlag) return;
    await this.db
      .$executeRaw`UPDATE "DeviceRun" SET "heartbeatAt" = NULL WHERE id = ${this.runId}::uuid AND "workerId" = ${this.holder}`.catch(
      (err: unknown) => this.log.warn({ err, runId: this.runId }, 'run not handed over; it frees itself when stale'),
    );
  }
}

/** The worker process a holder token belongs to (`host:pid:id#driver` → `host:pid:id`). */
export const workerOf = (holder: string) => holder.replace(/#[^#]*$/, '');
