// Longer than 300 lines: one renderer per command the lab answers, side by side so the seed's layouts are
// easy to compare.
// What the Cisco chassis prints, in the formats of seed 003 (classic IOS) and of IOS-XE on
// the ASR 1000. Pure functions of the model and the current time.
import { imagesOf } from '../catalog.ts';
import type { SimNeighbor } from '../network.ts';
import { formatMinSec, RF_STATES, type CiscoChassis, type Rp } from './chassis.ts';

/** "2 days, 3 hours, 4 minutes" as IOS writes uptimes. */
export function uptime(ms: number): string {
  const minutes = Math.max(0, Math.floor(ms / 60_000));
  const parts: string[] = [];
  const d = Math.floor(minutes / 1440);
  const h = Math.floor((minutes % 1440) / 60);
  const m = minutes % 60;
  const unit = (n: number, u: string) => `${n} ${u}${n === 1 ? '' : 's'}`;
  if (d) parts.push(unit(d, 'day'));
  if (h) parts.push(unit(h, 'hour'));
  if (m || parts.length === 0) parts.push(unit(m, 'minute'));
  return parts.join(', ');
}

/** "1d02h" / "03:04:05" as BGP prints session ages. */
function bgpAge(ms: number): string {
  const s = Math.max(0, Math.floor(ms / 1000));
  if (s < 86_400) {
    const hh = String(Math.floor(s / 3600)).padStart(2, '0');
    const mm = String(Math.floor((s % 3600) / 60)).padStart(2, '0');
    const ss = String(s % 60).padStart(2, '0');
    return `${hh}:${mm}:${ss}`;
  }
  const d = Math.floor(s / 86_400);
  const h = Math.floor((s % 86_400) / 3600);
  return d < 7 ? `${d}d${String(h).padStart(2, '0')}h` : `${Math.floor(d / 7)}w${d % 7}d`;
}

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

function dirDate(ms: number): string {
  const d = new Date(ms);
  const t = d.toISOString().slice(11, 19);
  return `${MONTHS[d.getUTCMonth()]} ${String(d.getUTCDate()).padStart(2, ' ')} ${d.getUTCFullYear()} ${t} +00:00`;
}

function bootVariable(ch: CiscoChassis, rp: Rp): string {
  if (rp.boot.length === 0) return 'N/A';
  const fs = ch.platform.fs[0];
  return rp.boot.map((f, i) => `${fs}${f},${i === 0 && rp.boot.length > 1 ? 12 : 1};`).join('');
}

function imageVersionLines(ch: CiscoChassis, file: string): string[] {
  const img = ch.image(file);
  const year = img ? img.releaseDate.slice(0, 4) : '2012';
  return [
    img?.banner ?? `Cisco IOS Software, ${file}`,
    `Copyright (c) 1986-${year} by Cisco Systems, Inc.`,
    `Compiled ${img ? compiled(img.releaseDate) : 'unknown'} by prod_rel_team`,
  ];
}

function compiled(date: string): string {
  const d = new Date(`${date}T10:29:00Z`);
  const day = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'][d.getUTCDay()];
  return `${day} ${String(d.getUTCDate()).padStart(2, '0')}-${MONTHS[d.getUTCMonth()]}-${String(d.getUTCFullYear()).slice(2)} 10:29`;
}

export function showVersion(ch: CiscoChassis, now: number): string[] {
  const a = ch.active;
  const img = ch.image(a.image);
  const lines: string[] = [];
  if (ch.platform.vendor === 'CISCO_IOSXE' && img) {
    lines.push(`Cisco IOS XE Software, Version ${img.version}`);
  }
  lines.push(...imageVersionLines(ch, a.image).slice(0, 1));
  lines.push('Technical Support: http://www.cisco.com/techsupport', ...imageVersionLines(ch, a.image).slice(1), '');
  lines.push(ch.platform.romLine, '');
  lines.push(`${ch.hostname} uptime is ${uptime(now - ch.systemBootedAt)}`);
  lines.push(`Uptime for this control processor is ${uptime(now - a.bootedAt)}`);
  lines.push(`System returned to ROM by ${ch.switchovers > 0 ? 'Stateful Switchover' : 'reload'}`);
  lines.push(`System image file is "${ch.platform.fs[0]}${a.image}"`, '');
  lines.push(ch.platform.processorLine);
  lines.push(`Processor board ID ${serial(ch.hostname)}`);
  lines.push('4 Gigabit Ethernet interfaces', '1 Ten Gigabit Ethernet interface');
  lines.push(
    `${Math.round(ch.platform.diskBytes / 1024)}K bytes of ${ch.platform.fs[0].replace(':', '')} (Read/Write)`,
    '',
  );
  lines.push('Configuration register is 0x2102');
  return lines;
}

