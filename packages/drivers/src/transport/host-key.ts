// Who the device is, and how we may speak to it: the host key checked against the pinned set
// (one key per routing engine of a box whose management address follows the master) during the key exchange (before any secret leaves), and the algorithms offered — ssh2's
// modern set, plus the SHA-1 / CBC / 3DES / DSA ones only for devices marked as needing them.
import { hostKeyAlgorithmOf, hostKeyFingerprint } from '@hitless/crypto';
import ssh2 from 'ssh2';
import { HostKeyError, type SeenHostKey } from '../errors.ts';

/** A pinned host key: its type (`ssh-ed25519`, `ssh-rsa`, …) and its public blob in base64 (as in known_hosts). */
export interface HostKey {
  algorithm: string;
  key: string;
}

export interface HostKeyPolicy {
  /**
   * The keys pinned for this device; any of them is accepted (a dual-RE box answers with the
   * master's). Empty: none yet (trust on first use, unless strict).
   */
  pinned: readonly HostKey[];
  /** Refuse a device that has no pinned key. */
  strict: boolean;
}

/** ssh2's defaults minus what is SHA-1 based (ssh-rsa signatures, HMAC-SHA1). */
const MODERN_HOST_KEYS = [
  'ssh-ed25519',
  'ecdsa-sha2-nistp256',
  'ecdsa-sha2-nistp384',
  'ecdsa-sha2-nistp521',
  'rsa-sha2-512',
  'rsa-sha2-256',
];
const SHA1_MACS = ['hmac-sha1-etm@openssh.com', 'hmac-sha1'];

/** What old IOS trains still need: SHA-1 Diffie-Hellman, CBC and 3DES ciphers, SHA-1 host key signatures, HMAC-SHA1/MD5. */
export const LEGACY_ALGORITHMS = {
  kex: ['diffie-hellman-group14-sha1', 'diffie-hellman-group-exchange-sha1', 'diffie-hellman-group1-sha1'],
  cipher: ['aes128-cbc', 'aes192-cbc', 'aes256-cbc', '3des-cbc'],
  serverHostKey: ['ssh-rsa', 'ssh-dss'],
  hmac: ['hmac-sha1', 'hmac-sha1-etm@openssh.com', 'hmac-md5'],
} as const;

/** The signature algorithms that present a key of this type (an RSA key signs as rsa-sha2-*, or ssh-rsa). */
function signaturesOf(keyType: string, legacy: boolean): string[] {
  if (keyType === 'ssh-rsa') return ['rsa-sha2-512', 'rsa-sha2-256', ...(legacy ? ['ssh-rsa'] : [])];
  return [keyType];
}

/**
 * The client's algorithms for a device: modern only, or modern first and the legacy ones after
 * (a server that has both still negotiates the modern ones). The pinned keys' types go first,
 * so a server with several host keys presents one we know.
 */
export function clientAlgorithms(legacy: boolean, pinned: readonly HostKey[]): ssh2.Algorithms {
  const allowed = [...MODERN_HOST_KEYS, ...(legacy ? LEGACY_ALGORITHMS.serverHostKey : [])];
  const preferred = pinned.flatMap((k) => signaturesOf(k.algorithm, legacy)).filter((a) => allowed.includes(a));
  const serverHostKey = [...new Set([...preferred, ...allowed])];
  if (!legacy) {
    return { serverHostKey, hmac: { remove: SHA1_MACS } } as unknown as ssh2.Algorithms;
  }
  return {
    serverHostKey,
    kex: { append: [...LEGACY_ALGORITHMS.kex] },
    cipher: { append: [...LEGACY_ALGORITHMS.cipher] },
    hmac: { append: [...LEGACY_ALGORITHMS.hmac] },
  } as unknown as ssh2.Algorithms;
}

/** The key a server presented, as we record and show it. */
export function seenHostKey(blob: Buffer): SeenHostKey {
  return {
    algorithm: hostKeyAlgorithmOf(blob) ?? 'unknown',
    key: blob.toString('base64'),
    fingerprint: hostKeyFingerprint(blob),
  };
}

/** Null when the key may be used; otherwise the refusal, raised before any authentication. */
export function checkHostKey(policy: HostKeyPolicy, seen: SeenHostKey, where: string): HostKeyError | null {
  const { pinned } = policy;
  if (pinned.length > 0) {
    const offered = Buffer.from(seen.key, 'base64');
    if (pinned.some((k) => Buffer.from(k.key, 'base64').equals(offered))) return null;
    const known = pinned.map((k) => hostKeyFingerprint(k.key));
    const list = pinned.map((k, i) => `${known[i]} (${k.algorithm})`).join(', ');
    return new HostKeyError(
      `host key of ${where} is not pinned: offered ${seen.fingerprint} (${seen.algorithm}), pinned ${list}; ` +
        'refused before logging in. If it is another routing engine of this device, or the device was replaced ' +
        'or re-keyed, an admin must accept the new key',
      seen,
      known,
    );
  }
  if (policy.strict) {
    return new HostKeyError(
      `${where} has no pinned host key and strict host key checking is on: it offered ${seen.fingerprint} ` +
        `(${seen.algorithm}); refused before logging in. Import its key (known_hosts) or have an admin accept it`,
      seen,
      [],
    );
  }
  return null;
}

/**
 * Whether a server that refused our modern algorithms would negotiate the legacy ones: a second
 * connection that offers them and stops at the host key (refused unseen), so no secret is sent.
 */
export function negotiatesLegacy(host: string, port: number, timeoutMs: number): Promise<boolean> {
  return new Promise((resolve) => {
    const client = new ssh2.Client();
    let reached = false;
    const done = () => {
      client.end();
      resolve(reached);
    };
    client.on('error', done);
    client.on('close', done);
    client.connect({
      host,
      port,
      username: 'probe',
      readyTimeout: timeoutMs,
      algorithms: clientAlgorithms(true, []),
      hostVerifier: () => {
        reached = true;
        return false;
      },
      // Never reached (the host key is refused first); declared so no method has anything to send.
      authHandler: (_left, _partial, next) => next(false as never),
    });
  });
}
