// Command matching the way IOS and Junos do it: every keyword may be abbreviated to any
// unique prefix ("sh issu st det"), arguments are free tokens, and a mismatch reports the
// position of the first bad token (for the `^` marker).

export type Token =
  | { kind: 'word'; word: string }
  | { kind: 'arg'; name: string }
  | { kind: 'rest'; name: string }
  | { kind: 'optional'; word: string };

export interface CommandSpec<C> {
  pattern: Token[];
  /** Which modes the command exists in (vendor-defined names). */
  modes: readonly string[];
  run: C;
}

export type MatchResult<C> =
  | { kind: 'ok'; spec: CommandSpec<C>; args: Record<string, string>; rest: string[]; flags: Set<string> }
  | { kind: 'invalid'; tokenIndex: number }
  | { kind: 'incomplete' }
  | { kind: 'ambiguous'; tokenIndex: number };

/** `"show issu state [detail]"`, `"issu loadversion <args...>"` → tokens. */
export function pattern(text: string): Token[] {
  return text.split(/\s+/).map((t): Token => {
    if (t.startsWith('<') && t.endsWith('...>')) return { kind: 'rest', name: t.slice(1, -4) };
    if (t.startsWith('<') && t.endsWith('>')) return { kind: 'arg', name: t.slice(1, -1) };
    if (t.startsWith('[') && t.endsWith(']')) return { kind: 'optional', word: t.slice(1, -1) };
    return { kind: 'word', word: t };
  });
}

export function tokenize(line: string): { tokens: string[]; offsets: number[] } {
  const tokens: string[] = [];
  const offsets: number[] = [];
  const re = /"([^"]*)"|(\S+)/g;
  for (let m = re.exec(line); m; m = re.exec(line)) {
    tokens.push(m[1] ?? m[2]!);
    offsets.push(m.index);
  }
  return { tokens, offsets };
}

interface Candidate<C> {
  spec: CommandSpec<C>;
  pos: number;
  args: Record<string, string>;
  rest: string[];
  flags: Set<string>;
}

/** Matches tokens against the commands of one mode. Keywords win over arguments. */
export function match<C>(specs: readonly CommandSpec<C>[], mode: string, tokens: string[]): MatchResult<C> {
  let candidates: Candidate<C>[] = specs
    .filter((s) => s.modes.includes(mode))
    .map((spec) => ({ spec, pos: 0, args: {}, rest: [], flags: new Set<string>() }));
  for (let i = 0; i < tokens.length; i++) {
    const tok = tokens[i]!.toLowerCase();
    // Optional keywords that do not match are skipped.
    candidates = candidates.flatMap((c) => {
      const out: Candidate<C>[] = [c];
      let p = c.pos;
      while (c.spec.pattern[p]?.kind === 'optional') {
        p++;
        out.push({ ...c, pos: p });
      }
      return out;
    });
    const words = new Set<string>();
    for (const c of candidates) {
      const t = c.spec.pattern[c.pos];
      if (t && (t.kind === 'word' || t.kind === 'optional') && t.word.startsWith(tok)) words.add(t.word);
    }
    const exact = [...words].find((w) => w === tok);
    const chosen = exact ?? (words.size === 1 ? [...words][0] : undefined);
    if (words.size > 1 && !exact) {
      const argTakers = candidates.filter((c) => ['arg', 'rest'].includes(c.spec.pattern[c.pos]?.kind ?? ''));
      if (argTakers.length === 0) return { kind: 'ambiguous', tokenIndex: i };
    }
    const next: Candidate<C>[] = [];
    for (const c of candidates) {
      const t = c.spec.pattern[c.pos];
      if (!t) continue;
      if ((t.kind === 'word' || t.kind === 'optional') && chosen && t.word === chosen) {
        const flags = new Set(c.flags);
        if (t.kind === 'optional') flags.add(t.word);
        next.push({ ...c, pos: c.pos + 1, flags });
      } else if (!chosen && t.kind === 'arg') {
        next.push({ ...c, pos: c.pos + 1, args: { ...c.args, [t.name]: tokens[i]! } });
      } else if (t.kind === 'rest') {
        // A rest-argument swallows everything after it, keywords of other commands included.
        next.push({ ...c, rest: [...c.rest, tokens[i]!] });
      }
    }
    if (next.length === 0) return { kind: 'invalid', tokenIndex: i };
    candidates = next;
  }
  // Complete when nothing but optional keywords or a (possibly empty) rest-argument is left.
  const complete = candidates.filter((c) =>
    c.spec.pattern.slice(c.pos).every((t) => t.kind === 'optional' || t.kind === 'rest'),
  );
  if (complete.length === 0) return { kind: 'incomplete' };
  // Prefer the candidate that consumed the most pattern (most specific).
  complete.sort((a, b) => b.pos - a.pos);
  const best = complete[0]!;
  return { kind: 'ok', spec: best.spec, args: best.args, rest: best.rest, flags: best.flags };
}
