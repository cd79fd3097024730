// What the Junos chassis prints. Pure functions of the model and the current time.
import type { SimNeighbor } from '../network.ts';
import type { JunosChassis, Re } from './chassis.ts';

const SEPARATOR = '-'.repeat(74);

function versionBlock(ch: JunosChassis, re: Re): string[] {
  const v = re.version;
  return [
    `Hostname: ${ch.hostname}`,
    `Model: ${ch.model}`,
    `JUNOS Base OS boot [${v}]`,
    `JUNOS Base OS Software Suite [${v}]`,
    `JUNOS Kernel Software Suite [${v}]`,
    `JUNOS Crypto Software Suite [${v}]`,
    `JUNOS Packet Forwarding Engine Support (M/T Common) [${v}]`,
    `JUNOS Packet Forwarding Engine Support (MX Common) [${v}]`,
    `JUNOS Online Documentation [${v}]`,
    `JUNOS Routing Software Suite [${v}]`,
  ];
}

export function showVersion(ch: JunosChassis, allRes: boolean): string[] {
  if (!allRes) return versionBlock(ch, ch.master);
  const lines: string[] = [];
  for (const re of ch.res) {
    lines.push(`re${re.slot}:`, SEPARATOR);
    if (re.state === 'Rebooting') lines.push('error: the routing engine is not responding (rebooting)');
    else lines.push(...versionBlock(ch, re));
    lines.push('');
  }
  return lines;
}

function duration(ms: number): string {
  const s = Math.max(0, Math.floor(ms / 1000));
  const d = Math.floor(s / 86_400);
  const h = Math.floor((s % 86_400) / 3600);
  const m = Math.floor((s % 3600) / 60);
  const sec = s % 60;
  const parts: string[] = [];
  if (d) parts.push(`${d} day${d === 1 ? '' : 's'}`);
  if (h) parts.push(`${h} hour${h === 1 ? '' : 's'}`);
  if (m) parts.push(`${m} minute${m === 1 ? '' : 's'}`);
  parts.push(`${sec} second${sec === 1 ? '' : 's'}`);
  return parts.join(', ');
}

function stamp(ms: number): string {
  return `${new Date(ms).toISOString().slice(0, 19).replace('T', ' ')} UTC`;
}

/** `show chassis routing-engine` in the layout of Junos 10.x (one block per slot). */
export function showChassisRoutingEngine(ch: JunosChassis, now: number): string[] {
  const lines = ['Routing Engine status:'];
  for (const re of ch.res) {
    lines.push(`  Slot ${re.slot}:`);
    if (re.state === 'Rebooting') {
      lines.push('    Current state                  Present');
      continue;
    }
    lines.push(
      `    Current state                  ${re.state}`,
      `    Election priority              ${re.slot === 0 ? 'Master (default)' : 'Backup (default)'}`,
      `    Temperature                 ${36 + re.slot} degrees C / ${97 + re.slot * 2} degrees F`,
      `    CPU temperature             ${33 + re.slot} degrees C / ${91 + re.slot * 2} degrees F`,
      '    DRAM                      3584 MB',
      '    Memory utilization          14 percent',
      '    CPU utilization:',
      '      User                       0 percent',
      '      Background                 0 percent',
      `      Kernel                     ${re.state === 'Master' ? 3 : 1} percent`,
      '      Interrupt                  0 percent',
      `      Idle                      ${re.state === 'Master' ? 97 : 99} percent`,
      '    Model                          RE-S-2000',
      `    Serial ID                      ${9009010339 + re.slot}`,
      `    Start time                     ${stamp(re.bootedAt)}`,
      `    Uptime                         ${duration(now - re.bootedAt)}`,
      `    Last reboot reason             ${re.lastRebootReason}`,
      '    Load averages:                 1 minute   5 minute  15 minute',
      '                                       0.00       0.02       0.00',
    );
  }
  return lines;
}