function serial(hostname: string): string {
  let h = 0;
  for (const c of hostname) h = (h * 31 + c.charCodeAt(0)) >>> 0;
  return `FOX${String(h % 100_000_000).padStart(8, '0')}`;
}

export function dir(ch: CiscoChassis, fs: string): string[] | null {
  const idx = ch.platform.fs.indexOf(fs);
  if (idx < 0) return null;
  const rp = idx === 0 ? ch.active : ch.standby;
  const lines = [`Directory of ${fs}/`, ''];
  const files = [...rp.files.values()].sort((x, y) => x.mtime - y.mtime);
  files.forEach((f, i) => {
    lines.push(
      `${String(i + 1).padStart(4, ' ')}  -rw-  ${String(f.size).padStart(10, ' ')}  ${dirDate(f.mtime)}  ${f.name}`,
    );
  });
  lines.push('', `${ch.platform.diskBytes} bytes total (${ch.freeBytes(rp)} bytes free)`);
  return lines;
}

function rfLine(state: keyof typeof RF_STATES): string {
  const n = RF_STATES[state];
  return `${n}${n < 10 ? '  ' : ' '}-${state}`;
}

export function showRedundancyStates(ch: CiscoChassis): string[] {
  const unitIndex = ch.platform.slots.indexOf(ch.activeSlot);
  const peerUp = ch.standby.rf !== 'DISABLED';
  return [
    `       my state = ${rfLine('ACTIVE')}`,
    `     peer state = ${rfLine(ch.standby.rf)}`,
    `           Mode = ${peerUp ? 'Duplex' : 'Simplex'}`,
    `           Unit = ${unitIndex === 0 ? 'Primary' : 'Secondary'}`,
    `        Unit ID = ${unitIndex}`,
    '',
    `Redundancy Mode (Operational) = ${peerUp ? ch.operatingMode : 'Non-redundant'}`,
    'Redundancy Mode (Configured)  = SSO',
    '     Split Mode = Disabled',
    '   Manual Swact = ' + (ch.standby.rf === 'STANDBY HOT' ? 'Enabled' : 'Disabled (the peer is not ready)'),
    ` Communications = ${peerUp ? 'Up' : 'Down'}`,
    '',
    '   client count = 31',
    ' client_notification_TMR = 30000 milliseconds',
    '  RF debug mask = 0x0',
  ];
}

export function showRedundancy(ch: CiscoChassis, now: number): string[] {
  const a = ch.active;
  const s = ch.standby;
  const peerUp = s.rf !== 'DISABLED';
  const processor = (rp: Rp, label: string): string[] => [
    `${label} Location = ${ch.platform.location(rp.slot)}`,
    `       Current Software state = ${rp.rf}`,
    `      Uptime in current state = ${uptime(now - rp.stateSince)}`,
    ...(rp.rf === 'DISABLED'
      ? []
      : [
          `                Image Version = ${imageVersionLines(ch, rp.image)[0]}`,
          ...imageVersionLines(ch, rp.image).slice(1),
        ]),
    `                         BOOT = ${rp.boot.length ? bootVariable(ch, rp) : ''}`,
    '                  CONFIG_FILE = ',
    '                      BOOTLDR = ',
    '       Configuration register = 0x2102',
  ];
  return [
    'Redundant System Information :',
    '------------------------------',
    `       Available system uptime = ${uptime(now - ch.systemBootedAt)}`,
    `Switchovers system experienced = ${ch.switchovers}`,
    `              Standby failures = ${ch.standbyFailures}`,
    `        Last switchover reason = ${ch.lastSwitchoverReason}`,
    '',
    '                 Hardware Mode = Duplex',
    '    Configured Redundancy Mode = SSO',
    `     Operating Redundancy Mode = ${peerUp ? ch.operatingMode : 'Non-redundant'}`,
    '              Maintenance Mode = Disabled',
    `                Communications = ${peerUp ? 'Up' : 'Down'}`,
    '',
    'Current Processor Information :',
    '-------------------------------',
    ...processor(a, '               Active'),
    '',
    'Peer Processor Information :',
    '----------------------------',
    ...processor(s, '              Standby'),
  ];
}

