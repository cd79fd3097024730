// Pure parsers of Junos output into typed results. They read both the older and the newer
// layouts where Junos changed them, and throw a ParseError naming the command otherwise.
import { ParseError } from '../errors.ts';
import { clean, lines, parseHumanBytes, parseUptime } from '../text.ts';

// ---- show version [invoke-on all-routing-engines] ---------------------------------------------

export interface JunosVersion {
  re: string | null;
  hostname: string | null;
  model: string | null;
  version: string;
}

/**
 * One block per routing engine. Old releases name the release in `JUNOS Base OS boot [x]`
 * (or `JUNOS Software Release [x]`); newer ones print `Junos: x`.
 */
export function parseShowVersion(text: string, command = 'show version'): JunosVersion[] {
  const t = clean(text);
  const blocks = /^re\d+:\s*$/m.test(t) ? t.split(/^(?=re\d+:\s*$)/m).filter((b) => /^re\d+:/.test(b)) : [t];
  const out: JunosVersion[] = [];
  for (const b of blocks) {
    const re = /^(re\d+):/.exec(b)?.[1] ?? null;
    if (/error: .*not responding/.test(b)) {
      out.push({ re, hostname: null, model: null, version: '' });
      continue;
    }
    const version =
      /^Junos:\s*(\S+)/m.exec(b)?.[1] ??
      /JUNOS Base OS boot \[([^\]]+)\]/.exec(b)?.[1] ??
      /JUNOS Software Release \[([^\]]+)\]/.exec(b)?.[1];
    if (!version) throw new ParseError(command, text, `${re ?? 'the block'} names no Junos release`);
    out.push({
      re,
      hostname: /^Hostname:\s*(\S+)/m.exec(b)?.[1] ?? null,
      model: /^Model:\s*(\S+)/m.exec(b)?.[1] ?? null,
      version,
    });
  }
  if (out.length === 0) throw new ParseError(command, text, 'no version block');
  return out;
}

// ---- show chassis routing-engine ----------------------------------------------------------------

export interface RoutingEngine {
  slot: number;
  /** Master, Backup, or Present (installed but not running: rebooting, halted). */
  state: string;
  model: string | null;
  serial: string | null;
  uptimeSeconds: number | null;
  startTime: string | null;
  lastRebootReason: string | null;
}

/** Reads the per-slot blocks of both layouts ("Current state" and the older "Mastership state"). */
export function parseChassisRoutingEngine(text: string): RoutingEngine[] {
  const t = clean(text);
  if (!/Routing Engine status:/.test(t))
    throw new ParseError('show chassis routing-engine', text, 'no "Routing Engine status:" header');
  const blocks = t.split(/^\s*(?=Slot \d+:\s*$)/m).filter((b) => /^Slot \d+:/.test(b.trim()));
  const out: RoutingEngine[] = [];
  for (const b of blocks) {
    const field = (name: string) => new RegExp(`^\\s*${name}\\s{2,}(.+?)\\s*$`, 'm').exec(b)?.[1] ?? null;
    const state = field('Current state') ?? field('Mastership state');
    if (state === null)
      throw new ParseError(
        'show chassis routing-engine',
        text,
        `slot block without "Current state": ${b.trim().split('\n')[0]}`,
      );
    const uptime = field('Uptime');
    out.push({
      slot: Number(/Slot (\d+):/.exec(b)![1]),
      state: state.split(/\s+/)[0]!,
      model: field('Model'),
      serial: field('Serial ID'),
      uptimeSeconds: uptime ? parseUptime(uptime) : null,
      startTime: field('Start time'),
      lastRebootReason: field('Last reboot reason'),
    });
  }
  if (out.length === 0) throw new ParseError('show chassis routing-engine', text, 'no "Slot N:" block');
  return out;
}

// ---- show system switchover -----------------------------------------------------------------

export interface SwitchoverStatus {
  gracefulSwitchover: boolean;
  configurationDatabase: string | null;
  kernelDatabase: string | null;
  peerState: string | null;
  /** GRES is on and the backup is in sync: a switchover now keeps forwarding. */
  ready: boolean;
}

export function parseSystemSwitchover(text: string): SwitchoverStatus {
  const t = clean(text);
  const gres = /Graceful switchover:\s*(\S+)/.exec(t);
  if (!gres) throw new ParseError('show system switchover', text, 'no "Graceful switchover:" line');
  const field = (name: string) => new RegExp(`${name}:\\s*(.+?)\\s*$`, 'm').exec(t)?.[1] ?? null;
  const on = /^on$/i.test(gres[1]!);
  const cfg = field('Configuration database');
  const kernel = field('Kernel database');
  const peer = field('Peer state');
  return {
    gracefulSwitchover: on,
    configurationDatabase: cfg,
    kernelDatabase: kernel,
    peerState: peer,
    ready: on && cfg === 'Ready' && kernel === 'Ready' && peer === 'Steady State',
  };
}

