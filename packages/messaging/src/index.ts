export * from './redis.ts';
export * from './events.ts';
export * from './heartbeat.ts';
