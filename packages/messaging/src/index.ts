export * from './redis.ts';
export * from './events.ts';
export * from './heartbeat.ts';
export * from './jobs.ts';
