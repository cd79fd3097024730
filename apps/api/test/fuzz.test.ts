// Longer than 300 lines: the properties and the per-caller expectations are read together.
// A property-based fuzz of every route the app holds, as every kind of caller. For each route,
// fast-check generates cases (path parameters, query strings, bodies: valid-shaped from the
// route's schema, then broken); each case goes to the route as every caller in turn, those who
// must be refused first. Properties, for every response:
//   - never a 5xx;
//   - a caller without the route's permission never gets a 2xx: 401 without valid credentials,
//     403 with them (or with a one-time password still to change);
//   - routes that act on the caller's own account touch only the caller's own rows;
//   - no secret the fuzz knows (passwords, device secrets, session cookies, API tokens, the
//     master key, database passwords, stored hashes, every secret a case sent) in any response
//     body or header, nor in any log line the app wrote.
// Bounded: HITLESS_FUZZ_RUNS cases per route (HEAD routes a third), a fixed seed
// (HITLESS_FUZZ_SEED), no shrinking unless HITLESS_FUZZ_SHRINK=1 (the database moves under a
// shrink, so a shrunk case is a hint, not a proof). A route's first failing case ends that route;
// the others go on, and the test fails at the end listing every finding with its exact request.
import { ErrorBody } from '@hitless/contracts';
import { can } from '@hitless/core';
import fc from 'fast-check';
import type { InjectOptions, LightMyRequestResponse } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Ref, type BodyPart, type FuzzCase } from './fuzz/arbitraries.ts';
import { caseFor } from './fuzz/cases.ts';
import { enumerateRoutes, MUTATING, PUBLIC_ROUTES, SELF_SERVICE, type FuzzRoute } from './fuzz/routes.ts';
import { collectSentSecrets, forCaller, resolveCase } from './fuzz/resolve.ts';
import { World, type Principal } from './fuzz/world.ts';
import { startHarness, type Harness } from './harness.ts';

const RUNS = Number(process.env.HITLESS_FUZZ_RUNS ?? 8);
const SEED = Number(process.env.HITLESS_FUZZ_SEED ?? 90_909);
const SHRINK = process.env.HITLESS_FUZZ_SHRINK === '1';
const VERBOSE = process.env.HITLESS_FUZZ_VERBOSE === '1';
/** Fewer routes than this means the enumeration broke, not that the API shrank. */
const ROUTE_FLOOR = 45;

/** Routes that cost far more per request, with why: they get half the cases. */
const COSTLY: Record<string, string> = {
  'POST /api/v1/auth/login': 'every attempt runs scrypt (~50 ms), even for an unknown user',
  'POST /api/v1/auth/password': 'checks the current password and hashes the new one (scrypt, twice)',
  'POST /api/v1/auth/logout': 'each caller logged out logs in again (scrypt) for the routes after it',
};

/** Query values a route must get, with why. */
const PINNED_QUERY: Record<string, Record<string, fc.Arbitrary<string>>> = {
  // `wait` makes the request wait that many seconds (default 10) for a worker, and no worker runs
  // here: only 0 or values validation refuses.
  'POST /api/v1/devices/{id}/discover': {
    wait: fc.constantFrom('0', '', '-1', '61', '0.5', 'abc', '1e9', 'NaN', '0x0', '00'),
  },
};

/** Routes whose 2xx must concern the caller's own rows only: a violation message, or null. */
const OWN_ONLY: Record<
  string,
  (w: World, p: Principal, res: LightMyRequestResponse, url: string) => Promise<string | null>
> = {
  'GET /api/v1/auth/me': async (_w, p, res) => {
    const id = (res.json() as { user: { id: string } }).user.id;
    return id === p.userId ? null : `me answered user ${id}, not the caller ${p.userId}`;
  },
  'GET /api/v1/tokens': async (w, p, res) => {
    const ids = (res.json() as { items: { id: string }[] }).items.map((t) => t.id);
    const rows = await w.h.database.db.apiToken.findMany({ where: { id: { in: ids } } });
    const foreign = rows.filter((r) => r.userId !== p.userId).map((r) => r.id);
    return foreign.length ? `listed other users' tokens ${foreign.join(', ')}` : null;
  },
  'POST /api/v1/tokens': async (w, p, res) => {
    const row = await w.h.database.db.apiToken.findUnique({ where: { id: (res.json() as { id: string }).id } });
    return row?.userId === p.userId ? null : `created a token for user ${row?.userId}, not the caller`;
  },
  'DELETE /api/v1/tokens/{id}': async (w, p, res) => {
    const row = await w.h.database.db.apiToken.findUnique({ where: { id: (res.json() as { id: string }).id } });
    return row?.userId === p.userId ? null : `revoked user ${row?.userId}'s token`;
  },
};

