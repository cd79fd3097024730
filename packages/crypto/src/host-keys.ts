// SSH host keys as OpenSSH shows them: a key is its algorithm name and its public key blob
// (base64, as in known_hosts), and its fingerprint is `SHA256:` and the unpadded base64 of the
// blob's SHA-256, exactly what `ssh-keygen -lf` and OpenSSH's warnings print.
import { createHash } from 'node:crypto';

export interface HostKey {
  /** The key type, e.g. `ssh-ed25519`, `ecdsa-sha2-nistp256`, `ssh-rsa`. */
  algorithm: string;
  /** The public key blob in base64 (the second field of a known_hosts line). */
  key: string;
}

/** OpenSSH's SHA256 fingerprint of a public key blob (raw bytes, or base64 as in known_hosts). */
export function hostKeyFingerprint(blob: Buffer | string): string {
  const bytes = typeof blob === 'string' ? Buffer.from(blob, 'base64') : blob;
  return `SHA256:${createHash('sha256').update(bytes).digest('base64').replace(/=+$/, '')}`;
}

/** The algorithm name written at the start of a public key blob (SSH wire format: a length-prefixed string). */
export function hostKeyAlgorithmOf(blob: Buffer): string | null {
  if (blob.length < 4) return null;
  const len = blob.readUInt32BE(0);
  if (len <= 0 || len > 64 || blob.length < 4 + len) return null;
  const name = blob.subarray(4, 4 + len).toString('latin1');
  return /^[a-z0-9@.-]+$/.test(name) ? name : null;
}
