// Text PostgreSQL cannot store: a NUL character, or a UTF-16 surrogate without its pair (what
// a JSON `\ud800` escape decodes to). Either would fail deep in the database as an internal
// error; found up front, it is a 400 that names the field.
import type { Issue } from '@hitless/contracts';

const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;

/** The first string in `value` (any depth) that cannot be stored, as an issue at its path. */
export function findUnstorableText(value: unknown, path: string): Issue | null {
  if (typeof value === 'string') {
    const nul = value.indexOf('\u0000');
    if (nul >= 0) return { path, message: `contains a NUL character at position ${nul}; remove it` };
    const lone = LONE_SURROGATE.exec(value);
    return lone ? { path, message: `contains an unpaired UTF-16 surrogate at position ${lone.index}; remove it` } : null;
  }
  if (Array.isArray(value)) {
    for (const [i, v] of value.entries()) {
      const issue = findUnstorableText(v, `${path}.${i}`);
      if (issue) return issue;
    }
    return null;
  }
  if (value !== null && typeof value === 'object') {
    for (const [k, v] of Object.entries(value)) {
      const issue = findUnstorableText(k, path) ?? findUnstorableText(v, `${path}.${k}`);
      if (issue) return issue;
    }
  }
  return null;
}