export function showSystemSwitchover(ch: JunosChassis): string[] {
  const gres = ch.hasStatement('set chassis redundancy graceful-switchover');
  const ready = ch.backup.state === 'Backup';
  return [
    `re${ch.backup.slot}:`,
    SEPARATOR,
    `Graceful switchover: ${gres ? 'On' : 'Off'}`,
    `Configuration database: ${ready && gres ? 'Ready' : 'Not Ready'}`,
    `Kernel database: ${ready && gres ? 'Ready' : 'Not Ready'}`,
    `Peer state: ${ready && gres ? 'Steady State' : ready ? 'Not Ready' : 'Down'}`,
  ];
}

function human(bytes: number): string {
  const units = ['B', 'K', 'M', 'G'];
  let v = bytes;
  let i = 0;
  while (v >= 1024 && i < units.length - 1) {
    v /= 1024;
    i++;
  }
  return `${v >= 10 || i === 0 ? Math.round(v) : v.toFixed(1)}${units[i]}`;
}

export function showSystemStorage(ch: JunosChassis): string[] {
  const used = ch.varUsedBytes();
  const avail = Math.max(0, ch.varBytes - used);
  const row = (fs: string, size: number, u: number, a: number, mount: string) =>
    `${fs.padEnd(24)}${human(size).padStart(4)}${human(u).padStart(11)}${human(a).padStart(11)}${`${Math.round((u / size) * 100)}%`.padStart(10)}  ${mount}`;
  return [
    'Filesystem              Size       Used      Avail  Capacity  Mounted on',
    row('/dev/ad0s1a', 928_000_000, 202_000_000, 651_000_000, '/'),
    row('devfs', 1024, 1024, 0, '/dev'),
    row('/dev/md0', 45_000_000, 45_000_000, 0, '/packages/mnt/jbase'),
    row('/dev/ad0s1e', 102_000_000, 24_576, 94_000_000, '/config'),
    row('/dev/ad1s1f', ch.varBytes, used, avail, '/var'),
  ];
}

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

export function fileList(ch: JunosChassis, path: string, detail: boolean): string[] {
  const dir = path.replace(/\/?$/, '/');
  if (dir !== '/var/tmp/') return [`${dir}: No such file or directory`];
  const files = [...ch.tmp.values()].sort((a, b) => a.name.localeCompare(b.name));
  if (!detail) return [`${dir}:`, ...files.map((f) => f.name)];
  const total = files.reduce((s, f) => s + Math.ceil(f.size / 512), 0);
  return [
    `${dir}:`,
    `total ${total}`,
    ...files.map((f) => {
      const d = new Date(f.mtime);
      return `-rw-r--r--  1 root  wheel  ${String(f.size).padStart(10)} ${MONTHS[d.getUTCMonth()]} ${String(d.getUTCDate()).padStart(2)}  ${d.getUTCFullYear()} ${f.name}`;
    }),
  ];
}

/** `show configuration <path>`: `display set` form, or the brace hierarchy Junos shows by default. */
export function showConfiguration(statements: Iterable<string>, path: string[], displaySet: boolean): string[] {
  const prefix = ['set', ...path].join(' ');
  const matching = [...statements].filter((s) => s === prefix || s.startsWith(`${prefix} `)).sort();
  if (displaySet) return matching;
  interface Node {
    children: Map<string, Node>;
  }
  const root: Node = { children: new Map() };
  for (const s of matching) {
    let node = root;
    for (const word of s.split(' ').slice(1 + path.length)) {
      if (!node.children.has(word)) node.children.set(word, { children: new Map() });
      node = node.children.get(word)!;
    }
  }
  const out: string[] = [];
  // A node whose only child is a leaf prints on one line ("commit synchronize;"), as Junos
  // does for keywords that take a value; everything else nests in braces.
  const walk = (node: Node, depth: number) => {
    for (const [word, child] of node.children) {
      const pad = '    '.repeat(depth);
      const only = child.children.size === 1 ? [...child.children.entries()][0]! : undefined;
      if (child.children.size === 0) out.push(`${pad}${word};`);
      else if (only && only[1].children.size === 0) out.push(`${pad}${word} ${only[0]};`);
      else {
        out.push(`${pad}${word} {`);
        walk(child, depth + 1);
        out.push(`${pad}}`);
      }
    }
  };
  walk(root, 0);
  return out;
}

