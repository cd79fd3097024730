import { describe, expect, it } from 'vitest';
import { JUNOS, RFC } from './fixtures.ts';
import { parseSyslog } from './parse.ts';

const receivedAt = new Date('2026-12-02T10:00:05Z');
const parse = (raw: string) => parseSyslog(raw, { receivedAt });

describe('Junos BSD form and the console form', () => {
  it('reads host, process[pid] and the tag', () => {
    expect(parse('<28>Dec  2 10:00:00 re1 chassisd[1234]: CHASSISD_RE_MASTERSHIP: Mastership switched')).toEqual({
      format: 'RFC3164',
      facility: 3,
      severity: 4,
      timestamp: new Date('2026-12-02T10:00:00Z'),
      clock: null,
      hostname: 're1',
      appName: 'chassisd',
      procId: '1234',
      msgId: null,
      sequence: null,
      event: 'CHASSISD_RE_MASTERSHIP',
      structuredData: null,
      message: 'Mastership switched',
      parseError: null,
    });
    expect(
      parse("<190>Dec  2 10:00:00 mx1 mgd[4410]: UI_CMDLINE_READ_LINE: User 'root', command 'show version '"),
    ).toMatchObject({
      appName: 'mgd',
      event: 'UI_CMDLINE_READ_LINE',
      message: "User 'root', command 'show version '",
    });
  });

  it('reads the forms with odd spacing and without a host', () => {
    expect(parse(JUNOS.bsdFlow)).toMatchObject({
      hostname: 'INTERNET-ROUTER',
      appName: 'RT_FLOW',
      event: 'RT_FLOW_SESSION_CREATE',
      timestamp: new Date('2026-11-18T09:56:58Z'),
    });
    expect(parse(JUNOS.bsdNoHost)).toMatchObject({
      hostname: null,
      appName: 'RT_UTM',
      event: 'WEBFILTER_URL_PERMITTED',
    });
    expect(parse(JUNOS.noVersion)).toMatchObject({
      format: 'RFC3164',
      hostname: 'AB1234-A-AB-AB01C-ABC',
      parseError: null,
    });
  });

  it('keeps the other-RE and component qualifiers with the process name', () => {
    expect(parse('<28>Dec  2 10:00:00 mx1 re1 chassisd[1234]: CHASSISD_RE_MASTERSHIP: x')).toMatchObject({
      hostname: 'mx1',
      appName: 're1 chassisd',
      procId: '1234',
    });
    expect(parse('<28>Dec  2 10:00:00 mx1 fpc0 CMLC: Going disconnected')).toMatchObject({
      appName: 'fpc0 CMLC',
      message: 'Going disconnected',
    });
  });

  it('reads explicit-priority: the event is the Junos tag', () => {
    expect(
      parse(
        "<190>Dec  2 10:00:00 mx1 mgd[52402]: %INTERACT-6-UI_CMDLINE_READ_LINE: User 'noc', command 'show chassis fpc '",
      ),
    ).toMatchObject({
      appName: 'mgd',
      event: 'UI_CMDLINE_READ_LINE',
      message: "User 'noc', command 'show chassis fpc '",
    });
  });

  it('reads the console form from the MX480 notes, with an empty host after @', () => {
    expect(parse(JUNOS.console)).toEqual({
      format: 'RFC3164',
      facility: null,
      severity: null,
      timestamp: new Date('2025-12-29T19:11:57Z'), // 27 days ahead of receipt: last year
      clock: null,
      hostname: null,
      appName: 'fpc0 RDP',
      procId: null,
      msgId: null,
      sequence: null,
      event: null,
      structuredData: null,
      message: 'Remote side reset connection: rdp.(fpc0:22528).(serverRouter:ppm)',
      parseError: null,
    });
    const plain = 'Message from syslogd@mx480-re1 at Dec  1 19:11:57 ...\r\nfpc1 RDP: Remote side reset connection';
    expect(parse(plain)).toMatchObject({ hostname: 'mx480-re1', timestamp: new Date('2026-12-01T19:11:57Z') });
    expect(parse(`<25>\x07${plain}`)).toMatchObject({
      facility: 3,
      severity: 1,
      appName: 'fpc1 RDP',
      parseError: null,
    });
    // As FreeBSD's syslogd writes it to a terminal: a line break, then the BEL.
    expect(parse(`\r\n\x07${plain}`)).toMatchObject({ hostname: 'mx480-re1', appName: 'fpc1 RDP', parseError: null });
    // TCP newline framing splits it in two; the first line alone still reads.
    expect(parse('Message from syslogd@ at Dec 29 19:11:57 \u2026')).toMatchObject({ format: 'RFC3164', message: '' });
  });

  it('reads the RFC 3164 examples', () => {
    expect(parse(RFC.bsd1)).toMatchObject({
      hostname: 'mymachine',
      appName: 'su',
      timestamp: new Date('2026-10-11T22:14:15Z'),
    });
    expect(parse(RFC.bsd2)).toMatchObject({ hostname: '10.0.0.99', appName: null, message: 'Use the BFG!' });
  });
});
