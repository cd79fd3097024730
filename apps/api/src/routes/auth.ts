import {
  ApiToken,
  ApiTokenCreate,
  ApiTokenCreated,
  ChangePasswordBody,
  IdParams,
  LoginBody,
  User,
} from '@hitless/contracts';
import { DomainError } from '@hitless/core';
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { toApiToken, toUser } from '../mappers.ts';
import { actorOf, principalOf } from '../plugins/auth.ts';
import { changePassword, createApiToken, login, logout, revokeApiToken, SESSION_COOKIE } from '../services/auth.ts';
import { contextOf } from './context.ts';
import { AUTHED, errors } from './responses.ts';

const Me = z.object({ user: User });

/** Login attempts (failed or not) one address may make across all usernames, per attempt allowed per account. */
const ADDRESS_FACTOR = 10;

export default async function authRoutes(fastify: FastifyInstance) {
  const app = fastify.withTypeProvider<ZodTypeProvider>();
  const { config, db } = app.deps;
  // A looser limit per address over every username, so one address cannot try a password
  // against the whole user list (the per-account limit alone would let it).
  const perAddress = app.createRateLimit({
    max: config.auth.loginRateLimitPerMinute * ADDRESS_FACTOR,
    timeWindow: '1 minute',
    keyGenerator: (request) => `login-address|${request.ip}`,
  });

  app.post(
    '/auth/login',
    {
      config: {
        public: true,
        // Per address and username: guessing one account's password is slowed down, while a
        // whole NOC behind one NAT address can still log in at shift change.
        rateLimit: {
          max: config.auth.loginRateLimitPerMinute,
          timeWindow: '1 minute',
          hook: 'preHandler',
          keyGenerator: (request) =>
            `${request.ip}|${String((request.body as { username?: unknown } | undefined)?.username ?? '').toLowerCase()}`,
        },
      },
      schema: {
        tags: ['auth'],
        summary: 'Log in with a password; sets the HTTP-only session cookie',
        body: LoginBody,
        response: { 200: Me.extend({ expiresAt: z.string() }), ...errors(400, 401, 429) },
      },
    },
    async (request, reply) => {
      const limit = await perAddress(request);
      if (!limit.isAllowed && limit.isExceeded) {
        throw new DomainError(
          'RATE_LIMITED',
          `too many login attempts from this address; try again in ${limit.ttlInSeconds} s`,
        );
      }
      const result = await login(db, {
        ...request.body,
        ip: request.ip ?? null,
        userAgent: request.headers['user-agent'] ?? null,
        ttlMs: config.auth.sessionTtlMs,
      });
      reply.setCookie(SESSION_COOKIE, result.token, {
        httpOnly: true,
        sameSite: 'strict',
        secure: config.http.cookieSecure,
        path: '/',
        expires: result.expiresAt,
      });
      const user = await db.user.findUniqueOrThrow({ where: { id: result.principal.userId } });
      return { user: toUser(user), expiresAt: result.expiresAt.toISOString() };
    },
  );

  app.post(
    '/auth/logout',
    {
      config: { permission: 'read', allowPasswordChangePending: true },
      schema: { tags: ['auth'], summary: 'End this session', response: { 204: z.null(), ...errors(...AUTHED) } },
    },
    async (request, reply) => {
      await logout(contextOf(request), principalOf(request));
      reply.clearCookie(SESSION_COOKIE, { path: '/' });
      return reply.status(204).send(null);
    },
  );

  app.get(
    '/auth/me',
    {
      config: { allowPasswordChangePending: true },
      schema: { tags: ['auth'], summary: 'The logged-in user', response: { 200: Me, ...errors(...AUTHED) } },
    },
    async (request) => {
      const user = await db.user.findUniqueOrThrow({ where: { id: principalOf(request).userId } });
      return { user: toUser(user) };
    },
  );

  app.post(
    '/auth/password',
    {
      config: { permission: 'read', allowPasswordChangePending: true },
      schema: {
        tags: ['auth'],
        summary: 'Change your own password (ends your other sessions)',
        body: ChangePasswordBody,
        response: { 204: z.null(), ...errors(400, ...AUTHED) },
      },
    },
    async (request, reply) => {
      await changePassword(contextOf(request), principalOf(request), request.body);
      return reply.status(204).send(null);
    },
  );

  app.get(
    '/tokens',
    {
      schema: {
        tags: ['auth'],
        summary: 'Your API tokens',
        response: { 200: z.object({ items: z.array(ApiToken) }), ...errors(...AUTHED) },
      },
    },
    async (request) => {
      const rows = await db.apiToken.findMany({
        where: { userId: principalOf(request).userId },
        orderBy: { createdAt: 'desc' },
      });
      return { items: rows.map(toApiToken) };
    },
  );

  app.post(
    '/tokens',
    {
      config: { permission: 'read' },
      schema: {
        tags: ['auth'],
        summary: 'Create an API token (shown once) acting as you, for automation',
        body: ApiTokenCreate,
        response: { 201: ApiTokenCreated, ...errors(400, 409, ...AUTHED) },
      },
    },
    async (request, reply) => {
      const { row, token } = await createApiToken(db, principalOf(request), actorOf(request), request.body);
      return reply.status(201).send({ ...toApiToken(row), token });
    },
  );

  app.delete(
    '/tokens/:id',
    {
      config: { permission: 'read' },
      schema: {
        tags: ['auth'],
        summary: 'Revoke one of your API tokens',
        params: IdParams,
        response: { 200: ApiToken, ...errors(400, 404, ...AUTHED) },
      },
    },
    async (request) => toApiToken(await revokeApiToken(contextOf(request), principalOf(request), request.params.id)),
  );
}
