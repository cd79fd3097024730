import { PrismaPg } from '@prisma/adapter-pg';
import { PrismaClient, type Prisma } from './generated/client.ts';

export type Db = PrismaClient;

export interface DbOptions {
  /**
   * The key of the audit chain's HMACs (`deriveAuditKey(secretKey)`), or null for a client that
   * writes no audit events. `recordAudit` and `verifyAuditChain` take it from the client, so the
   * services that record events need not carry it.
   */
  auditKey: Buffer | null;
  /** Pool size per process. The api and each worker have their own pool. */
  max?: number;
  /** Emit every query at debug level (development only). */
  onQuery?: (query: string, durationMs: number) => void;
}

// On the client instance; Prisma's interactive-transaction client is a proxy that passes
// unknown properties through to it (packages/db/test/audit.test.ts holds it to that).
const AUDIT_KEY = Symbol('hitless.auditKey');

/** Builds a Prisma client over node-postgres. Callers own it and must `$disconnect()` it. */
export function createPrisma(url: string, options: DbOptions): Db {
  const adapter = new PrismaPg({ connectionString: url, max: options.max ?? 10 });
  const withKey = (client: Db) =>
    Object.defineProperty(client, AUDIT_KEY, { value: options.auditKey, enumerable: false });
  if (!options.onQuery) return withKey(new PrismaClient({ adapter }));
  const client = new PrismaClient({ adapter, log: [{ emit: 'event', level: 'query' }] });
  const onQuery = options.onQuery;
  client.$on('query', (e) => onQuery(e.query, e.duration));
  return withKey(client);
}

/** The audit key of a client or of a transaction on it. */
export function auditKeyOf(db: Db | Prisma.TransactionClient): Buffer {
  const key = (db as unknown as Record<symbol, Buffer | null | undefined>)[AUDIT_KEY];
  if (!key) throw new Error('this database client was created without an audit key (createPrisma auditKey)');
  return key;
}