type Expect = 'allowed' | 'unauthenticated' | 'forbidden';

function expectation(route: FuzzRoute, p: Principal): Expect {
  if (route.config.public) return 'allowed';
  if (!p.role) return 'unauthenticated';
  if (p.pending && !route.config.allowPasswordChangePending) return 'forbidden';
  return can(p.role, route.config.permission ?? 'read') ? 'allowed' : 'forbidden';
}

const EXPECTED_STATUS: Record<Exclude<Expect, 'allowed'>, number> = { unauthenticated: 401, forbidden: 403 };

let h: Harness;
let world: World;
let routes: FuzzRoute[];

beforeAll(async () => {
  h = await startHarness();
  world = new World(h);
  await world.build();
  routes = enumerateRoutes(h.app);
}, 120_000);
afterAll(async () => h?.close());

/** Reads are cheap and hold the filters: twice the cases. HEAD repeats GET: a third. */
const casesFor = (route: FuzzRoute) =>
  Math.max(
    1,
    Math.ceil(
      route.method === 'GET' ? RUNS * 2 : route.method === 'HEAD' ? RUNS / 3 : COSTLY[route.key] ? RUNS / 2 : RUNS,
    ),
  );

const seedOf = (key: string) => [...key].reduce((acc, ch) => (Math.imul(acc, 31) + ch.charCodeAt(0)) | 0, SEED);

/** A request without its credentials, for reports (the secrets stay out of the test output). */
function describeRequest(p: Principal, options: InjectOptions): string {
  const payload = typeof options.payload === 'string' ? options.payload : JSON.stringify(options.payload ?? null);
  const type = (options.headers as Record<string, string> | undefined)?.['content-type'];
  return `${options.method} ${options.url} as ${p.label}${type ? ` (content-type: ${type})` : ''} body: ${
    payload === undefined
      ? '(none)'
      : payload.length > 600
        ? `${payload.slice(0, 600)}… (${payload.length} chars)`
        : payload
  }`;
}

function describeResponse(res: LightMyRequestResponse): string {
  const body = res.body.length > 800 ? `${res.body.slice(0, 800)}…` : res.body;
  return `${res.statusCode} ${body}`;
}

interface Stats {
  cases: number;
  requests: number;
  byStatus: Map<number, number>;
}

class Finding extends Error {}

/**
 * The router answers some URLs before any route (and so before authentication) sees them: no
 * route matched, a parameter past maxParamLength, an undecodable path. Those say nothing about
 * who may do what, so the exact refusal code is not asked of them (a 2xx still would be).
 */
function refusedByRouter(res: LightMyRequestResponse): boolean {
  if (res.statusCode === 404) return res.body.includes('"no route ');
  return /"message":"the path (is not valid percent-encoding|was refused)/.test(res.body);
}

const TOKEN_RE = /\bhl[st]_[A-Za-z0-9_-]{20,}/g;