/** `show issu state [detail]`: classic per-slot blocks (seed 003), or IOS-XE text blocks. */
export function showIssuState(ch: CiscoChassis, detail: boolean, now: number): string[] {
  if (ch.platform.issuDetail === 'iosxe') return showIssuStateXe(ch, detail, now);
  const fs = ch.platform.fs[0];
  const issu = ch.issu;
  // Keys start at column 16, as in the seed's samples.
  const field = (key: string, value: string) => `${' '.repeat(16)}${key} = ${value}`;
  const block = (rp: Rp): string[] => {
    const lines = [
      field('Slot', rp.slot),
      field('RP State', rp === ch.active ? 'Active' : 'Standby'),
      field('ISSU State', issu.state),
      field('Boot Variable', bootVariable(ch, rp)),
    ];
    if (detail) {
      const inProgress = issu.state !== 'Init';
      lines.push(
        field('Operating Mode', rp.rf === 'DISABLED' ? 'N/A' : ch.operatingMode),
        field('Primary Version', inProgress ? `${fs}${issu.target}` : 'N/A'),
        field('Secondary Version', inProgress ? `${fs}${issu.original}` : 'N/A'),
        field('Current Version', rp.rf === 'DISABLED' ? 'N/A' : `${fs}${rp.image}`),
      );
    }
    return lines;
  };
  return [...block(ch.active), ...block(ch.standby)];
}

function xeTime(ms: number): string {
  const d = new Date(ms).toISOString();
  return `${d.slice(0, 4)}${d.slice(5, 7)}${d.slice(8, 10)} ${d.slice(11, 19)}`;
}

function showIssuStateXe(ch: CiscoChassis, detail: boolean, now: number): string[] {
  const fs = ch.platform.fs[0];
  const issu = ch.issu;
  const head = [
    `--- Starting local lock acquisition on ${ch.activeSlot} ---`,
    `Finished local lock acquisition on ${ch.activeSlot}`,
    '',
  ];
  if (issu.state === 'Init') return [...head, 'No ISSU operation is in progress', ''];
  const remaining = ch.rollbackRemainingMs();
  const hms = (ms: number) => {
    const t = Math.round(ms / 1000);
    return [Math.floor(t / 3600), Math.floor((t % 3600) / 60), t % 60].map((n) => String(n).padStart(2, '0')).join(':');
  };
  const hot = ch.standby.rf === 'STANDBY HOT';
  const rollback =
    issu.state === 'Run Version'
      ? remaining !== null
        ? `automatic, remaining time before rollback: ${hms(remaining)}`
        : 'inactive, timer canceled by acceptversion'
      : 'inactive, not yet in runversion';
  const note =
    issu.state === 'Load Version'
      ? hot
        ? 'loadversion complete, standby RP is ready for runversion'
        : 'loadversion executed, standby RP is being provisioned'
      : hot
        ? 'runversion complete, ready for acceptversion and commitversion'
        : 'runversion executed, standby RP is being provisioned';
  const label = (k: string, v: string) => `${k.padStart(40, ' ')}: ${v}`;
  const lines = [
    ...head,
    label('Slot being modified', issu.slotModified ?? ch.standby.slot),
    label(
      `${issu.lastOperation === 'runversion' ? 'Runversion' : 'Loadversion'} time`,
      `${xeTime(issu.lastOperationAt ?? now)} on vty 0`,
    ),
    label('Last operation', issu.lastOperation ?? 'none'),
    label('Rollback', rollback),
    label('Original (rollback) image', `${fs}${issu.original}`),
    label('Running image', `${fs}${ch.active.image}`),
  ];
  if (detail) {
    lines.push(
      label('Standby image', ch.standby.rf === 'DISABLED' ? 'N/A (booting)' : `${fs}${ch.standby.image}`),
      label('Operating mode', `${ch.operatingMode.toLowerCase()}, terminal state ${hot ? 'reached' : 'not reached'}`),
      label('Notes', note),
    );
  }
  return [...lines, ''];
}

