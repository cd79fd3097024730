// Longer than 300 lines: one parser per command, each with the variants it accepts; a file per command
// would scatter the shared cleaning rules.
// Pure parsers of Cisco IOS / IOS-XE output into typed results. Each one knows the variants
// real devices print (classic `Key = Value` blocks, IOS-XE text blocks, Catalyst locations,
// `sso` vs `Stateful Switchover`, the spacing of `peer state = 8 -STANDBY HOT`) and throws a
// ParseError naming the command when the text is not one of them.
import { ParseError } from '../errors.ts';
import { clean, keyValues, lines, parseClock, parseUptime } from '../text.ts';

export type RedundancyMode = 'SSO' | 'RPR' | 'RPR+' | 'NONE';

/** `sso`, `Stateful Switchover`, `SSO` → 'SSO'; `Non-redundant`, `Simplex` → 'NONE'. */
export function normaliseMode(text: string): RedundancyMode | null {
  const t = text.trim().toLowerCase();
  if (/^(sso|stateful switchover|stateful switch-over)/.test(t)) return 'SSO';
  if (/^(rpr\+|route processor redundancy plus)/.test(t)) return 'RPR+';
  if (/^(rpr|route processor redundancy)/.test(t)) return 'RPR';
  if (/^(non-redundant|simplex|none|n\/a)/.test(t)) return 'NONE';
  return null;
}

// ---- show version ---------------------------------------------------------------------------

export interface CiscoVersion {
  /** The release as image catalogues name it: 12.2(33)SB10, 03.16.05.S (IOS-XE), … */
  version: string;
  /** The IOS version inside an IOS-XE package, e.g. 15.5(3)S5; equals `version` on classic IOS. */
  iosVersion: string;
  xe: boolean;
  imageFile: string | null;
  hostname: string | null;
  uptimeSeconds: number | null;
  processor: string | null;
  /** "Processor board ID …": the chassis serial number. */
  serial: string | null;
}

export function parseShowVersion(text: string): CiscoVersion {
  const t = clean(text);
  const ios = /Cisco IOS Software.*?,\s*Version\s+([^\s,]+)/.exec(t);
  if (!ios) throw new ParseError('show version', text, 'no "Cisco IOS Software …, Version …" line');
  const xe = /Cisco IOS XE Software, Version\s+(\S+)/.exec(t);
  const uptime = /^(\S+) uptime is (.+)$/m.exec(t);
  const image = /System image file is "([^"]+)"/.exec(t);
  const processor = /^cisco (.+?) processor/m.exec(t);
  const serial = /^Processor board ID (\S+)/m.exec(t);
  return {
    version: xe ? xe[1]! : ios[1]!,
    iosVersion: ios[1]!,
    xe: Boolean(xe) || /IOS-XE Software/.test(t),
    imageFile: image?.[1] ?? null,
    hostname: uptime?.[1] ?? null,
    uptimeSeconds: uptime ? parseUptime(uptime[2]!) : null,
    processor: processor?.[1] ?? null,
    serial: serial?.[1] ?? null,
  };
}

// ---- show redundancy ------------------------------------------------------------------------

export interface ProcessorInfo {
  /** As printed: "slot A", "slot 6", "switch 1", "chassis 2/R0". */
  location: string;
  /** The RP name ISSU commands use when it can be told: A, B, R0, R1, 1, 2. */
  slot: string | null;
  state: string;
  uptimeSeconds: number | null;
  imageVersion: string | null;
  boot: string | null;
}

export interface Redundancy {
  hardwareMode: string | null;
  configuredMode: RedundancyMode | null;
  operatingMode: RedundancyMode | null;
  switchovers: number | null;
  lastSwitchoverReason: string | null;
  active: ProcessorInfo;
  peer: ProcessorInfo | null;
}

