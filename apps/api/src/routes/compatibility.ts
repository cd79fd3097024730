import {
  CompatibilityCreate,
  CompatibilityEntry,
  CompatibilityExportQuery,
  CompatibilityImportQuery,
  CompatibilityImportResult,
  CompatibilityListQuery,
  CompatibilityUpdate,
  DeviceImportRejected,
  ErrorBody,
  IdParams,
} from '@hitless/contracts';
import { DomainError } from '@hitless/core';
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import {
  exportCompatibilityCsv,
  importCompatibilityCsv,
  MatrixImportRejected,
} from '../services/compatibility-import.ts';
import {
  createCompatibility,
  deleteCompatibility,
  getCompatibility,
  listCompatibility,
  updateCompatibility,
} from '../services/compatibility.ts';
import { contextOf } from './context.ts';
import { AUTHED, errors } from './responses.ts';

const CSV_BODY_LIMIT = 8 * 1024 * 1024;
const CSV_TYPES = ['text/csv', 'application/csv', 'text/plain'];

/** The compatibility matrix between the versions of a platform family, and its CSV import and export. */
export default async function compatibilityRoutes(fastify: FastifyInstance) {
  const app = fastify.withTypeProvider<ZodTypeProvider>();
  const { db } = app.deps;
  const write = { permission: 'images:write' } as const;

  // CSV import bodies arrive as text; only this plugin (and the inventory's) accepts them.
  app.addContentTypeParser(CSV_TYPES, { parseAs: 'string', bodyLimit: CSV_BODY_LIMIT }, (_req, body, done) =>
    done(null, body),
  );

  app.get(
    '/compatibility/export.csv',
    {
      schema: {
        tags: ['compatibility'],
        summary: 'The (filtered) matrix as CSV, in the columns import reads',
        querystring: CompatibilityExportQuery,
        produces: ['text/csv'],
        response: { 200: z.string(), ...errors(400, ...AUTHED) },
      },
    },
    async (request, reply) => {
      const csv = await exportCompatibilityCsv(db, request.query);
      const stamp = new Date().toISOString().slice(0, 10);
      return reply
        .type('text/csv; charset=utf-8')
        .header('content-disposition', `attachment; filename="hitless-compatibility-${stamp}.csv"`)
        .send(csv);
    },
  );

  app.post(
    '/compatibility/import',
    {
      config: write,
      bodyLimit: CSV_BODY_LIMIT,
      // Before body validation, so a JSON body gets 415 rather than a confusing 400.
      preValidation: async (request) => {
        if (!CSV_TYPES.some((t) => request.headers['content-type']?.startsWith(t))) {
          throw new DomainError('UNSUPPORTED_MEDIA_TYPE', 'send the file as text/csv');
        }
      },
      schema: {
        tags: ['compatibility'],
        summary:
          "Import the vendor's matrix from CSV (text/csv body; columns vendor, platform_family, from_version, " +
          'to_version, level, source, notes). All rows are checked first; any error rejects the whole file. ' +
          'dryRun=true only counts what would change',
        consumes: ['text/csv'],
        querystring: CompatibilityImportQuery,
        body: z.string().min(1, { error: 'the CSV body is empty' }),
        response: {
          200: CompatibilityImportResult,
          400: z.union([DeviceImportRejected, ErrorBody]),
          ...errors(413, 415, ...AUTHED),
        },
      },
    },
    async (request, reply) => {
      try {
        return await importCompatibilityCsv(contextOf(request), request.body, request.query);
      } catch (err) {
        if (!(err instanceof MatrixImportRejected)) throw err;
        return reply
          .status(400)
          .send({ statusCode: 400, code: 'VALIDATION_FAILED', message: err.message, errors: err.errors });
      }
    },
  );

  const tags = ['compatibility'];
  app.get(
    '/compatibility',
    {
      schema: {
        tags,
        summary: 'Compatibility matrix entries (C / B / I per version pair)',
        querystring: CompatibilityListQuery,
        response: { 200: z.object({ items: z.array(CompatibilityEntry) }), ...errors(400, ...AUTHED) },
      },
    },
    async (request) => ({ items: await listCompatibility(db, request.query) }),
  );
  app.get(
    '/compatibility/:id',
    {
      schema: {
        tags,
        summary: 'One matrix entry',
        params: IdParams,
        response: { 200: CompatibilityEntry, ...errors(400, 404, ...AUTHED) },
      },
    },
    async (request) => getCompatibility(db, request.params.id),
  );
  app.post(
    '/compatibility',
    {
      config: write,
      schema: {
        tags,
        summary: 'Add a matrix entry',
        body: CompatibilityCreate,
        response: { 201: CompatibilityEntry, ...errors(400, 409, ...AUTHED) },
      },
    },
    async (request, reply) => reply.status(201).send(await createCompatibility(contextOf(request), request.body)),
  );
  app.patch(
    '/compatibility/:id',
    {
      config: write,
      schema: {
        tags,
        summary: 'Change a matrix entry',
        params: IdParams,
        body: CompatibilityUpdate,
        response: { 200: CompatibilityEntry, ...errors(400, 404, 409, ...AUTHED) },
      },
    },
    async (request) => updateCompatibility(contextOf(request), request.params.id, request.body),
  );
  app.delete(
    '/compatibility/:id',
    {
      config: write,
      schema: {
        tags,
        summary: 'Delete a matrix entry',
        params: IdParams,
        response: { 204: z.null(), ...errors(400, 404, ...AUTHED) },
      },
    },
    async (request, reply) => {
      await deleteCompatibility(contextOf(request), request.params.id);
      return reply.status(204).send(null);
    },
  );
}
