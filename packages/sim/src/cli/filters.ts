// Output filters after `|`. IOS: include, exclude, begin, section, count (regular
// expressions, abbreviations allowed). Junos: match, except, find, count, no-more.

function regex(source: string): RegExp | null {
  try {
    return new RegExp(source);
  } catch {
    return null;
  }
}

function keyword(word: string, choices: string[]): string | undefined {
  const w = word.toLowerCase();
  const hits = choices.filter((c) => c.startsWith(w));
  return hits.length === 1 ? hits[0] : choices.find((c) => c === w);
}

/** Applies one IOS filter ("include BGP"); null when the filter is not valid. */
export function applyCiscoFilter(lines: string[], filter: string): string[] | null {
  const [word = '', ...rest] = filter.trim().split(/\s+/);
  const kind = keyword(word, ['include', 'exclude', 'begin', 'section', 'count']);
  const re = regex(rest.join(' '));
  if (!kind || !re) return null;
  switch (kind) {
    case 'include':
      return lines.filter((l) => re.test(l));
    case 'exclude':
      return lines.filter((l) => !re.test(l));
    case 'begin': {
      const i = lines.findIndex((l) => re.test(l));
      return i < 0 ? [] : lines.slice(i);
    }
    case 'section': {
      const out: string[] = [];
      let inSection = false;
      for (const l of lines) {
        if (!l.startsWith(' ')) inSection = re.test(l);
        if (inSection) out.push(l);
      }
      return out;
    }
    case 'count':
      return [`Number of lines which match regexp = ${lines.filter((l) => re.test(l)).length}`];
    default:
      return null;
  }
}

export type JunosFilter =
  { kind: 'lines'; apply: (lines: string[]) => string[] } | { kind: 'no-more' } | { kind: 'display-set' };

/** Parses one Junos filter ("match ge-", "no-more", "display set"); null when not valid. */
export function parseJunosFilter(filter: string): JunosFilter | null {
  const [word = '', ...rest] = filter.trim().split(/\s+/);
  const kind = keyword(word, ['match', 'except', 'find', 'count', 'no-more', 'display', 'last']);
  if (kind === 'no-more') return { kind: 'no-more' };
  if (kind === 'display') return rest[0] && 'set'.startsWith(rest[0]) ? { kind: 'display-set' } : null;
  if (kind === 'count')
    return { kind: 'lines', apply: (lines) => [`Count: ${lines.filter((l) => l.trim()).length} lines`] };
  if (kind === 'last') {
    const n = Number(rest[0] ?? 10);
    return Number.isInteger(n) ? { kind: 'lines', apply: (lines) => lines.slice(-n) } : null;
  }
  // Junos patterns are regular expressions matched case-insensitively; `|` inside means "or".
  const re = regex(rest.join(' ').replace(/^"|"$/g, ''));
  if (!kind || !re) return null;
  const ci = new RegExp(re.source, 'i');
  switch (kind) {
    case 'match':
      return { kind: 'lines', apply: (lines) => lines.filter((l) => ci.test(l)) };
    case 'except':
      return { kind: 'lines', apply: (lines) => lines.filter((l) => !ci.test(l)) };
    case 'find':
      return {
        kind: 'lines',
        apply: (lines) => {
          const i = lines.findIndex((l) => ci.test(l));
          return i < 0 ? [] : lines.slice(i);
        },
      };
    default:
      return null;
  }
}

/** Splits `command | filter | filter` on bars outside double quotes. */
export function splitPipes(line: string): string[] {
  const parts: string[] = [];
  let current = '';
  let quoted = false;
  for (const ch of line) {
    if (ch === '"') quoted = !quoted;
    if (ch === '|' && !quoted) {
      parts.push(current);
      current = '';
    } else current += ch;
  }
  parts.push(current);
  return [parts[0]!, ...parts.slice(1).map((p) => p.trim())];
}
