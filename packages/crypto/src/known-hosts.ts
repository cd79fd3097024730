// OpenSSH known_hosts text (sshd(8) "SSH_KNOWN_HOSTS FILE FORMAT"), read into entries an import
// can pin. Pure: no I/O. What is read:
// - blank lines and `#` comments are ignored;
// - `hosts keytype base64 [comment]`, hosts a comma-separated list of `name` (port 22) or
//   `[name]:port`, matched without regard to case as OpenSSH does;
// - a hashed name `|1|salt|hmac` (`ssh-keygen -H`): HMAC-SHA1 of `name` or `[name]:port` keyed with
//   the salt, so it is matched by hashing each candidate name;
// - host patterns (`*`, `?`, negation `!`) are NOT pinned: a pattern stands for hosts the file does
//   not name, and one key pinned on many devices is rarely what the line meant. Such lines are
//   skipped with the reason;
// - `@cert-authority` and `@revoked` lines are not pins: skipped with the reason;
// - a line whose key type differs from the type written inside its key blob, an SSH-1 key, bad
//   base64 or a malformed host is a bad line, with its number and the reason.
import { createHmac, timingSafeEqual } from 'node:crypto';
import { hostKeyAlgorithmOf, hostKeyFingerprint } from './host-keys.ts';

export type KnownHostName =
  /** A plain name or address, lower-cased, with its port (22 unless written `[name]:port`). */
  | { kind: 'plain'; name: string; port: number; text: string }
  /** A wildcard (`*`, `?`) or negated (`!`) pattern: never matched by this module. */
  | { kind: 'pattern'; text: string }
  /** `|1|salt|hmac`, as `ssh-keygen -H` writes. */
  | { kind: 'hashed'; salt: Buffer; hash: Buffer; text: string };

export interface KnownHostsKey {
  /** 1-based line number in the text. */
  line: number;
  /** The hosts field as written. */
  hostsText: string;
  hosts: KnownHostName[];
  algorithm: string;
  /** The public key blob, base64, as written. */
  key: string;
  fingerprint: string;
  comment: string | null;
}

export type KnownHostsLine =
  | ({ kind: 'key' } & KnownHostsKey)
  | ({ kind: 'skipped'; reason: string; marker: 'cert-authority' | 'revoked' | null } & KnownHostsKey)
  | { kind: 'bad'; line: number; reason: string };

const BASE64 = /^[A-Za-z0-9+/]+={0,2}$/;
const HASH_MAGIC = '|1|';
const SHA1_LENGTH = 20;

function strictBase64(text: string): Buffer | null {
  if (!BASE64.test(text) || text.length % 4 !== 0) return null;
  const bytes = Buffer.from(text, 'base64');
  return bytes.toString('base64') === text ? bytes : null;
}

/** How OpenSSH writes a host in known_hosts and hashes it: `name` on port 22, `[name]:port` otherwise. */
export function knownHostsName(name: string, port: number): string {
  return port === 22 ? name : `[${name}]:${port}`;
}

function parseHost(text: string): KnownHostName | string {
  if (text === '') return 'an empty host name (two commas, or a trailing comma)';
  if (text.startsWith(HASH_MAGIC)) {
    const [salt, hash, ...rest] = text.slice(HASH_MAGIC.length).split('|');
    const saltBytes = strictBase64(salt ?? '');
    const hashBytes = strictBase64(hash ?? '');
    if (rest.length > 0 || !saltBytes || !hashBytes || saltBytes.length !== SHA1_LENGTH) {
      return `"${text}" is not a hashed host name (|1|salt|hash, as ssh-keygen -H writes)`;
    }
    if (hashBytes.length !== SHA1_LENGTH) return `the hash in "${text}" is not an HMAC-SHA1`;
    return { kind: 'hashed', salt: saltBytes, hash: hashBytes, text };
  }
  if (/[*?!]/.test(text)) return { kind: 'pattern', text };
  if (text.startsWith('[')) {
    const m = /^\[([^\][]+)\]:(\d{1,5})$/.exec(text);
    const port = m ? Number(m[2]) : 0;
    if (!m || port < 1 || port > 65535) return `"${text}" is not [host]:port with a port from 1 to 65535`;
    return { kind: 'plain', name: m[1]!.toLowerCase(), port, text };
  }
  if (/[\][\s]/.test(text)) return `"${text}" is not a host name`;
  return { kind: 'plain', name: text.toLowerCase(), port: 22, text };
}

