import { z } from 'zod';
import { IsoDate } from './common.ts';

export const WorkerHeartbeat = z.object({
  id: z.string(),
  hostname: z.string(),
  pid: z.number().int(),
  startedAt: IsoDate,
  seenAt: IsoDate,
});
export type WorkerHeartbeat = z.infer<typeof WorkerHeartbeat>;

export const SystemStatus = z.object({
  version: z.string(),
  database: z.enum(['up', 'down']),
  redis: z.enum(['up', 'down']),
  workers: z.array(WorkerHeartbeat),
});
export type SystemStatus = z.infer<typeof SystemStatus>;
