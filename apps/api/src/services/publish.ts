import type { EventName, EventPayload } from '@hitless/messaging';
import type { MutationContext } from '../types.ts';

/**
 * Publishes a live event after its change was committed. The change is already durable in
 * PostgreSQL and clients refetch on reconnect, so a Redis hiccup here is logged, not raised:
 * failing the request would invite a retry of something that already happened.
 */
export async function publishAfterCommit<E extends EventName>(
  ctx: MutationContext,
  type: E,
  rooms: string[],
  payload: EventPayload<E>,
) {
  try {
    await ctx.events.publish(type, rooms, payload);
  } catch (err) {
    ctx.log.warn({ err, type }, 'live event not published');
  }
}
