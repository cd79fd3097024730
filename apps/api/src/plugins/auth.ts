// Authentication and authorisation for every route. A route is public only if it says so
// (`config.public`); otherwise the caller needs a session cookie or a bearer API token, and
// the permission the route names (default `read`). A mutating route that names no permission
// makes the app refuse to start, so no write can ship unguarded.
import { can, DomainError, forbidden, rolesWith, unauthenticated } from '@hitless/core';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import { checkApiToken, principalFromSession, SESSION_COOKIE } from '../services/auth.ts';
import type { Actor, Principal } from '../types.ts';

/** The methods that change state: they need a permission here and a same-origin proof in origin.ts. */
export const MUTATING: ReadonlySet<string> = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

export async function authenticate(app: FastifyInstance, request: FastifyRequest): Promise<Principal | null> {
  const header = request.headers.authorization;
  if (header) {
    const match = /^Bearer\s+(\S+)$/i.exec(header);
    if (!match) throw unauthenticated('Authorization header must be "Bearer <token>"');
    const checked = await checkApiToken(app.deps.db, match[1]!);
    if ('refused' in checked) throw unauthenticated(checked.refused);
    return checked;
  }
  const cookie = request.cookies[SESSION_COOKIE];
  if (!cookie) return null;
  return principalFromSession(app.deps.db, cookie, app.deps.config.auth.sessionTtlMs);
}

export function actorOf(request: FastifyRequest): Actor {
  const p = request.principal;
  return { id: p?.userId ?? null, name: p?.username ?? 'anonymous', ip: request.ip ?? null, requestId: request.id };
}

/** The principal of an authenticated route (the hook guarantees it). */
export function principalOf(request: FastifyRequest): Principal {
  if (!request.principal) throw unauthenticated();
  return request.principal;
}

export default fp(
  async function auth(app: FastifyInstance) {
    app.decorateRequest('principal', null);

    app.addHook('onRoute', (route) => {
      const methods = Array.isArray(route.method) ? route.method : [route.method];
      const config = route.config as { public?: boolean; permission?: string } | undefined;
      if (
        methods.some((m) => MUTATING.has(m)) &&
        !config?.public &&
        !config?.permission &&
        route.url.startsWith('/api/')
      ) {
        throw new Error(`route ${methods.join(',')} ${route.url} mutates but declares no permission`);
      }
    });

    app.addHook('onRequest', async (request) => {
      const config = request.routeOptions.config;
      // Decided by the route that matched, never by the raw URL: the router decodes the path
      // (`/%61pi/…` matches `/api/…`), so a prefix test on request.url could be walked around.
      // Unmatched URLs reach the not-found handler, which says nothing but "no route".
      if (config.public || !request.routeOptions.url) return;
      const principal = await authenticate(app, request);
      if (!principal) throw unauthenticated('log in first (session expired or missing)');
      request.principal = principal;
      if (principal.mustChangePassword && !config.allowPasswordChangePending) {
        throw new DomainError('FORBIDDEN', 'change your one-time password first (POST /api/v1/auth/password)');
      }
      const permission = config.permission ?? 'read';
      if (!can(principal.role, permission)) {
        throw forbidden(`${permission} requires role ${rolesWith(permission).join(' or ')}; you are ${principal.role}`);
      }
    });
  },
  // After `origin`: a forged cross-origin request is refused before its session is looked up.
  { name: 'auth', dependencies: ['errors', 'origin'] },
);
