// A terminal for unit tests: collects what the CLI writes and lets a test type into it.
import type { Terminal } from '../cli/session.ts';

export class BufferTerminal implements Terminal {
  output = '';
  ended: number | null = null;

  write(text: string): void {
    this.output += text;
  }

  end(exitCode = 0): void {
    this.ended = exitCode;
  }

  /** Output since the last call, with CRLF normalised. */
  private mark = 0;
  take(): string {
    const out = this.output.slice(this.mark).replace(/\r\n/g, '\n');
    this.mark = this.output.length;
    return out;
  }
}

/** Lets pending promise callbacks run (the CLI is async between lines). */
export async function settle(): Promise<void> {
  for (let i = 0; i < 20; i++) await new Promise((r) => setImmediate(r));
}
