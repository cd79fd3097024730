import { SyslogListQuery, SyslogPage } from '@hitless/contracts';
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { listSyslog } from '../services/syslog.ts';
import { AUTHED, errors } from './responses.ts';

export default async function syslogRoutes(fastify: FastifyInstance) {
  const app = fastify.withTypeProvider<ZodTypeProvider>();
  const { db } = app.deps;

  app.get(
    '/syslog',
    {
      schema: {
        tags: ['syslog'],
        summary: 'Syslog messages, newest first: by device, run, severity, text and time, paged by a cursor',
        querystring: SyslogListQuery,
        response: { 200: SyslogPage, ...errors(400, ...AUTHED) },
      },
    },
    async (request) => listSyslog(db, request.query),
  );
}
