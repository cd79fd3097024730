// Every secret the fuzz knows, and a fast way to find any of them in a response or a log line.
// Thousands of texts are checked against thousands of secrets, so secrets are indexed by their
// first PREFIX characters and each text is scanned once (a naive includes() per secret is
// minutes, not seconds). Only distinctive values are collected (MIN_LENGTH and up): the fuzz
// generates its own secrets as random hex, so a hit is a leak, not a coincidence.

const PREFIX = 8;
export const MIN_LENGTH = 10;

export class Secrets {
  private readonly byPrefix = new Map<string, { value: string; label: string }[]>();
  private readonly known = new Set<string>();

  get size(): number {
    return this.known.size;
  }

  /** Adds a secret (and, for keys and tokens, the other spellings a leak could take). */
  add(value: string | null | undefined, label: string): void {
    if (!value || value.length < MIN_LENGTH || this.known.has(value)) return;
    this.known.add(value);
    const head = value.slice(0, PREFIX);
    const list = this.byPrefix.get(head) ?? [];
    list.push({ value, label });
    this.byPrefix.set(head, list);
  }

  /** Labels of the secrets found in `text` (never the secrets themselves: reports stay clean). */
  findIn(text: string): string[] {
    const found = new Set<string>();
    for (let i = 0; i + PREFIX <= text.length; i++) {
      const list = this.byPrefix.get(text.slice(i, i + PREFIX));
      if (!list) continue;
      for (const s of list) if (text.startsWith(s.value, i)) found.add(s.label);
    }
    return [...found];
  }
}

/** The password in a connection URL, if any. */
export function urlPassword(url: string): string | null {
  try {
    const password = new URL(url).password;
    return password ? decodeURIComponent(password) : null;
  } catch {
    return null;
  }
}