export function showBgpSummary(ch: JunosChassis, now: number): string[] {
  const up = ch.net.neighbors.filter((n) => n.up);
  const total = up.reduce((s, n) => s + n.prefixes, 0);
  const lines = [
    `Groups: 1 Peers: ${ch.net.neighbors.length} Down peers: ${ch.net.neighbors.length - up.length}`,
    'Table          Tot Paths  Act Paths Suppressed    History Damp State    Pending',
    `inet.0         ${String(total).padStart(9)} ${String(total).padStart(10)}          0          0          0          0`,
    'Peer                     AS      InPkt     OutPkt    OutQ   Flaps Last Up/Dwn State|#Active/Received/Accepted/Damped...',
  ];
  for (const n of ch.net.neighbors) lines.push(peerLine(n, now));
  return lines;
}

function peerAge(ms: number): string {
  const s = Math.max(0, Math.floor(ms / 1000));
  const w = Math.floor(s / 604_800);
  const d = Math.floor((s % 604_800) / 86_400);
  const h = Math.floor((s % 86_400) / 3600);
  const m = Math.floor((s % 3600) / 60);
  if (w) return `${w}w${d}d${h}h`;
  if (d) return `${d}d ${h}:${String(m).padStart(2, '0')}:${String(s % 60).padStart(2, '0')}`;
  return `${h}:${String(m).padStart(2, '0')}:${String(s % 60).padStart(2, '0')}`;
}

function peerLine(n: SimNeighbor, now: number): string {
  const state = n.up ? `${n.prefixes}/${n.prefixes}/${n.prefixes}/0` : 'Idle';
  return `${n.address.padEnd(20)}${String(n.remoteAs).padStart(8)}${String(n.msgRcvd).padStart(11)}${String(n.msgSent).padStart(11)}       0       0 ${peerAge(now - n.upSinceMs).padStart(11)} ${state}${n.up ? '       0/0/0/0' : ''}`;
}

export function showInterfacesTerse(ch: JunosChassis): string[] {
  const lines = ['Interface               Admin Link Proto    Local                 Remote'];
  for (const i of ch.net.interfaces) {
    const link = i.up ? 'up' : 'down';
    lines.push(`${i.name.padEnd(24)}up    ${link}`);
    lines.push(`${`${i.name}.0`.padEnd(24)}up    ${link.padEnd(5)}inet     ${i.address}/30`);
  }
  lines.push(
    `${'lo0'.padEnd(24)}up    up`,
    `${'lo0.0'.padEnd(24)}up    up   inet     ${ch.net.routerId}          --> 0/0`,
  );
  return lines;
}

export function ping(ch: JunosChassis, target: string, count: number): string[] {
  const nb = ch.net.neighbors.find((n) => n.address === target);
  const itf = ch.net.interfaces.find((i) => i.address === target);
  const ok = nb ? nb.up : itf ? itf.up : /^127\./.test(target);
  const lines = [`PING ${target} (${target}): 56 data bytes`];
  if (ok)
    for (let i = 0; i < count; i++)
      lines.push(`64 bytes from ${target}: icmp_seq=${i} ttl=64 time=0.${400 + i * 17} ms`);
  lines.push(
    '',
    `--- ${target} ping statistics ---`,
    `${count} packets transmitted, ${ok ? count : 0} packets received, ${ok ? 0 : 100}% packet loss`,
  );
  if (ok) lines.push('round-trip min/avg/max/stddev = 0.400/0.434/0.468/0.025 ms');
  return lines;
}
