// Longer than 300 lines: one generator per JSON-schema shape plus the hostile values, kept
// together so every route draws from the same vocabulary.
// The values the fuzz builds its cases from (cases.ts puts them together per route): values
// valid against a route's OpenAPI schema, the same broken one way, and inputs that have broken
// web apps before (LIKE wildcards, a trailing backslash, dot segments, NUL, huge numbers,
// prototype keys).
//
// Values that depend on the database (the id of a seeded device, a freshly created row to
// delete, the caller's own password) are symbolic `Ref`s here and resolved when the case runs,
// so a case prints readably and stays meaningful while the rows change under it.
import fc from 'fast-check';
import type { JsonSchema } from './routes.ts';

export type RefKind = 'pool' | 'fresh' | 'ownPassword' | 'user';

/** A value filled in when the case runs: a row id from a pool, a fresh row, a known password. */
export class Ref {
  constructor(
    readonly kind: RefKind,
    readonly resource: string | null = null,
    readonly index = 0,
    /** For `user`: which field of the user (username or password). */
    readonly field: 'username' | 'password' | null = null,
  ) {}
  [fc.toStringMethod](): string {
    return `Ref(${[this.kind, this.resource, this.index, this.field].filter((v) => v !== null).join(',')})`;
  }
}

export type ParamValue = { ref: Ref } | { text: string; raw: boolean };
export type QueryValue = string | Ref;
export interface QueryPart {
  pairs: [string, QueryValue][];
  /** Appended verbatim after the encoded pairs: malformed encodings, prototype keys. */
  rawSuffix: string;
}
export type BodyPart =
  | { kind: 'none' }
  | { kind: 'json'; value: unknown; contentType: string }
  | { kind: 'text'; contentType: string; text: string };
export interface FuzzCase {
  params: Record<string, ParamValue>;
  query: QueryPart;
  body: BodyPart;
}

/** What the world offers generators: values that make a body valid against this database. */
export interface Vocabulary {
  platforms: string[];
  versions: string[];
  hostnames: string[];
  addresses: string[];
  /** Valid OpenSSH known_hosts lines (real keys) for seeded devices. */
  knownHostsLines: string[];
}

export const hex = (n: number) => fc.stringMatching(new RegExp(`^[0-9a-f]{${n}}$`));

/** Strings known to trouble routers, parsers, LIKE filters and databases. */
export const NASTY_STRINGS = [
  '',
  ' ',
  '%',
  '_',
  '\\',
  'a\\',
  '%\\',
  '\\%',
  '_%_',
  '%25',
  '%5C',
  '%zz',
  '.',
  '..',
  '../',
  '..%2F',
  '../../etc/passwd',
  '\u0000',
  'a\u0000b',
  '\uFEFF',
  '\u202E',
  'é',
  '😀',
  'ｃ１０ｋ',
  "'",
  '"',
  "'; DROP TABLE devices; --",
  '<script>alert(1)</script>',
  '{}',
  '[]',
  'null',
  'undefined',
  'true',
  '0',
  '-1',
  '1e309',
  'NaN',
  'Infinity',
  '9007199254740993',
  '99999999999999999999999999',
  '0x1F',
  '__proto__',
  'constructor',
  '00000000-0000-0000-0000-000000000000',
  'FFFFFFFF-FFFF-4FFF-BFFF-FFFFFFFFFFFF',
  '{00000000-0000-4000-8000-000000000000}',
  '00000000-0000-4000-8000-00000000000',
  'x'.repeat(65),
  'x'.repeat(129),
  'x'.repeat(257),
  'x'.repeat(2001),
  'x'.repeat(10_000),
];

export const junkString: fc.Arbitrary<string> = fc.oneof(
  { arbitrary: fc.constantFrom(...NASTY_STRINGS), weight: 5 },
  { arbitrary: fc.string({ unit: 'binary', maxLength: 24 }), weight: 2 },
  { arbitrary: fc.string({ unit: 'grapheme', maxLength: 24 }), weight: 1 },
  { arbitrary: fc.stringMatching(/^[a-z]{0,6}[%_\\]{1,3}[a-z]{0,6}\\?$/), weight: 2 },
);

