// Received messages wait in a bounded queue and are written to PostgreSQL in batches (one
// INSERT of up to `batchSize` rows), then published live. Nothing is thrown away silently: a
// message that cannot be parsed is stored raw with its parse error; while PostgreSQL is away the
// batch is retried with backoff and the queue fills; only a full queue drops, and counts it.
import { Rooms, type SyslogMessage as SyslogMessageDto } from '@hitless/contracts';
import { Prisma, type Db } from '@hitless/db';
import type { EventPublisher } from '@hitless/messaging';
import { parseSyslog } from '@hitless/syslog';
import type { DeviceMatcher } from './matcher.ts';
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
    let ids: bigint[];
    try {
      ids = await this.insert(rows);
    } catch (err) {
      // A device deleted since the matcher last looked: store its messages with no device.
      if (!(err instanceof Prisma.PrismaClientKnownRequestError && err.code === 'P2003')) throw err;
      await this.o.matcher.refresh(true);
      for (const r of rows) if (r.deviceId) this.rematch(r);
      ids = await this.insert(rows);
    } finally {
      end();
    }
    this.o.metrics.stored.inc(rows.length);
    for (const r of rows) {
      if (r.parseError) this.o.metrics.unparsed.inc();
      if (r.runId) this.o.metrics.matchedToRun.inc();
    }
    for (const [how, n] of countBy(rows.map((r) => r.how))) this.o.metrics.matched.inc({ match: how }, n);
    await this.publish(rows.map((r, i) => toDto(r, ids[i]!)));
  }

  private toRow(m: Received) {
    const parsed = parseSyslog(m.text, {
      receivedAt: m.receivedAt,
      ...(this.o.timeZone && { timeZone: this.o.timeZone }),
    });
    const match = this.o.matcher.match(m.sourceAddress, parsed.hostname, m.receivedAt);
    const parseError = [m.framingError, parsed.parseError].filter(Boolean).join('; ') || null;
    return {
      receivedAt: m.receivedAt,
      deviceId: match.deviceId,
      runId: match.runId,
      sourceAddress: m.sourceAddress,
      transport: m.transport,
      format: parsed.format,
      facility: parsed.facility,
      severity: parsed.severity,
      timestamp: parsed.timestamp,
      clock: parsed.clock,
      hostname: parsed.hostname,
      appName: parsed.appName,
      procId: parsed.procId,
      msgId: parsed.msgId,
      sequence: parsed.sequence,
      event: parsed.event,
      structuredData: parsed.structuredData ?? Prisma.DbNull,
      message: parsed.message,
      raw: m.text,
      parseError,
      how: match.how,
      deviceName: match.hostname,
    };
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

type Row = ReturnType<SyslogStore['toRow']>;

function countBy<T>(items: T[]): Map<T, number> {
  const counts = new Map<T, number>();
  for (const item of items) counts.set(item, (counts.get(item) ?? 0) + 1);
  return counts;
}

function toDto(r: Row, id: bigint): SyslogMessageDto {
  return {
    id: id.toString(),
    receivedAt: r.receivedAt.toISOString(),
    deviceId: r.deviceId,
    device: r.deviceName,
    runId: r.runId,
    sourceAddress: r.sourceAddress,
    transport: r.transport,
    format: r.format,
    facility: r.facility,
    severity: r.severity,
    timestamp: r.timestamp?.toISOString() ?? null,
    clock: r.clock,
    hostname: r.hostname,
    appName: r.appName,
    procId: r.procId,
    msgId: r.msgId,
    sequence: r.sequence,
    event: r.event,
    structuredData:
      r.structuredData === Prisma.DbNull ? null : (r.structuredData as SyslogMessageDto['structuredData']),
    message: r.message,
    raw: r.raw,
    parseError: r.parseError,
  };
}
