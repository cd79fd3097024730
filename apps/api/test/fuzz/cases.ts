// What the fuzz sends to one route: path parameters, a query string and a body, in the shapes
// that reach different depths (all valid, valid but one value, anything), with wrong content
// types and broken JSON beside the schema-shaped bodies.
import { DEVICE_CSV_COLUMNS } from '@hitless/contracts';
import fc from 'fast-check';
import {
  fromSchema,
  hex,
  hugeNumber,
  junkJson,
  junkString,
  mutated,
  Ref,
  type BodyPart,
  type FuzzCase,
  type ParamValue,
  type QueryPart,
  type QueryValue,
  type Vocabulary,
} from './arbitraries.ts';
import { resourceOf, type FuzzRoute } from './routes.ts';

/** Bodies no JSON parser should turn into a 500: broken syntax, prototype keys, deep nesting. */
const RAW_JSON_TEXTS = [
  '',
  '{',
  '{"a":',
  '[1,2',
  'null',
  '"just a string"',
  '{"__proto__":{"admin":true}}',
  '{"constructor":{"prototype":{"admin":true}}}',
  '{"a":1,"a":2}',
  '\uFEFF{}',
  '{"x":"\\ud800"}',
  `${'['.repeat(5000)}${']'.repeat(5000)}`,
  `{"a":${'1'.repeat(400)}}`,
];

export function textBody(v: Vocabulary): fc.Arbitrary<string> {
  const cell = fc.oneof(
    fc.constantFrom(...v.hostnames, ...v.addresses, ...v.platforms, ...v.versions, 'CISCO_IOS', 'JUNOS', 'lab'),
    hex(6).map((h) => `fz-${h}.lab`),
    junkString,
    fc.constantFrom('', '"quoted, cell"', '"unterminated', '""', '=cmd|"/c calc"!A1'),
  );
  const csv = fc
    .tuple(
      fc.shuffledSubarray([...DEVICE_CSV_COLUMNS], { minLength: 1 }),
      fc.array(fc.array(cell, { maxLength: DEVICE_CSV_COLUMNS.length + 1 }), { maxLength: 4 }),
    )
    .map(([header, rows]) => [header.join(','), ...rows.map((r) => r.join(','))].join('\n'));
  const knownHosts = fc
    .array(
      fc.oneof(
        fc.constantFrom(...v.knownHostsLines),
        fc
          .tuple(fc.constantFrom(...v.hostnames, ...v.addresses, '[127.0.0.1]:2222', '*'), junkString)
          .map(([host, junk]) => `${host} ssh-ed25519 ${junk}`),
        fc.constantFrom('# comment', '@revoked * ssh-ed25519 AAAA', '|1|c2FsdA==|aGFzaA== ssh-rsa AAAA', ''),
        junkString,
      ),
      { minLength: 1, maxLength: 4 },
    )
    .map((lines) => lines.join('\n'));
  return fc.oneof(csv, knownHosts, junkString);
}

const OTHER_CONTENT_TYPES = [
  'text/plain',
  'application/x-www-form-urlencoded',
  'multipart/form-data; boundary=x',
  'application/xml',
  'application/json; charset=latin1',
  'text/csv',
  'application/octet-stream',
];

