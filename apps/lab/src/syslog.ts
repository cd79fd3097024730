// Each device sends its syslog over UDP from its own management address, as RFC 5424
// (default) or RFC 3164 messages, to the collector the lab is configured with.
import dgram from 'node:dgram';
import type { SimDevice, SyslogEvent } from '@hitless/sim';

export type SyslogFormat = '5424' | '3164';

export interface SyslogTarget {
  host: string;
  port: number;
  format: SyslogFormat;
}

/** Cisco logs to local7 by default; Junos daemons log to daemon. */
const FACILITY = { cisco: 23, junos: 3 } as const;
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

export function formatSyslog(device: SimDevice, event: SyslogEvent, at: Date, format: SyslogFormat): string {
  const facility = device.vendor === 'JUNOS' ? FACILITY.junos : FACILITY.cisco;
  const pri = `<${facility * 8 + event.severity}>`;
  const host = device.spec.hostname;
  if (format === '5424') {
    // <PRI>1 TIMESTAMP HOSTNAME APP-NAME PROCID MSGID STRUCTURED-DATA MSG
    return `${pri}1 ${at.toISOString()} ${host} ${event.appName} - ${event.msgId} - ${event.text}`;
  }
  const stamp = `${MONTHS[at.getUTCMonth()]} ${String(at.getUTCDate()).padStart(2, ' ')} ${at.toISOString().slice(11, 19)}`;
  const tag =
    device.vendor === 'JUNOS'
      ? `${event.appName}[${1000 + ((event.msgId.length * 37) % 9000)}]: ${event.msgId === 'RDP' ? '' : `${event.msgId}: `}`
      : '';
  return `${pri}${stamp} ${host} ${tag}${event.text}`;
}

export class SyslogSender {
  private readonly sockets = new Map<string, dgram.Socket>();
  target: SyslogTarget | null;

  constructor(target: SyslogTarget | null) {
    this.target = target;
  }

  send(device: SimDevice, event: SyslogEvent): void {
    const target = this.target;
    if (!target) return;
    const message = Buffer.from(formatSyslog(device, event, new Date(), target.format));
    const socket = this.socketFor(device.spec.address, target.host);
    socket.send(message, target.port, target.host);
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
  }
}
