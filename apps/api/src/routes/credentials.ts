import {
  Credential,
  CredentialCreate,
  CredentialDevice,
  CredentialRotate,
  CredentialUpdate,
  IdParams,
} from '@hitless/contracts';
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import {
  createCredential,
  credentialDevices,
  deleteCredential,
  getCredential,
  listCredentials,
  rotateCredential,
  updateCredential,
} from '../services/credentials.ts';
import { contextOf } from './context.ts';
import { AUTHED, errors } from './responses.ts';

export default async function credentialRoutes(fastify: FastifyInstance) {
  const app = fastify.withTypeProvider<ZodTypeProvider>();
  const tags = ['credentials'];
  const { db, config } = app.deps;
  const key = config.secrets.key;

  app.get(
    '/credentials',
    {
      schema: {
        tags,
        summary: 'Device credentials (never their secrets)',
        response: { 200: z.object({ items: z.array(Credential) }), ...errors(...AUTHED) },
      },
    },
    async () => ({ items: await listCredentials(db) }),
  );

  app.get(
    '/credentials/:id',
    {
      schema: {
        tags,
        summary: 'One credential (never its secret)',
        params: IdParams,
        response: { 200: Credential, ...errors(400, 404, ...AUTHED) },
      },
    },
    async (request) => getCredential(db, request.params.id),
  );

  app.get(
    '/credentials/:id/devices',
    {
      schema: {
        tags,
        summary: 'Every device that logs in with this credential, by hostname',
        params: IdParams,
        response: { 200: z.object({ items: z.array(CredentialDevice) }), ...errors(400, 404, ...AUTHED) },
      },
    },
    async (request) => ({ items: await credentialDevices(db, request.params.id) }),
  );

  app.post(
    '/credentials/:id/rotate',
    {
      config: { permission: 'credentials:write' },
      schema: {
        tags,
        summary: 'Replace the secret (and optionally the enable secret); the old one is not kept',
        params: IdParams,
        body: CredentialRotate,
        response: { 200: Credential, ...errors(400, 404, ...AUTHED) },
      },
    },
    async (request) => rotateCredential(contextOf(request), key, request.params.id, request.body),
  );

  app.post(
    '/credentials',
    {
      config: { permission: 'credentials:write' },
      schema: {
        tags,
        summary: 'Store a credential; the secret is encrypted at rest',
        body: CredentialCreate,
        response: { 201: Credential, ...errors(400, 409, ...AUTHED) },
      },
    },
    async (request, reply) => reply.status(201).send(await createCredential(contextOf(request), key, request.body)),
  );

  app.patch(
    '/credentials/:id',
    {
      config: { permission: 'credentials:write' },
      schema: {
        tags,
        summary: 'Change a credential or replace its secret',
        params: IdParams,
        body: CredentialUpdate,
        response: { 200: Credential, ...errors(400, 404, 409, ...AUTHED) },
      },
    },
    async (request) => updateCredential(contextOf(request), key, request.params.id, request.body),
  );

  app.delete(
    '/credentials/:id',
    {
      config: { permission: 'credentials:write' },
      schema: {
        tags,
        summary: 'Delete a credential no device uses',
        params: IdParams,
        response: { 204: z.null(), ...errors(400, 404, 409, ...AUTHED) },
      },
    },
    async (request, reply) => {
      await deleteCredential(contextOf(request), request.params.id);
      return reply.status(204).send(null);
    },
  );
}
