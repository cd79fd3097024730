// The seed documents' sample outputs (fixtures/seeds), for golden and parser tests.
import { readFileSync } from 'node:fs';
import path from 'node:path';

const dir = path.resolve(import.meta.dirname, '../fixtures/seeds');
const noComments = (text: string) => text.split('\n').filter((l) => !l.startsWith('#'));

/** Seed 003's transcripts in document order: [command, output lines]. */
export function seed003Transcripts(): [string, string[]][] {
  const out: [string, string[]][] = [];
  for (const line of noComments(readFileSync(path.join(dir, 'seed-003-transcripts.txt'), 'utf8'))) {
    const m = /^Device# (.*)$/.exec(line);
    if (m) out.push([m[1]!.trim(), []]);
    else if (out.length) out.at(-1)![1].push(line);
  }
  return out;
}

/** Seed 001's in-service-upgrade stream: runs of consecutive lines, in order. */
export function seed001IssuBlocks(): string[][] {
  const text = noComments(readFileSync(path.join(dir, 'seed-001-issu-stream.txt'), 'utf8'))
    .join('\n')
    .trim();
  return text.split('\n[…]\n').map((b) => b.split('\n'));
}
