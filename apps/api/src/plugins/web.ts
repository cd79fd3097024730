// The built dashboard (apps/web/dist) on the API's own URL: files as they are, and index.html
// for every other GET that is not an API, docs or socket path (client-side routing). Source maps
// are never served (the build keeps them beside the bundle for debugging, unlinked): they would
// hand out the dashboard's source; a missing asset is a 404, not the app's HTML.
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import fastifyStatic from '@fastify/static';
import { notFound } from '@hitless/core';
import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';

const NOT_WEB = /^\/(api|docs|socket\.io|healthz|readyz)(\/|$|\?)/;
/** Source maps, and any asset path that names no file the build made. */
const NOT_APP = /^\/assets\/|\.map$/;

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
        globIgnore: ['**/*.map'],
        allowedPath: (pathName) => !pathName.endsWith('.map'),
        // Hashed asset names never change content: cache them for a year.
        setHeaders: (reply, filePath) => {
          if (filePath.includes(`${path.sep}assets${path.sep}`))
            reply.header('cache-control', 'public, max-age=31536000, immutable');
        },
      });
    });
    app.get('/*', { config: { public: true }, schema: { hide: true } }, async (request, reply) => {
      const filePath = request.url.split('?')[0]!;
      if (NOT_WEB.test(request.url) || NOT_APP.test(filePath)) throw notFound(`route GET ${filePath}`);
      return reply.header('cache-control', 'no-cache').type('text/html; charset=utf-8').send(indexHtml);
    });
  },
  { name: 'web' },
);
