// The built dashboard (apps/web/dist) on the API's own URL: files as they are, and index.html
// for every other GET that is not an API, docs or socket path (client-side routing).
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import fastifyStatic from '@fastify/static';
import { notFound } from '@hitless/core';
import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';

const NOT_WEB = /^\/(api|docs|socket\.io|healthz|readyz)(\/|$|\?)/;

export default fp(
  async function web(app: FastifyInstance) {
    const dist = app.deps.config.http.webDist;
    const indexFile = path.join(dist, 'index.html');
    if (!existsSync(indexFile)) {
      app.log.warn({ dist }, 'web app not built; the dashboard is not served (npm run build -w @hitless/web)');
      return;
    }
    const indexHtml = readFileSync(indexFile);
    // The dashboard's own files are public (the login page needs them); every other route
    // authenticates unless it says otherwise, so they are marked public here, in their own scope.
    await app.register(async (files) => {
      files.addHook('onRoute', (route) => {
        route.config = { ...route.config, public: true };
      });
      await files.register(fastifyStatic, {
        root: dist,
        wildcard: false,
        index: false,
        // Hashed asset names never change content: cache them for a year.
        setHeaders: (reply, filePath) => {
          if (filePath.includes(`${path.sep}assets${path.sep}`))
            reply.header('cache-control', 'public, max-age=31536000, immutable');
        },
      });
    });
    app.get('/*', { config: { public: true }, schema: { hide: true } }, async (request, reply) => {
      if (NOT_WEB.test(request.url)) throw notFound(`route GET ${request.url.split('?')[0]}`);
      return reply.header('cache-control', 'no-cache').type('text/html; charset=utf-8').send(indexHtml);
    });
  },
  { name: 'web' },
);