function parseLine(raw: string, line: number): KnownHostsLine | null {
  const text = raw.replace(/\r$/, '').trim();
  if (text === '' || text.startsWith('#')) return null;
  const fields = text.split(/[ \t]+/);
  let marker: 'cert-authority' | 'revoked' | null = null;
  if (fields[0]!.startsWith('@')) {
    const m = fields.shift()!;
    if (m === '@cert-authority') marker = 'cert-authority';
    else if (m === '@revoked') marker = 'revoked';
    else return { kind: 'bad', line, reason: `unknown marker ${m} (OpenSSH knows @cert-authority and @revoked)` };
  }
  const [hostsText, algorithm, key, ...comment] = fields;
  if (!hostsText || !algorithm) return { kind: 'bad', line, reason: 'expected "hosts keytype base64-key [comment]"' };
  if (/^\d+$/.test(algorithm))
    return { kind: 'bad', line, reason: 'SSH-1 RSA keys (bits exponent modulus) are not supported' };
  if (!key) return { kind: 'bad', line, reason: `no key after the key type ${algorithm}` };
  const blob = strictBase64(key);
  if (!blob) return { kind: 'bad', line, reason: `the ${algorithm} key is not valid base64` };
  const written = hostKeyAlgorithmOf(blob);
  if (written !== algorithm) {
    return {
      kind: 'bad',
      line,
      reason: written
        ? `the key type says ${algorithm} but the key is ${written}`
        : `the ${algorithm} key is not an SSH public key blob`,
    };
  }
  const hosts: KnownHostName[] = [];
  const hashed = hostsText.startsWith(HASH_MAGIC);
  // OpenSSH compares a hashed hosts field as one hash; ssh-keygen -H writes one name per line.
  for (const part of hashed ? [hostsText] : hostsText.split(',')) {
    const host = parseHost(part);
    if (typeof host === 'string') return { kind: 'bad', line, reason: host };
    hosts.push(host);
  }
  const entry: KnownHostsKey = {
    line,
    hostsText,
    hosts,
    algorithm,
    key,
    fingerprint: hostKeyFingerprint(blob),
    comment: comment.length > 0 ? comment.join(' ') : null,
  };
  if (marker === 'cert-authority') {
    return {
      kind: 'skipped',
      marker,
      reason: 'a @cert-authority key signs host certificates; it is not a host key to pin',
      ...entry,
    };
  }
  if (marker === 'revoked') {
    return { kind: 'skipped', marker, reason: 'a @revoked key is a key never to trust, not one to pin', ...entry };
  }
  if (hosts.some((h) => h.kind === 'pattern')) {
    return {
      kind: 'skipped',
      marker,
      reason: 'host patterns (*, ?, !) are not pinned: name each host (or its [address]:port) on the line',
      ...entry,
    };
  }
  return { kind: 'key', ...entry };
}

/** Every line that is not blank or a comment, in order. */
export function parseKnownHosts(text: string): KnownHostsLine[] {
  const out: KnownHostsLine[] = [];
  text.split('\n').forEach((raw, i) => {
    const parsed = parseLine(raw, i + 1);
    if (parsed) out.push(parsed);
  });
  return out;
}

/**
 * Whether a known_hosts host names `name` on `port` (plain names compared without regard to case,
 * hashed ones by hashing `name` or `[name]:port`). Patterns never match here.
 */
export function knownHostMatches(host: KnownHostName, name: string, port: number): boolean {
  switch (host.kind) {
    case 'plain':
      return host.port === port && host.name === name.toLowerCase();
    case 'hashed': {
      const candidates = new Set([name, name.toLowerCase()]);
      for (const c of candidates) {
        const mac = createHmac('sha1', host.salt).update(knownHostsName(c, port)).digest();
        if (timingSafeEqual(mac, host.hash)) return true;
      }
      return false;
    }
    case 'pattern':
      return false;
    default: {
      const never: never = host;
      return never;
    }
  }
}
