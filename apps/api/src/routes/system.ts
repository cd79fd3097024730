import { AuditListQuery, AuditPage, AuditVerifyResult, SystemStatus } from '@hitless/contracts';
import { readHeartbeats } from '@hitless/messaging';
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { toAuditEvent } from '../mappers.ts';
import { verifyAuditChain } from '@hitless/db';
import { AUTHED, errors } from './responses.ts';

/** Audit trail and system status. */
export default async function systemRoutes(fastify: FastifyInstance) {
  const app = fastify.withTypeProvider<ZodTypeProvider>();
  const { db, redis, config } = app.deps;

  app.get(
    '/audit',
    {
      schema: {
        tags: ['audit'],
        summary: 'Audit events, newest first',
        querystring: AuditListQuery,
        response: { 200: AuditPage, ...errors(400, ...AUTHED) },
      },
    },
    async (request) => {
      const q = request.query;
      const where = {
        ...(q.targetType && { targetType: q.targetType }),
        ...(q.targetId && { targetId: q.targetId }),
        ...(q.actor && { actorName: q.actor }),
        ...(q.action && { action: { startsWith: q.action } }),
      };
      const [total, rows] = await db.$transaction([
        db.auditEvent.count({ where }),
        db.auditEvent.findMany({ where, orderBy: { id: 'desc' }, skip: (q.page - 1) * q.pageSize, take: q.pageSize }),
      ]);
      return { items: rows.map(toAuditEvent), total, page: q.page, pageSize: q.pageSize };
    },
  );

  app.get(
    '/audit/verify',
    {
      config: { permission: 'audit:verify' },
      schema: {
        tags: ['audit'],
        summary: 'Check the audit hash chain end to end',
        response: { 200: AuditVerifyResult, ...errors(...AUTHED) },
      },
    },
    async () => verifyAuditChain(db),
  );

  app.get(
    '/system/status',
    {
      schema: {
        tags: ['system'],
        summary: 'Database, Redis and worker health',
        response: { 200: SystemStatus, ...errors(...AUTHED) },
      },
    },
    async () => {
      const [database, redisUp, workers] = await Promise.all([
        db.$queryRaw`SELECT 1`.then(
          () => 'up' as const,
          () => 'down' as const,
        ),
        redis.ping().then(
          () => 'up' as const,
          () => 'down' as const,
        ),
        readHeartbeats(redis, config.redis.prefix).catch(() => []),
      ]);
      return { version: app.deps.version ?? 'dev', database, redis: redisUp, workers };
    },
  );
}

/** Liveness and readiness, outside /api and unauthenticated (for load balancers and orchestrators). */
export async function healthRoutes(fastify: FastifyInstance) {
  const app = fastify.withTypeProvider<ZodTypeProvider>();
  const Health = z.object({
    status: z.enum(['ok', 'unavailable']),
    database: z.string().optional(),
    redis: z.string().optional(),
  });

  app.get(
    '/healthz',
    { config: { public: true }, schema: { tags: ['system'], summary: 'Liveness', response: { 200: Health } } },
    async () => ({ status: 'ok' as const }),
  );

  app.get(
    '/readyz',
    {
      config: { public: true },
      schema: {
        tags: ['system'],
        summary: 'Readiness: PostgreSQL and Redis reachable',
        response: { 200: Health, 503: Health },
      },
    },
    async (_request, reply) => {
      const timeout = <T>(p: Promise<T>) =>
        Promise.race([p, new Promise<never>((_, rej) => setTimeout(() => rej(new Error('timeout')), 2000))]);
      const [database, redis] = await Promise.all([
        timeout(app.deps.db.$queryRaw`SELECT 1`).then(
          () => 'up',
          () => 'down',
        ),
        timeout(app.deps.redis.ping()).then(
          () => 'up',
          () => 'down',
        ),
      ]);
      const ok = database === 'up' && redis === 'up';
      return reply.status(ok ? 200 : 503).send({ status: ok ? 'ok' : 'unavailable', database, redis });
    },
  );
}
