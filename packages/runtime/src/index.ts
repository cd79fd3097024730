export * from './ports.ts';
export * from './processes.ts';
export * from './postgres.ts';
export * from './redis.ts';
