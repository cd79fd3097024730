// Device secrets at rest: AES-256-GCM with a random 96-bit IV per value. The sealed text names
// the key it was sealed with (first 8 hex of SHA-256(key)), so a wrong or rotated key gives a
// clear error instead of garbage.
import { createCipheriv, createDecipheriv, createHash, randomBytes } from 'node:crypto';

const VERSION = 'v1';

export class SecretBoxError extends Error {
  override name = 'SecretBoxError';
}

export function keyId(key: Buffer): string {
  return createHash('sha256').update(key).digest('hex').slice(0, 8);
}

function assertKey(key: Buffer): void {
  if (key.length !== 32) throw new SecretBoxError('secret key must be 32 bytes');
}

export function sealSecret(key: Buffer, plaintext: string): string {
  assertKey(key);
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', key, iv);
  const kid = keyId(key);
  // The key id and version are authenticated too: moving a value between keys fails to open.
  cipher.setAAD(Buffer.from(`${VERSION}.${kid}`));
  const ciphertext = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
  const tag = cipher.getAuthTag();
  return [VERSION, kid, iv.toString('base64url'), tag.toString('base64url'), ciphertext.toString('base64url')].join(
    '.',
  );
}

export function openSecret(key: Buffer, sealed: string): string {
  assertKey(key);
  const parts = sealed.split('.');
  if (parts.length !== 5 || parts[0] !== VERSION) throw new SecretBoxError('not a sealed secret');
  const [version, kid, iv, tag, ciphertext] = parts as [string, string, string, string, string];
  if (kid !== keyId(key)) {
    throw new SecretBoxError(`secret was sealed with key ${kid}, but the configured key is ${keyId(key)}`);
  }
  try {
    const decipher = createDecipheriv('aes-256-gcm', key, Buffer.from(iv, 'base64url'));
    decipher.setAAD(Buffer.from(`${version}.${kid}`));
    decipher.setAuthTag(Buffer.from(tag, 'base64url'));
    return Buffer.concat([decipher.update(Buffer.from(ciphertext, 'base64url')), decipher.final()]).toString('utf8');
  } catch {
    throw new SecretBoxError('sealed secret failed authentication (tampered or corrupt)');
  }
}

export function generateSecretKey(): Buffer {
  return randomBytes(32);
}