async function runCase(route: FuzzRoute, c: FuzzCase, stats: Stats): Promise<void> {
  stats.cases++;
  const { url, stable, raw, body } = await resolveCase(world, route, c);
  if (body.kind === 'json') collectSentSecrets(world, body.value);
  // Those who must be refused go first, while the rows a case names still exist.
  const callers = [...world.principals].sort(
    (a, b) => Number(expectation(route, a) === 'allowed') - Number(expectation(route, b) === 'allowed'),
  );
  let anySuccess = false;
  for (const p of callers) {
    const headers: Record<string, string> = { ...world.headersOf(p) };
    const options: InjectOptions = { method: route.method as InjectOptions['method'], url, headers };
    if (body.kind === 'json') {
      headers['content-type'] = body.contentType;
      options.payload = JSON.stringify(forCaller(body.value, p));
    } else if (body.kind === 'text') {
      headers['content-type'] = body.contentType;
      options.payload = body.text;
    }
    const logsBefore = h.logs.length;
    const res = await h.app.inject(options);
    stats.requests++;
    stats.byStatus.set(res.statusCode, (stats.byStatus.get(res.statusCode) ?? 0) + 1);
    const fail = (what: string): never => {
      throw new Finding(`${what}\n  request:  ${describeRequest(p, options)}\n  response: ${describeResponse(res)}`);
    };

    if (res.statusCode >= 500) fail(`5xx from ${route.key}`);
    // Every refusal of the API, the router's included, has the one error shape.
    if (res.statusCode >= 400 && route.method !== 'HEAD' && route.url.startsWith('/api/')) {
      const parsed = ErrorBody.safeParse(JSON.parse(res.body || 'null'));
      if (!parsed.success) fail(`a ${res.statusCode} from ${route.key} is not the API's error shape`);
    }
    const want = expectation(route, p);
    const ok = res.statusCode >= 200 && res.statusCode < 300;
    if (stable && want !== 'allowed') {
      if (ok) fail(`authorisation bypass: ${p.label} got ${res.statusCode} from ${route.key} (expected ${want})`);
      if (!raw && !refusedByRouter(res) && res.statusCode !== EXPECTED_STATUS[want])
        fail(`${p.label} (${want}) got ${res.statusCode} from ${route.key}, not ${EXPECTED_STATUS[want]}`);
    }
    if (ok && stable && OWN_ONLY[route.key]) {
      const violation = await OWN_ONLY[route.key]!(world, p, res, url);
      if (violation) fail(`${route.key} as ${p.label}: ${violation}`);
    }
    const leaked = world.secrets.findIn(`${JSON.stringify(res.headers)}\n${res.body}`);
    if (leaked.length) fail(`secret in the response of ${route.key}: ${leaked.join('; ')}`);
    const lines = h.logs.slice(logsBefore).join('');
    const logged = world.secrets.findIn(lines);
    if (logged.length) fail(`secret in the app's log after ${route.key}: ${logged.join('; ')}`);

    // What a response hands out (a new session cookie, a new API token) is a secret from now on.
    for (const m of `${JSON.stringify(res.headers['set-cookie'] ?? '')}${res.body}`.matchAll(TOKEN_RE))
      world.secrets.add(m[0], `a credential ${route.key} handed out`);
    if (ok) anySuccess = true;
    if (ok && route.key === 'POST /api/v1/auth/logout' && p.cookie && p.username && p.password) {
      p.cookie = await world.login(p.username, p.password);
    }
    if (ok && route.key === 'POST /api/v1/auth/password' && options.payload) {
      p.password = (JSON.parse(options.payload as string) as { newPassword: string }).newPassword;
      if (p.pending && p.userId)
        await h.database.db.user.update({ where: { id: p.userId }, data: { mustChangePassword: true } });
    }
  }
  if (anySuccess && MUTATING.has(route.method)) await world.refreshSecretsFromDb();
}