export const hugeNumber = fc.constantFrom(
  1e308,
  -1e308,
  Number.MAX_SAFE_INTEGER + 2,
  -Number.MAX_SAFE_INTEGER - 2,
  2 ** 31,
  -(2 ** 31) - 1,
  0.5,
  -0,
);

/** Any JSON value of the wrong kind for wherever it lands. */
export const junkJson: fc.Arbitrary<unknown> = fc.oneof(
  fc.constant(null),
  fc.boolean(),
  fc.integer(),
  hugeNumber,
  junkString,
  fc.array(junkString, { maxLength: 3 }),
  fc.dictionary(junkString, junkString, { maxKeys: 3 }),
  fc.jsonValue({ maxDepth: 3 }),
);

/** Field names whose values are secrets: what the fuzz sends there, it must never see again. */
export const SECRET_FIELDS = new Set(['password', 'newPassword', 'currentPassword', 'secret', 'enableSecret']);

export const secretValue = hex(20).map((h) => `fzS-${h}`);

const RESOURCE_OF_FIELD: Record<string, string> = {
  deviceId: 'devices',
  imageId: 'images',
  credentialId: 'credentials',
  targetId: 'any',
};

/** Arrays whose items are ids of one resource: the item's field name (so RESOURCE_OF_FIELD applies). */
const ITEM_FIELD: Record<string, string> = { deviceIds: 'deviceId', targetImageIds: 'imageId' };

/** Time zones a window names: plain, with DST, with a half-hour offset, a half-hour DST, and none that exists. */
const TIME_ZONES = ['UTC', 'Europe/Paris', 'America/New_York', 'Asia/Kolkata', 'Australia/Lord_Howe', 'Mars/Olympus'];

const pad = (n: number) => String(n).padStart(2, '0');
/** Wall-clock ms (as if UTC) as the contracts' local date-time, minutes only. */
const localText = (ms: number) => new Date(ms).toISOString().slice(0, 16);

/**
 * A maintenance window that usually holds together (start before end, within the longest window,
 * a real zone), from 2027 on, some of its local times in DST gaps and some blackout dates: the
 * schema alone would rarely give a window the API takes.
 */
const maintenanceWindow = fc
  .record({
    day: fc.integer({ min: 0, max: 1500 }),
    minute: fc.integer({ min: 0, max: 24 * 60 - 1 }),
    hours: fc.integer({ min: 1, max: 48 }),
    timeZone: fc.constantFrom(...TIME_ZONES),
    blackout: fc.boolean(),
  })
  .map(({ day, minute, hours, timeZone, blackout }) => {
    const start = Date.UTC(2027, 0, 1) + day * 86_400_000 + minute * 60_000;
    const end = start + hours * 3_600_000;
    const next = new Date(start + 86_400_000);
    return {
      start: localText(start),
      end: localText(end),
      timeZone,
      blackoutDates: blackout
        ? [`${next.getUTCFullYear()}-${pad(next.getUTCMonth() + 1)}-${pad(next.getUTCDate())}`]
        : [],
    };
  });

function uuidFor(field: string | null): fc.Arbitrary<unknown> {
  const resource = (field && RESOURCE_OF_FIELD[field]) ?? 'any';
  return fc.oneof(
    { arbitrary: fc.nat().map((i) => new Ref('pool', resource, i)), weight: 4 },
    { arbitrary: fc.uuid({ version: 4 }), weight: 1 },
  );
}

/**
 * Realistic values by field name where the schema alone would rarely produce a valid one
 * (`schemaOnly`: what the schema gives without the hint, for hints that keep it in the mix).
 */
