// Received messages wait in a bounded queue and are written to PostgreSQL in batches (one
// INSERT of up to `batchSize` rows, rows.ts), then published live. Nothing is thrown away
// silently: a message that cannot be parsed is stored raw with its parse error; while PostgreSQL
// is away (or refuses writes) the batch is retried with backoff and the queue fills; a message
// PostgreSQL refuses for its content is stored raw with the reason; only a full queue, a message
// refused even raw, or what is left when a shutdown cannot store it is dropped, and counted.
// Live events are hints: they go out beside the writes, one batch at a time, and never hold
// storing up (Redis may be away while PostgreSQL is not).
import { Rooms, type SyslogMessage as SyslogMessageDto } from '@hitless/contracts';
import { Prisma, type Db } from '@hitless/db';
import type { EventPublisher } from '@hitless/messaging';
import { parseSyslog } from '@hitless/syslog';
import type { DeviceMatcher } from './matcher.ts';
import type { CollectorMetrics } from './metrics.ts';
import { countBy, insertRows, toDto, toRow, unparsed, type Row } from './rows.ts';

export interface Received {
  text: string;
  receivedAt: Date;
  sourceAddress: string;
  transport: 'UDP' | 'TCP';
  /** Set when the framing layer had to cut or could not delimit the message. */
  framingError: string | null;
}

export interface StoreOptions {
  db: Db;
  events: EventPublisher | null;
  matcher: DeviceMatcher;
  metrics: CollectorMetrics;
  batchSize: number;
  flushMs: number;
  queueMax: number;
  /** Time zone for device timestamps that carry none (RFC 3164). */
  timeZone?: string;
  logger: { warn(obj: object, msg: string): void; error(obj: object, msg: string): void };
}

/** Messages carried by one live event per room; the rest are counted in `omitted`. */
const LIVE_PER_EVENT = 100;
const RETRY_MAX_MS = 5000;

/** SQLSTATE classes that say the data is at fault: 22 data exception, 23 integrity constraint violation. */
const DATA_ERROR = /^2[23]/;
const FOREIGN_KEY = '23503';

/** The SQLSTATE of a PostgreSQL error as Prisma's driver adapter passes it on, if any. */
function sqlState(err: unknown): string | null {
  if (!(err instanceof Prisma.PrismaClientKnownRequestError)) return null;
  const meta = err.meta as { code?: unknown; driverAdapterError?: { cause?: { originalCode?: unknown } } } | undefined;
  const code = meta?.driverAdapterError?.cause?.originalCode ?? meta?.code;
  return typeof code === 'string' && /^[0-9A-Z]{5}$/.test(code) ? code : null;
}

/** Some rows of a batch were stored before PostgreSQL went away: those leave the queue. */
class PartialWrite extends Error {
  constructor(
    readonly done: number,
    override readonly cause: unknown,
  ) {
    super('PostgreSQL went away while a batch was stored row by row');
  }
}

export class SyslogStore {
  private queue: Received[] = [];
  private timer: NodeJS.Timeout | null = null;
  private draining: Promise<boolean> | null = null;
  private live: Promise<void> | null = null;
  private retryMs = 0;
  private closed = false;
  /** Called when the queue crosses its high (true) or low (false) water mark: TCP reading pauses. */
  onPressure: (full: boolean) => void = () => undefined;
  private pressured = false;

  constructor(private readonly o: StoreOptions) {}

  get depth(): number {
    return this.queue.length;
  }

  accept(message: Received): void {
    this.o.metrics.received.inc({ transport: message.transport.toLowerCase() });
    if (this.queue.length >= this.o.queueMax) {
      this.o.metrics.dropped.inc({ reason: 'queue_full' });
      return;
    }
    this.queue.push(message);
    this.o.metrics.queueDepth.set(this.queue.length);
    if (!this.pressured && this.queue.length >= this.o.queueMax * 0.8) {
      this.pressured = true;
      this.onPressure(true);
    }
    this.kick();
  }

  /** A drain soon: at once for a full batch, after flushMs for less; never inside a retry pause. */
  private kick(): void {
    if (this.closed || this.draining) return;
    const full = this.queue.length >= this.o.batchSize;
    if (this.timer) {
      if (this.retryMs > 0 || !full) return;
      clearTimeout(this.timer);
    }
    this.timer = setTimeout(
      () => {
        this.timer = null;
        if (this.closed) return;
        this.draining = this.drain(false).finally(() => {
          this.draining = null;
          if (this.queue.length > 0) this.kick();
        });
      },
      this.retryMs || (full ? 0 : this.o.flushMs),
    );
  }

  /**
   * Writes full batches while there are any (`all`: everything), then leaves the rest to wait
   * for more; stops at the first failure, to try again after a pause that doubles.
   */
  private async drain(all: boolean): Promise<boolean> {
    while (this.queue.length > 0) {
      const batch = this.queue.slice(0, this.o.batchSize);
      try {
        await this.write(batch);
      } catch (err) {
        if (err instanceof PartialWrite) this.take(err.done);
        this.retryMs = Math.min(RETRY_MAX_MS, Math.max(100, this.retryMs * 2));
        const cause = err instanceof PartialWrite ? err.cause : err;
        this.o.logger.error(
          { err: cause, queued: this.queue.length, retryMs: this.retryMs },
          'storing syslog failed; retrying',
        );
        return false;
      }
      this.retryMs = 0;
      this.take(batch.length);
      if (!all && this.queue.length < this.o.batchSize) break;
    }
    return true;
  }

