import { IdParams, RunActionBody, RunCreate, RunDetail, RunListQuery, RunPage } from '@hitless/contracts';
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { abortRun, acceptRun, getRun, listRuns, startRun } from '../services/runs.ts';
import { contextOf } from './context.ts';
import { AUTHED, errors } from './responses.ts';

export default async function runRoutes(fastify: FastifyInstance) {
  const app = fastify.withTypeProvider<ZodTypeProvider>();
  const { db } = app.deps;
  const tags = ['runs'];

  app.post(
    '/runs',
    {
      config: { permission: 'runs:operate' },
      schema: {
        tags,
        summary: 'Upgrade one device to one image (pre-checks first; refused if they fail)',
        body: RunCreate,
        response: { 201: RunDetail, ...errors(400, 409, 422, ...AUTHED) },
      },
    },
    async (request, reply) =>
      reply.status(201).send(await startRun(contextOf(request), app.deps.upgrades, request.body)),
  );

  app.get(
    '/runs',
    {
      schema: {
        tags,
        summary: 'Runs, newest first',
        querystring: RunListQuery,
        response: { 200: RunPage, ...errors(400, ...AUTHED) },
      },
    },
    async (request) => listRuns(db, request.query),
  );

  app.get(
    '/runs/:id',
    {
      schema: {
        tags,
        summary: 'A run with its steps, transcripts and pre-check verdicts',
        params: IdParams,
        response: { 200: RunDetail, ...errors(400, 404, ...AUTHED) },
      },
    },
    async (request) => getRun(db, request.params.id),
  );

  app.post(
    '/runs/:id/accept',
    {
      config: { permission: 'runs:operate' },
      schema: {
        tags,
        summary: 'Accept the new software (the worker stops the rollback timer)',
        params: IdParams,
        body: RunActionBody,
        response: { 200: RunDetail, ...errors(400, 404, 409, ...AUTHED) },
      },
    },
    async (request) => acceptRun(contextOf(request), request.params.id, request.body?.comment),
  );

  app.post(
    '/runs/:id/abort',
    {
      config: { permission: 'runs:operate' },
      schema: {
        tags,
        summary: 'Abort: the worker restores the original software (until the point of no return)',
        params: IdParams,
        body: RunActionBody,
        response: { 200: RunDetail, ...errors(400, 404, 409, ...AUTHED) },
      },
    },
    async (request) => abortRun(contextOf(request), request.params.id, request.body?.comment),
  );
}