function hinted(field: string, v: Vocabulary, schemaOnly: () => fc.Arbitrary<unknown>): fc.Arbitrary<unknown> | null {
  switch (field) {
    case 'hostname':
      return fc.oneof(
        hex(6).map((h) => `fz-${h}.lab`),
        fc.constantFrom(...v.hostnames),
      );
    case 'mgmtAddress':
      return fc.oneof(
        fc
          .tuple(fc.integer({ min: 1, max: 254 }), fc.integer({ min: 1, max: 254 }))
          .map(([a, b]) => `127.77.${a}.${b}`),
        fc.constantFrom(...v.addresses),
        fc.constantFrom('::1', 'pe1.example.net'),
      );
    case 'platform':
    case 'platformFamily':
      return fc.constantFrom(...v.platforms);
    case 'version':
    case 'fromVersion':
    case 'toVersion':
    case 'currentVersion':
      return fc.oneof(
        fc.constantFrom(...v.versions),
        hex(4).map((h) => `9.${h}`),
      );
    case 'fileName':
      return hex(8).map((h) => `fz-${h}.bin`);
    case 'username':
      return hex(8).map((h) => `fz.${h}`);
    case 'name':
      return hex(8).map((h) => `fz-${h}`);
    case 'currentPassword':
      return fc.oneof(fc.constant(new Ref('ownPassword')), secretValue);
    case 'fingerprint':
      return fc.stringMatching(/^SHA256:[A-Za-z0-9+/]{43}$/);
    case 'planHash':
      // The plan hash of the campaign the URL names, or of any waiting one, as approvers are shown
      // it now (resolved when the case runs); or any.
      return fc.oneof(
        { arbitrary: fc.constant(new Ref('pool', 'plan-hash')), weight: 3 },
        { arbitrary: fc.nat().map((i) => new Ref('pool', 'plan-hashes', i)), weight: 1 },
        { arbitrary: hex(64), weight: 1 },
      );
    case 'window':
      return fc.oneof({ arbitrary: maintenanceWindow, weight: 3 }, { arbitrary: schemaOnly(), weight: 1 });
    default:
      return SECRET_FIELDS.has(field) ? secretValue : null;
  }
}

/** A value valid against `schema` (often: patterns and formats make it a best effort). */
export function fromSchema(schema: JsonSchema, v: Vocabulary, field: string | null = null): fc.Arbitrary<unknown> {
  const s = schema as {
    anyOf?: JsonSchema[];
    oneOf?: JsonSchema[];
    allOf?: JsonSchema[];
    enum?: unknown[];
    const?: unknown;
    type?: string | string[];
    nullable?: boolean;
    format?: string;
    pattern?: string;
    minLength?: number;
    maxLength?: number;
    minimum?: number;
    maximum?: number;
    exclusiveMinimum?: boolean | number;
    exclusiveMaximum?: boolean | number;
    items?: JsonSchema;
    minItems?: number;
    maxItems?: number;
    properties?: Record<string, JsonSchema>;
    required?: string[];
  };
  const base = ((): fc.Arbitrary<unknown> => {
    const hint = field ? hinted(field, v, () => fromSchema(schema, v, null)) : null;
    if (hint) return hint;
    const alternatives = s.anyOf ?? s.oneOf;
    if (alternatives?.length) return fc.oneof(...alternatives.map((a) => fromSchema(a, v, field)));
    if (s.allOf?.length) return fromSchema(s.allOf[0]!, v, field);
    if (s.const !== undefined) return fc.constant(s.const);
    if (s.enum?.length) return fc.constantFrom(...s.enum);
    const type = Array.isArray(s.type) ? s.type.find((t) => t !== 'null') : s.type;
    switch (type) {
      case 'string':
        return stringFromSchema(s, field);
      case 'integer': {
        const exMin = s.exclusiveMinimum === true ? 1 : 0;
        const exMax = s.exclusiveMaximum === true ? 1 : 0;
        const min = Math.max(s.minimum ?? -1e6, -Number.MAX_SAFE_INTEGER) + exMin;
        const max = Math.min(s.maximum ?? 1e6, Number.MAX_SAFE_INTEGER) - exMax;
        return fc.oneof(fc.integer({ min, max: Math.min(max, min + 100) }), fc.integer({ min, max }));
      }
      case 'number':
        return fc.double({ min: s.minimum ?? -1e6, max: s.maximum ?? 1e6, noNaN: true });
      case 'boolean':
        return fc.boolean();
      case 'null':
        return fc.constant(null);
      case 'array':
        return fc.array(fromSchema(s.items ?? {}, v, (field && ITEM_FIELD[field]) ?? null), {
          minLength: s.minItems ?? 0,
          maxLength: Math.max(s.minItems ?? 0, Math.min(s.maxItems ?? 4, 4)),
        });
      case 'object':
        return objectFromSchema(s.properties ?? {}, s.required ?? [], v);
      default:
        return fc.jsonValue({ maxDepth: 2 });
    }
  })();
  return s.nullable ? fc.oneof({ arbitrary: base, weight: 4 }, { arbitrary: fc.constant(null), weight: 1 }) : base;
}