/** "slot A" → A; "slot 6" (ASR 1000 RP) → R0, "slot 7" → R1; "switch 1" → 1; "chassis 2/R0" → R0. */
export function slotFromLocation(location: string): string | null {
  const l = location.trim();
  let m = /^slot\s+([A-Z])$/i.exec(l);
  if (m) return m[1]!.toUpperCase();
  m = /^slot\s+(\d+)$/i.exec(l);
  if (m) return m[1] === '6' ? 'R0' : m[1] === '7' ? 'R1' : m[1]!;
  m = /^switch\s+(\d+)$/i.exec(l);
  if (m) return m[1]!;
  m = /^chassis\s+\d+\/(R\d)$/i.exec(l);
  if (m) return m[1]!.toUpperCase();
  return null;
}

export function parseRedundancy(text: string): Redundancy {
  const t = clean(text);
  const sections = t.split(/^\s*(?=(?:Current|Peer) Processor Information\s*:)/m);
  if (sections.length < 2)
    throw new ParseError('show redundancy', text, 'no "Current Processor Information :" section');
  const system = new Map(keyValues(sections[0]!));
  const processor = (section: string | undefined, role: 'Active' | 'Standby'): ProcessorInfo | null => {
    if (!section) return null;
    const kv = new Map(keyValues(section));
    const location = kv.get(`${role} Location`) ?? kv.get('Active Location') ?? kv.get('Standby Location');
    const state = kv.get('Current Software state');
    if (!location || !state) return null;
    const imageVersion = kv.get('Image Version') ?? null;
    return {
      location,
      slot: slotFromLocation(location),
      state: state.replace(/\s+/g, ' ').toUpperCase(),
      uptimeSeconds: kv.has('Uptime in current state') ? parseUptime(kv.get('Uptime in current state')!) : null,
      imageVersion: imageVersion ? (/Version\s+([^\s,]+)/.exec(imageVersion)?.[1] ?? imageVersion) : null,
      boot: kv.get('BOOT') || null,
    };
  };
  const active = processor(
    sections.find((s) => /^Current Processor Information/m.test(s)),
    'Active',
  );
  if (!active) throw new ParseError('show redundancy', text, 'the current processor has no location or state');
  const peerSection = sections.find((s) => /^Peer Processor Information/m.test(s));
  const peer = peerSection ? processor(peerSection, 'Standby') : null;
  const n = (k: string) => (system.has(k) ? Number(system.get(k)) : null);
  return {
    hardwareMode: system.get('Hardware Mode') ?? null,
    configuredMode: normaliseMode(system.get('Configured Redundancy Mode') ?? ''),
    operatingMode: normaliseMode(system.get('Operating Redundancy Mode') ?? ''),
    switchovers: n('Switchovers system experienced'),
    lastSwitchoverReason: system.get('Last switchover reason') ?? null,
    active,
    peer,
  };
}

// ---- show redundancy states -----------------------------------------------------------------

export interface RfState {
  code: number;
  name: string;
}

export interface RedundancyStates {
  my: RfState;
  peer: RfState;
  unit: string | null;
  unitId: number | null;
  operatingMode: RedundancyMode | null;
  configuredMode: RedundancyMode | null;
  communications: string | null;
}

/** "13 -ACTIVE", "8  -STANDBY HOT", "8-STANDBY HOT", "1 -DISABLED" */
function rfState(value: string | undefined, command: string, text: string): RfState {
  const m = /^(\d+)\s*-\s*(.+)$/.exec(value?.trim() ?? '');
  if (!m) throw new ParseError(command, text, `state "${value ?? ''}" is not "<number> -<NAME>"`);
  return { code: Number(m[1]), name: m[2]!.trim().toUpperCase() };
}

export function parseRedundancyStates(text: string): RedundancyStates {
  const cmd = 'show redundancy states';
  const kv = new Map(keyValues(text).map(([k, v]) => [k.toLowerCase(), v]));
  return {
    my: rfState(kv.get('my state'), cmd, text),
    peer: rfState(kv.get('peer state'), cmd, text),
    unit: kv.get('unit') ?? null,
    unitId: kv.has('unit id') ? Number(kv.get('unit id')) : null,
    operatingMode: normaliseMode(kv.get('redundancy mode (operational)') ?? ''),
    configuredMode: normaliseMode(kv.get('redundancy mode (configured)') ?? ''),
    communications: kv.get('communications') ?? null,
  };
}

// ---- show issu state [detail] ---------------------------------------------------------------

