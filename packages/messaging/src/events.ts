// Live events travel through a Redis stream: api instances, workers and collectors XADD to it
// after the change is committed to PostgreSQL; every api instance XREADs it and emits to its own
// socket.io clients by room. One mechanism for every publisher, any number of api instances,
// and a short replay window if an instance's reader briefly disconnects. Syslog goes through a
// second, shorter stream of its own, read by the same reader.
import { z } from 'zod';
import type { ServerToClientEvents } from '@hitless/contracts';
import type { Redis } from './redis.ts';

export type EventName = keyof ServerToClientEvents;
export type EventPayload<E extends EventName> = Parameters<ServerToClientEvents[E]>[0];

export interface Envelope<E extends EventName = EventName> {
  type: E;
  rooms: string[];
  payload: EventPayload<E>;
}

const EnvelopeSchema = z.object({ type: z.string(), rooms: z.array(z.string()), payload: z.unknown() });

/** Stream entries kept (approximately); enough for a reader to catch up after a hiccup. */
const MAX_LEN = 10_000;
/**
 * Syslog has its own, shorter stream: a flood of device messages (each event carries up to a
 * hundred) must neither take Redis's memory nor push run and campaign events out of the replay window.
 */
const SYSLOG_MAX_LEN = 1000;

export const eventStreamKey = (prefix: string) => `${prefix}:events`;
export const syslogStreamKey = (prefix: string) => `${prefix}:events:syslog`;

export class EventPublisher {
  constructor(
    private readonly redis: Redis,
    private readonly prefix: string,
  ) {}

  async publish<E extends EventName>(type: E, rooms: string[], payload: EventPayload<E>): Promise<void> {
    const envelope: Envelope<E> = { type, rooms, payload };
    const [key, maxLen] =
      type === 'syslog.message'
        ? [syslogStreamKey(this.prefix), SYSLOG_MAX_LEN]
        : [eventStreamKey(this.prefix), MAX_LEN];
    await this.redis.xadd(key, 'MAXLEN', '~', maxLen, '*', 'e', JSON.stringify(envelope));
  }
}

export interface SubscriberLogger {
  warn(obj: object, msg: string): void;
}

/** Reads the event streams from "now" on and hands each envelope to `onEvent`. Owns its connection. */
export class EventSubscriber {
  private running = false;
  private loop: Promise<void> | undefined;
  /** The last id read per stream, or null until "now" is known. */
  private readonly lastIds = new Map<string, string | null>();

  constructor(
    private readonly redis: Redis,
    private readonly prefix: string,
    private readonly logger: SubscriberLogger,
  ) {
    for (const key of [eventStreamKey(prefix), syslogStreamKey(prefix)]) this.lastIds.set(key, null);
  }

  start(onEvent: (envelope: Envelope) => void): void {
    if (this.running) return;
    this.running = true;
    this.loop = this.run(onEvent);
  }

  /**
   * "Now" as a concrete id per stream (its newest entry, or the start of an empty one): `$`
   * would mean "after this call" at every call, and a quiet stream would lose what arrives
   * while the other one is being handled.
   */
  private async resolveNow(): Promise<void> {
    for (const [key, id] of this.lastIds) {
      if (id !== null) continue;
      const newest = (await this.redis.xrevrange(key, '+', '-', 'COUNT', 1)) as [string, string[]][];
      this.lastIds.set(key, newest[0]?.[0] ?? '0-0');
    }
  }

  private async run(onEvent: (envelope: Envelope) => void): Promise<void> {
    while (this.running) {
      let result: [string, [string, string[]][]][] | null;
      try {
        await this.resolveNow();
        const keys = [...this.lastIds.keys()];
        result = (await this.redis.xread(
          'COUNT',
          500,
          'BLOCK',
          2000,
          'STREAMS',
          ...keys,
          ...keys.map((k) => this.lastIds.get(k)!),
        )) as typeof result;
      } catch (err) {
        if (!this.running) return;
        this.logger.warn({ err }, 'event stream read failed; retrying');
        await new Promise((r) => setTimeout(r, 500));
        continue;
      }
      for (const [key, entries] of result ?? []) {
        for (const [id, fields] of entries) {
          this.lastIds.set(key, id);
          const raw = fields[fields.indexOf('e') + 1];
          const parsed = EnvelopeSchema.safeParse(raw ? JSON.parse(raw) : undefined);
          if (parsed.success) onEvent(parsed.data as Envelope);
          else this.logger.warn({ id }, 'dropping malformed event');
        }
      }
    }
  }

  async stop(): Promise<void> {
    this.running = false;
    // A blocked XREAD returns within its 2 s block; disconnecting ends it at once.
    this.redis.disconnect();
    await this.loop;
  }
}
