import { PrismaPg } from '@prisma/adapter-pg';
import { PrismaClient } from './generated/client.ts';

export type Db = PrismaClient;

export interface DbOptions {
  /** Pool size per process. The api and each worker have their own pool. */
  max?: number;
  /** Emit every query at debug level (development only). */
  onQuery?: (query: string, durationMs: number) => void;
}

/** Builds a Prisma client over node-postgres. Callers own it and must `$disconnect()` it. */
export function createPrisma(url: string, options: DbOptions = {}): Db {
  const adapter = new PrismaPg({ connectionString: url, max: options.max ?? 10 });
  if (!options.onQuery) return new PrismaClient({ adapter });
  const client = new PrismaClient({ adapter, log: [{ emit: 'event', level: 'query' }] });
  const onQuery = options.onQuery;
  client.$on('query', (e) => onQuery(e.query, e.duration));
  return client;
}