export type IssuStateName = 'Init' | 'Load Version' | 'Run Version' | 'Accept Version' | 'Commit Version';

export interface IssuSlot {
  slot: string;
  rpState: 'Active' | 'Standby' | string;
  issuState: IssuStateName | string;
  bootVariable: string[];
  operatingMode: RedundancyMode | null;
  primaryVersion: string | null;
  secondaryVersion: string | null;
  currentVersion: string | null;
}

export type IssuStatus =
  | { format: 'classic'; slots: IssuSlot[] }
  | {
      format: 'iosxe';
      inProgress: boolean;
      slotBeingModified: string | null;
      lastOperation: string | null;
      rollback: { automatic: boolean; remainingSeconds: number | null; text: string } | null;
      originalImage: string | null;
      runningImage: string | null;
      standbyImage: string | null;
      operatingMode: RedundancyMode | null;
      terminalStateReached: boolean | null;
      notes: string | null;
    };

const na = (v: string | undefined) => (v === undefined || v === '' || v === 'N/A' ? null : v);

/** "disk0:a,12;disk0:b,1;" → ["disk0:a", "disk0:b"] */
export function parseBootVariable(value: string): string[] {
  if (!value || value === 'N/A') return [];
  return value
    .split(';')
    .map((e) => e.trim().replace(/,\d+$/, ''))
    .filter(Boolean);
}

export function parseIssuState(text: string, command = 'show issu state detail'): IssuStatus {
  const t = clean(text);
  if (
    /Starting (local lock acquisition|installation state synchronization)|No ISSU operation is in progress|Slot being modified/.test(
      t,
    )
  )
    return parseIssuStateXe(t, command);
  const kv = keyValues(t);
  const slots: IssuSlot[] = [];
  for (const [k, v] of kv) {
    if (k === 'Slot') {
      slots.push({
        slot: v,
        rpState: '',
        issuState: '',
        bootVariable: [],
        operatingMode: null,
        primaryVersion: null,
        secondaryVersion: null,
        currentVersion: null,
      });
      continue;
    }
    const s = slots.at(-1);
    if (!s) throw new ParseError(command, text, `"${k}" appears before any "Slot ="`);
    if (k === 'RP State') s.rpState = v;
    else if (k === 'ISSU State') s.issuState = v;
    else if (k === 'Boot Variable') s.bootVariable = parseBootVariable(v);
    else if (k === 'Operating Mode') s.operatingMode = normaliseMode(v);
    else if (k === 'Primary Version') s.primaryVersion = na(v);
    else if (k === 'Secondary Version') s.secondaryVersion = na(v);
    else if (k === 'Current Version') s.currentVersion = na(v);
  }
  if (slots.length === 0) throw new ParseError(command, text, 'no "Slot =" blocks and not the IOS-XE format either');
  for (const s of slots) {
    if (!s.rpState || !s.issuState) throw new ParseError(command, text, `slot ${s.slot} has no RP State or ISSU State`);
  }
  return { format: 'classic', slots };
}

function parseIssuStateXe(t: string, command: string): IssuStatus {
  if (/No ISSU operation is in progress/.test(t)) {
    return {
      format: 'iosxe',
      inProgress: false,
      slotBeingModified: null,
      lastOperation: null,
      rollback: null,
      originalImage: null,
      runningImage: null,
      standbyImage: null,
      operatingMode: null,
      terminalStateReached: null,
      notes: null,
    };
  }
  const field = (name: string) =>
    new RegExp(`^\\s*${name.replace(/[()]/g, '\\$&')}\\s*:\\s*(.+)$`, 'm').exec(t)?.[1]?.trim() ?? null;
  const slot = field('Slot being modified');
  if (!slot) throw new ParseError(command, t, 'neither "No ISSU operation is in progress" nor "Slot being modified"');
  const rollbackText = field('Rollback');
  const remaining = rollbackText ? /remaining time(?: before rollback)?:\s*([\d:]+)/.exec(rollbackText) : null;
  const mode = field('Operating mode');
  const image = (v: string | null) => (v && v !== 'N/A' && !v.startsWith('N/A') ? v : null);
  return {
    format: 'iosxe',
    inProgress: true,
    slotBeingModified: slot,
    lastOperation: field('Last operation'),
    rollback: rollbackText
      ? {
          automatic: /^automatic/.test(rollbackText),
          remainingSeconds: remaining ? parseClock(remaining[1]!) : null,
          text: rollbackText,
        }
      : null,
    originalImage: image(field('Original \\(rollback\\) image') ?? field('Original (rollback) image')),
    runningImage: image(field('Running image')),
    standbyImage: image(field('Standby image')),
    operatingMode: mode ? normaliseMode(mode.split(',')[0]!) : null,
    terminalStateReached: mode ? !/terminal state not reached/.test(mode) && /terminal state reached/.test(mode) : null,
    notes: field('Notes'),
  };
}

