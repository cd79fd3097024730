// Admins' side of SSH host key pinning: accept the different key a device offered, forget a pinned
// key, import OpenSSH known_hosts. All need `host-keys:trust` (ADMIN): a pinned key decides which
// server receives a device's credentials.
import {
  Device,
  DeviceImportRejected,
  ErrorBody,
  HostKeyAccept,
  HostKeyImportQuery,
  HostKeyImportResult,
  IdParams,
} from '@hitless/contracts';
import { DomainError } from '@hitless/core';
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { acceptHostKey, forgetHostKey } from '../services/host-keys.ts';
import { importKnownHosts, KnownHostsRejected } from '../services/known-hosts-import.ts';
import { contextOf } from './context.ts';
import { AUTHED, errors } from './responses.ts';

const KNOWN_HOSTS_BODY_LIMIT = 8 * 1024 * 1024;

export default async function hostKeyRoutes(fastify: FastifyInstance) {
  const app = fastify.withTypeProvider<ZodTypeProvider>();
  const tags = ['inventory'];

  app.post(
    '/devices/:id/host-key/accept',
    {
      config: { permission: 'host-keys:trust' },
      schema: {
        tags,
        summary:
          "Pin the different SSH host key a device offered (admins). `fingerprint` must be the offered key's, as shown",
        params: IdParams,
        body: HostKeyAccept,
        response: { 200: Device, ...errors(400, 404, 409, ...AUTHED) },
      },
    },
    async (request) =>
      acceptHostKey(contextOf(request), { id: request.params.id, fingerprint: request.body.fingerprint }),
  );

  app.delete(
    '/devices/:id/host-key',
    {
      config: { permission: 'host-keys:trust' },
      schema: {
        tags,
        summary:
          'Forget the pinned SSH host key (admins): the next connection trusts the key it finds, unless strict mode refuses',
        params: IdParams,
        response: { 200: Device, ...errors(400, 404, 409, ...AUTHED) },
      },
    },
    async (request) => forgetHostKey(contextOf(request), { id: request.params.id }),
  );

  app.post(
    '/devices/host-keys/import',
    {
      config: { permission: 'host-keys:trust' },
      bodyLimit: KNOWN_HOSTS_BODY_LIMIT,
      // Before body validation, so a JSON body gets 415 rather than a confusing 400.
      preValidation: async (request) => {
        if (!request.headers['content-type']?.startsWith('text/plain')) {
          throw new DomainError('UNSUPPORTED_MEDIA_TYPE', 'send the known_hosts file as text/plain');
        }
      },
      schema: {
        tags,
        summary:
          'Pin host keys from OpenSSH known_hosts text (text/plain body; admins). A bad line rejects the whole text; ' +
          'a different key already pinned is a conflict unless `replace=true`',
        consumes: ['text/plain'],
        querystring: HostKeyImportQuery,
        body: z.string().min(1, { error: 'the known_hosts body is empty' }),
        response: {
          200: HostKeyImportResult,
          400: z.union([DeviceImportRejected, ErrorBody]),
          ...errors(409, 413, 415, ...AUTHED),
        },
      },
    },
    async (request, reply) => {
      try {
        return await importKnownHosts(contextOf(request), { text: request.body, ...request.query });
      } catch (err) {
        if (!(err instanceof KnownHostsRejected)) throw err;
        return reply
          .status(400)
          .send({ statusCode: 400, code: 'VALIDATION_FAILED', message: err.message, errors: err.errors });
      }
    },
  );
}
