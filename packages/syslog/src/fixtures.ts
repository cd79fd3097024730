// Real messages for the tests, each with where it was captured. Lines taken from log files or
// consoles had no <PRI> there; the PRI we put in front is marked "(PRI ours)". Nothing else in
// a capture is changed.

/** Cisco IOS / IOS-XE. */
export const CISCO = {
  // elastic/integrations packages/cisco_ios/data_stream/log/_dev/test/pipeline/test-syslog.log
  // (commit 024bada): IOS with the year in the stamp, a bare ": " where the counter is off,
  // origin-id hostnames, numeric zones, a message without %event, IOS-XE double counters.
  yearInStamp:
    '<189>2360957: Jan  6 2022 20:52:12.861: %SYS-5-CONFIG_I: Configured from console by akroh on vty0 (10.100.11.10)',
  bareColon:
    '<189>: sw01: Jan  6 2022 21:01:34.964: %SYS-5-CONFIG_I: Configured from console by akroh on vty0 (10.100.11.10)',
  zoneOffset:
    '<189>387448: host-01: May 6 16:13:09.123 UTC+07:30: %DOT1X-5-FAIL: Authentication failed for client (001e.0b80.13b5) on Interface Gi1/0/16 AuditSessionID 000000000000011D51B826E5',
  noEvent: '<191>2637085: rt401-rk30409: Aug 18 07:15:04.461 CEST: NTP Core (NOTICE): Clock synchronization lost.',
  twoCounters:
    '<190>3352436: 3352457: Aug 12 2023 12:14:24.412 mdt: %IOSXE-6-PLATFORM: R0/0: cpp_cp: QFP:0.0 Thread:001 TS:00013807766185951588 %FW-6-SESS_AUDIT_TRAIL: (target:class) (ZP_PROCESS_TO_CORPORATE:CM_PROCESS_TO_CORPORATE):Stop dns session: initiator (10.50.14.44:33207) sent 48 bytes -- responder (10.120.42.6:53) sent 40 bytes, from GigabitEthernet10/0/2.6',
  bsdHeaderNoColon: '<189>Jun 12 18:10:50 10.53.35.85 %ILPOWER-5-IEEE_DISCONNECT: Interface Gi1/0/20: PD removed',
  isoHeader:
    '<189>2024-10-11T10:15:31.208321-05:00 TestDevice %LINEPROTO-5-UPDOWN: Line protocol on Interface TenGigabitEthernet1/0/1, changed state to up',
  // elastic/integrations .../test-syslog-header.log (commit 237db74): every header IOS and relays print.
  relayThenOriginId:
    '<190>Jul 13 08:23:43 192.168.100.2 sw01: 3132779: Jul 14 2023 08:23:43.398 UTC: %FOO-6-BAR: Test header format',
  counterBeforeRelay:
    '<190>3132517: Jul 13 08:23:43 192.168.100.2 sw01: 3132779: Jul 14 2023 08:23:43.398 UTC: %FOO-6-BAR: Test header format',
  ipBeforeSequence: '<190>3132517: 192.168.100.2 3132513: Jul 14 2023 08:23:43.398 UTC: %FOO-6-BAR: Test header format',
  ipv6OriginId: '<190>3132783: 2a02:cf40::: 3132779: Jul 14 2023 08:23:43.398 UTC: %FOO-6-BAR: Test header format',
  unsetClock: '<190>*Jul 14 2023 08:23:43.398 UTC: %FOO-6-BAR: Test header format',
  uptime: '<190>3132517: sw01: 3132513: 2y10w: %FOO-6-BAR: Test header format',
  // elastic/integrations .../test-numeric-hostname.log (commit 65ea091): a host before the stamp.
  hostBeforeStamp:
    '<190>3132517: 4firewall.local Jul 14 2023 08:23:43.398 UTC: %FOO-6-BAR: Hostname starting with digit and FQDN',
  // elastic/integrations .../test-yearfirst-timestamp.log (commit c81e9fe): NX-OS year first.
  yearFirst:
    '<46>: 2024 Aug 27 21:40:50 PDT: %SNMPD-6-INFO: SNMP log informational : Processing packet for non-MTS (sockets)',
  // elastic/beats x-pack/filebeat/module/cisco/ios/test/cisco-ios-syslog.log (commit 543ff31):
  // a syslog server's file, so the relay's header and the device's address come first. (PRI ours)
  relayedSequence:
    '<190>Feb  8 04:00:48 198.51.100.2 585917: Feb  8 04:00:47.272: %SEC-6-IPACCESSLOGRP: list 177 denied igmp 198.51.100.197 -> 224.0.0.22, 1 packet',
  subFacility:
    '<190>Mar 24 17:37:39 198.51.100.2 1991221: Mar 24 17:37:39 UTC: %PIM-SW1-6-INVALID_RP_JOIN: Received (*, 10.36.2.78) Join from 10.4.5.66 for invalid RP 10.3.66.3',
  // splunk/splunk-connect-for-syslog tests/test_cisco_ios.py (commit 06b0d79), comments there.
  gmtZone:
    '<187>364241: May 19 16:58:44.814 GMT: %ADJ-3-RESOLVE_REQ: Adj resolve request: Failed to resolve 1.1.1.1 Vlan1',
  counterHostSequence:
    '<166>30: foo: 6340004: *Mar  4 11:45:20: %SEC-6-IPACCESSLOGP: list INET-BLOCK permitted tcp 192.168.20.252(55244) -> 10.54.3.178(44818), 1 packet',
  standbySubFacility:
    '<166>foo: *Apr 29 13:58:46.411: %SYSMGR-STANDBY-3-SHUTDOWN_START: The System Manager has started the shutdown procedure.',
  // PackeTsar/freeztp TIPS.md (commit 06c9ea6): IOS-XE 3.7.4E and 16.3.6 logging buffers during
  // a stack's SSO bring-up, stamps without a date. (PRI ours)
  bulkSync: '<190>*21:33:42.831: %HA_CONFIG_SYNC-6-BULK_CFGSYNC_SUCCEED: Bulk Sync succeeded',
  terminalState: '<189>*21:33:43.824: %RF-5-RF_TERMINAL_STATE: 1 ha_mgr:  Terminal state reached for (SSO)',
  terminalStatePdt: '<189>21:56:01.735 PDT: %RF-5-RF_TERMINAL_STATE: Terminal state reached for (SSO)',
} as const;

