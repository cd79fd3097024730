import { WorkerHeartbeat } from '@hitless/contracts';
import type { Redis } from './redis.ts';

/** Workers refresh their key every HEARTBEAT_INTERVAL_MS; it expires after HEARTBEAT_TTL_S. */
export const HEARTBEAT_INTERVAL_MS = 5_000;
export const HEARTBEAT_TTL_S = 20;

const keyPrefix = (prefix: string) => `${prefix}:worker:`;

export async function writeHeartbeat(redis: Redis, prefix: string, beat: WorkerHeartbeat): Promise<void> {
  await redis.set(`${keyPrefix(prefix)}${beat.id}`, JSON.stringify(beat), 'EX', HEARTBEAT_TTL_S);
}

export async function clearHeartbeat(redis: Redis, prefix: string, id: string): Promise<void> {
  await redis.del(`${keyPrefix(prefix)}${id}`);
}

export async function readHeartbeats(redis: Redis, prefix: string): Promise<WorkerHeartbeat[]> {
  const keys: string[] = [];
  let cursor = '0';
  do {
    const [next, batch] = await redis.scan(cursor, 'MATCH', `${keyPrefix(prefix)}*`, 'COUNT', 200);
    cursor = next;
    keys.push(...batch);
  } while (cursor !== '0');
  if (keys.length === 0) return [];
  const values = await redis.mget(keys);
  return values
    .flatMap((v) => (v ? [WorkerHeartbeat.safeParse(JSON.parse(v))] : []))
    .flatMap((r) => (r.success ? [r.data] : []))
    .sort((a, b) => a.id.localeCompare(b.id));
}

/**
 * When the worker with this id last said it was alive, or null when it has not within
 * HEARTBEAT_TTL_S. A key outlives its worker by up to that long: compare the time, not the key.
 */
export async function workerSeenAt(redis: Redis, prefix: string, id: string): Promise<Date | null> {
  const raw = await redis.get(`${keyPrefix(prefix)}${id}`);
  if (!raw) return null;
  const beat = WorkerHeartbeat.safeParse(JSON.parse(raw));
  return beat.success ? new Date(beat.data.seenAt) : null;
}