function stringFromSchema(
  s: { format?: string; pattern?: string; minLength?: number; maxLength?: number },
  field: string | null,
): fc.Arbitrary<unknown> {
  const min = s.minLength ?? 0;
  const max = s.maxLength ?? 64;
  if (s.format === 'uuid') return uuidFor(field);
  // Dates a person would type: fast-check's own range reaches year ±275760.
  const date = fc.date({ noInvalidDate: true, min: new Date('2000-01-01'), max: new Date('2100-01-01') });
  if (s.format === 'date-time') return date.map((d) => d.toISOString());
  if (s.format === 'date') return date.map((d) => d.toISOString().slice(0, 10));
  if (s.format === 'email') return hex(6).map((h) => `fz-${h}@example.net`);
  if (s.pattern) {
    try {
      const re = new RegExp(s.pattern);
      // The pattern bounds the length itself (a SHA-512 is 128 characters): only a stated maxLength caps it.
      const cap = s.maxLength ?? Number.MAX_SAFE_INTEGER;
      return fc.stringMatching(re, { size: 'small' }).filter((x) => x.length >= min && x.length <= cap);
    } catch {
      // A pattern fast-check cannot generate from: plain text below, which validation may refuse.
    }
  }
  return fc.string({ unit: 'grapheme-ascii', minLength: Math.max(min, 1), maxLength: Math.min(max, 24) });
}

function objectFromSchema(
  properties: Record<string, JsonSchema>,
  required: string[],
  v: Vocabulary,
): fc.Arbitrary<Record<string, unknown>> {
  const shape = Object.fromEntries(Object.entries(properties).map(([k, p]) => [k, fromSchema(p, v, k)]));
  return fc.record(shape, { requiredKeys: required.filter((k) => k in shape) }) as fc.Arbitrary<
    Record<string, unknown>
  >;
}

/** A valid-shaped object broken in one way: a field missing, of the wrong type, null, or junk added. */
export function mutated(valid: fc.Arbitrary<unknown>): fc.Arbitrary<unknown> {
  return fc
    .tuple(valid, fc.nat(), junkJson, fc.constantFrom('drop', 'junk', 'null', 'extra', 'nest', 'wrap'))
    .map(([value, n, junk, how]) => {
      if (typeof value !== 'object' || value === null || Array.isArray(value)) return junk;
      const copy: Record<string, unknown> = { ...(value as Record<string, unknown>) };
      const keys = Object.keys(copy);
      const key = keys.length ? keys[n % keys.length]! : 'x';
      if (how === 'drop') Reflect.deleteProperty(copy, key);
      else if (how === 'junk') copy[key] = junk;
      else if (how === 'null') copy[key] = null;
      else if (how === 'extra') copy[`fz_${n % 7}`] = junk;
      else if (how === 'nest') copy[key] = { [key]: copy[key], junk };
      else return [copy];
      return copy;
    });
}
