// Live events travel through one Redis stream: api instances and workers XADD to it after
// the change is committed to PostgreSQL; every api instance XREADs it and emits to its own
// socket.io clients by room. One mechanism for every publisher, any number of api instances,
// and a short replay window if an instance's reader briefly disconnects.
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

export const eventStreamKey = (prefix: string) => `${prefix}:events`;

export class EventPublisher {
  constructor(
    private readonly redis: Redis,
    private readonly prefix: string,
  ) {}

  async publish<E extends EventName>(type: E, rooms: string[], payload: EventPayload<E>): Promise<void> {
    const envelope: Envelope<E> = { type, rooms, payload };
    await this.redis.xadd(eventStreamKey(this.prefix), 'MAXLEN', '~', MAX_LEN, '*', 'e', JSON.stringify(envelope));
  }
}

export interface SubscriberLogger {
  warn(obj: object, msg: string): void;
}

/** Reads the event stream from "now" on and hands each envelope to `onEvent`. Owns its connection. */
export class EventSubscriber {
  private running = false;
  private loop: Promise<void> | undefined;
  private lastId = '$';

  constructor(
    private readonly redis: Redis,
    private readonly prefix: string,
    private readonly logger: SubscriberLogger,
  ) {}

  start(onEvent: (envelope: Envelope) => void): void {
    if (this.running) return;
    this.running = true;
    this.loop = this.run(onEvent);
  }

  private async run(onEvent: (envelope: Envelope) => void): Promise<void> {
    const key = eventStreamKey(this.prefix);
    while (this.running) {
      let result: [string, [string, string[]][]][] | null;
      try {
        result = (await this.redis.xread('COUNT', 500, 'BLOCK', 2000, 'STREAMS', key, this.lastId)) as typeof result;
      } catch (err) {
        if (!this.running) return;
        this.logger.warn({ err }, 'event stream read failed; retrying');
        await new Promise((r) => setTimeout(r, 500));
        continue;
      }
      for (const [, entries] of result ?? []) {
        for (const [id, fields] of entries) {
          this.lastId = id;
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
