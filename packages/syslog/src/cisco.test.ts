import { describe, expect, it } from 'vitest';
import { CISCO } from './fixtures.ts';
import { parseSyslog } from './parse.ts';

const receivedAt = new Date('2026-12-02T10:00:05Z');
const parse = (raw: string, timeZone?: string) => parseSyslog(raw, { receivedAt, ...(timeZone && { timeZone }) });

describe('Cisco IOS / IOS-XE (RFC 3164 variants)', () => {
  it('reads the sequence number, `*` (clock not set), milliseconds and the UTC zone', () => {
    expect(parse('<189>123: *Mar  1 00:01:02.345 UTC: %SYS-5-CONFIG_I: Configured from console by vty0')).toEqual({
      format: 'RFC3164',
      facility: 23,
      severity: 5,
      timestamp: new Date('2026-03-01T00:01:02.345Z'),
      clock: 'UNSET',
      hostname: null,
      appName: null,
      procId: null,
      msgId: null,
      sequence: 123,
      event: 'SYS-5-CONFIG_I',
      structuredData: null,
      message: 'Configured from console by vty0',
      parseError: null,
    });
  });

  it('reads `.` (not in sync) and a hostname or address before the sequence number', () => {
    expect(
      parse('<189>10.0.0.1 123: .Dec  2 10:00:00.123 UTC: %RF-5-RF_TERMINAL_STATE: Terminal state reached for (SSO)'),
    ).toMatchObject({
      hostname: '10.0.0.1',
      sequence: 123,
      clock: 'UNSYNCED',
      timestamp: new Date('2026-12-02T10:00:00.123Z'),
      event: 'RF-5-RF_TERMINAL_STATE',
    });
    expect(parse('<189>45: router1: 000123: *Mar  1 00:01:02.345 UTC: %SYS-5-CONFIG_I: x')).toMatchObject({
      hostname: 'router1',
      sequence: 123, // the service sequence number, not the syslog message counter before the host
    });
    expect(parse(CISCO.ipBeforeSequence)).toMatchObject({ hostname: '192.168.100.2', sequence: 3132513 });
    expect(parse(CISCO.ipv6OriginId)).toMatchObject({ hostname: '2a02:cf40::', sequence: 3132779 });
    expect(parse(CISCO.hostBeforeStamp)).toMatchObject({ hostname: '4firewall.local', event: 'FOO-6-BAR' });
    expect(parse(CISCO.counterHostSequence)).toMatchObject({ hostname: 'foo', sequence: 6340004, clock: 'UNSET' });
  });

  it('reads a message with no host field at all, and the double-space day', () => {
    expect(parse('<189>45: Dec  2 10:00:00: %LINK-3-UPDOWN: Interface Gi0/1, changed state to down')).toMatchObject({
      hostname: null,
      sequence: 45,
      timestamp: new Date('2026-12-02T10:00:00Z'),
      clock: null, // nothing marks the clock either way
      event: 'LINK-3-UPDOWN',
      message: 'Interface Gi0/1, changed state to down',
    });
    expect(parse(CISCO.gmtZone)).toMatchObject({
      hostname: null,
      sequence: 364241,
      timestamp: new Date('2026-05-19T16:58:44.814Z'),
    });
  });

  it('keeps sub-facility event forms whole', () => {
    for (const [raw, event] of [
      ['<189>1: %RF-5-RF_TERMINAL_STATE: x', 'RF-5-RF_TERMINAL_STATE'],
      ['<190>1: %HA_CONFIG_SYNC-6-BULK_CFGSYNC_SUCCEED: Bulk Sync succeeded', 'HA_CONFIG_SYNC-6-BULK_CFGSYNC_SUCCEED'],
      ['<189>1: %SYS-5-RELOAD: Reload requested', 'SYS-5-RELOAD'],
      ['<189>1: %INSTALL-5-INSTALL_START_INFO: Started install activate', 'INSTALL-5-INSTALL_START_INFO'],
      ['<189>1: %ISSU-5-ISSU_RUNVERSION: x', 'ISSU-5-ISSU_RUNVERSION'],
      [CISCO.subFacility, 'PIM-SW1-6-INVALID_RP_JOIN'],
      [CISCO.standbySubFacility, 'SYSMGR-STANDBY-3-SHUTDOWN_START'],
    ] as const)
      expect(parse(raw).event).toBe(event);
  });

  it('reads the IOS-XE SSO bring-up lines (time of day only: no date, so no timestamp)', () => {
    expect(parse(CISCO.bulkSync)).toMatchObject({
      event: 'HA_CONFIG_SYNC-6-BULK_CFGSYNC_SUCCEED',
      timestamp: null,
      clock: 'UNSET',
    });
    expect(parse(CISCO.terminalState)).toMatchObject({
      event: 'RF-5-RF_TERMINAL_STATE',
      message: '1 ha_mgr:  Terminal state reached for (SSO)',
    });
    expect(parse(CISCO.terminalStatePdt)).toMatchObject({
      event: 'RF-5-RF_TERMINAL_STATE',
      timestamp: null,
      parseError: null,
    });
  });

  it('reads the header forms IOS and relays print', () => {
    expect(parse(CISCO.yearInStamp)).toMatchObject({
      sequence: 2360957,
      timestamp: new Date('2022-01-06T20:52:12.861Z'),
    });
    expect(parse(CISCO.bareColon)).toMatchObject({ hostname: 'sw01', sequence: null, event: 'SYS-5-CONFIG_I' });
    expect(parse(CISCO.twoCounters)).toMatchObject({ sequence: 3352457, event: 'IOSXE-6-PLATFORM' });
    expect(parse(CISCO.noEvent)).toMatchObject({
      hostname: 'rt401-rk30409',
      event: null,
      message: 'NTP Core (NOTICE): Clock synchronization lost.',
    });
    expect(parse(CISCO.bsdHeaderNoColon)).toMatchObject({
      hostname: '10.53.35.85',
      event: 'ILPOWER-5-IEEE_DISCONNECT',
    });
    expect(parse(CISCO.isoHeader)).toMatchObject({
      hostname: 'TestDevice',
      timestamp: new Date('2024-10-11T15:15:31.208Z'),
    });
    expect(parse(CISCO.yearFirst)).toMatchObject({
      timestamp: new Date('2024-08-27T21:40:50Z'),
      event: 'SNMPD-6-INFO',
    });
    expect(parse(CISCO.uptime)).toMatchObject({ hostname: 'sw01', sequence: 3132513, timestamp: null });
    expect(parse(CISCO.unsetClock)).toMatchObject({ clock: 'UNSET', timestamp: new Date('2023-07-14T08:23:43.398Z') });
  });

  it('prefers the device stamp and the relay host when a relay adds a header', () => {
    for (const raw of [CISCO.relayThenOriginId, CISCO.counterBeforeRelay])
      expect(parse(raw)).toMatchObject({
        hostname: '192.168.100.2',
        sequence: 3132779,
        timestamp: new Date('2023-07-14T08:23:43.398Z'),
        event: 'FOO-6-BAR',
        message: 'Test header format',
      });
    expect(parse(CISCO.relayedSequence)).toMatchObject({
      hostname: '198.51.100.2',
      sequence: 585917,
      timestamp: new Date('2026-02-08T04:00:47.272Z'),
    });
  });

  it('trusts only UTC/GMT and numeric zones; other names mean the configured zone', () => {
    expect(parse(CISCO.zoneOffset).timestamp).toEqual(new Date('2026-05-06T08:43:09.123Z'));
    const la = 'America/Los_Angeles';
    expect(parse('<189>1: Dec  2 01:00:00.000 PST: %SYS-5-CONFIG_I: x', la).timestamp).toEqual(
      new Date('2026-12-02T09:00:00Z'),
    );
    expect(parse('<189>1: Dec  2 01:00:00.000 MYZONE: %SYS-5-CONFIG_I: x', la).timestamp).toEqual(
      new Date('2026-12-02T09:00:00Z'),
    );
    expect(parse('<189>1: Dec  2 01:00:00.000 UTC: %SYS-5-CONFIG_I: x', la).timestamp).toEqual(
      new Date('2026-12-02T01:00:00Z'),
    );
    expect(parse('<189>1: Dec  2 01:00:00.000 CEST: %SYS-5-CONFIG_I: x').timestamp).toEqual(
      new Date('2026-12-02T01:00:00Z'),
    );
  });

  it('reads a TAG after a BSD host as the app, also before a Cisco-style event (logger -t, a relay)', () => {
    expect(parse('<188>Dec  2 15:32:40 vm hitless-test: %ISSU-4-TEST: marker')).toMatchObject({
      hostname: 'vm',
      appName: 'hitless-test',
      event: 'ISSU-4-TEST',
      message: 'marker',
    });
    // Without a BSD host, `word: %EVENT` stays Cisco's origin-id hostname.
    expect(parse('<189>45: router1: *Mar  1 00:01:02.345 UTC: %SYS-5-CONFIG_I: x')).toMatchObject({
      hostname: 'router1',
      appName: null,
    });
  });

  it('does not take an app name for a host', () => {
    expect(parse('<13>sshd: hello')).toMatchObject({ hostname: null, appName: 'sshd', message: 'hello' });
    expect(parse('<13>hello world')).toMatchObject({ format: 'RFC3164', hostname: null, message: 'hello world' });
  });
});
