// Received messages wait in a bounded queue and are written to PostgreSQL in batches (one
// INSERT of up to `batchSize` rows), then published live. Nothing is thrown away silently: a
// message that cannot be parsed is stored raw with its parse error; while PostgreSQL is away the
// batch is retried with backoff and the queue fills; only a full queue drops, and counts it.
import { Rooms, type SyslogMessage as SyslogMessageDto } from '@hitless/contracts';
import { Prisma, type Db } from '@hitless/db';
import type { EventPublisher } from '@hitless/messaging';
import { parseSyslog } from '@hitless/syslog';
import type { DeviceMatcher } from './matcher.ts';
import { countBy, toDto, toRow, unparsed, type Row } from './rows.ts';
import type { CollectorMetrics } from './metrics.ts';

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

export class SyslogStore {
  private queue: Received[] = [];
  private timer: NodeJS.Timeout | null = null;
  private flushing: Promise<void> | null = null;
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
    if (this.queue.length >= this.o.batchSize) this.schedule(0);
    else this.schedule(this.o.flushMs);
  }

  private schedule(delayMs: number): void {
    if (this.closed || this.flushing) return;
    if (this.timer && delayMs > 0) return;
    if (this.timer) clearTimeout(this.timer);
    this.timer = setTimeout(() => {
      this.timer = null;
      this.flushing = this.drain().finally(() => {
        this.flushing = null;
        if (this.queue.length > 0)
          this.schedule(this.retryMs || (this.queue.length >= this.o.batchSize ? 0 : this.o.flushMs));
      });
    }, delayMs);
  }

  /** Writes batches until the queue is empty or PostgreSQL refuses (then waits and tries again). */
  private async drain(): Promise<void> {
    while (this.queue.length > 0) {
      const batch = this.queue.slice(0, this.o.batchSize);
      try {
        await this.write(batch);
      } catch (err) {
        this.retryMs = Math.min(RETRY_MAX_MS, Math.max(100, this.retryMs * 2));
        this.o.logger.error({ err, batch: batch.length, retryMs: this.retryMs }, 'storing syslog failed; retrying');
        return;
      }
      this.retryMs = 0;
      this.queue.splice(0, batch.length);
      this.o.metrics.queueDepth.set(this.queue.length);
      if (this.pressured && this.queue.length <= this.o.queueMax * 0.5) {
        this.pressured = false;
        this.onPressure(false);
      }
    }
  }

  private async write(batch: Received[]): Promise<void> {
    await this.o.matcher.refresh();
    let rows = batch.map((m) => this.toRow(m));
    // Something unmatched may be a device added or a run started since the last read: read again once.
    if (rows.some((r) => !r.deviceId || !r.runId) && (await this.o.matcher.refreshedAfterMiss()))
      rows = batch.map((m) => this.toRow(m));
    const end = this.o.metrics.insertSeconds.startTimer();
    let ids: (bigint | null)[];
    try {
      ids = await this.insert(rows);
    } catch (err) {
      if (err instanceof Prisma.PrismaClientKnownRequestError && err.code === 'P2003') {
        // A device deleted since the matcher last looked: store its messages with no device.
        await this.o.matcher.refresh(true);
        for (const r of rows) if (r.deviceId) this.rematch(r);
        ids = await this.insert(rows);
      } else if (await this.databaseAnswers()) {
        // PostgreSQL is there and refused this batch: one message in it is the cause.
        ids = await this.insertEach(rows);
      } else throw err;
    } finally {
      end();
    }
    const stored = rows.filter((_, i) => ids[i] !== null);
    this.o.metrics.stored.inc(stored.length);
    for (const r of stored) {
      if (r.parseError) this.o.metrics.unparsed.inc();
      if (r.runId) this.o.metrics.matchedToRun.inc();
    }
    for (const [how, n] of countBy(stored.map((r) => r.how))) this.o.metrics.matched.inc({ match: how }, n);
    await this.publish(rows.flatMap((r, i) => (ids[i] === null ? [] : [toDto(r, ids[i]!)])));
  }

  private async databaseAnswers(): Promise<boolean> {
    return this.o.db.$queryRaw`SELECT 1`.then(
      () => true,
      () => false,
    );
  }

  /**
   * One row at a time; a row PostgreSQL still refuses is stored as its raw text with the reason,
   * and only if even that fails is it dropped (and counted). An outage meanwhile retries the batch.
   */
  private async insertEach(rows: Row[]): Promise<(bigint | null)[]> {
    const ids: (bigint | null)[] = [];
    for (const r of rows) {
      try {
        ids.push((await this.insert([r]))[0]!);
        continue;
      } catch (err) {
        if (!(await this.databaseAnswers())) throw err;
        this.o.logger.warn(
          { err, raw: r.raw.slice(0, 200) },
          'PostgreSQL refused a parsed syslog message; storing it raw',
        );
        Object.assign(r, unparsed(r, `could not be stored as parsed: ${(err as Error).message.split('\n').at(-1)}`));
      }
      try {
        ids.push((await this.insert([r]))[0]!);
      } catch (err) {
        if (!(await this.databaseAnswers())) throw err;
        this.o.metrics.dropped.inc({ reason: 'unstorable' });
        this.o.logger.error(
          { err, raw: r.raw.slice(0, 200) },
          'a syslog message PostgreSQL refuses even raw was dropped',
        );
        ids.push(null);
      }
    }
    return ids;
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

  private async insert(rows: Row[]): Promise<bigint[]> {
    const created = await this.o.db.syslogMessage.createManyAndReturn({
      data: rows.map(({ how: _how, deviceName: _name, ...data }) => data),
      select: { id: true },
    });
    return created.map((c) => c.id);
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

  /** Stores what is queued (a last attempt when PostgreSQL answers), then stops. */
  async close(): Promise<void> {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    await this.flushing;
    this.closed = true;
    if (this.queue.length > 0) await this.drain();
  }
}
