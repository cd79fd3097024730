import type { IncomingHttpHeaders } from 'node:http';
import { describe, expect, it } from 'vitest';
import { isLoopback, scrapeRefusal } from './scrape.ts';

const TOKEN = 'metrics-token-0123456789';

const allowed = (token: string | null, peer: string | undefined, headers: IncomingHttpHeaders = {}) =>
  scrapeRefusal({ token, headers, peer }) === null;

describe('scrapeRefusal', () => {
  it('without a token, answers loopback peers only', () => {
    for (const peer of ['127.0.0.1', '127.1.2.3', '127.255.255.254', '::1', '::ffff:127.0.0.1', '::FFFF:127.9.9.9'])
      expect(allowed(null, peer), peer).toBe(true);
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
      expect(allowed(null, peer), String(peer)).toBe(false);
    expect(scrapeRefusal({ token: null, headers: {}, peer: '10.0.0.1' })).toEqual({
      status: 403,
      message: 'metrics are served to loopback peers only (or set HITLESS_METRICS_TOKEN)',
    });
  });

  it('without a token, an Authorization header opens nothing', () => {
    expect(allowed(null, '10.0.0.1', { authorization: `Bearer ${TOKEN}` })).toBe(false);
  });

  it('without a token, refuses a loopback peer forwarding for someone (a proxy on this host), saying why', () => {
    for (const name of ['x-forwarded-for', 'forwarded', 'x-real-ip']) {
      for (const value of ['192.0.2.7', '127.0.0.1', 'for=192.0.2.7', ''])
        expect(
          scrapeRefusal({ token: null, headers: { [name]: value }, peer: '127.0.0.1' }),
          `${name}: ${value}`,
        ).toEqual({
          status: 403,
          message: `this request came through a proxy (${name}): set HITLESS_METRICS_TOKEN to scrape through a proxy`,
        });
    }
    // Other headers are no proxy's.
    expect(allowed(null, '127.0.0.1', { 'x-forwarded-proto': 'https', via: '1.1 proxy' })).toBe(true);
  });

  it('with a token, wants exactly that bearer token, from any peer (loopback and proxied included)', () => {
    expect(allowed(TOKEN, '10.0.0.1', { authorization: `Bearer ${TOKEN}` })).toBe(true);
    expect(allowed(TOKEN, '10.0.0.1', { authorization: `bearer ${TOKEN}` })).toBe(true);
    expect(allowed(TOKEN, '127.0.0.1', { authorization: `Bearer ${TOKEN}`, 'x-forwarded-for': '192.0.2.7' })).toBe(
      true,
    );
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
      expect(
        scrapeRefusal({ token: TOKEN, headers: { authorization }, peer: '127.0.0.1' }),
        String(authorization),
      ).toEqual({ status: 401, message: 'send Authorization: Bearer <metrics token>' });
    }
  });

  it('knows loopback addresses', () => {
    expect(isLoopback('0:0:0:0:0:0:0:1')).toBe(true);
    expect(isLoopback('::ffff:128.0.0.1')).toBe(false);
  });
});
