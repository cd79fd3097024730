import { describe, expect, it } from 'vitest';
import { SyslogStreamFramer, type FramedMessage } from './framer.ts';

const ok = (text: string): FramedMessage => ({ text, truncated: false, error: null });

function feed(chunks: Buffer[], max = 1024): FramedMessage[] {
  const framer = new SyslogStreamFramer({ maxMessageBytes: max });
  return [...chunks.flatMap((c) => framer.push(c)), ...framer.end()];
}

const octet = (msg: string) => `${Buffer.byteLength(msg)} ${msg}`;

describe('SyslogStreamFramer', () => {
  const a = '<189>45: Dec  2 10:00:00: %LINK-3-UPDOWN: Interface Gi0/1, changed state to down';
  const b = '<30>1 2026-12-02T10:00:00.123Z re0 chassisd 1234 CHASSISD_RE_MASTERSHIP [junos@2636 a="x\ny"] multi\nline';
  const c = '<13>héllo ✓ wörld';

  it('frames octet counting and newline framing mixed on one connection', () => {
    const stream = `${octet(b)}${a}\n${octet(c)}${c}\r\n${a}\u0000\n\n${octet(a)}\n${a}`;
    expect(feed([Buffer.from(stream)])).toEqual([ok(b), ok(a), ok(c), ok(c), ok(a), ok(a), ok(a)]);
  });

  it('gives the same messages however the stream is split (every byte position, and byte by byte)', () => {
    const stream = Buffer.from(`${octet(c)}${a}\r\n${octet(b)}${c}\n`);
    const expected = [ok(c), ok(a), ok(b), ok(c)];
    for (let i = 0; i <= stream.length; i++)
      expect(feed([stream.subarray(0, i), stream.subarray(i)])).toEqual(expected);
    expect(feed([...stream].map((byte) => Buffer.from([byte])))).toEqual(expected);
  });

  it('cuts an octet-counted frame longer than the limit and goes on with the next frame', () => {
    // Octet-counting senders send no newlines: the frames after a long one must still be found.
    const long = `<14>${'x'.repeat(40)}`;
    const stream = Buffer.from(`${octet(long)}${octet(a)}${octet(c)}`);
    const expected = [
      { text: long.slice(0, 16), truncated: true, error: `octet count ${long.length} exceeds the 16-byte limit; cut` },
      {
        text: a.slice(0, 16),
        truncated: true,
        error: `octet count ${Buffer.byteLength(a)} exceeds the 16-byte limit; cut`,
      },
    ];
    expect(feed([stream], 16).slice(0, 2)).toEqual(expected);
    // Split anywhere, the same frames.
    for (let i = 0; i <= stream.length; i += 7)
      expect(feed([stream.subarray(0, i), stream.subarray(i)], 16).slice(0, 2)).toEqual(expected);
    expect(feed([Buffer.from(`${octet(long)}${octet(c)}`)], 64)).toEqual([
      { text: long, truncated: false, error: null },
      ok(c),
    ]);
  });

  it('reads a malformed count as the start of a line', () => {
    expect(feed([Buffer.from(`12abc def\n${octet(a)}`)])).toEqual([
      { text: '12abc def', truncated: false, error: 'invalid octet count "12a…"; read as a line' },
      ok(a),
    ]);
    expect(
      feed([Buffer.from(`0 x\n123: *Mar  1 00:01:02: %SYS-5-CONFIG_I: x\n`)]).map((m) => [m.text, m.error !== null]),
    ).toEqual([
      ['0 x', true],
      ['123: *Mar  1 00:01:02: %SYS-5-CONFIG_I: x', true],
    ]);
    expect(feed([Buffer.from('12345678901234 x\n')])[0]!.error).toMatch(/^invalid octet count/);
  });

  it('cuts a line at the limit without splitting a character, then drops the rest of it', () => {
    const framer = new SyslogStreamFramer({ maxMessageBytes: 9 });
    expect(framer.push(Buffer.from('<13>abcé'))).toEqual([]); // exactly 9 bytes: fits
    expect(framer.push(Buffer.from('éé tail'))).toEqual([{ text: '<13>abcé', truncated: true, error: null }]);
    expect(framer.push(Buffer.from(' more\nnext\n'))).toEqual([ok('next')]);
    expect(feed([Buffer.from('<13>abcdeé\n')], 9)).toEqual([{ text: '<13>abcde', truncated: true, error: null }]);
  });

  it('never holds more than the limit, however long a line runs', () => {
    const framer = new SyslogStreamFramer({ maxMessageBytes: 100 });
    const out: FramedMessage[] = [];
    for (let i = 0; i < 300; i++) out.push(...framer.push(Buffer.alloc(64 * 1024, 0x41)));
    expect(out).toHaveLength(1);
    expect(out[0]).toMatchObject({ truncated: true });
    expect(out[0]!.text).toHaveLength(100);
    expect(framer.push(Buffer.from('\nok\n'))).toEqual([ok('ok')]);
  });

  it('returns what is left when the connection closes', () => {
    expect(feed([Buffer.from(`${a}\n${c}`)])).toEqual([ok(a), ok(c)]);
    expect(feed([Buffer.from('20 <13>only')])).toEqual([
      { text: '<13>only', truncated: true, error: 'connection closed after 8 of 20 octets' },
    ]);
    expect(feed([Buffer.from('123')])).toEqual([
      { text: '123', truncated: false, error: 'connection closed inside the octet count "123"' },
    ]);
    expect(feed([Buffer.from('\n\r\n\u0000')])).toEqual([]);
    const framer = new SyslogStreamFramer({ maxMessageBytes: 10 });
    expect(framer.end()).toEqual([]);
    expect(framer.push(Buffer.from('5 hello'))).toEqual([ok('hello')]); // reusable after end()
  });

  it('makes NUL inside an octet-counted frame visible instead of ending it', () => {
    expect(feed([Buffer.from('5 a\u0000b\u0000c')])).toEqual([ok('a\u2400b\u2400c')]);
  });
});