// ---- show issu rollback-timer ---------------------------------------------------------------

export interface RollbackTimer {
  inProgress: boolean;
  configuredSeconds: number;
  remainingSeconds: number | null;
}

export function parseRollbackTimer(text: string): RollbackTimer {
  const kv = new Map(keyValues(text));
  const state = kv.get('Rollback Process State');
  const configured = kv.get('Configured Rollback Time');
  if (!state || !configured)
    throw new ParseError('show issu rollback-timer', text, 'no "Rollback Process State" / "Configured Rollback Time"');
  const configuredSeconds = parseClock(configured);
  if (configuredSeconds === null)
    throw new ParseError('show issu rollback-timer', text, `"${configured}" is not MM:SS`);
  const inProgress = /^in progress$/i.test(state);
  const auto = kv.get('Automatic Rollback Time');
  const remainingSeconds = auto ? parseClock(auto) : null;
  if (inProgress && remainingSeconds === null)
    throw new ParseError('show issu rollback-timer', text, 'in progress but no "Automatic Rollback Time"');
  return { inProgress, configuredSeconds, remainingSeconds: inProgress ? remainingSeconds : null };
}

// ---- show issu comp-matrix stored -----------------------------------------------------------

export interface CompMatrix {
  myVersion: string;
  peers: { version: string; level: 'C' | 'B' | 'I' }[];
}

export function parseCompMatrixStored(text: string): CompMatrix {
  const t = clean(text);
  const my = /My Image ver:\s*(\S+)/.exec(t);
  if (!my) throw new ParseError('show issu comp-matrix stored', text, 'no "My Image ver:" line');
  const peers: CompMatrix['peers'] = [];
  for (const m of t.matchAll(/^\s*(\S+)\s+(Comp|Base|Incomp)\(\d\)\s*$/gm)) {
    peers.push({ version: m[1]!, level: m[2] === 'Comp' ? 'C' : m[2] === 'Base' ? 'B' : 'I' });
  }
  return { myVersion: my[1]!, peers };
}

// ---- dir ------------------------------------------------------------------------------------

export interface DirListing {
  filesystem: string;
  files: { name: string; size: number }[];
  totalBytes: number;
  freeBytes: number;
}

export function parseDir(text: string, command = 'dir'): DirListing {
  const t = clean(text);
  const head = /Directory of (\S+?):?\/?\s*$/m.exec(t);
  const total = /(\d+) bytes total \((\d+) bytes free\)/.exec(t);
  if (!head || !total)
    throw new ParseError(command, text, 'no "Directory of" header or "bytes total (… bytes free)" line');
  const files: DirListing['files'] = [];
  for (const m of t.matchAll(/^\s*\d+\s+[-drwx]{4,10}\s+(\d+)\s+.+?\s+(\S+)\s*$/gm))
    files.push({ name: m[2]!, size: Number(m[1]) });
  return {
    filesystem: `${head[1]!.replace(/:$/, '')}:`,
    files,
    totalBytes: Number(total[1]),
    freeBytes: Number(total[2]),
  };
}

// ---- verify ---------------------------------------------------------------------------------

export function parseVerify(text: string): { algorithm: 'md5' | 'sha256' | 'sha512'; path: string; digest: string } {
  const m = /verify \/(md5|sha256|sha512) \(([^)]+)\) = ([0-9a-f]+)/i.exec(clean(text));
  if (!m) throw new ParseError('verify', text, 'no "verify /<alg> (<file>) = <digest>" line');
  return { algorithm: m[1]!.toLowerCase() as 'md5', path: m[2]!, digest: m[3]!.toLowerCase() };
}