export function bodyFor(route: FuzzRoute, v: Vocabulary): fc.Arbitrary<BodyPart> {
  const json = (value: fc.Arbitrary<unknown>, weight: number) => ({
    arbitrary: value.map((x): BodyPart => ({ kind: 'json', value: x, contentType: 'application/json' })),
    weight,
  });
  const text = (type: fc.Arbitrary<string>, content: fc.Arbitrary<string>, weight: number) => ({
    arbitrary: fc.tuple(type, content).map(([contentType, t]): BodyPart => ({ kind: 'text', contentType, text: t })),
    weight,
  });
  const rawJson = text(fc.constant('application/json'), fc.constantFrom(...RAW_JSON_TEXTS), 1);
  const otherType = text(fc.constantFrom(...OTHER_CONTENT_TYPES), fc.oneof(junkString, textBody(v)), 1);
  const none = { arbitrary: fc.constant<BodyPart>({ kind: 'none' }), weight: 1 };
  const huge = {
    arbitrary: fc.constant<BodyPart>({
      kind: 'text',
      contentType: 'application/json',
      text: `"${'x'.repeat(1_100_000)}"`,
    }),
    weight: 1,
  };
  const jsonSchema = route.body['application/json'];
  const textTypes = Object.keys(route.body).filter((t) => t !== 'application/json');
  if (jsonSchema) {
    const valid = fromSchema(jsonSchema, v);
    return fc.oneof(
      json(valid, 45),
      json(mutated(valid), 30),
      json(junkJson, 10),
      { ...rawJson, weight: 5 },
      { ...otherType, weight: 5 },
      { ...none, weight: 4 },
      huge,
    );
  }
  if (textTypes.length) {
    return fc.oneof(text(fc.constantFrom(...textTypes), textBody(v), 8), json(junkJson, 1), otherType, none);
  }
  return fc.oneof({ ...none, weight: 6 }, json(junkJson, 1), otherType);
}

/** What breaks a LIKE filter: wildcards that should be literal, a trailing escape character. */
const LIKE_BREAKERS = ['\\', 'a\\', '%\\', '%', '_', 'x_y', '100%', '\\%', 'pe%\\'];

/**
 * A query string in one of three shapes: every key valid (or absent), every key valid but one
 * (so that one value reaches the code behind validation, where a LIKE filter or a huge page
 * number breaks), or anything at all (wrong types, repeated keys, unknown and prototype keys).
 */
export function queryFor(
  route: FuzzRoute,
  v: Vocabulary,
  pinned: Record<string, fc.Arbitrary<string>> = {},
): fc.Arbitrary<QueryPart> {
  const asQuery = (x: unknown): QueryValue =>
    x instanceof Ref ? x : typeof x === 'string' ? x : x === null || x === undefined ? '' : JSON.stringify(x);
  const junkValue = fc.oneof(
    { arbitrary: fc.constantFrom(...LIKE_BREAKERS), weight: 3 },
    { arbitrary: junkString, weight: 3 },
    { arbitrary: hugeNumber.map(String), weight: 1 },
  );
  const valid = route.query.map((q) => fromSchema(q.schema, v, q.name).map(asQuery));
  type Pairs = [string, QueryValue][];
  const joined = (groups: fc.Arbitrary<Pairs>[]): fc.Arbitrary<Pairs> => fc.tuple(...groups).map((g) => g.flat());
  const allValid = joined(
    route.query.map((q, i) =>
      fc.option(valid[i]!, { nil: null, freq: 2 }).map((x): Pairs => (x === null ? [] : [[q.name, x]])),
    ),
  );
  const oneJunk = fc.tuple(allValid, fc.nat(), junkValue).map(([pairs, k, junk]): Pairs => {
    if (!route.query.length) return pairs;
    const name = route.query[k % route.query.length]!.name;
    return [...pairs.filter(([n]) => n !== name), [name, junk]];
  });
  const chaos = joined(
    route.query.map((q, i) => {
      const one = fc.oneof({ arbitrary: valid[i]!, weight: 4 }, { arbitrary: junkValue, weight: 4 });
      const values = fc.oneof(
        { arbitrary: one.map((x) => [x]), weight: 6 },
        { arbitrary: fc.array(one, { minLength: 2, maxLength: 3 }), weight: 1 },
      );
      return fc
        .option(values, { nil: null, freq: 2 })
        .map((vals): Pairs => (vals ?? []).map((x): [string, QueryValue] => [q.name, x]));
    }),
  );
  const unknown = fc.array(
    fc.tuple(fc.oneof(junkString, fc.constantFrom('__proto__', 'constructor', 'a[b]')), junkString),
    { minLength: 1, maxLength: 2 },
  );
  const rawSuffix = fc.constantFrom(
    '',
    '&',
    '&&=',
    '&%',
    '&a=%zz',
    '&__proto__[x]=1',
    '&constructor[prototype][x]=1',
    '&=',
    '&page=1&page=2',
  );
  const shaped = fc.oneof(
    {
      arbitrary: allValid.map((p) => ({ pairs: p, extra: [] as Pairs, suffix: '' })),
      weight: 2,
    },
    {
      arbitrary: oneJunk.map((p) => ({ pairs: p, extra: [] as Pairs, suffix: '' })),
      weight: 4,
    },
    {
      arbitrary: fc
        .tuple(chaos, fc.option(unknown, { nil: [] }), rawSuffix)
        .map(([p, extra, suffix]) => ({ pairs: p, extra: extra as Pairs, suffix })),
      weight: 2,
    },
  );
  const pinnedPairs = Object.entries(pinned).map(([name, arb]) => arb.map((x): [string, QueryValue] => [name, x]));
  const pinnedNames = new Set(Object.keys(pinned));
  return fc.tuple(shaped, fc.tuple(...pinnedPairs)).map(([{ pairs, extra, suffix }, pins]): QueryPart => ({
    pairs: [...pairs, ...extra].filter(([k]) => !pinnedNames.has(k)).concat(pins),
    rawSuffix: suffix,
  }));
}

