import { describe, expect, it } from 'vitest';
import { loopbackFor, readyzUrl } from './readiness.ts';

describe('loopbackFor', () => {
  it('reads a wildcard listen address, IPv4 or IPv6 in any spelling, as 127.0.0.1', () => {
    for (const host of ['0.0.0.0', '::', '0:0:0:0:0:0:0:0', '::0']) expect(loopbackFor(host), host).toBe('127.0.0.1');
  });

  it('leaves every other address as it is', () => {
    for (const host of ['127.0.0.1', '127.0.0.5', '::1', '192.0.2.7', 'fd00::1', 'localhost'])
      expect(loopbackFor(host), host).toBe(host);
  });
});

describe('readyzUrl', () => {
  it('asks a wildcard listener on loopback, and brackets IPv6 hosts', () => {
    expect(readyzUrl('0.0.0.0', 9103)).toBe('http://127.0.0.1:9103/readyz');
    expect(readyzUrl('::', 9103)).toBe('http://127.0.0.1:9103/readyz');
    expect(readyzUrl('::1', 3000)).toBe('http://[::1]:3000/readyz');
    expect(readyzUrl('127.0.0.2', 3000)).toBe('http://127.0.0.2:3000/readyz');
  });
});