export function showRollbackTimer(ch: CiscoChassis): string[] {
  const remaining = ch.rollbackRemainingMs();
  const configured = formatMinSec(ch.scaled(ch.rollbackTimerSec * 1000));
  return remaining === null
    ? ['', 'Rollback Process State = Not in progress', `Configured Rollback Time = ${configured}`]
    : [
        '',
        'Rollback Process State = In progress',
        `Configured Rollback Time = ${configured}`,
        `Automatic Rollback Time = ${formatMinSec(remaining)}`,
      ];
}

const COMPAT_WORD = { C: 'Comp(3)', B: 'Base(2)', I: 'Incomp(1)' } as const;

export function showCompMatrix(ch: CiscoChassis, kind: 'negotiated' | 'stored'): string[] {
  const running = ch.image(ch.active.image);
  if (kind === 'stored') {
    const lines = [
      `Number of Matrices in Table = 1`,
      '',
      `        (1) Matrix for ${running?.banner?.match(/\(([^)]+)\)/)?.[1] ?? 'IOS'}(${running?.version ?? '?'})`,
      '        ==========================================',
      '        Start Flag (0xDEADBABE)',
      '',
      `        My Image ver:  ${running?.version ?? '?'}`,
      '        Peer Version    Compatibility',
      '        ------------    -------------',
    ];
    for (const img of imagesOf(ch.platform.family)) {
      if (img.fileName === ch.active.image) continue;
      lines.push(`        ${img.version.padEnd(16, ' ')}${COMPAT_WORD[ch.compat(ch.active.image, img.fileName)]}`);
    }
    return lines;
  }
  const level = ch.compat(ch.active.image, ch.standby.image);
  const word =
    ch.standby.rf === 'DISABLED'
      ? 'UNKNOWN'
      : level === 'I'
        ? 'INCOMPATIBLE'
        : level === 'B'
          ? 'BASE_COMPATIBLE'
          : 'COMPATIBLE';
  const lines = [
    `CardType: ${ch.platform.model}(${ch.platform.family}), Uid: ${ch.platform.slots.indexOf(ch.activeSlot) + 2}, Image Ver: ${running?.version ?? '?'}`,
    `Image Name: ${running?.fileName ?? '?'}`,
    '',
    'Cid     Eid     Sid     pSid    pUid    Compatibility',
    '=======================================================',
  ];
  const clients = [2, 3, 4, 5, 7, 8, 9, 10];
  clients.forEach((cid, i) =>
    lines.push(
      `${String(cid).padEnd(8)}${'1'.padEnd(8)}${String(262_150 + i).padEnd(8)}${String(6 + i).padEnd(8)}${String(8).padEnd(8)}${word}`,
    ),
  );
  return lines;
}

export function showIpInterfaceBrief(ch: CiscoChassis): string[] {
  const lines = ['Interface              IP-Address      OK? Method Status                Protocol'];
  for (const i of ch.net.interfaces) {
    const status = i.up ? 'up' : 'down';
    lines.push(`${i.name.padEnd(22)} ${i.address.padEnd(15)} YES NVRAM  ${status.padEnd(22)}${status}`);
  }
  lines.push(`${'Loopback0'.padEnd(23)}${ch.net.routerId.padEnd(16)}YES NVRAM  ${'up'.padEnd(22)}up`);
  return lines;
}