/** Path parameters that are not the resource's id, with what they take. */
const NAMED_PARAMS: Record<string, fc.Arbitrary<ParamValue>> = {
  // A campaign's wave: the gates are after waves 0 and 1 of the seeded campaigns.
  wave: fc.oneof(
    { arbitrary: fc.constantFrom('0', '1', '2').map((text): ParamValue => ({ text, raw: false })), weight: 6 },
    { arbitrary: fc.nat().map((n): ParamValue => ({ text: String(n), raw: false })), weight: 1 },
    { arbitrary: junkString.map((text): ParamValue => ({ text, raw: false })), weight: 1 },
    { arbitrary: hugeNumber.map((n): ParamValue => ({ text: String(n), raw: false })), weight: 1 },
  ),
};

export function paramFor(route: FuzzRoute, name = 'id'): fc.Arbitrary<ParamValue> {
  const named = NAMED_PARAMS[name];
  if (named) return named;
  const resource = resourceOf(route) ?? 'any';
  const deleting = route.method === 'DELETE';
  return fc.oneof(
    { arbitrary: fc.nat().map((i): ParamValue => ({ ref: new Ref('pool', resource, i) })), weight: deleting ? 2 : 5 },
    { arbitrary: fc.constant<ParamValue>({ ref: new Ref('fresh', resource) }), weight: deleting ? 4 : 0 },
    { arbitrary: fc.uuid({ version: 4 }).map((text): ParamValue => ({ text, raw: false })), weight: 1 },
    { arbitrary: junkString.map((text): ParamValue => ({ text, raw: false })), weight: 2 },
    {
      arbitrary: fc
        .constantFrom('..', '.', '%', '%zz', '%2e%2e', '\\', 'a/b', '%00')
        .map((text): ParamValue => ({ text, raw: true })),
      weight: 1,
    },
  );
}

export function caseFor(
  route: FuzzRoute,
  v: Vocabulary,
  options: { pinnedQuery?: Record<string, fc.Arbitrary<string>>; body?: fc.Arbitrary<BodyPart> } = {},
): fc.Arbitrary<FuzzCase> {
  const params = fc.record(Object.fromEntries(route.params.map((p) => [p, paramFor(route, p)]))) as fc.Arbitrary<
    Record<string, ParamValue>
  >;
  return fc.record({
    params,
    query: queryFor(route, v, options.pinnedQuery),
    body:
      route.method === 'GET' || route.method === 'HEAD'
        ? fc.constant<BodyPart>({ kind: 'none' })
        : (options.body ?? bodyFor(route, v)),
  });
}
