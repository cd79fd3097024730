// Builds the Fastify app: external plugins, then our own decorators and plugins (each naming
// what it depends on), then routes. server.ts only listens and shuts down.
import { randomUUID } from 'node:crypto';
import cookie from '@fastify/cookie';
import rateLimit from '@fastify/rate-limit';
import swagger from '@fastify/swagger';
import { DomainError, findUnstorableText } from '@hitless/core';
import Fastify, { type FastifyInstance } from 'fastify';
import { jsonSchemaTransform, serializerCompiler, validatorCompiler } from 'fastify-type-provider-zod';
import authPlugin from './plugins/auth.ts';
import docsPlugin from './plugins/docs.ts';
import errorsPlugin, { routerRefusal } from './plugins/errors.ts';
import headersPlugin from './plugins/headers.ts';
import livePlugin from './plugins/live.ts';
import metricsPlugin from './plugins/metrics.ts';
import originPlugin from './plugins/origin.ts';
import webPlugin from './plugins/web.ts';
import authRoutes from './routes/auth.ts';
import campaignRoutes from './routes/campaigns.ts';
import credentialRoutes from './routes/credentials.ts';
import deviceRoutes from './routes/devices.ts';
import hostKeyRoutes from './routes/host-keys.ts';
import imageRoutes from './routes/images.ts';
import imageUploadRoutes from './routes/image-uploads.ts';
import { ImageStore } from './services/image-store.ts';
import compatibilityRoutes from './routes/compatibility.ts';
import discoveryRoutes from './routes/discoveries.ts';
import runRoutes from './routes/runs.ts';
import syslogRoutes from './routes/syslog.ts';
import systemRoutes, { healthRoutes } from './routes/system.ts';
import userRoutes from './routes/users.ts';
import type { AppDeps } from './types.ts';

/** Never log these, whatever a future route adds to a body. */
export const REDACT = [
  'req.headers.authorization',
  'req.headers.cookie',
  'res.headers["set-cookie"]',
  '*.password',
  '*.currentPassword',
  '*.newPassword',
  '*.secret',
  '*.enableSecret',
  '*.token',
];

export async function buildApp(deps: AppDeps): Promise<FastifyInstance> {
  const app = Fastify({
    ...(deps.logger ? { loggerInstance: deps.logger } : { logger: { level: deps.config.log.level, redact: REDACT } }),
    // Only the listed proxies may say who the client is (X-Forwarded-For), never everyone.
    trustProxy: deps.config.http.trustProxy.length > 0 ? deps.config.http.trustProxy : false,
    bodyLimit: 1024 * 1024,
    // Clients send ids in paths; keep Fastify from turning them into 414s or worse.
    routerOptions: { maxParamLength: 200 },
    // The router refuses some paths before any hook runs (bad percent-encoding, an over-long
    // parameter): they still get the API's error shape.
    frameworkErrors: routerRefusal,
    // Every request gets a fresh UUID (never the client's): audit events name it, logs carry it,
    // and the answer says it in X-Request-Id, so an audited change can be found in the logs.
    requestIdHeader: false,
    genReqId: () => randomUUID(),
  });
  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);
  app.decorate('deps', deps);
  app.decorate('imageStore', new ImageStore(deps.config.images.storeDir));
  // A POST without a body (an action button, curl -X POST) validates as an empty object, so
  // optional fields take their defaults and required ones are named in the 400.
  app.addHook('preValidation', async (request) => {
    if (request.body == null && request.routeOptions.schema?.body) request.body = {};
    // Text the database cannot store is refused here, for every route, naming the field.
    const issue =
      findUnstorableText(request.params, 'params') ??
      findUnstorableText(request.query, 'querystring') ??
      findUnstorableText(request.body, 'body');
    if (issue) throw new DomainError('VALIDATION_FAILED', `${issue.path}: ${issue.message}`, [issue]);
  });

  await app.register(errorsPlugin);
  // Before every route, so each request is timed under the route that answered it.
  await app.register(metricsPlugin);
  await app.register(headersPlugin);
  await app.register(cookie);
  await app.register(originPlugin);
  await app.register(rateLimit, {
    global: false,
    // Shared across api instances; counters expire with their window.
    redis: deps.redis,
    nameSpace: `${deps.config.redis.prefix}:ratelimit:`,
    errorResponseBuilder: (_req, ctx) => ({
      statusCode: 429,
      code: 'RATE_LIMITED',
      message: `too many attempts; try again in ${Math.ceil(ctx.ttl / 1000)} s`,
    }),
  });
  await app.register(swagger, {
    openapi: {
      info: {
        title: 'Hitless API',
        version: deps.version ?? 'dev',
        description:
          'ISSU control plane. Authenticate with the session cookie (POST /api/v1/auth/login) or `Authorization: Bearer <API token>`.',
      },
      components: {
        securitySchemes: {
          bearer: { type: 'http', scheme: 'bearer' },
          session: { type: 'apiKey', in: 'cookie', name: 'hitless_session' },
        },
      },
      security: [{ bearer: [] }, { session: [] }],
    },
    transform: jsonSchemaTransform,
  });
  // Swagger UI at /docs, under a policy of its own without 'unsafe-inline' (plugins/docs.ts).
  await app.register(docsPlugin);

  await app.register(authPlugin);
  await app.register(livePlugin);
  await app.register(healthRoutes);
  await app.register(
    async (api) => {
      await api.register(authRoutes);
      await api.register(userRoutes);
      await api.register(deviceRoutes);
      await api.register(hostKeyRoutes);
      await api.register(credentialRoutes);
      await api.register(imageRoutes);
      await api.register(imageUploadRoutes);
      await api.register(compatibilityRoutes);
      await api.register(runRoutes);
      await api.register(campaignRoutes);
      await api.register(discoveryRoutes);
      await api.register(syslogRoutes);
      await api.register(systemRoutes);
    },
    { prefix: '/api/v1' },
  );
  await app.register(webPlugin);
  return app;
}