describe('fuzz of every route as every caller', () => {
  it('enumerates the app’s routes, with every public and every self-service mutation listed and explained', () => {
    const keys = new Set(routes.map((r) => r.key));
    expect(routes.length, `routes found: ${[...keys].join(', ')}`).toBeGreaterThanOrEqual(ROUTE_FLOOR);
    const isPublic = routes.filter((r) => r.config.public).map((r) => r.key);
    expect(isPublic.sort(), 'public routes = PUBLIC_ROUTES').toEqual(Object.keys(PUBLIC_ROUTES).sort());
    const selfService = routes
      .filter((r) => MUTATING.has(r.method) && !r.config.public && (r.config.permission ?? 'read') === 'read')
      .map((r) => r.key);
    expect(selfService.sort(), 'mutations that need only `read` = SELF_SERVICE').toEqual(
      Object.keys(SELF_SERVICE).sort(),
    );
    for (const key of Object.keys(OWN_ONLY)) expect(keys.has(key), `OWN_ONLY names ${key}`).toBe(true);
    for (const key of Object.keys(COSTLY)) expect(keys.has(key), `COSTLY names ${key}`).toBe(true);
    for (const key of Object.keys(PINNED_QUERY)) expect(keys.has(key), `PINNED_QUERY names ${key}`).toBe(true);
    // Every API route is documented, so its schemas drive the generators.
    const undocumented = routes.filter((r) => r.url.startsWith('/api/') && !r.documented).map((r) => r.key);
    expect(undocumented).toEqual([]);
  });

  it('no 5xx, no 2xx without the permission, no secret in a response or a log line', { timeout: 600_000 }, async () => {
    const started = Date.now();
    const findings: string[] = [];
    const stats: Stats = { cases: 0, requests: 0, byStatus: new Map() };
    const perRoute: string[] = [];
    for (const route of routes) {
      const before = stats.cases;
      const statusesBefore = new Map(stats.byStatus);
      const t0 = Date.now();
      const numRuns = casesFor(route);
      const arb = caseFor(route, world.vocabulary, { pinnedQuery: PINNED_QUERY[route.key] ?? {} });
      const loginBody = route.key === 'POST /api/v1/auth/login' ? loginBodies() : undefined;
      const cases = loginBody ? caseFor(route, world.vocabulary, { body: loginBody }) : arb;
      try {
        await fc.assert(
          fc.asyncProperty(cases, (c) => runCase(route, c, stats)),
          { numRuns, seed: seedOf(route.key), endOnFailure: !SHRINK },
        );
      } catch (err) {
        // fast-check puts the property's own error (the request and response) in `cause`.
        const cause = (err as Error).cause;
        findings.push(`${route.key}:\n${cause instanceof Error ? `${cause.message}\n` : ''}${(err as Error).message}`);
      }
      const routeStatuses = [...stats.byStatus.entries()]
        .map(([status, n]) => [status, n - (statusesBefore.get(status) ?? 0)] as const)
        .filter(([, n]) => n > 0)
        .sort(([a], [b]) => a - b)
        .map(([status, n]) => `${status}×${n}`);
      perRoute.push(`  ${route.key}: ${stats.cases - before} cases, ${Date.now() - t0} ms, ${routeStatuses.join(' ')}`);
    }
    // Lines written after the last request (background work) must be clean too.
    const late = world.secrets.findIn(h.logs.join(''));
    if (late.length) findings.push(`secret somewhere in the app's log: ${late.join('; ')}`);

    const callers = world.principals.length;
    const statuses = [...stats.byStatus.entries()].sort(([a], [b]) => a - b).map(([s, n]) => `${s}×${n}`);
    // The counts the issue's closing note reports; printed once.
    // eslint-disable-next-line no-console
    console.log(
      [
        `fuzz: ${routes.length} routes × ${callers} callers (${routes.length * callers} route×caller pairs), ` +
          `${stats.cases} cases, ${stats.requests} requests in ${((Date.now() - started) / 1000).toFixed(1)} s ` +
          `(seed ${SEED}; cases per route: ${RUNS}, GET ${casesFor({ method: 'GET', key: '' } as FuzzRoute)}, ` +
          `HEAD ${casesFor({ method: 'HEAD', key: '' } as FuzzRoute)}, costly ${Math.ceil(RUNS / 2)}); ` +
          `${world.secrets.size} secrets watched`,
        `callers: ${world.principals.map((p) => p.label).join(', ')}`,
        `statuses: ${statuses.join(' ')}`,
        ...(VERBOSE || findings.length ? perRoute : []),
      ].join('\n'),
    );
    expect(findings, `findings:\n\n${findings.join('\n\n')}`).toEqual([]);
  });
});

/** Login bodies: a known account's username with its password or another's, or broken ones. */
function loginBodies(): fc.Arbitrary<BodyPart> {
  const pair = fc.tuple(fc.nat(), fc.nat(), fc.boolean()).map(([i, j, same]): BodyPart => ({
    kind: 'json',
    contentType: 'application/json',
    value: {
      username: new Ref('user', null, i, 'username'),
      password: new Ref('user', null, same ? i : j, 'password'),
    },
  }));
  const route = routes.find((r) => r.key === 'POST /api/v1/auth/login')!;
  return fc.oneof(
    pair,
    caseFor(route, world.vocabulary).map((c) => c.body),
  );
}
