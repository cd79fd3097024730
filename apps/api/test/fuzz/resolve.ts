// A generated case made concrete: its database references filled in (pool ids, fresh rows,
// known accounts, the caller's own password), its URL built the way a client would send it.
import { NASTY_STRINGS, Ref, SECRET_FIELDS, type BodyPart, type FuzzCase } from './arbitraries.ts';
import { fresh } from './fresh.ts';
import type { FuzzRoute } from './routes.ts';
import type { Principal, World } from './world.ts';

/** Lone surrogates (fast-check makes them) replaced, as a browser would before encoding. */
const wellFormed = (s: string) =>
  s.replace(/[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g, '\uFFFD');

/** Fills in the case's database references: pool ids, fresh rows, known accounts. */
export async function resolveCase(world: World, route: FuzzRoute, c: FuzzCase) {
  const pools = new Map<string, string[]>();
  const poolOf = async (resource: string | null) => {
    const key = resource ?? 'any';
    if (!pools.has(key)) pools.set(key, await world.pool(key));
    return pools.get(key)!;
  };
  const accounts = world.principals.filter((p) => p.username && p.password);
  /** The `:id` the URL names once resolved (a body's `plan-hash` is that campaign's). */
  let pathId: string | null = null;
  const resolveRef = async (ref: Ref): Promise<unknown> => {
    switch (ref.kind) {
      case 'pool': {
        if (ref.resource === 'plan-hash') return world.campaigns.planHashOf(pathId);
        const ids = await poolOf(ref.resource);
        return ids.length ? ids[ref.index % ids.length] : '00000000-0000-4000-8000-000000000000';
      }
      case 'fresh': {
        const make = ref.resource ? fresh[ref.resource] : undefined;
        return make ? make(world) : resolveRef(new Ref('pool', ref.resource, 0));
      }
      case 'user': {
        const a = accounts[ref.index % accounts.length]!;
        return ref.field === 'username' ? a.username : a.password;
      }
      case 'ownPassword':
        return ref; // per caller, below
    }
  };
  const deep = async (value: unknown): Promise<unknown> => {
    if (value instanceof Ref) return resolveRef(value);
    if (Array.isArray(value)) return Promise.all(value.map(deep));
    if (value && typeof value === 'object') {
      const out: Record<string, unknown> = {};
      for (const [k, v] of Object.entries(value)) out[k] = await deep(v);
      return out;
    }
    return value;
  };

  let path = route.url;
  let raw = false;
  for (const [name, param] of Object.entries(c.params)) {
    const text = 'ref' in param ? String(await resolveRef(param.ref)) : param.text;
    if (name === 'id') pathId = text;
    raw ||= !('ref' in param) && param.raw;
    const value = !('ref' in param) && param.raw ? text : encodeURIComponent(wellFormed(text));
    path = path.replace(name === '*' ? '*' : `:${name}`, value);
  }
  // The client's URL parser resolves dot segments and the like: then another route answers.
  const stable = new URL(path, 'http://localhost').pathname === path;
  const search = new URLSearchParams();
  for (const [k, v] of c.query.pairs) search.append(k, String(v instanceof Ref ? await resolveRef(v) : v));
  const qs = search.toString() + c.query.rawSuffix;
  const url = qs ? `${path}?${qs.replace(/^&/, '')}` : path;
  const body: BodyPart = c.body.kind === 'json' ? { ...c.body, value: await deep(c.body.value) } : c.body;
  return { url, stable, raw, body };
}

/**
 * Secret-named fields' values in a body: what the fuzz sends there, it must never see again.
 * Only distinctive values: a NASTY_STRINGS entry or `xxxx…` turns up elsewhere by design.
 */
export function collectSentSecrets(world: World, value: unknown, field: string | null = null): void {
  if (typeof value === 'string' && field && SECRET_FIELDS.has(field)) {
    if (!NASTY_STRINGS.includes(value) && new Set(value).size >= 6)
      world.secrets.add(value, `the ${field} a case sent`);
  } else if (Array.isArray(value)) value.forEach((v) => collectSentSecrets(world, v, field));
  else if (value && typeof value === 'object' && !(value instanceof Ref))
    for (const [k, v] of Object.entries(value)) collectSentSecrets(world, v, k);
}

export function forCaller(value: unknown, p: Principal): unknown {
  if (value instanceof Ref) return value.kind === 'ownPassword' ? (p.password ?? 'not-a-password') : value;
  if (Array.isArray(value)) return value.map((v) => forCaller(v, p));
  if (value && typeof value === 'object')
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, forCaller(v, p)]));
  return value;
}
