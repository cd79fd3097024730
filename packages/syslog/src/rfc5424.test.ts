import { describe, expect, it } from 'vitest';
import { JUNOS, RFC } from './fixtures.ts';
import { parseSyslog } from './parse.ts';

const receivedAt = new Date('2026-12-02T10:00:05Z');
const parse = (raw: string, timeZone?: string) => parseSyslog(raw, { receivedAt, ...(timeZone && { timeZone }) });

describe('RFC 5424', () => {
  it('reads the specification examples: NILVALUE, BOM, fractional seconds, offsets, SD', () => {
    expect(parse(RFC.ex1)).toMatchObject({
      format: 'RFC5424',
      facility: 4,
      severity: 2,
      timestamp: new Date('2003-10-11T22:14:15.003Z'),
      hostname: 'mymachine.example.com',
      appName: 'su',
      procId: null,
      msgId: 'ID47',
      structuredData: null,
      message: "'su root' failed for lonvick on /dev/pts/8", // the BOM is gone
      parseError: null,
    });
    // .000003 is below a millisecond; -07:00 is an offset.
    expect(parse(RFC.ex2)).toMatchObject({
      timestamp: new Date('2003-08-24T12:14:15.000Z'),
      procId: '8710',
      msgId: null,
      event: null, // `%%` is not a Cisco event
      message: "%% It's time to make the do-nuts.",
    });
    expect(parse(RFC.ex3).structuredData).toEqual({
      'exampleSDID@32473': { iut: '3', eventSource: 'Application', eventID: '1011' },
    });
    expect(parse(RFC.ex3).message).toBe('An application event log entry...');
    const two = parse(RFC.ex4);
    expect(Object.keys(two.structuredData!)).toEqual(['exampleSDID@32473', 'examplePriority@32473']);
    expect(two.message).toBe('');
  });

  it('unescapes \\" \\] and \\\\ in values and keeps other backslashes', () => {
    const p = parse('<14>1 2026-12-02T10:00:00Z h a p m [x@1 q="a\\"b" r="c\\]d" s="e\\\\" t="f\\ng"] text');
    expect(p.structuredData).toEqual({ 'x@1': { q: 'a"b', r: 'c]d', s: 'e\\', t: 'f\\ng' } });
    expect(p.message).toBe('text');
  });

  it('reads Junos structured-data messages', () => {
    expect(parse(JUNOS.structured)).toMatchObject({
      format: 'RFC5424',
      facility: 20,
      severity: 5,
      hostname: 'router1',
      appName: 'mgd',
      procId: '3046',
      event: 'UI_DBASE_LOGOUT_EVENT',
      structuredData: { 'junos@2636.1.1.1.2.18': { username: 'user' } },
      message: "User 'user' exiting configuration mode",
    });
    const srx = parse(JUNOS.srx240);
    expect(srx).toMatchObject({ appName: 'RT_FLOW', procId: null, event: 'RT_FLOW_SESSION_DENY', message: '' });
    expect(srx.structuredData!['junos@2636.1.1.1.2.39']).toMatchObject({ 'source-port': '56639', encrypted: 'No' });
    const kmd = parse(JUNOS.escapedBracket);
    expect(kmd.timestamp).toEqual(new Date('2023-05-04T05:27:26.461Z'));
    expect(kmd.structuredData!['junos@1111.1.1.1.1.111']).toMatchObject({
      'local-initiator': 'ipv4_subnet(any:0,[0..7]=89.160.20.112/29)',
      'first-forwarding-class': '',
    });
    expect(kmd.message).toBe('Local gateway: 89.160.20.115, Remote gateway: 67.43.156.1');
    expect(parse(JUNOS.allNil)).toMatchObject({ appName: null, procId: null, msgId: null, structuredData: null });
  });

  it('reads the brief example and the lab simulator format', () => {
    const junos = parse(
      '<30>1 2026-12-02T10:00:00.123Z re0 chassisd 1234 CHASSISD_RE_MASTERSHIP [junos@2636.1.1.1.2.18 old-master="re1"] Mastership switched',
    );
    expect(junos).toMatchObject({ hostname: 're0', event: 'CHASSISD_RE_MASTERSHIP', message: 'Mastership switched' });
    // apps/lab formats Cisco as MSGID = mnemonic and MSG = `%MNEMONIC: text`.
    const lab = parse(
      '<189>1 2026-12-02T10:00:00.000Z rtr1 ISSU - ISSU-5-ISSU_ACCEPTVERSION - %ISSU-5-ISSU_ACCEPTVERSION: Rollback timer stopped',
    );
    expect(lab).toMatchObject({
      appName: 'ISSU',
      event: 'ISSU-5-ISSU_ACCEPTVERSION',
      message: 'Rollback timer stopped',
    });
  });

  it('takes the Cisco event and sequence number from MSG when MSGID is NIL', () => {
    expect(
      parse('<189>1 2026-12-02T10:00:00Z r1 - - - - 000123: %SYS-5-RELOAD: Reload requested by console.'),
    ).toMatchObject({
      event: 'SYS-5-RELOAD',
      sequence: 123,
      message: 'Reload requested by console.',
    });
  });

  it('reads timeQuality and meta sequenceId', () => {
    const synced = parse(
      '<14>1 2026-12-02T10:00:00Z h a - - [timeQuality tzKnown="1" isSynced="1"][meta sequenceId="42"] x',
    );
    expect(synced).toMatchObject({ clock: 'SYNCED', sequence: 42 });
    expect(parse('<14>1 2026-12-02T10:00:00Z h a - - [timeQuality isSynced="0"] x').clock).toBe('UNSYNCED');
    expect(parse('<14>1 2026-12-02T10:00:00Z h a - - - x').clock).toBeNull();
  });

  it('gives a NIL or unreadable timestamp as null and a zoneless one in the configured zone', () => {
    expect(parse('<14>1 - h a - - - x')).toMatchObject({ timestamp: null, parseError: null });
    // A space inside the stamp: unreadable, and the fields after it shift, but nothing throws.
    expect(parse('<14>1 2011-11-30T00: 6:15.274 srx5800n0 RT_FLOW - - x').timestamp).toBeNull();
    expect(parse('<14>1 2026-13-40T10:00:00Z h a - - - x')).toMatchObject({ timestamp: null, parseError: null });
    expect(parse('<14>1 2026-07-01T10:00:00 h a - - - x', 'Europe/Paris').timestamp).toEqual(
      new Date('2026-07-01T08:00:00Z'),
    );
  });

  it('keeps an SD-ID or PARAM-NAME of __proto__ as data', () => {
    const p = parse('<14>1 - h a - - [__proto__ __proto__="x"] y');
    expect(Object.keys(p.structuredData!)).toEqual(['__proto__']);
    expect(p.structuredData!['__proto__']!['__proto__']).toBe('x');
  });

  it.each([
    ['<30>1 2026-12-02T10:00:00Z re0', 'truncated RFC 5424 header (3 of 6 fields)', { hostname: 're0' }],
    ['<30>1 2026-12-02T10:00:00Z re0 chassisd 1234 TAG', 'truncated RFC 5424 header (no STRUCTURED-DATA)', {}],
    ['<30>1 2026-12-02T10:00:00Z  re0 a b c -', 'empty RFC 5424 header field 3', {}],
    ['<30>1 - h a b c [junos@2636 a="b', 'unterminated value of a in [junos@2636', { hostname: 'h', appName: 'a' }],
    ['<30>1 - h a b c [junos@2636 a="b"', 'unterminated SD-ELEMENT [junos@2636', {}],
    ['<30>1 - h a b c [junos@2636 a=b] x', 'malformed SD-PARAM in [junos@2636 at offset 24', {}],
    ['<30>1 - h a b c [ a="b"] x', 'empty SD-ID at offset 13', {}],
    ['<30>2 - h a b c - x', 'unsupported syslog version 2', {}],
  ])('reports %j as an error and keeps the raw text', (raw, error, known) => {
    const p = parse(raw);
    expect(p).toMatchObject({ format: null, facility: 3, severity: 6, message: raw, parseError: error, ...known });
  });
});
