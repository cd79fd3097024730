// Syslog is kept for a configured time (30 days by default). A BullMQ job scheduler runs the
// prune every hour on one collector (the queue hands each run to one of them); it deletes in
// chunks so a large backlog never holds one long transaction or lock.
import type { Db } from '@hitless/db';
import { createQueue, createWorker, type Queue, type Redis, type Worker } from '@hitless/messaging';

const CHUNK = 10_000;
const RETENTION_EVERY_MS = 3600_000;

/** Deletes messages received before `cutoff`; returns how many. */
export async function pruneSyslog(db: Db, cutoff: Date): Promise<number> {
  let total = 0;
  for (;;) {
    const n = await db.$executeRaw`
      DELETE FROM "SyslogMessage" WHERE id IN (
        SELECT id FROM "SyslogMessage" WHERE "receivedAt" < ${cutoff} ORDER BY id LIMIT ${CHUNK}
      )`;
    total += n;
    if (n < CHUNK) return total;
  }
}

export interface Retention {
  queue: Queue;
  worker: Worker;
  close(): Promise<void>;
}

export async function startRetention(options: {
  db: Db;
  redis: Redis;
  prefix: string;
  retentionMs: number;
  everyMs?: number;
  logger: { info(obj: object, msg: string): void };
}): Promise<Retention> {
  const queue = createQueue('syslog-retention', options.redis, options.prefix);
  const every = options.everyMs ?? RETENTION_EVERY_MS;
  await queue.upsertJobScheduler(
    'syslog-retention',
    { every },
    {
      name: 'syslog-retention',
      data: {},
      opts: { attempts: 1, removeOnComplete: { count: 10 }, removeOnFail: { count: 50 } },
    },
  );
  const worker = createWorker(
    'syslog-retention',
    async () => {
      const cutoff = new Date(Date.now() - options.retentionMs);
      const deleted = await pruneSyslog(options.db, cutoff);
      if (deleted > 0) options.logger.info({ deleted, cutoff }, 'syslog retention: old messages deleted');
    },
    { connection: options.redis, prefix: options.prefix, concurrency: 1, lockMs: 60_000, stalledMs: 30_000 },
  );
  return {
    queue,
    worker,
    close: async () => {
      await worker.close();
      await queue.close();
    },
  };
}
