import { DiscoverQuery, Discovery, IdParams } from '@hitless/contracts';
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { getDiscovery, requestDiscovery } from '../services/discovery.ts';
import { contextOf } from './context.ts';
import { AUTHED, errors } from './responses.ts';

export default async function discoveryRoutes(fastify: FastifyInstance) {
  const app = fastify.withTypeProvider<ZodTypeProvider>();
  const tags = ['inventory'];

  app.post(
    '/devices/:id/discover',
    {
      config: { permission: 'inventory:write' },
      schema: {
        tags,
        summary:
          'Read facts (platform, RPs/REs, versions, redundancy, ISSU prerequisites) from the device itself, through a worker',
        description:
          'Answers 200 with the finished discovery when a worker reads the device within `wait` seconds, otherwise 202 with the discovery under way and its address in `Location`. A device that cannot be read is a 502.',
        params: IdParams,
        querystring: DiscoverQuery,
        response: { 200: Discovery, 202: Discovery, ...errors(400, 404, 422, 502, ...AUTHED) },
      },
    },
    async (request, reply) => {
      const { done, discovery } = await requestDiscovery(
        contextOf(request),
        app.deps.discoveries,
        request.params.id,
        request.query.wait * 1000,
      );
      if (done) return discovery;
      return reply.status(202).header('location', `/api/v1/discoveries/${discovery.id}`).send(discovery);
    },
  );

  app.get(
    '/discoveries/:id',
    {
      schema: {
        tags,
        summary: 'A discovery: queued, running, or done with the facts read (or why it failed)',
        params: IdParams,
        response: { 200: Discovery, ...errors(400, 404, ...AUTHED) },
      },
    },
    async (request) => getDiscovery(app.deps.db, request.params.id),
  );
}
