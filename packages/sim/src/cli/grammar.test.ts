import { describe, expect, it } from 'vitest';
import { match, pattern, tokenize, type CommandSpec } from './grammar.ts';

const specs: CommandSpec<string>[] = [
  { pattern: pattern('show issu state [detail]'), modes: ['x'], run: 'state' },
  { pattern: pattern('show issu rollback-timer'), modes: ['x'], run: 'timer' },
  { pattern: pattern('show ip interface brief'), modes: ['x'], run: 'brief' },
  { pattern: pattern('show interfaces terse'), modes: ['x'], run: 'terse' },
  { pattern: pattern('issu loadversion <args...>'), modes: ['x'], run: 'load' },
  { pattern: pattern('ping <target>'), modes: ['x'], run: 'ping' },
  { pattern: pattern('configure terminal'), modes: ['y'], run: 'conf' },
];

const run = (line: string, mode = 'x') => match(specs, mode, tokenize(line).tokens);

describe('command grammar', () => {
  it('accepts unique abbreviations of every keyword', () => {
    expect(run('sh issu st det')).toMatchObject({ kind: 'ok', spec: { run: 'state' }, flags: new Set(['detail']) });
    expect(run('show issu state')).toMatchObject({ kind: 'ok', flags: new Set() });
    expect(run('sh is roll')).toMatchObject({ kind: 'ok', spec: { run: 'timer' } });
    expect(run('sh ip int br')).toMatchObject({ kind: 'ok', spec: { run: 'brief' } });
  });

  it('reports an ambiguous abbreviation and the position of an invalid word', () => {
    expect(run('sh i')).toEqual({ kind: 'ambiguous', tokenIndex: 1 });
    expect(run('show issu bogus')).toEqual({ kind: 'invalid', tokenIndex: 2 });
    expect(run('show issu')).toEqual({ kind: 'incomplete' });
  });

  it('collects arguments, rest arguments and quoted words', () => {
    expect(run('issu loadversion a disk0:x b stby-disk0:x')).toMatchObject({
      kind: 'ok',
      rest: ['a', 'disk0:x', 'b', 'stby-disk0:x'],
    });
    expect(run('issu loadversion')).toMatchObject({ kind: 'ok', rest: [] });
    expect(run('ping "10.0.0.1"')).toMatchObject({ kind: 'ok', args: { target: '10.0.0.1' } });
  });

  it('only matches commands of the current mode', () => {
    expect(run('conf t')).toEqual({ kind: 'invalid', tokenIndex: 0 });
    expect(run('conf t', 'y')).toMatchObject({ kind: 'ok', spec: { run: 'conf' } });
  });
});
