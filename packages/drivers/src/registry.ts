// Which parser reads which command, for `npm run parse` and for anyone holding captured output.
import * as cisco from './cisco/parsers.ts';
import * as junos from './junos/parsers.ts';

export interface ParserEntry {
  vendor: 'cisco' | 'junos';
  /** The command as typed, arguments written as <placeholders>. */
  command: string;
  matches: RegExp;
  parse: (text: string) => unknown;
}

const entry = (
  vendor: ParserEntry['vendor'],
  command: string,
  matches: RegExp,
  parse: (text: string) => unknown,
): ParserEntry => ({ vendor, command, matches, parse });

export const PARSERS: ParserEntry[] = [
  entry('cisco', 'show version', /^sh(ow)? ver(sion)?$/, cisco.parseShowVersion),
  entry('cisco', 'show redundancy', /^sh(ow)? red(undancy)?$/, cisco.parseRedundancy),
  entry('cisco', 'show redundancy states', /^sh(ow)? red(undancy)? states?$/, cisco.parseRedundancyStates),
  entry('cisco', 'show issu state [detail]', /^sh(ow)? issu state( detail)?$/, (t) => cisco.parseIssuState(t)),
  entry('cisco', 'show issu rollback-timer', /^sh(ow)? issu rollback[- ]timer$/, cisco.parseRollbackTimer),
  entry('cisco', 'show issu comp-matrix stored', /^sh(ow)? issu comp-matrix stored$/, cisco.parseCompMatrixStored),
  entry('cisco', 'dir <filesystem>', /^dir(ectory)?( \S+)?$/, (t) => cisco.parseDir(t)),
  entry('cisco', 'verify /md5 <file>', /^verify \/(md5|sha256|sha512) \S+$/, cisco.parseVerify),
  entry('cisco', 'show ip interface brief', /^sh(ow)? ip int(erface)? br(ief)?$/, cisco.parseIpInterfaceBrief),
  entry('cisco', 'show ip bgp summary', /^sh(ow)? ip bgp sum(mary)?$/, cisco.parseIpBgpSummary),
  entry('cisco', 'ping <target>', /^ping \S+$/, cisco.parsePing),
  entry('cisco', 'show running-config', /^sh(ow)? run(ning-config)?/, cisco.parseNsf),
  entry(
    'junos',
    'show version [invoke-on all-routing-engines]',
    /^show version( invoke-on all-routing-engines)?$/,
    (t) => junos.parseShowVersion(t),
  ),
  entry('junos', 'show chassis routing-engine', /^show chassis routing-engine$/, junos.parseChassisRoutingEngine),
  entry('junos', 'show system switchover', /^show system switchover/, junos.parseSystemSwitchover),
  entry('junos', 'show system storage', /^show system storage$/, junos.parseSystemStorage),
  entry('junos', 'file list <directory> [detail]', /^file list \S+( detail)?$/, junos.parseFileList),
  entry('junos', 'file checksum md5|sha-256 <file>', /^file checksum (md5|sha-256|sha1) \S+$/, junos.parseFileChecksum),
  entry(
    'junos',
    'show configuration <path> | display set',
    /^show configuration.*\| display set$/,
    junos.parseDisplaySet,
  ),
  entry('junos', 'show bgp summary', /^show bgp summary$/, junos.parseBgpSummary),
  entry('junos', 'show interfaces terse', /^show interfaces terse$/, junos.parseInterfacesTerse),
  entry('junos', 'show chassis in-service-upgrade', /^show chassis in-service-upgrade$/, junos.parseChassisIssuStatus),
];

export function findParser(vendor: 'cisco' | 'junos', command: string): ParserEntry | undefined {
  const normalised = command.trim().replace(/\s+/g, ' ');
  return PARSERS.find((p) => p.vendor === vendor && p.matches.test(normalised));
}