// ---- show system storage --------------------------------------------------------------------

export interface Filesystem {
  filesystem: string;
  sizeBytes: number;
  usedBytes: number;
  availBytes: number;
  capacityPercent: number;
  mountedOn: string;
}

export function parseSystemStorage(text: string): Filesystem[] {
  const ls = lines(text);
  const header = ls.findIndex((l) => /^Filesystem\s+Size\s+Used\s+Avail\s+Capacity\s+Mounted on/.test(l));
  if (header < 0)
    throw new ParseError('show system storage', text, 'no "Filesystem Size Used Avail Capacity Mounted on" header');
  const out: Filesystem[] = [];
  for (const l of ls.slice(header + 1)) {
    if (!l.trim() || /^re\d+:|^-+$/.test(l.trim())) continue;
    const m = /^(\S+)\s+(\S+)\s+(\S+)\s+(\S+)\s+(\d+)%\s+(\S+)\s*$/.exec(l);
    if (!m) throw new ParseError('show system storage', text, `cannot read the line "${l}"`);
    const size = parseHumanBytes(m[2]!);
    const used = parseHumanBytes(m[3]!);
    const avail = parseHumanBytes(m[4]!);
    if (size === null || used === null || avail === null)
      throw new ParseError('show system storage', text, `sizes not understood in "${l}"`);
    out.push({
      filesystem: m[1]!,
      sizeBytes: size,
      usedBytes: used,
      availBytes: avail,
      capacityPercent: Number(m[5]),
      mountedOn: m[6]!,
    });
  }
  return out;
}

// ---- file list / file checksum --------------------------------------------------------------

export function parseFileList(text: string): { directory: string; files: { name: string; size: number | null }[] } {
  const ls = lines(text).filter((l) => l.trim());
  const dir = /^(\/\S*?):$/.exec(ls[0]?.trim() ?? '');
  if (!dir) {
    if (/No such file or directory/.test(text)) return { directory: '', files: [] };
    throw new ParseError('file list', text, 'no "<directory>:" header');
  }
  const files: { name: string; size: number | null }[] = [];
  for (const l of ls.slice(1)) {
    if (/^total \d+/.test(l.trim())) continue;
    const detail = /^[-dlrwx]{10}\s+\d+\s+\S+\s+\S+\s+(\d+)\s+\w{3}\s+\d+\s+[\d:]+\s+(\S+)$/.exec(l.trim());
    if (detail) files.push({ name: detail[2]!, size: Number(detail[1]) });
    else if (/^\S+$/.test(l.trim())) files.push({ name: l.trim(), size: null });
    else throw new ParseError('file list', text, `cannot read the line "${l}"`);
  }
  return { directory: dir[1]!, files };
}

export function parseFileChecksum(text: string): {
  algorithm: 'md5' | 'sha256' | 'sha1';
  path: string;
  digest: string;
} {
  const m = /^(MD5|SHA256|SHA1) \(([^)]+)\) = ([0-9a-f]+)\s*$/im.exec(clean(text));
  if (!m) throw new ParseError('file checksum', text, 'no "<ALG> (<file>) = <digest>" line');
  return { algorithm: m[1]!.toLowerCase() as 'md5', path: m[2]!, digest: m[3]!.toLowerCase() };
}

// ---- configuration --------------------------------------------------------------------------

/** `show configuration … | display set` → the `set` statements. */
export function parseDisplaySet(text: string): string[] {
  const ls = lines(text)
    .map((l) => l.trim())
    .filter(Boolean);
  const bad = ls.find((l) => !/^(set|deactivate|activate) /.test(l));
  if (bad) throw new ParseError('show configuration | display set', text, `"${bad}" is not a set statement`);
  return ls;
}

// ---- show bgp summary -----------------------------------------------------------------------

export interface JunosBgpPeer {
  address: string;
  remoteAs: number;
  /** Established, or the BGP state (Idle, Active, Connect, …). */
  state: string;
  activePrefixes: number | null;
  receivedPrefixes: number | null;
}

