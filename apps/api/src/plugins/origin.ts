// Cross-site request forgery defence. The session cookie is SameSite=Strict, but another port of
// the same host is the same *site* to a browser, so a page there still gets the cookie sent along.
// Every state-changing request the cookie authenticates (and the login itself, against login
// CSRF) must therefore come from the dashboard's own origin: its `Origin` header must be one of
// the allowed origins; without one, `Sec-Fetch-Site` must say `same-origin` (same-site is not
// enough). A request with neither header cannot show where it came from and is refused too (an
// old browser may send neither on a cross-site form post): scripts use an API token, or send the
// dashboard's Origin themselves. Bearer-token requests are not checked (a page cannot make the
// browser add that header). socket.io handshakes go through the same policy (live.ts).
import type { IncomingHttpHeaders } from 'node:http';
import os from 'node:os';
import { DomainError } from '@hitless/core';
import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import { SESSION_COOKIE } from '../services/auth.ts';
import { MUTATING } from './auth.ts';

export interface OriginPolicy {
  /** The origins the dashboard is served at, the main one first. */
  allowed(): string[];
  /** Why a request with these headers is refused, or null. */
  refusal(headers: IncomingHttpHeaders): string | null;
}

declare module 'fastify' {
  interface FastifyInstance {
    origins: OriginPolicy;
  }
}

const LOOPBACK = /^(127\.\d{1,3}\.\d{1,3}\.\d{1,3}|::1|localhost)$/i;
const ANY_ADDRESS = new Set(['0.0.0.0', '::']);

const originAt = (host: string, port: number) =>
  new URL(`http://${host.includes(':') ? `[${host}]` : host}:${port}`).origin;

/**
 * Where a browser can reach a server listening on host:port, when no HITLESS_PUBLIC_URL says:
 * a loopback address also by its usual names, every address of this machine for 0.0.0.0 / ::.
 */
export function derivedOrigins(host: string, port: number): string[] {
  const hosts = LOOPBACK.test(host)
    ? [host, '127.0.0.1', 'localhost', '::1']
    : ANY_ADDRESS.has(host)
      ? [
          'localhost',
          ...Object.values(os.networkInterfaces())
            .flat()
            .flatMap((i) => (i && !i.address.includes('%') ? [i.address] : [])),
        ]
      : [host];
  return [...new Set(hosts.map((h) => originAt(h, port)))];
}

const first = (value: string | string[] | undefined) => (Array.isArray(value) ? value[0] : value);

export function originPolicy(options: {
  publicOrigin: string | null;
  allowedOrigins: string[];
  host: string;
  /** The port users reach, once known (0 until a server asked for any port is listening). */
  port: () => number;
}): OriginPolicy {
  const derived = new Map<number, string[]>();
  const allowed = () => {
    const port = options.port();
    if (!options.publicOrigin && port > 0 && !derived.has(port)) derived.set(port, derivedOrigins(options.host, port));
    const own = options.publicOrigin ? [options.publicOrigin] : (derived.get(port) ?? []);
    return [...new Set([...own, ...options.allowedOrigins])];
  };
  return {
    allowed,
    refusal(headers) {
      const origin = first(headers.origin);
      const site = first(headers['sec-fetch-site']);
      // "null" is an opaque origin (a sandboxed frame, a form under Referrer-Policy: no-referrer):
      // it says nothing, so Sec-Fetch-Site decides.
      if (origin !== undefined && origin !== 'null') {
        const ok = allowed();
        if (ok.includes(origin)) return null;
        const shown = ok.length > 3 ? `${ok.slice(0, 3).join(', ')}, …` : ok.join(', ') || 'none known yet';
        return `cross-origin request refused: Origin ${origin} is not the dashboard's origin (${shown}); if users open the dashboard there, set HITLESS_PUBLIC_URL or HITLESS_ALLOWED_ORIGINS`;
      }
      if (site !== undefined) {
        // `none`: the user's own doing (the address bar, a bookmark), never a page's.
        return site === 'same-origin' || site === 'none'
          ? null
          : `cross-origin request refused: the browser sent it from another origin (Sec-Fetch-Site: ${site})`;
      }
      if (origin === 'null')
        return 'cross-origin request refused: Origin null, and no Sec-Fetch-Site to tell where from';
      return "request refused: a change made with the session cookie must carry the dashboard's Origin (browsers send it); scripts should use an API token (Authorization: Bearer)";
    },
  };
}

export default fp(
  async function origin(app: FastifyInstance) {
    const { http } = app.deps.config;
    const policy = originPolicy({
      publicOrigin: http.publicOrigin,
      allowedOrigins: http.allowedOrigins,
      host: http.host,
      // HITLESS_PORT=0 listens on any free port: the one it got is the dashboard's.
      port: () => {
        if (http.port !== 0) return http.port;
        const address = app.server.address();
        return typeof address === 'object' && address ? address.port : 0;
      },
    });
    app.decorate('origins', policy);

    // Before authentication (auth.ts's hook is added after this one): a forged request is refused
    // without touching the session.
    app.addHook('onRequest', async (request) => {
      if (!MUTATING.has(request.method) || !request.routeOptions.url) return;
      if (request.headers.authorization) return;
      // Without the cookie nothing is authenticated by it (the route answers 401), but a public
      // route such as the login is checked anyway: a forged login is login CSRF.
      const cookie = Boolean(request.cookies[SESSION_COOKIE]);
      if (!cookie && !request.routeOptions.config.public) return;
      // A login with neither header is not a browser page's (a page cannot strip Origin from a
      // cross-origin post), so only what the cookie authenticates must prove where it came from.
      if (!cookie && request.headers.origin === undefined && request.headers['sec-fetch-site'] === undefined) return;
      const refusal = policy.refusal(request.headers);
      if (refusal) throw new DomainError('FORBIDDEN', refusal);
    });
  },
  { name: 'origin', dependencies: ['errors', '@fastify/cookie'] },
);
