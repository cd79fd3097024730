import { describe, expect, it } from 'vitest';
import { generateSecretKey, keyId, openSecret, sealSecret, SecretBoxError } from './secret-box.ts';

describe('secret box', () => {
  const key = generateSecretKey();

  it('round-trips and never contains the plaintext', () => {
    const sealed = sealSecret(key, 'cisco123!');
    expect(sealed).not.toContain('cisco123');
    expect(sealed.startsWith(`v1.${keyId(key)}.`)).toBe(true);
    expect(openSecret(key, sealed)).toBe('cisco123!');
  });

  it('uses a fresh IV each time', () => {
    expect(sealSecret(key, 'same')).not.toBe(sealSecret(key, 'same'));
  });

  it('names the key when opened with another one', () => {
    const sealed = sealSecret(key, 'x');
    const other = generateSecretKey();
    expect(() => openSecret(other, sealed)).toThrow(/sealed with key [0-9a-f]{8}/);
  });

  it('detects tampering', () => {
    const sealed = sealSecret(key, 'secret');
    const parts = sealed.split('.');
    const ct = Buffer.from(parts[4]!, 'base64url');
    ct[0] = ct[0]! ^ 1;
    parts[4] = ct.toString('base64url');
    expect(() => openSecret(key, parts.join('.'))).toThrow(SecretBoxError);
  });
});
