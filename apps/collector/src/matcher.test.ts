import { describe, expect, it } from 'vitest';
import { normaliseAddress } from './matcher.ts';

describe('normaliseAddress', () => {
  it('writes every address one way', () => {
    expect(normaliseAddress('2001:DB8:0:0::0001')).toBe('2001:db8::1');
    expect(normaliseAddress('[2001:db8::1]')).toBe('2001:db8::1');
    expect(normaliseAddress('fe80::1%eth0')).toBe('fe80::1');
    expect(normaliseAddress('::ffff:127.10.0.5')).toBe('127.10.0.5');
    expect(normaliseAddress('::FFFF:7f0a:0005')).toBe('127.10.0.5');
    expect(normaliseAddress('127.10.0.5')).toBe('127.10.0.5');
    expect(normaliseAddress('Core-1.Lab')).toBe('core-1.lab');
  });
});
