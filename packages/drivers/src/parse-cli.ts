// npm run parse -- --vendor cisco|junos --command "<show command>" < captured.txt
// Prints the typed result as JSON, or the parse error (exit 1), like `genie parse`.
import { parseArgs } from 'node:util';
import { ParseError } from './errors.ts';
import { findParser, PARSERS } from './registry.ts';

function usage(): string {
  return [
    'usage: npm run parse -- --vendor cisco|junos --command "<command>" < output.txt',
    '',
    'commands:',
    ...PARSERS.map((p) => `  ${p.vendor.padEnd(6)} ${p.command}`),
  ].join('\n');
}

async function main(): Promise<number> {
  let values: { vendor?: string; command?: string; help?: boolean };
  try {
    ({ values } = parseArgs({
      options: { vendor: { type: 'string' }, command: { type: 'string' }, help: { type: 'boolean' } },
    }));
  } catch (err) {
    process.stderr.write(`${(err as Error).message}\n\n${usage()}\n`);
    return 2;
  }
  if (values.help) {
    process.stdout.write(`${usage()}\n`);
    return 0;
  }
  if ((values.vendor !== 'cisco' && values.vendor !== 'junos') || !values.command) {
    process.stderr.write(`--vendor cisco|junos and --command are required\n\n${usage()}\n`);
    return 2;
  }
  const parser = findParser(values.vendor, values.command);
  if (!parser) {
    process.stderr.write(`no ${values.vendor} parser for "${values.command}"\n\n${usage()}\n`);
    return 2;
  }
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  const text = Buffer.concat(chunks).toString('utf8');
  try {
    process.stdout.write(`${JSON.stringify(parser.parse(text), null, 2)}\n`);
    return 0;
  } catch (err) {
    if (err instanceof ParseError) {
      process.stderr.write(`${err.message}\n`);
      return 1;
    }
    throw err;
  }
}

process.exitCode = await main();
