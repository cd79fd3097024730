// The parser against files written by the real OpenSSH tools: keys from `ssh-keygen -t`, names
// hashed by `ssh-keygen -H`, lines found by `ssh-keygen -F` and fingerprints from `ssh-keygen -lf`.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { knownHostMatches, knownHostsName, parseKnownHosts, type KnownHostsLine } from './known-hosts.ts';

let dir: string;
const keys: Record<string, { algorithm: string; key: string }> = {};

function keygen(...args: string[]): string {
  return execFileSync('ssh-keygen', args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
}

beforeAll(() => {
  dir = mkdtempSync(path.join(tmpdir(), 'known-hosts-'));
  for (const [name, args] of [
    ['ed', ['-t', 'ed25519']],
    ['ec', ['-t', 'ecdsa', '-b', '256']],
    ['rsa', ['-t', 'rsa', '-b', '2048']],
  ] as const) {
    keygen('-q', ...args, '-N', '', '-C', '', '-f', path.join(dir, name));
    const [algorithm, key] = readFileSync(path.join(dir, `${name}.pub`), 'utf8')
      .trim()
      .split(' ');
    keys[name] = { algorithm: algorithm!, key: key! };
  }
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const line = (hosts: string, k: { algorithm: string; key: string }, comment = '') =>
  `${hosts} ${k.algorithm} ${k.key}${comment ? ` ${comment}` : ''}`;

function only<K extends KnownHostsLine['kind']>(lines: KnownHostsLine[], kind: K) {
  return lines.filter((l): l is Extract<KnownHostsLine, { kind: K }> => l.kind === kind);
}

describe('known_hosts', () => {
  it('reads plain names, [host]:port and comments, with the fingerprints ssh-keygen -lf prints', () => {
    const text = [
      '# written by hand',
      '',
      line('pe1.lab,10.0.0.1', keys.ed!, 'the pe1 key'),
      line('[pe2.lab]:2222,[10.0.0.2]:2222', keys.ec!),
      '   ',
      line('PE3.Lab', keys.rsa!),
    ].join('\n');
    const file = path.join(dir, 'plain');
    writeFileSync(file, text);
    const parsed = parseKnownHosts(text);
    expect(parsed.map((l) => [l.kind, l.line])).toEqual([
      ['key', 3],
      ['key', 4],
      ['key', 6],
    ]);
    const entries = only(parsed, 'key');
    expect(entries[0]).toMatchObject({ algorithm: 'ssh-ed25519', comment: 'the pe1 key', key: keys.ed!.key });
    expect(entries[0]!.hosts).toEqual([
      { kind: 'plain', name: 'pe1.lab', port: 22, text: 'pe1.lab' },
      { kind: 'plain', name: '10.0.0.1', port: 22, text: '10.0.0.1' },
    ]);
    expect(entries[1]!.hosts.map((h) => h.kind === 'plain' && [h.name, h.port])).toEqual([
      ['pe2.lab', 2222],
      ['10.0.0.2', 2222],
    ]);
    // `ssh-keygen -lf known_hosts` prints "bits SHA256:… hosts (TYPE)" for each key line.
    const printed = keygen('-lf', file)
      .trim()
      .split('\n')
      .map((l) => l.split(' ')[1]);
    expect(entries.map((e) => e.fingerprint)).toEqual(printed);
    // Names compare without regard to case; the port is part of the name.
    expect(knownHostMatches(entries[2]!.hosts[0]!, 'pe3.LAB', 22)).toBe(true);
    expect(knownHostMatches(entries[1]!.hosts[0]!, 'pe2.lab', 2222)).toBe(true);
    expect(knownHostMatches(entries[1]!.hosts[0]!, 'pe2.lab', 22)).toBe(false);
    expect(knownHostMatches(entries[0]!.hosts[0]!, 'pe1.lab', 2222)).toBe(false);
  });

  it('matches names hashed by ssh-keygen -H exactly where ssh-keygen -F finds them', () => {
    const file = path.join(dir, 'hashed');
    writeFileSync(file, [line('pe1.lab,10.0.0.1', keys.ed!), line('[pe2.lab]:2222', keys.ec!)].join('\n') + '\n');
    keygen('-q', '-H', '-f', file);
    const text = readFileSync(file, 'utf8');
    expect(text).not.toContain('pe1.lab');
    const entries = only(parseKnownHosts(text), 'key');
    // -H writes one line per name: pe1.lab, 10.0.0.1, [pe2.lab]:2222.
    expect(entries).toHaveLength(3);
    expect(entries.every((e) => e.hosts.length === 1 && e.hosts[0]!.kind === 'hashed')).toBe(true);

    const lineOf = (name: string, port: number) =>
      entries.filter((e) => knownHostMatches(e.hosts[0]!, name, port)).map((e) => e.line);
    const found = (name: string) => {
      // ssh-keygen -F prints "# Host NAME found: line N" before the line.
      const out = keygen('-F', name, '-f', file);
      return [...out.matchAll(/found: line (\d+)/g)].map((m) => Number(m[1]));
    };
    expect(lineOf('pe1.lab', 22)).toEqual(found('pe1.lab'));
    expect(lineOf('10.0.0.1', 22)).toEqual(found('10.0.0.1'));
    expect(lineOf('pe2.lab', 2222)).toEqual(found(knownHostsName('pe2.lab', 2222)));
    expect(lineOf('pe1.lab', 22)).toHaveLength(1);
    expect(lineOf('pe2.lab', 2222)).toHaveLength(1);
    // Not on another port, nor another name.
    expect(lineOf('pe2.lab', 22)).toEqual([]);
    expect(lineOf('pe9.lab', 22)).toEqual([]);
    expect(entries.find((e) => e.line === lineOf('pe2.lab', 2222)[0])!.algorithm).toBe('ecdsa-sha2-nistp256');
  });

  it('skips markers and host patterns with the reason, and reports bad lines with their number', () => {
    const ed = keys.ed!;
    const text = [
      line('@cert-authority *.lab', ed),
      line('@revoked pe1.lab', ed),
      line('*.lab', ed),
      line('pe?.lab', ed),
      line('pe4.lab,!pe5.lab', ed),
      `pe6.lab ssh-rsa ${ed.key}`,
      `pe7.lab ssh-ed25519 not*base64`,
      `pe8.lab ssh-ed25519`,
      `pe9.lab`,
      `[pe10.lab]:99999 ${ed.algorithm} ${ed.key}`,
      `[pe11.lab ${ed.algorithm} ${ed.key}`,
      `pe12.lab,,pe13.lab ${ed.algorithm} ${ed.key}`,
      `pe14.lab 2048 65537 12345678901234567890`,
      `@trusted pe15.lab ${ed.algorithm} ${ed.key}`,
      `|1|bm90IGEgc2FsdA==|bm9wZQ== ${ed.algorithm} ${ed.key}`,
      `pe16.lab ssh-ed25519 ${Buffer.from('garbage').toString('base64')}`,
      `${line('pe17.lab', ed)}\r`,
    ].join('\n');
    const parsed = parseKnownHosts(text);
    expect(parsed.map((l) => [l.line, l.kind])).toEqual([
      [1, 'skipped'],
      [2, 'skipped'],
      [3, 'skipped'],
      [4, 'skipped'],
      [5, 'skipped'],
      [6, 'bad'],
      [7, 'bad'],
      [8, 'bad'],
      [9, 'bad'],
      [10, 'bad'],
      [11, 'bad'],
      [12, 'bad'],
      [13, 'bad'],
      [14, 'bad'],
      [15, 'bad'],
      [16, 'bad'],
      [17, 'key'],
    ]);
    const reason = (n: number) => {
      const l = parsed.find((p) => p.line === n)!;
      return l.kind === 'key' ? null : l.reason;
    };
    expect(reason(1)).toMatch(/@cert-authority/);
    expect(reason(2)).toMatch(/@revoked/);
    expect(reason(3)).toMatch(/host patterns/);
    expect(reason(5)).toMatch(/host patterns/);
    expect(reason(6)).toBe('the key type says ssh-rsa but the key is ssh-ed25519');
    expect(reason(7)).toMatch(/not valid base64/);
    expect(reason(8)).toMatch(/no key/);
    expect(reason(9)).toMatch(/expected "hosts keytype/);
    expect(reason(10)).toMatch(/port from 1 to 65535/);
    expect(reason(12)).toMatch(/empty host name/);
    expect(reason(13)).toMatch(/SSH-1/);
    expect(reason(14)).toMatch(/unknown marker @trusted/);
    expect(reason(15)).toMatch(/hashed host name/);
    expect(reason(16)).toMatch(/not an SSH public key blob/);
    // A skipped line still carries its key, so a report can name it.
    expect(parsed[0]).toMatchObject({ kind: 'skipped', marker: 'cert-authority', algorithm: 'ssh-ed25519' });
  });
});