export function showIpBgpSummary(ch: CiscoChassis, now: number): string[] {
  const up = ch.net.neighbors.filter((n) => n.up);
  const prefixes = up.reduce((s, n) => s + n.prefixes, 0);
  const lines = [
    `BGP router identifier ${ch.net.routerId}, local AS number ${ch.net.localAs}`,
    `BGP table version is ${prefixes + 17}, main routing table version ${prefixes + 17}`,
    `${prefixes} network entries using ${prefixes * 144} bytes of memory`,
    `${prefixes} path entries using ${prefixes * 80} bytes of memory`,
    '',
    'Neighbor        V           AS MsgRcvd MsgSent   TblVer  InQ OutQ Up/Down  State/PfxRcd',
  ];
  for (const n of ch.net.neighbors) lines.push(neighborLine(n, now, prefixes + 17));
  return lines;
}

function neighborLine(n: SimNeighbor, now: number, tbl: number): string {
  const state = n.up ? String(n.prefixes) : 'Idle';
  return `${n.address.padEnd(16)}4 ${String(n.remoteAs).padStart(10)} ${String(n.msgRcvd).padStart(7)} ${String(n.msgSent).padStart(7)} ${String(n.up ? tbl : 0).padStart(8)}    0    0 ${bgpAge(now - n.upSinceMs).padEnd(8)} ${state.padStart(12)}`;
}

export function ping(ch: CiscoChassis, target: string): string[] {
  const nb = ch.net.neighbors.find((n) => n.address === target);
  const itf = ch.net.interfaces.find((i) => i.address === target);
  const reachable = nb ? nb.up : itf ? itf.up : target === ch.net.routerId || /^127\./.test(target);
  return [
    'Type escape sequence to abort.',
    `Sending 5, 100-byte ICMP Echos to ${target}, timeout is 2 seconds:`,
    reachable ? '!!!!!' : '.....',
    reachable
      ? 'Success rate is 100 percent (5/5), round-trip min/avg/max = 1/1/4 ms'
      : 'Success rate is 0 percent (0/5)',
  ];
}

export function runningConfig(ch: CiscoChassis): string[] {
  const lines = [
    'Building configuration...',
    '',
    `Current configuration : ${4096 + ch.hostname.length * 7} bytes`,
    '!',
    `version ${ch.versionOf(ch.active.image).replace(/\(.*$/, '')}`,
    'service timestamps log datetime msec',
    '!',
    `hostname ${ch.hostname}`,
    '!',
    ...ch.active.boot.map((b) => `boot system flash ${ch.platform.fs[0]}${b}`),
    '!',
    'redundancy',
    ' mode sso',
    '!',
  ];
  for (const i of ch.net.interfaces)
    lines.push(`interface ${i.name}`, ` ip address ${i.address} 255.255.255.252`, ...(i.up ? [] : [' shutdown']), '!');
  lines.push(
    'router ospf 1',
    ' nsf',
    ` router-id ${ch.net.routerId}`,
    '!',
    `router bgp ${ch.net.localAs}`,
    ` bgp router-id ${ch.net.routerId}`,
    ' bgp graceful-restart',
    ...ch.net.neighbors.map((n) => ` neighbor ${n.address} remote-as ${n.remoteAs}`),
    '!',
    `issu set rollback-timer ${ch.rollbackTimerSec}`,
    '!',
    'line vty 0 15',
    ' transport input ssh',
    '!',
    'end',
  );
  return lines;
}

export function showBootvar(ch: CiscoChassis): string[] {
  const fs = ch.platform.fs[0];
  const line = (rp: Rp) => `BOOT variable = ${rp.boot.map((b) => `${fs}${b},1;`).join('')}`;
  return [
    line(ch.active),
    'CONFIG_FILE variable = ',
    'BOOTLDR variable = ',
    'Configuration register is 0x2102',
    '',
    'Standby is up',
    `Standby has ${Math.round(ch.platform.diskBytes / 1024 / 1024)}M bytes of flash`,
    `Standby ${line(ch.standby)}`,
    'Standby CONFIG_FILE variable = ',
    'Standby BOOTLDR variable = ',
    'Standby Configuration register is 0x2102',
  ];
}