  private take(n: number): void {
    this.queue.splice(0, n);
    this.o.metrics.queueDepth.set(this.queue.length);
    if (this.pressured && this.queue.length <= this.o.queueMax * 0.5) {
      this.pressured = false;
      this.onPressure(false);
    }
  }

  private async write(batch: Received[]): Promise<void> {
    await this.o.matcher.refresh();
    let rows = batch.map((m) => this.toRow(m));
    // A message from no known device may be from one added since the last read: read again once.
    if (rows.some((r) => !r.deviceId) && (await this.o.matcher.refreshedAfterMiss()))
      rows = batch.map((m) => this.toRow(m));
    const end = this.o.metrics.insertSeconds.startTimer();
    let ids: (bigint | null)[];
    try {
      ids = await insertRows(this.o.db, rows);
    } catch (err) {
      const state = sqlState(err);
      if (state === FOREIGN_KEY) {
        // A device or run deleted since the matcher last looked: store its messages without it.
        await this.o.matcher.refresh(true);
        for (const r of rows) this.rematch(r);
        ids = await insertRows(this.o.db, rows);
      } else if (state && DATA_ERROR.test(state)) {
        // One message in the batch is the cause: store row by row.
        ids = await this.insertEach(rows);
      } else throw err;
    } finally {
      end();
    }
    this.stored(rows, ids);
  }

  private toRow(m: Received): Row {
    const parsed = parseSyslog(m.text, {
      receivedAt: m.receivedAt,
      ...(this.o.timeZone && { timeZone: this.o.timeZone }),
    });
    return toRow(m, parsed, this.o.matcher.match(m.sourceAddress, parsed.hostname, m.receivedAt));
  }

  private rematch(r: Row): void {
    const m = this.o.matcher.match(r.sourceAddress, r.hostname, r.receivedAt);
    Object.assign(r, { deviceId: m.deviceId, runId: m.runId, how: m.how, deviceName: m.hostname });
  }

  /**
   * One row at a time; a row PostgreSQL still refuses for its content is stored as its raw text
   * with the reason, and only if even that is refused is it dropped (and counted). Any other
   * failure (PostgreSQL away, read-only, full) stops here: the rows done so far leave the queue.
   */
  private async insertEach(rows: Row[]): Promise<(bigint | null)[]> {
    const ids: (bigint | null)[] = [];
    const one = async (r: Row): Promise<bigint | Error> => {
      try {
        return (await insertRows(this.o.db, [r]))[0]!;
      } catch (err) {
        const state = sqlState(err);
        if (state && DATA_ERROR.test(state)) {
          this.o.logger.warn({ err, raw: r.raw.slice(0, 200) }, 'PostgreSQL refused a syslog row');
          return err as Error;
        }
        if (ids.length > 0) this.stored(rows.slice(0, ids.length), ids);
        throw new PartialWrite(ids.length, err);
      }
    };
    for (const r of rows) {
      let id = await one(r);
      if (id instanceof Error) {
        Object.assign(r, unparsed(r, `could not be stored as parsed: ${id.message.trim().split('\n').at(-1)}`));
        id = await one(r);
      }
      if (id instanceof Error) this.o.metrics.dropped.inc({ reason: 'unstorable' });
      ids.push(id instanceof Error ? null : id);
    }
    return ids;
  }

  /** Counts what was stored and sends it live (without waiting: storing goes on meanwhile). */
  private stored(rows: Row[], ids: (bigint | null)[]): void {
    const kept = rows.flatMap((r, i) => (ids[i] == null ? [] : [{ r, id: ids[i] }]));
    this.o.metrics.stored.inc(kept.length);
    for (const { r } of kept) {
      if (r.parseError) this.o.metrics.unparsed.inc();
      if (r.runId) this.o.metrics.matchedToRun.inc();
    }
    for (const [how, n] of countBy(kept.map(({ r }) => r.how))) this.o.metrics.matched.inc({ match: how }, n);
    // One live publication at a time: while Redis is slow or away, later batches are not sent
    // live (clients refetch from the API after a reconnect).
    if (this.live) return;
    this.live = this.publish(kept.map(({ r, id }) => toDto(r, id))).finally(() => (this.live = null));
  }

  private async publish(messages: SyslogMessageDto[]): Promise<void> {
    const events = this.o.events;
    if (!events || messages.length === 0) return;
    const rooms = new Map<string, SyslogMessageDto[]>([[Rooms.syslog, messages]]);
    for (const m of messages) {
      for (const room of [m.deviceId && Rooms.device(m.deviceId), m.runId && Rooms.run(m.runId)]) {
        if (!room) continue;
        const list = rooms.get(room) ?? [];
        list.push(m);
        rooms.set(room, list);
      }
    }
    try {
      for (const [room, list] of rooms) {
        // The newest messages are the ones a live tail shows.
        const live = list.slice(-LIVE_PER_EVENT);
        await events.publish('syslog.message', [room], { messages: live, omitted: list.length - live.length });
      }
    } catch (err) {
      // Stored is what matters; the live tail refetches after a reconnect.
      this.o.logger.warn({ err }, 'publishing syslog live failed');
    }
  }

  /** Stores what is queued (one last try), then stops; what cannot be stored is counted as dropped. */
  async close(): Promise<void> {
    this.closed = true;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    await this.draining;
    if (this.queue.length > 0 && !(await this.drain(true))) {
      this.o.metrics.dropped.inc({ reason: 'shutdown' }, this.queue.length);
      this.o.logger.error({ dropped: this.queue.length }, 'stopping with syslog PostgreSQL did not take: dropped');
      this.take(this.queue.length);
    }
    await Promise.race([this.live, new Promise((r) => setTimeout(r, 2000).unref())]);
  }
}