export function parseBgpSummary(text: string): { peers: JunosBgpPeer[]; downPeers: number | null } {
  const t = clean(text);
  const ls = t.split('\n');
  const header = ls.findIndex((l) => /^Peer\s+AS\s+InPkt\s+OutPkt/.test(l));
  if (header < 0) {
    if (/BGP is not running/.test(t)) return { peers: [], downPeers: null };
    throw new ParseError('show bgp summary', text, 'no "Peer AS InPkt OutPkt …" header');
  }
  const peers: JunosBgpPeer[] = [];
  for (const l of ls.slice(header + 1)) {
    if (!l.trim()) continue;
    // Per-table continuation lines ("  inet.0: 10/12/12/0") belong to the peer above.
    const cont = /^\s+\S+\.\d+:\s*(\d+)\/(\d+)\/\d+\/\d+/.exec(l);
    if (cont && peers.length > 0) {
      const p = peers.at(-1)!;
      p.activePrefixes = (p.activePrefixes ?? 0) + Number(cont[1]);
      p.receivedPrefixes = (p.receivedPrefixes ?? 0) + Number(cont[2]);
      continue;
    }
    const m = /^(\S+)\s+(\d+)\s+\d+\s+\d+\s+\d+\s+\d+\s+(.+?)\s+(\S+)(?:\s+\S+)?\s*$/.exec(l);
    if (!m) throw new ParseError('show bgp summary', text, `cannot read the peer line "${l}"`);
    const state = m[4]!;
    const counts = /^(\d+)\/(\d+)\/(\d+)\/(\d+)$/.exec(state);
    const established = Boolean(counts) || /^Establ/.test(state);
    peers.push({
      address: m[1]!,
      remoteAs: Number(m[2]),
      state: established ? 'Established' : state,
      activePrefixes: counts ? Number(counts[1]) : null,
      receivedPrefixes: counts ? Number(counts[2]) : null,
    });
  }
  const down = /Down peers:\s*(\d+)/.exec(t);
  return { peers, downPeers: down ? Number(down[1]) : null };
}

// ---- show interfaces terse ------------------------------------------------------------------

export interface TerseInterface {
  name: string;
  admin: string;
  link: string;
  proto: string | null;
  local: string | null;
}

export function parseInterfacesTerse(text: string): TerseInterface[] {
  const ls = lines(text);
  const header = ls.findIndex((l) => /^Interface\s+Admin\s+Link\s+Proto/.test(l));
  if (header < 0) throw new ParseError('show interfaces terse', text, 'no "Interface Admin Link Proto" header');
  const out: TerseInterface[] = [];
  for (const l of ls.slice(header + 1)) {
    if (!l.trim()) continue;
    const m = /^(\S+)\s+(up|down)\s+(up|down)(?:\s+(\S+)(?:\s+(\S+))?)?/.exec(l);
    if (!m) {
      // A second address of the interface above.
      if (/^\s+\S/.test(l)) continue;
      throw new ParseError('show interfaces terse', text, `cannot read the line "${l}"`);
    }
    out.push({ name: m[1]!, admin: m[2]!, link: m[3]!, proto: m[4] ?? null, local: m[5] ?? null });
  }
  return out;
}

// ---- the in-service upgrade stream ----------------------------------------------------------

export type IssuPhase =
  | 'checked'
  | 'validating'
  | 'backup-upgrade'
  | 'backup-reboot'
  | 'waiting-backup'
  | 'gres'
  | 'chassis-issu'
  | 'fru-upgrade'
  | 'switchover'
  | 'aborted';

const PHASES: [RegExp, IssuPhase][] = [
  [/^Chassis ISSU Check Done/, 'checked'],
  [/^ISSU: Validating Image/, 'validating'],
  [/^Saving package file|^Backup upgrade done/, 'backup-upgrade'],
  [/^Rebooting (Backup RE|re\d)/, 'backup-reboot'],
  [/^Waiting for Backup RE reboot/, 'waiting-backup'],
  [/^GRES operational/, 'gres'],
  [
    /^(Initiating Chassis In-Service-Upgrade|Chassis ISSU Started|ISSU: Preparing Daemons|ISSU: Daemons Ready)/,
    'chassis-issu',
  ],
  [/^ISSU: Starting Upgrade for FRUs/, 'fru-upgrade'],
  [/^ISSU: (Preparing for|Ready for) Switchover/, 'switchover'],
  [/ISSU Aborted|^ERROR:|^error:/, 'aborted'],
];

/** The phase a line of the upgrade's output announces, if any. */
export function issuPhaseOf(line: string): IssuPhase | null {
  const l = line.trim();
  for (const [re, phase] of PHASES) if (re.test(l)) return phase;
  return null;
}

/** `show chassis in-service-upgrade` → whether an upgrade is running now. */
export function parseChassisIssuStatus(text: string): { inProgress: boolean; status: string } {
  const m = /ISSU status:\s*(.+?)\s*$/m.exec(clean(text));
  if (!m) throw new ParseError('show chassis in-service-upgrade', text, 'no "ISSU status:" line');
  return { inProgress: /^In progress/i.test(m[1]!), status: m[1]! };
}
