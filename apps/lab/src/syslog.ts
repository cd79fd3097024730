// Each device sends its syslog over UDP from its own management address to the collector the
// lab is configured with, framed as the vendor frames them: by default (`auto`) Cisco as RFC
// 3164 (as IOS sends it) and Junos as RFC 5424 with structured data; `5424` or `3164` forces one
// for every device:
// - Cisco IOS with `service sequence-numbers` and `service timestamps log datetime msec
//   show-timezone`: `<189>123: *Mar  1 18:46:11.123 UTC: %SYS-5-RELOAD: …`, the number the
//   sending RP's counter, the hostname or address first on the devices configured with
//   `logging origin-id` (`<189>123: lab-bng001: *Mar …`, the shapes syslog-ng documents in
//   syslog-ng/syslog-ng scl/cisco/plugin.conf), `*` / `.` before the date on the devices whose
//   clock is not set / not in sync (see packages/sim logging.ts for who is configured how).
//   RFC 5424 keeps the same number at the head of the MSG.
// - Junos: BSD `<28>Dec 29 19:11:57 host chassisd[1503]: TAG: text`, or with `structured-data`
//   `<28>1 2010-12-29T19:11:57.000Z host chassisd 1503 TAG [junos@2636.1.1.1.2.25 …] text`
//   (the shape of Juniper's own example, "<165>1 2007-02-15T09:17:15.719Z router1 mgd 3046
//   UI_DBASE_LOGOUT_EVENT [junos@2636.1.1.1.2.18 username="user"] User 'user' exiting
//   configuration mode"; 25 is the MX480's jnxProductName number). Lines the line cards relay
//   (`fpc0 RDP: …`) carry no tag and no process id.
import dgram from 'node:dgram';
import { loggingProfileOf, type SimDevice, type SyslogEvent } from '@hitless/sim';

/** `auto`: each vendor's own (Cisco RFC 3164, Junos RFC 5424); the others force one for all. */
export const SYSLOG_FORMATS = ['auto', '5424', '3164'] as const;
export type SyslogFormat = (typeof SYSLOG_FORMATS)[number];
type Framing = Exclude<SyslogFormat, 'auto'>;

export interface SyslogTarget {
  host: string;
  port: number;
  format: SyslogFormat;
}

/** Cisco logs to local7 by default; Junos daemons log to daemon. */
const FACILITY = { cisco: 23, junos: 3 } as const;
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
/** JUNIPER-CHASSIS-DEFINES-MIB jnxProductName numbers, the last arc of the structured-data SD-ID. */
const JUNOS_PRODUCT: Record<string, number> = { MX480: 25 };

/** What the formatters need of a device. */
export type SyslogSource = Pick<SimDevice, 'vendor' | 'model'> & {
  spec: Pick<SimDevice['spec'], 'hostname' | 'address'>;
};

/** `Dec  9 19:11:57` (BSD: the day padded with a space), with `.mmm` when asked. */
function bsdStamp(at: Date, msec = false): string {
  const day = String(at.getUTCDate()).padStart(2, ' ');
  const time = at.toISOString().slice(11, msec ? 23 : 19);
  return `${MONTHS[at.getUTCMonth()]} ${day} ${time}`;
}

