import {
  AuditExport,
  AuditFilter,
  AuditListQuery,
  AuditPage,
  AuditVerifyResult,
  SystemStatus,
} from '@hitless/contracts';
import { forbidden, unauthenticated } from '@hitless/core';
import { readHeartbeats } from '@hitless/messaging';
import { checkReadiness, scrapeRefusal } from '@hitless/metrics';
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import {
  AuditCheckpointFile,
  checkpointAuditChain,
  checkpointAuditHead,
  deriveCheckpointKey,
  verifyAuditChain,
} from '@hitless/db';
import { appliedFilter, auditCsvStream, auditJsonStream, listAudit } from '../services/audit.ts';
import { AUTHED, errors } from './responses.ts';

/**
 * Audit trail and system status. This process also checkpoints the audit chain's head, signed,
 * into a file outside the database (packages/db/src/audit-checkpoints.ts): at start (a full
 * verification), every HITLESS_AUDIT_CHECKPOINT_INTERVAL_S (only the rows since the newest
 * checkpoint, off the full walk: packages/db/src/audit-checkpointing.ts) and on every export. A
 * checkpoint file it cannot write is logged at start and shown in every verify result.
 */
export default async function systemRoutes(fastify: FastifyInstance) {
  const app = fastify.withTypeProvider<ZodTypeProvider>();
  const { db, redis, config } = app.deps;
  const checkpoints = new AuditCheckpointFile(config.audit.checkpointFile, deriveCheckpointKey(config.secrets.key));
  const intervalMs = config.audit.checkpointIntervalMs;

  let timer: NodeJS.Timeout | undefined;
  let inFlight: Promise<void> | undefined;
  const checkpoint = (full: boolean) => {
    inFlight ??= (
      full
        ? checkpointAuditChain(db, checkpoints, { intervalMs })
        : checkpointAuditHead(db, checkpoints, { intervalMs })
    )
      .then(({ verification: v, warning }) => {
        if (warning) app.log.warn(warning);
        if (v && !v.ok) app.log.warn({ problem: v.problem, problems: v.problems }, 'the audit chain does not verify');
        for (const w of v?.warnings ?? []) if (w !== warning) app.log.warn(w);
      })
      .catch((err: unknown) => app.log.error({ err }, 'audit checkpoint failed'))
      .finally(() => (inFlight = undefined));
  };
  app.addHook('onReady', async () => {
    const problem = await checkpoints.writeProblem();
    if (problem) app.log.warn(problem);
    checkpoint(true);
    timer = setInterval(() => checkpoint(false), intervalMs).unref();
  });
  app.addHook('onClose', async () => {
    clearInterval(timer);
    await inFlight;
  });

  /** The full verification, with a warning when the checkpoint file cannot be written. */
  const verify = async () => {
    const [verification, problem] = await Promise.all([
      checkpoints.read().then((log) => verifyAuditChain(db, { checkpoints: log, intervalMs })),
      checkpoints.writeProblem(),
    ]);
    if (problem) verification.warnings.push(problem);
    return verification;
  };

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
    async (request) => listAudit(db, request.query),
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
    async () => verify(),
  );

  const attachment = (ext: string) =>
    `attachment; filename="hitless-audit-${new Date().toISOString().slice(0, 10)}.${ext}"`;

  app.get(
    '/audit/export',
    {
      config: { permission: 'audit:verify' },
      schema: {
        tags: ['audit'],
        summary:
          'The audit trail as JSON, oldest first, each event with its prevHash, and a fresh signed checkpoint of its head; with filters, only the matching events (streamed)',
        querystring: AuditFilter,
        response: { 200: AuditExport, ...errors(400, ...AUTHED) },
      },
    },
    async (request, reply) => {
      // A checkpoint file that cannot be written costs the export its checkpoint, never the export.
      const {
        checkpoint: signed,
        verification,
        warning,
      } = await checkpointAuditChain(db, checkpoints, { always: true, intervalMs });
      const head = {
        exportedAt: new Date().toISOString(),
        filter: appliedFilter(request.query),
        checkpoint: signed,
        warning,
        verification,
      };
      // Streamed text: the response schema documents it, no serializer runs.
      return reply
        .type('application/json; charset=utf-8')
        .header('content-disposition', attachment('json'))
        .send(auditJsonStream(db, request.query, head) as never);
    },
  );

  app.get(
    '/audit/export.csv',
    {
      config: { permission: 'audit:verify' },
      schema: {
        tags: ['audit'],
        summary:
          'The audit events matching the filters (every event without one) as CSV, oldest first, one row per event (streamed)',
        querystring: AuditFilter,
        produces: ['text/csv'],
        response: { 200: z.string(), ...errors(400, ...AUTHED) },
      },
    },
    async (request, reply) =>
      reply
        .type('text/csv; charset=utf-8')
        .header('content-disposition', attachment('csv'))
        .send(auditCsvStream(db, request.query) as never),
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

/**
 * Liveness, readiness and metrics, outside /api and without a session (for load balancers,
 * orchestrators and Prometheus). /metrics has its own rule (packages/metrics/src/scrape.ts): the
 * metrics token when one is configured, else loopback peers only, the peer being `request.ip`
 * (a proxy listed in HITLESS_TRUST_PROXY passes on who is really asking), and never a request
 * carrying forwarding headers (a same-host proxy's outsider), whatever HITLESS_TRUST_PROXY says.
 * It is left out of the OpenAPI document: its answer is Prometheus text, not part of the REST API.
 */
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
      const { ready, checks } = await checkReadiness([
        { name: 'database', check: async () => void (await app.deps.db.$queryRaw`SELECT 1`) },
        { name: 'redis', check: async () => void (await app.deps.redis.ping()) },
      ]);
      return reply
        .status(ready ? 200 : 503)
        .send({ status: ready ? 'ok' : 'unavailable', database: checks.database, redis: checks.redis });
    },
  );

  app.get('/metrics', { config: { public: true }, schema: { hide: true } }, async (request, reply) => {
    const { token } = app.deps.config.metrics;
    const refusal = scrapeRefusal({ token, headers: request.headers, peer: request.ip });
    if (refusal?.status === 403) throw forbidden(refusal.message);
    if (refusal) {
      reply.header('www-authenticate', 'Bearer');
      throw unauthenticated(refusal.message);
    }
    const text = await app.metrics.metrics();
    return reply.header('cache-control', 'no-store').type(app.metrics.contentType).send(text);
  });
}
