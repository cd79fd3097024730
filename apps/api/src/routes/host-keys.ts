// Admins' side of SSH host key pinning (a set of keys per device, one per routing engine where the
// management address follows the master): accept the key a device offered (added, or replacing the
// set), forget one pinned key or all, import OpenSSH known_hosts. All need `host-keys:trust` (ADMIN): a pinned key decides which
// server receives a device's credentials.
import {
  Device,
  DeviceImportRejected,
  ErrorBody,
  HostKeyAccept,
  HostKeyForgetParams,
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
          "Pin the SSH host key a device offered (admins). `fingerprint` must be the offered key's, as shown. " +
          "It is added to the pinned set (another routing engine's key); `replace: true` makes it the only one",
        params: IdParams,
        body: HostKeyAccept,
        response: { 200: Device, ...errors(400, 404, 409, ...AUTHED) },
      },
    },
    async (request) => acceptHostKey(contextOf(request), { id: request.params.id, ...request.body }),
  );

  app.delete(
    '/devices/:id/host-key',
    {
      config: { permission: 'host-keys:trust' },
      schema: {
        tags,
        summary:
          'Forget every pinned SSH host key of a device (admins): the next connection trusts the key it finds, ' +
          'unless strict mode refuses',
        params: IdParams,
        response: { 200: Device, ...errors(400, 404, 409, ...AUTHED) },
      },
    },
    async (request) => forgetHostKey(contextOf(request), { id: request.params.id }),
  );

  app.delete(
    '/devices/:id/host-keys/:fingerprint',
    {
      config: { permission: 'host-keys:trust' },
      schema: {
        tags,
        summary:
          'Forget one pinned SSH host key of a device (admins; the fingerprint URL-encoded): the others stay pinned',
        params: HostKeyForgetParams,
        response: { 200: Device, ...errors(400, 404, 409, ...AUTHED) },
      },
    },
    async (request) => forgetHostKey(contextOf(request), request.params),
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
          'Pin host keys from OpenSSH known_hosts text (text/plain body; admins): every key listed for a device is ' +
          'pinned. A bad line rejects the whole text; pinned keys the file does not list are kept, unless ' +
          "`replace=true` makes each listed device's set exactly the file's keys",
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