/** An RFC 5424 PARAM-VALUE: `"`, `\` and `]` escaped. */
function sdValue(value: string): string {
  return value.replace(/["\\\]]/g, (c) => `\\${c}`);
}

/** A relayed line-card message (`fpc0 RDP: …`): its text already starts with the FPC's name. */
function isRelayed(event: SyslogEvent): boolean {
  return /^fpc\d+$/.test(event.appName);
}

export function formatSyslog(device: SyslogSource, event: SyslogEvent, at: Date, format: SyslogFormat): string {
  return device.vendor === 'JUNOS'
    ? formatJunos(device, event, at, format === 'auto' ? '5424' : format)
    : formatCisco(device, event, at, format === 'auto' ? '3164' : format);
}

function formatCisco(device: SyslogSource, event: SyslogEvent, at: Date, format: Framing): string {
  const pri = `<${FACILITY.cisco * 8 + event.severity}>`;
  const seq = event.sequence === undefined ? '' : `${event.sequence}: `;
  if (format === '5424') {
    // <PRI>1 TIMESTAMP HOSTNAME APP-NAME PROCID MSGID STRUCTURED-DATA MSG
    return `${pri}1 ${at.toISOString()} ${device.spec.hostname} ${event.appName} - ${event.msgId} - ${seq}${event.text}`;
  }
  const profile = loggingProfileOf(device.spec.hostname, device.vendor);
  const origin =
    profile.originId === 'hostname'
      ? `${device.spec.hostname}: `
      : profile.originId === 'ip'
        ? `${device.spec.address}: `
        : '';
  return `${pri}${seq}${origin}${profile.clockMark}${bsdStamp(at, true)} UTC: ${event.text}`;
}

function formatJunos(device: SyslogSource, event: SyslogEvent, at: Date, format: Framing): string {
  const pri = `<${FACILITY.junos * 8 + event.severity}>`;
  const host = device.spec.hostname;
  if (format === '5424') {
    if (isRelayed(event)) {
      const msg = event.text.startsWith(`${event.appName} `) ? event.text.slice(event.appName.length + 1) : event.text;
      return `${pri}1 ${at.toISOString()} ${host} ${event.appName} - - - ${msg}`;
    }
    const params = Object.entries(event.params ?? {})
      .map(([k, v]) => ` ${k}="${sdValue(v)}"`)
      .join('');
    const sd = `[junos@2636.1.1.1.2.${JUNOS_PRODUCT[device.model] ?? JUNOS_PRODUCT.MX480}${params}]`;
    return `${pri}1 ${at.toISOString()} ${host} ${event.appName} ${event.procId ?? '-'} ${event.msgId} ${sd} ${event.text}`;
  }
  return `${pri}${bsdStamp(at)} ${host} ${junosLine(event)}`;
}

/** The message as Junos writes it after the host: `chassisd[1503]: TAG: text`, or a relayed line as it came. */
function junosLine(event: SyslogEvent): string {
  if (isRelayed(event)) return event.text;
  const proc = event.procId ? `${event.appName}[${event.procId}]` : event.appName;
  return `${proc}: ${event.msgId}: ${event.text}`;
}

/**
 * What Junos's syslogd writes to logged-in terminals for a message its configuration sends to
 * `user *` (wall), as the seed 001 shows it on the new master's console:
 *
 *     Message from syslogd@<host> at Dec 29 19:11:57 ...
 *     fpc0 RDP: Remote side reset connection: rdp.(fpc0:22528).(serverRouter:ppm)
 *
 * Led by CR LF and a bell, each line ended by CR LF, as the BSD syslogd writes to a tty. The lab
 * never writes this into SSH sessions (the drivers do not expect it); it is here for tests of
 * whatever has to recognise it in a transcript.
 */
export function consoleForm(hostname: string, event: SyslogEvent, at: Date): string {
  return `\r\n\x07Message from syslogd@${hostname} at ${bsdStamp(at)} ...\r\n${junosLine(event)}\r\n`;
}

export class SyslogSender {
  private readonly sockets = new Map<string, dgram.Socket>();
  /** One socket with no address of its own, for targets a loopback source cannot reach. */
  private unbound: dgram.Socket | null = null;
  /** Targets (`host:port`) that refused a loopback source. */
  private readonly offLoopback = new Set<string>();
  target: SyslogTarget | null;

  constructor(target: SyslogTarget | null) {
    this.target = target;
  }

  send(device: SimDevice, event: SyslogEvent): void {
    const target = this.target;
    if (!target) return;
    const message = Buffer.from(formatSyslog(device, event, new Date(), target.format));
    const key = `${target.host}:${target.port}`;
    if (this.offLoopback.has(key)) {
      this.unboundSocket(target.host).send(message, target.port, target.host);
      return;
    }
    const socket = this.socketFor(device.spec.address, target.host);
    socket.send(message, target.port, target.host, (err) => {
      // Linux routes nothing from 127/8 off the host (EINVAL): a collector on another host or
      // container (docker-compose's) gets the devices' messages from this host's own address,
      // and tells them apart by the hostname in them (RFC 5424's HOSTNAME).
      if ((err as NodeJS.ErrnoException | null)?.code !== 'EINVAL') return;
      this.offLoopback.add(key);
      this.unboundSocket(target.host).send(message, target.port, target.host);
    });
  }

  private unboundSocket(targetHost: string): dgram.Socket {
    if (!this.unbound) {
      this.unbound = dgram.createSocket(targetHost.includes(':') ? 'udp6' : 'udp4');
      this.unbound.on('error', () => undefined);
      this.unbound.unref();
    }
    return this.unbound;
  }

  private socketFor(address: string, targetHost: string): dgram.Socket {
    let s = this.sockets.get(address);
    if (!s) {
      s = dgram.createSocket(targetHost.includes(':') ? 'udp6' : 'udp4');
      // Bound to the device's own address, so the collector sees the device as the source.
      s.bind({ address, port: 0 });
      s.on('error', () => undefined);
      s.unref();
      this.sockets.set(address, s);
    }
    return s;
  }

  close(): void {
    for (const s of this.sockets.values()) s.close();
    this.sockets.clear();
    this.unbound?.close();
    this.unbound = null;
  }
}