/** Junos. */
export const JUNOS = {
  // splunk/splunk-connect-for-syslog tests/test_juniper_junos_rfc5424.py (commit 157e50c), the
  // example of Juniper's "Interpreting Messages Generated in Structured-Data Format".
  structured:
    '<165>1 2007-02-15T09:17:15.719Z router1 mgd 3046 UI_DBASE_LOGOUT_EVENT [junos@2636.1.1.1.2.18 username="user"] User \'user\' exiting configuration mode',
  // Graylog2/graylog2-server SyslogCodecTest.java (commit 0034d7c): "from a Juniper SRX 240 device".
  srx240:
    '<14>1 2014-05-01T08:26:51.179Z fw01 RT_FLOW - RT_FLOW_SESSION_DENY [junos@2636.1.1.1.2.39 source-address="1.2.3.4" source-port="56639" destination-address="5.6.7.8" destination-port="2003" service-name="None" protocol-id="6" icmp-type="0" policy-name="log-all-else" source-zone-name="campus" destination-zone-name="mngmt" application="UNKNOWN" nested-application="UNKNOWN" username="N/A" roles="N/A" packet-incoming-interface="reth6.0" encrypted="No"]',
  // elastic/integrations packages/juniper_srx/data_stream/log/_dev/test/pipeline/test-system.log
  // (commit 19b48d2): an escaped `]` in a value, an empty value, all-NIL headers.
  escapedBracket:
    '<30>1 2023-05-04T15:27:26.461+10:00 AB1234-A-AB-AB01C-ABC kmd 13862 KMD_PM_SA_ESTABLISHED [junos@1111.1.1.1.1.111 local-address="89.160.20.112" remote-address="67.43.156.0" local-initiator="ipv4_subnet(any:0,[0..7\\]=89.160.20.112/29)" remote-responder="ipv4_subnet(any:0,[0..7\\]=67.43.156.0/24)" argument1="outbound" index1="3700499780" index2="0" mode="Tunnel" type="dynamic" traffic-selector-name="" first-forwarding-class=""] Local gateway: 89.160.20.115, Remote gateway: 67.43.156.1',
  allNil:
    '<158>1 2023-05-04T15:18:05.010+10:00 AB1234-ABC2-AB-AB01C-ABC - - - - node1.fpc0 PFE_FW_SYSLOG_IP: FW: reth5.175 A pim 67.43.156.1 89.160.20.113 0 0 (1 packets) ',
  noVersion:
    '<166> 2023-05-08T10:54:24.756+10:00 AB1234-A-AB-AB01C-ABC - - - - AB1234-A-AB-AB01C-ABC nh_fabric_fill_jnhinfo: ABCDE: Test default message 123456',
  // splunk/splunk-connect-for-syslog tests/test_juniper_junos_rfc3164.py (commit 09b1b14),
  // comments there: BSD form with a space after PRI, two before the host, or no host at all.
  bsdFlow:
    '<23> Nov 18 09:56:58  INTERNET-ROUTER RT_FLOW: RT_FLOW_SESSION_CREATE: session created 192.168.1.102/58662->8.8.8.8/53 junos-dns-udp 68.144.1.1/55893->8.8.8.8/53 TRUST-INET-ACCESS None 17 OUTBOUND-INTERNET-ACCESS TRUST INTERNET 6316 N/A(N/A) vlan.192',
  bsdNoHost:
    '<23> Mar 18 17:56:52 RT_UTM: WEBFILTER_URL_PERMITTED: WebFilter: ACTION="URL Permitted" 192.168.32.1(62054)->1.1.1.1(443) CATEGORY="Enhanced_Information_Technology" REASON="BY_PRE_DEFINED" PROFILE="UTM-Wireless-Profile" URL=ent-shasta-rrs.symantec.com OBJ=/ username N/A roles N/A',
  // /work/shared/seeds/001_3d24d37913ee28f9.txt line 57 (MX480 ISSU field notes): the backup
  // RE's console during the switchover, verbatim from the HTML dump (the ellipsis is an entity).
  console:
    'Message from syslogd@ at Dec 29 19:11:57 &#8230;  \nfpc0 RDP: Remote side reset connection: rdp.(fpc0:22528).(serverRouter:ppm) ',
} as const;

/** RFC 5424 section 6.5 and RFC 3164 section 5.4, the specifications' own examples. */
export const RFC = {
  ex1: "<34>1 2003-10-11T22:14:15.003Z mymachine.example.com su - ID47 - \uFEFF'su root' failed for lonvick on /dev/pts/8",
  ex2: "<165>1 2003-08-24T05:14:15.000003-07:00 192.0.2.1 myproc 8710 - - %% It's time to make the do-nuts.",
  ex3: '<165>1 2003-10-11T22:14:15.003Z mymachine.example.com evntslog - ID47 [exampleSDID@32473 iut="3" eventSource="Application" eventID="1011"] \uFEFFAn application event log entry...',
  ex4: '<165>1 2003-10-11T22:14:15.003Z mymachine.example.com evntslog - ID47 [exampleSDID@32473 iut="3" eventSource="Application" eventID="1011"][examplePriority@32473 class="high"]',
  bsd1: "<34>Oct 11 22:14:15 mymachine su: 'su root' failed for lonvick on /dev/pts/8",
  bsd2: '<13>Feb  5 17:32:18 10.0.0.99 Use the BFG!',
} as const;
