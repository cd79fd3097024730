// The fuzz's list of routes, read from the app itself so a route added later is fuzzed without
// anyone touching the test: every (method, URL) the router holds, with the `config` the auth hook
// reads (public, permission, allowPasswordChangePending) and, where the route is documented, its
// OpenAPI parameters and request body.
//
// Fastify exposes a route's config only to hooks registered before the route (and the app's are
// registered inside buildApp). Its public `printRoutes({ includeMeta })` does hand every route
// record, with its context (`store`, which holds `config`), to `buildPrettyMeta`; we listen there.
import type { Permission } from '@hitless/core';
import type { FastifyInstance } from 'fastify';

export interface RouteConfig {
  public?: boolean;
  permission?: Permission;
  allowPasswordChangePending?: boolean;
}

/** A JSON Schema object as @fastify/swagger writes it (OpenAPI 3.0 flavour). */
export type JsonSchema = Record<string, unknown>;

export interface FuzzRoute {
  method: string;
  /** Fastify's form: `/api/v1/devices/:id`. */
  url: string;
  /** `METHOD /openapi/{form}`: the key of the access lists below. */
  key: string;
  config: RouteConfig;
  params: string[];
  query: { name: string; schema: JsonSchema; required: boolean }[];
  /** Request body schemas by content type; empty when the route takes no body. */
  body: Record<string, JsonSchema>;
  documented: boolean;
}

export const MUTATING = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

/**
 * Routes anyone may call, each with why. A public route missing from this list, or listed but
 * gone, fails the enumeration test: being public is a decision someone has to write down.
 */
export const PUBLIC_ROUTES: Record<string, string> = {
  'POST /api/v1/auth/login': 'logging in is how a session starts',
  'GET /healthz': 'liveness probe for load balancers and orchestrators; says only "ok"',
  'HEAD /healthz': 'HEAD of the liveness probe',
  'GET /readyz': 'readiness probe; says only whether PostgreSQL and Redis answer',
  'HEAD /readyz': 'HEAD of the readiness probe',
  'GET /metrics':
    'Prometheus scrape; its own rule instead of a session: the metrics token when configured, else loopback peers only',
  'HEAD /metrics': 'HEAD of the Prometheus scrape',
};

/**
 * Mutations every logged-in user may make, because they act on the caller's own account only
 * (the fuzz checks that they do: see OWN_ONLY in fuzz.test.ts). Same rule as PUBLIC_ROUTES: a
 * mutation that needs only `read` and is not listed here fails the enumeration test.
 */
export const SELF_SERVICE: Record<string, string> = {
  'POST /api/v1/auth/logout': 'ends the caller’s own session',
  'POST /api/v1/auth/password': 'changes the caller’s own password, given the current one',
  'POST /api/v1/tokens': 'creates an API token acting as the caller, with the caller’s role',
  'DELETE /api/v1/tokens/{id}': 'revokes one of the caller’s own tokens (another user’s is a 404)',
};

const METHODS = ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS'] as const;

interface RouterRecord {
  method: string;
  path: string;
  store?: { config?: RouteConfig; schema?: unknown };
}

/** Every route in the router with the config its auth hook sees. */
function routerRoutes(app: FastifyInstance): RouterRecord[] {
  const seen = new Map<string, RouterRecord>();
  for (const method of METHODS) {
    let inner: ((route: unknown) => unknown) | undefined;
    const options = {
      method,
      includeMeta: true,
      get buildPrettyMeta() {
        return (route: unknown) => {
          const r = route as RouterRecord;
          seen.set(`${r.method} ${r.path}`, r);
          return inner?.(route) ?? {};
        };
      },
      set buildPrettyMeta(fn: (route: unknown) => unknown) {
        inner = fn;
      },
    };
    app.printRoutes(options as unknown as Parameters<FastifyInstance['printRoutes']>[0]);
  }
  return [...seen.values()];
}

const openApiPath = (url: string) => url.replace(/:([A-Za-z0-9_]+)/g, '{$1}');

interface OpenApiOperation {
  parameters?: { in: string; name: string; required?: boolean; schema?: JsonSchema }[];
  requestBody?: { content?: Record<string, { schema?: JsonSchema }> };
}

export function enumerateRoutes(app: FastifyInstance): FuzzRoute[] {
  const spec = app.swagger() as unknown as { paths: Record<string, Record<string, OpenApiOperation>> };
  return routerRoutes(app)
    .map((r): FuzzRoute => {
      const path = openApiPath(r.path);
      // HEAD routes Fastify adds for GETs carry no schema of their own; the GET's describes them.
      const op =
        spec.paths[path]?.[r.method.toLowerCase()] ?? (r.method === 'HEAD' ? spec.paths[path]?.['get'] : undefined);
      const params = [...r.path.matchAll(/:([A-Za-z0-9_]+)/g)].map((m) => m[1]!);
      if (r.path.endsWith('*')) params.push('*');
      return {
        method: r.method,
        url: r.path,
        key: `${r.method} ${path}`,
        config: r.store?.config ?? {},
        params,
        query: (op?.parameters ?? [])
          .filter((p) => p.in === 'query')
          .map((p) => ({ name: p.name, schema: p.schema ?? {}, required: p.required === true })),
        body: Object.fromEntries(
          Object.entries(op?.requestBody?.content ?? {}).map(([type, c]) => [type, c.schema ?? {}]),
        ),
        // OpenAPI leaves HEAD out; a HEAD route of its own (tus's offset query) is documented by its schema.
        documented: op !== undefined || (r.method === 'HEAD' && r.store?.schema !== undefined),
      };
    })
    .sort((a, b) => phase(a) - phase(b) || a.key.localeCompare(b.key));
}

/** Reads first, then creations and changes, deletions last (so they cannot starve the others). */
export function phase(route: Pick<FuzzRoute, 'method'>): number {
  if (route.method === 'DELETE') return 2;
  return MUTATING.has(route.method) ? 1 : 0;
}

/** The resource a route's `:id` names, from its first path segment under /api/v1. */
export function resourceOf(route: Pick<FuzzRoute, 'url'>): string | null {
  const m = /^\/api\/v1\/([a-z-]+)\/:/.exec(route.url);
  return m ? m[1]! : null;
}
