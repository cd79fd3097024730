import { describe, expect, it } from 'vitest';
import { derivedOrigins, originPolicy } from './origin.ts';

const policy = (o: Partial<Parameters<typeof originPolicy>[0]> = {}) =>
  originPolicy({ publicOrigin: null, allowedOrigins: [], host: '127.0.0.1', port: () => 8080, ...o });

describe('the origin policy', () => {
  it('derives the origins a browser reaches the listening address by', () => {
    expect(derivedOrigins('127.0.0.1', 8080)).toEqual([
      'http://127.0.0.1:8080',
      'http://localhost:8080',
      'http://[::1]:8080',
    ]);
    expect(derivedOrigins('10.1.2.3', 80)).toEqual(['http://10.1.2.3']);
    expect(derivedOrigins('0.0.0.0', 8080)).toEqual(
      expect.arrayContaining(['http://localhost:8080', 'http://127.0.0.1:8080']),
    );
  });

  it('uses HITLESS_PUBLIC_URL instead when given, plus the allowed origins; port 0 knows none until listening', () => {
    const p = policy({ publicOrigin: 'https://hitless.example.net', allowedOrigins: ['http://127.0.0.1:5173'] });
    expect(p.allowed()).toEqual(['https://hitless.example.net', 'http://127.0.0.1:5173']);
    expect(p.refusal({ origin: 'http://127.0.0.1:8080' })).toMatch(/is not the dashboard's origin/);
    let port = 0;
    const later = policy({ port: () => port });
    expect(later.allowed()).toEqual([]);
    port = 41234;
    expect(later.allowed()[0]).toBe('http://127.0.0.1:41234');
  });

  it('decides by Origin, then Sec-Fetch-Site, and refuses a request with neither', () => {
    const p = policy();
    expect(p.refusal({ origin: 'http://localhost:8080' })).toBeNull();
    expect(p.refusal({ origin: 'http://127.0.0.1:8081' })).toMatch(
      /^cross-origin request refused: Origin http:\/\/127\.0\.0\.1:8081/,
    );
    expect(p.refusal({ origin: 'HTTP://127.0.0.1:8080' })).not.toBeNull();
    expect(p.refusal({ 'sec-fetch-site': 'same-origin' })).toBeNull();
    expect(p.refusal({ 'sec-fetch-site': 'none' })).toBeNull();
    expect(p.refusal({ 'sec-fetch-site': 'same-site' })).toMatch(/Sec-Fetch-Site: same-site/);
    expect(p.refusal({ origin: 'null', 'sec-fetch-site': 'cross-site' })).toMatch(/cross-site/);
    expect(p.refusal({ origin: 'null' })).toMatch(/Origin null/);
    expect(p.refusal({})).toMatch(/must carry the dashboard's Origin/);
  });
});
