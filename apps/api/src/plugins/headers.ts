// Security headers (helmet) and caching. HSTS and `upgrade-insecure-requests` only when the
// product is served over HTTPS (HITLESS_PUBLIC_URL is https): over plain HTTP, HSTS is ignored by
// browsers at best and the upgrade breaks every asset. API answers carry no-store, errors included:
// they hold inventory, secrets' metadata and tokens, which no browser or proxy cache should keep.
import helmet from '@fastify/helmet';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';

/** The API's own answers, by the route that matched or (for 404s) by the path. */
const isApi = (request: FastifyRequest) =>
  (request.routeOptions.url ?? request.url).startsWith('/api/') || request.url.startsWith('/api/');

export default fp(
  async function headers(app: FastifyInstance) {
    const https = app.deps.config.http.publicOrigin?.startsWith('https:') ?? false;
    await app.register(helmet, {
      contentSecurityPolicy: {
        directives: {
          'default-src': ["'self'"],
          'connect-src': ["'self'"],
          'img-src': ["'self'", 'data:'],
          'style-src': ["'self'", "'unsafe-inline'"],
          'script-src': ["'self'"],
          'upgrade-insecure-requests': https ? [] : null,
        },
      },
      // The product's own host only: its parent domain's other hosts are not ours to pin to HTTPS.
      hsts: https ? { maxAge: 180 * 86_400, includeSubDomains: false } : false,
    });
    app.addHook('onSend', async (request, reply) => {
      reply.header('x-request-id', request.id);
      if (isApi(request)) reply.header('cache-control', 'no-store');
    });
  },
  { name: 'headers' },
);
