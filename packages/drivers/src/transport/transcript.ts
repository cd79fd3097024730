// Everything sent to and received from a device, in order, with secrets redacted at the
// moment they are recorded: a secret never exists in a transcript, in memory or stored.
import { clean } from '../text.ts';

export interface TranscriptEntry {
  at: number;
  direction: 'sent' | 'received' | 'note';
  text: string;
}

const MASK = '********';

export class Transcript {
  readonly entries: TranscriptEntry[] = [];
  private readonly secrets: string[];
  private readonly listeners = new Set<(entry: TranscriptEntry) => void>();

  private readonly keep: boolean;

  /** `keep: false` only hands entries to subscribers (a long run does not hoard its transcript). */
  constructor(secrets: (string | null | undefined)[] = [], options: { keep?: boolean } = {}) {
    // Longest first, so a secret containing another is masked whole.
    this.secrets = secrets
      .filter((s): s is string => typeof s === 'string' && s.length >= 3)
      .sort((a, b) => b.length - a.length);
    this.keep = options.keep ?? true;
  }

  addSecret(secret: string | null | undefined): void {
    if (secret && secret.length >= 3 && !this.secrets.includes(secret)) {
      this.secrets.push(secret);
      this.secrets.sort((a, b) => b.length - a.length);
    }
  }

  redact(text: string): string {
    let out = text;
    for (const s of this.secrets) out = out.split(s).join(MASK);
    return out;
  }

  /** Subscribes to new entries (the live transcript of a run step). Returns the unsubscribe. */
  subscribe(listener: (entry: TranscriptEntry) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  private push(direction: TranscriptEntry['direction'], text: string): void {
    const entry = { at: Date.now(), direction, text: this.redact(text) };
    if (this.keep) this.entries.push(entry);
    for (const l of this.listeners) l(entry);
  }

  received(text: string): void {
    this.push('received', text);
  }

  /** `secret: true` for input the device does not echo (a password): recorded as a mask. */
  sent(text: string, options: { secret?: boolean } = {}): void {
    this.push('sent', options.secret ? `${MASK}${text.endsWith('\r') ? '\r' : ''}` : text);
  }

  note(text: string): void {
    this.push('note', text);
  }

  /** What an operator at the terminal would have seen, plus notes in brackets. */
  terminal(fromIndex = 0): string {
    return terminalText(this.entries.slice(fromIndex));
  }
}

export function terminalText(entries: TranscriptEntry[]): string {
  let out = '';
  for (const e of entries) {
    if (e.direction === 'received') out += e.text;
    else if (e.direction === 'note') out += `${out.endsWith('\n') || out === '' ? '' : '\n'}[${e.text}]\n`;
  }
  return clean(out);
}
