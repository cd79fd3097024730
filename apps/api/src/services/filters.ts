// Text filters that match literally. Prisma turns `contains`, `startsWith`, `endsWith` and a
// case-insensitive `equals` into PostgreSQL LIKE / ILIKE and passes the value through as the
// pattern (prisma/orm#19506, #10810): `%` and `_` act as wildcards and a trailing `\` is an
// invalid pattern (a 500). Every list filter and clash check that compares text case-insensitively
// or by part goes through these, so `%`, `_` and `\` are just characters.

/** The value as a LIKE pattern matching only itself (PostgreSQL's default escape character is `\`). */
export function likeLiteral(value: string): string {
  return value.replace(/[\\%_]/g, (c) => `\\${c}`);
}

/** Equal to `value`, ignoring case. */
export function sameText(value: string) {
  return { equals: likeLiteral(value), mode: 'insensitive' as const };
}

/** Contains `value`, ignoring case. */
export function containsText(value: string) {
  return { contains: likeLiteral(value), mode: 'insensitive' as const };
}

/** Starts with `value` (case matters). */
export function startsWithText(value: string) {
  return { startsWith: likeLiteral(value) };
}