// ---- show ip interface brief / show ip bgp summary / ping -----------------------------------

export interface InterfaceStatus {
  name: string;
  address: string | null;
  status: string;
  protocol: string;
}

export function parseIpInterfaceBrief(text: string): InterfaceStatus[] {
  const ls = lines(text);
  const header = ls.findIndex((l) => /^Interface\s+IP-Address\s+OK\?\s+Method\s+Status\s+Protocol/.test(l));
  if (header < 0)
    throw new ParseError(
      'show ip interface brief',
      text,
      'no "Interface IP-Address OK? Method Status Protocol" header',
    );
  const out: InterfaceStatus[] = [];
  for (const l of ls.slice(header + 1)) {
    if (!l.trim()) continue;
    const m = /^(\S+)\s+(\S+)\s+(?:YES|NO)\s+\S+\s+(up|down|administratively down|deleted|reset)\s+(up|down)\s*$/.exec(
      l,
    );
    if (!m) throw new ParseError('show ip interface brief', text, `cannot read the line "${l}"`);
    out.push({ name: m[1]!, address: m[2] === 'unassigned' ? null : m[2]!, status: m[3]!, protocol: m[4]! });
  }
  return out;
}

export interface BgpNeighbor {
  address: string;
  remoteAs: number;
  /** "Established" when the session is up, else the BGP state (Idle, Active, Connect, …). */
  state: string;
  prefixes: number | null;
  upDown: string;
}

export interface BgpSummary {
  routerId: string | null;
  localAs: number | null;
  neighbors: BgpNeighbor[];
}

export function parseIpBgpSummary(text: string): BgpSummary {
  const t = clean(text);
  const id = /BGP router identifier (\S+), local AS number (\d+)/.exec(t);
  const ls = t.split('\n');
  const header = ls.findIndex((l) => /^Neighbor\s+V\s+AS\s+MsgRcvd/.test(l));
  if (header < 0) {
    if (/BGP not active|% BGP not active/.test(t)) return { routerId: null, localAs: null, neighbors: [] };
    throw new ParseError('show ip bgp summary', text, 'no "Neighbor V AS MsgRcvd …" header');
  }
  const neighbors: BgpNeighbor[] = [];
  for (const l of ls.slice(header + 1)) {
    if (!l.trim()) continue;
    const m = /^(\S+)\s+4\s+(\d+)\s+\d+\s+\d+\s+\d+\s+\d+\s+\d+\s+(\S+)\s+(.+?)\s*$/.exec(l);
    if (!m) throw new ParseError('show ip bgp summary', text, `cannot read the neighbour line "${l}"`);
    const state = m[4]!;
    const established = /^\d+$/.test(state);
    neighbors.push({
      address: m[1]!,
      remoteAs: Number(m[2]),
      upDown: m[3]!,
      state: established ? 'Established' : state,
      prefixes: established ? Number(state) : null,
    });
  }
  return { routerId: id?.[1] ?? null, localAs: id ? Number(id[2]) : null, neighbors };
}

export function parsePing(text: string): { sent: number; received: number; successPercent: number } {
  const m = /Success rate is (\d+) percent \((\d+)\/(\d+)\)/.exec(clean(text));
  if (!m) throw new ParseError('ping', text, 'no "Success rate is … percent" line');
  return { successPercent: Number(m[1]), received: Number(m[2]), sent: Number(m[3]) };
}

/** NSF from `show running-config`: `nsf` under a routing process, or BGP graceful restart. */
export function parseNsf(text: string): { configured: boolean; evidence: string[] } {
  const evidence: string[] = [];
  let process: string | null = null;
  for (const l of lines(text)) {
    if (/^router \S+/.test(l)) process = l.trim();
    else if (!l.startsWith(' ')) process = null;
    if (process && /^\s+(nsf(\s|$)|bgp graceful-restart)/.test(l)) evidence.push(`${process}: ${l.trim()}`);
  }
  return { configured: evidence.length > 0, evidence };
}
