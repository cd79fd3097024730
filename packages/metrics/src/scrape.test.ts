import { describe, expect, it } from 'vitest';
import { isLoopback, scrapeAllowed } from './scrape.ts';

const TOKEN = 'metrics-token-0123456789';

describe('scrapeAllowed', () => {
  it('without a token, answers loopback peers only', () => {
    for (const peer of ['127.0.0.1', '127.1.2.3', '127.255.255.254', '::1', '::ffff:127.0.0.1', '::FFFF:127.9.9.9'])
      expect(scrapeAllowed({ token: null, authorization: undefined, peer }), peer).toBe(true);
    for (const peer of [
      undefined,
      '',
      '10.0.0.1',
      '192.168.1.10',
      '128.0.0.1',
      '::2',
      '::ffff:10.0.0.1',
      'fe80::1',
      '127.0.0.1.example',
      '1127.0.0.1',
      'localhost',
    ])
      expect(scrapeAllowed({ token: null, authorization: undefined, peer }), String(peer)).toBe(false);
  });

  it('without a token, an Authorization header opens nothing', () => {
    expect(scrapeAllowed({ token: null, authorization: `Bearer ${TOKEN}`, peer: '10.0.0.1' })).toBe(false);
  });

  it('with a token, wants exactly that bearer token, from any peer (loopback included)', () => {
    expect(scrapeAllowed({ token: TOKEN, authorization: `Bearer ${TOKEN}`, peer: '10.0.0.1' })).toBe(true);
    expect(scrapeAllowed({ token: TOKEN, authorization: `bearer ${TOKEN}`, peer: '10.0.0.1' })).toBe(true);
    for (const authorization of [
      undefined,
      '',
      TOKEN,
      `Basic ${TOKEN}`,
      `Bearer ${TOKEN}x`,
      `Bearer ${TOKEN.slice(0, -1)}`,
      `Bearer ${TOKEN.toUpperCase()}`,
      'Bearer ',
      `Bearer ${TOKEN} ${TOKEN}`,
    ]) {
      expect(scrapeAllowed({ token: TOKEN, authorization, peer: '127.0.0.1' }), String(authorization)).toBe(false);
    }
  });

  it('knows loopback addresses', () => {
    expect(isLoopback('0:0:0:0:0:0:0:1')).toBe(true);
    expect(isLoopback('::ffff:128.0.0.1')).toBe(false);
  });
});
