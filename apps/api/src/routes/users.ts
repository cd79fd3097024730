import { IdParams, User, UserCreate, UserUpdate } from '@hitless/contracts';
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { contextOf } from './context.ts';
import { createUser, deleteUser, listUsers, updateUser } from '../services/users.ts';
import { AUTHED, errors } from './responses.ts';

export default async function userRoutes(fastify: FastifyInstance) {
  const app = fastify.withTypeProvider<ZodTypeProvider>();
  const tags = ['users'];

  app.get(
    '/users',
    {
      config: { permission: 'users:manage' },
      schema: {
        tags,
        summary: 'All users',
        response: { 200: z.object({ items: z.array(User) }), ...errors(...AUTHED) },
      },
    },
    async () => ({ items: await listUsers(app.deps.db) }),
  );

  app.post(
    '/users',
    {
      config: { permission: 'users:manage' },
      schema: {
        tags,
        summary: 'Create a user with a one-time password',
        body: UserCreate,
        response: { 201: User, ...errors(400, 409, ...AUTHED) },
      },
    },
    async (request, reply) => reply.status(201).send(await createUser(contextOf(request), request.body)),
  );

  app.patch(
    '/users/:id',
    {
      config: { permission: 'users:manage' },
      schema: {
        tags,
        summary: 'Change role, name, disable, or reset the password (ends their sessions)',
        params: IdParams,
        body: UserUpdate,
        response: { 200: User, ...errors(400, 404, 409, ...AUTHED) },
      },
    },
    async (request) => updateUser(contextOf(request), request.params.id, request.body),
  );

  app.delete(
    '/users/:id',
    {
      config: { permission: 'users:manage' },
      schema: {
        tags,
        summary: 'Delete a user without history',
        params: IdParams,
        response: { 204: z.null(), ...errors(400, 404, 409, ...AUTHED) },
      },
    },
    async (request, reply) => {
      await deleteUser(contextOf(request), request.params.id);
      return reply.status(204).send(null);
    },
  );
}
