import { describe, expect, it } from 'vitest';
import { generatePassword, hashPassword, isCommonPassword, verifyPassword } from './passwords.ts';

describe('passwords', () => {
  it('verifies the right password and rejects a wrong one', async () => {
    const hash = await hashPassword('correct horse battery');
    expect(hash).toMatch(/^scrypt\$32768\$8\$1\$/);
    expect(await verifyPassword('correct horse battery', hash)).toBe(true);
    expect(await verifyPassword('correct horse batterY', hash)).toBe(false);
  });

  it('rejects malformed stored hashes instead of throwing', async () => {
    expect(await verifyPassword('x', 'plain-text')).toBe(false);
  });

  it('generates grouped passwords without ambiguous characters', () => {
    const pw = generatePassword();
    expect(pw).toMatch(/^[A-Za-z2-9]{5}(-[A-Za-z2-9]{5}){3}$/);
    expect(pw).not.toMatch(/[01OIl]/);
    expect(generatePassword()).not.toBe(pw);
  });

  it('knows the most common passwords, ignoring case and surrounding spaces, and not the rest', async () => {
    for (const common of ['123456', 'password', 'passwordpassword', 'Qwerty123456', ' 1q2w3e4r5t6y ', 'ADMINISTRATOR'])
      expect(await isCommonPassword(common), common).toBe(true);
    for (const rare of ['correct horse battery staple 9', generatePassword(), 'password-with-a-twist-42'])
      expect(await isCommonPassword(rare), rare).toBe(false);
  });
});
