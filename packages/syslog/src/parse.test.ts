import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { decodePayload } from './decode.ts';
import { CISCO, JUNOS, RFC } from './fixtures.ts';
import { parseSyslog } from './parse.ts';

const at = (iso: string) => ({ receivedAt: new Date(iso) });

describe('parseSyslog on malformed input', () => {
  const nothing = {
    format: null,
    timestamp: null,
    clock: null,
    hostname: null,
    appName: null,
    procId: null,
    msgId: null,
    sequence: null,
    event: null,
    structuredData: null,
  };

  it.each([
    ['', 'empty message', null],
    ['\r\n', 'empty message', null],
    ['<189>', 'nothing after <PRI>', 23],
    ['<300>garbage', 'PRI 300 is out of range (0-191)', null],
    ['<1234>x', 'malformed <PRI>', null],
    ['<>x', 'malformed <PRI>', null],
    ['hello', 'no <PRI> at the start', null],
    [decodePayload(Buffer.from([0xff, 0xfe, 0x00, 0x80, 0x41])), 'no <PRI> at the start', null],
  ])('%j: parseError, raw text kept', (raw, error, facility) => {
    const p = parseSyslog(raw, at('2026-12-02T10:00:00Z'));
    expect(p).toMatchObject({ ...nothing, facility, message: raw, parseError: error });
  });

  it('never throws, whatever the bytes', () => {
    const seeds = [...Object.values(CISCO), ...Object.values(JUNOS), ...Object.values(RFC)];
    for (let i = 0; i < 1500; i++) {
      const seed = seeds[i % seeds.length]!;
      const cut = seed.slice(0, (i * 7919) % (seed.length + 1)); // every kind of truncation
      const noise = decodePayload(randomBytes(i % 40));
      for (const raw of [cut, `${cut}${noise}`, `<${i % 200}>${noise}`, noise]) {
        const p = parseSyslog(raw, at('2026-12-02T10:00:00Z'));
        expect(typeof p.message).toBe('string');
        expect(p.format === null).toBe(p.parseError !== null);
        if (p.parseError) expect(p.message).toBe(raw);
      }
    }
  });

  it('strips the frame terminator but not the text', () => {
    expect(parseSyslog('<13>Dec  2 10:00:00 h app: text  \r\n', at('2026-12-02T10:00:00Z')).message).toBe('text');
    expect(parseSyslog('<13>Dec  2 10:00:00 h app: text\u2400', at('2026-12-02T10:00:00Z')).message).toBe('text');
  });
});

describe('the year of a BSD timestamp', () => {
  const stamp = (text: string, receivedAt: string, timeZone?: string) =>
    parseSyslog(`<13>${text} host app: x`, { receivedAt: new Date(receivedAt), ...(timeZone && { timeZone }) })
      .timestamp;

  it('is the one nearest to the receive time, never more than a week ahead', () => {
    expect(stamp('Dec 31 23:59:59', '2027-01-01T00:00:10Z')).toEqual(new Date('2026-12-31T23:59:59Z'));
    expect(stamp('Jan  1 00:00:05', '2026-12-31T23:59:58Z')).toEqual(new Date('2027-01-01T00:00:05Z'));
    expect(stamp('Dec  4 10:00:00', '2026-12-02T10:00:00Z')).toEqual(new Date('2026-12-04T10:00:00Z')); // a fast clock
    expect(stamp('Dec 20 10:00:00', '2026-12-02T10:00:00Z')).toEqual(new Date('2025-12-20T10:00:00Z'));
    expect(stamp('Mar  1 00:01:02', '2026-12-02T10:00:00Z')).toEqual(new Date('2026-03-01T00:01:02Z'));
  });

  it('finds the last leap year for Feb 29 and refuses impossible dates', () => {
    expect(stamp('Feb 29 12:00:00', '2027-03-01T00:00:00Z')).toEqual(new Date('2024-02-29T12:00:00Z'));
    expect(stamp('Feb 30 12:00:00', '2026-03-01T00:00:00Z')).toBeNull();
    expect(stamp('Dec  2 25:00:00', '2026-12-02T00:00:00Z')).toBeNull();
  });

  it('is read in the configured zone, across a new year there too', () => {
    // 23:30 on Dec 31 in Los Angeles is already Jan 1 in UTC.
    expect(stamp('Dec 31 23:30:00', '2027-01-01T07:31:00Z', 'America/Los_Angeles')).toEqual(
      new Date('2027-01-01T07:30:00Z'),
    );
    expect(stamp('Jul  1 12:00:00', '2026-07-02T00:00:00Z', 'Europe/Paris')).toEqual(new Date('2026-07-01T10:00:00Z'));
  });

  it('moves a time skipped by DST forward and reads a repeated one as its first occurrence', () => {
    const la = 'America/Los_Angeles';
    expect(stamp('Mar  8 02:30:00', '2026-03-09T00:00:00Z', la)).toEqual(new Date('2026-03-08T10:30:00Z')); // 03:30 PDT
    expect(stamp('Nov  1 01:30:00', '2026-11-02T00:00:00Z', la)).toEqual(new Date('2026-11-01T08:30:00Z')); // 01:30 PDT
    expect(stamp('Nov  1 03:00:00', '2026-11-02T00:00:00Z', la)).toEqual(new Date('2026-11-01T11:00:00Z')); // PST
  });

  it('falls back to UTC for an unknown zone instead of failing', () => {
    expect(stamp('Jul  1 12:00:00', '2026-07-02T00:00:00Z', 'Mars/Olympus')).toEqual(new Date('2026-07-01T12:00:00Z'));
  });
});

describe('decodePayload', () => {
  it('decodes UTF-8, marks invalid bytes, makes NUL visible and keeps a BOM', () => {
    expect(decodePayload(Buffer.from('<13>héllo ✓', 'utf8'))).toBe('<13>héllo ✓');
    expect(decodePayload(Buffer.from([0x3c, 0xff, 0x3e]))).toBe('<\uFFFD>');
    expect(decodePayload(Buffer.from('a\u0000b\u0000', 'utf8'))).toBe('a\u2400b\u2400');
    expect(decodePayload(Buffer.from('\uFEFFx', 'utf8'))).toBe('\uFEFFx');
  });
});
