// Text PostgreSQL cannot store: a NUL character, or a UTF-16 surrogate without its pair (what
// a JSON `\ud800` escape decodes to). Either would fail deep in the database as an internal
// error; found up front, it is a 400 that names the field.
import type { Issue } from '@hitless/contracts';

const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;

function check(text: string, path: string): Issue | null {
  const nul = text.indexOf('\u0000');
  if (nul >= 0) return { path, message: `contains a NUL character at position ${nul}; remove it` };
  const lone = LONE_SURROGATE.exec(text);
  return lone ? { path, message: `contains an unpaired UTF-16 surrogate at position ${lone.index}; remove it` } : null;
}

/**
 * The first string in `value` (any depth, keys included) that cannot be stored, as an issue at
 * its path. Walks with its own stack: a body nested 100,000 deep must not overflow the call stack.
 */
export function findUnstorableText(value: unknown, path: string): Issue | null {
  const stack: [unknown, string][] = [[value, path]];
  while (stack.length > 0) {
    const [v, at] = stack.pop()!;
    if (typeof v === 'string') {
      const issue = check(v, at);
      if (issue) return issue;
    } else if (Array.isArray(v)) {
      for (let i = v.length - 1; i >= 0; i--) stack.push([v[i], `${at}.${i}`]);
    } else if (v !== null && typeof v === 'object') {
      const entries = Object.entries(v);
      for (let i = entries.length - 1; i >= 0; i--) {
        const [k, child] = entries[i]!;
        const issue = check(k, at);
        if (issue) return issue;
        stack.push([child, `${at}.${k}`]);
      }
    }
  }
  return null;
}
