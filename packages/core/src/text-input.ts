// Text PostgreSQL cannot store: a NUL character, or a UTF-16 surrogate without its pair (what
// a JSON `\ud800` escape decodes to). Either would fail deep in the database as an internal
// error; found up front, it is a 400 that names the field.
import type { Issue } from '@hitless/contracts';

const UNSTORABLE = /\u0000|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;

/** The first string in `value` (any depth) that cannot be stored, as an issue at its path. */
export function findUnstorableText(value: unknown, path: string): Issue | null {
  if (typeof value === 'string') {
    const m = UNSTORABLE.exec(value);
    if (!m) return null;
    const what = m[0] === '\u0000' ? 'a NUL character' : 'an unpaired UTF-16 surrogate';
    return { path, message: `contains ${what} at position ${m.index}; remove it` };
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
