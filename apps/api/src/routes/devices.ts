import {
  Device,
  DeviceCampaignList,
  DeviceCreate,
  DeviceFacets,
  DeviceFilter,
  DeviceImportQuery,
  DeviceImportRejected,
  DeviceImportResult,
  DeviceListQuery,
  DevicePage,
  DeviceUpdate,
  ErrorBody,
  IdParams,
} from '@hitless/contracts';
import { DomainError } from '@hitless/core';
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import {
  createDevice,
  deleteDevice,
  deviceFacets,
  exportDevicesCsv,
  getDevice,
  ImportRejected,
  importDevicesCsv,
  listDevices,
  updateDevice,
} from '../services/devices.ts';
import { deviceCampaigns } from '../services/device-campaigns.ts';
import { contextOf } from './context.ts';
import { AUTHED, errors } from './responses.ts';

const CSV_BODY_LIMIT = 8 * 1024 * 1024;
const CSV_TYPES = ['text/csv', 'application/csv', 'text/plain'];

export default async function deviceRoutes(fastify: FastifyInstance) {
  const app = fastify.withTypeProvider<ZodTypeProvider>();
  const tags = ['inventory'];
  const { db } = app.deps;

  // CSV import bodies arrive as text; only this plugin accepts them.
  app.addContentTypeParser(CSV_TYPES, { parseAs: 'string', bodyLimit: CSV_BODY_LIMIT }, (_req, body, done) =>
    done(null, body),
  );

  app.get(
    '/devices',
    {
      schema: {
        tags,
        summary: 'Devices, filtered by vendor, platform, site, tag (repeatable: all must match) and free text',
        querystring: DeviceListQuery,
        response: { 200: DevicePage, ...errors(400, ...AUTHED) },
      },
    },
    async (request) => listDevices(db, request.query),
  );

  app.get(
    '/devices/facets',
    {
      schema: {
        tags,
        summary: 'Values present in the inventory, for filter pickers',
        response: { 200: DeviceFacets, ...errors(...AUTHED) },
      },
    },
    async () => deviceFacets(db),
  );

  app.get(
    '/devices/export.csv',
    {
      schema: {
        tags,
        summary: 'The (filtered) inventory as CSV, in the columns import reads',
        querystring: DeviceFilter,
        produces: ['text/csv'],
        response: { 200: z.string(), ...errors(400, ...AUTHED) },
      },
    },
    async (request, reply) => {
      const csv = await exportDevicesCsv(db, request.query);
      const stamp = new Date().toISOString().slice(0, 10);
      return reply
        .type('text/csv; charset=utf-8')
        .header('content-disposition', `attachment; filename="hitless-devices-${stamp}.csv"`)
        .send(csv);
    },
  );

  app.post(
    '/devices/import',
    {
      config: { permission: 'inventory:write' },
      bodyLimit: CSV_BODY_LIMIT,
      // Before body validation, so a JSON body gets 415 rather than a confusing 400.
      preValidation: async (request) => {
        if (!CSV_TYPES.some((t) => request.headers['content-type']?.startsWith(t))) {
          throw new DomainError('UNSUPPORTED_MEDIA_TYPE', 'send the file as text/csv');
        }
      },
      schema: {
        tags,
        summary:
          'Import devices from CSV (text/csv body). All rows are checked first; any error rejects the whole file',
        consumes: ['text/csv'],
        querystring: DeviceImportQuery,
        body: z.string().min(1, { error: 'the CSV body is empty' }),
        response: {
          200: DeviceImportResult,
          400: z.union([DeviceImportRejected, ErrorBody]),
          ...errors(409, 413, 415, ...AUTHED),
        },
      },
    },
    async (request, reply) => {
      try {
        return await importDevicesCsv(contextOf(request), request.body, request.query);
      } catch (err) {
        if (!(err instanceof ImportRejected)) throw err;
        return reply
          .status(400)
          .send({ statusCode: 400, code: 'VALIDATION_FAILED', message: err.message, errors: err.errors });
      }
    },
  );

  app.get(
    '/devices/:id',
    {
      schema: {
        tags,
        summary: 'One device',
        params: IdParams,
        response: { 200: Device, ...errors(400, 404, ...AUTHED) },
      },
    },
    async (request) => getDevice(db, request.params.id),
  );

  app.get(
    '/devices/:id/campaigns',
    {
      schema: {
        tags,
        summary: "The campaigns a device belongs to, newest first, with the device's state, wave and run in each",
        params: IdParams,
        response: { 200: DeviceCampaignList, ...errors(400, 404, ...AUTHED) },
      },
    },
    async (request) => deviceCampaigns(db, request.params.id),
  );

  app.post(
    '/devices',
    {
      config: { permission: 'inventory:write' },
      schema: {
        tags,
        summary: 'Register a device',
        body: DeviceCreate,
        response: { 201: Device, ...errors(400, 409, ...AUTHED) },
      },
    },
    async (request, reply) => reply.status(201).send(await createDevice(contextOf(request), request.body)),
  );

  app.patch(
    '/devices/:id',
    {
      config: { permission: 'inventory:write' },
      schema: {
        tags,
        summary: 'Change a device',
        params: IdParams,
        body: DeviceUpdate,
        response: { 200: Device, ...errors(400, 404, 409, ...AUTHED) },
      },
    },
    async (request) => updateDevice(contextOf(request), request.params.id, request.body),
  );

  app.delete(
    '/devices/:id',
    {
      config: { permission: 'inventory:write' },
      schema: {
        tags,
        summary: 'Remove a device without upgrade history',
        params: IdParams,
        response: { 204: z.null(), ...errors(400, 404, 409, ...AUTHED) },
      },
    },
    async (request, reply) => {
      await deleteDevice(contextOf(request), request.params.id);
      return reply.status(204).send(null);
    },
  );
}
