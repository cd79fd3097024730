import { Redis, type RedisOptions } from 'ioredis';

export type { Redis };

/**
 * An ioredis connection. `maxRetriesPerRequest: null` is what BullMQ requires for blocking
 * connections and is right for ours too: commands wait for a reconnect instead of failing.
 */
export function createRedis(url: string, options: RedisOptions = {}): Redis {
  return new Redis(url, { maxRetriesPerRequest: null, enableReadyCheck: true, lazyConnect: false, ...options });
}
