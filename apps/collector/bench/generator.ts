// The bench's load generator: realistic Cisco IOS-XE and Junos messages (150–250 bytes, each
// source with its own counter) from many 127.x source addresses, paced by a token bucket that
// sends the messages due every millisecond tick. UDP: one connected socket per source address.
// TCP: a few connections with RFC 6587 octet counting; a connection whose send buffer is full is
// skipped until it drains (TCP's backpressure), so the achieved rate shows when the receiver
// cannot keep up.
import dgram from 'node:dgram';
import net from 'node:net';
import { performance } from 'node:perf_hooks';

export interface Source {
  address: string;
  hostname: string;
  vendor: 'cisco' | 'junos';
  /** In the inventory (matched by address) or not (stored as unknown). */
  known: boolean;
}

/** `known` devices at 127.70.x.y, and every `unknownEvery`-th source an address no device has. */
export function makeSources(known: number, unknown: number): Source[] {
  const sources: Source[] = [];
  const at = (base: number, i: number) => `127.${base}.${Math.floor(i / 250)}.${(i % 250) + 1}`;
  for (let i = 0; i < known; i++) {
    const vendor = i % 2 === 0 ? 'cisco' : 'junos';
    const n = String(i).padStart(3, '0');
    sources.push({
      address: at(70, i),
      hostname: vendor === 'cisco' ? `c9k-bench-${n}` : `mx-bench-${n}`,
      vendor,
      known: true,
    });
  }
  // Unknown sources interleaved, so every slice of the list (the TCP connections) has some.
  const every = unknown > 0 ? Math.max(1, Math.floor(known / unknown)) : 0;
  for (let j = 0; j < unknown; j++) {
    const source: Source = {
      address: at(71, j),
      hostname: `stray-${j}`,
      vendor: j % 2 ? 'junos' : 'cisco',
      known: false,
    };
    sources.splice(Math.min(sources.length, (j + 1) * every + j), 0, source);
  }
  return sources;
}

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
const two = (n: number) => String(n).padStart(2, '0');

/** Builds messages; the clock strings are computed once per tick, not per message. */
export class MessageMaker {
  private readonly counters: number[];
  private ciscoStamp = '';
  private isoStamp = '';

  constructor(private readonly sources: Source[]) {
    this.counters = sources.map((_, i) => 100_000 + i * 7919);
    this.tick();
  }

  tick(now = new Date()): void {
    const ms = String(now.getUTCMilliseconds()).padStart(3, '0');
    this.ciscoStamp = `${MONTHS[now.getUTCMonth()]} ${String(now.getUTCDate()).padStart(2, ' ')} ${two(now.getUTCHours())}:${two(now.getUTCMinutes())}:${two(now.getUTCSeconds())}.${ms} UTC`;
    this.isoStamp = now.toISOString();
  }

  /** The next message from source `i`. */
  make(i: number): string {
    const s = this.sources[i]!;
    const seq = ++this.counters[i]!;
    const port = (seq * 7) % 48;
    if (s.vendor === 'cisco') {
      const head = `<189>${seq}: ${s.hostname}: ${this.ciscoStamp}: `;
      switch (seq % 4) {
        case 0:
          return `${head}%LINEPROTO-5-UPDOWN: Line protocol on Interface TenGigabitEthernet1/0/${port}, changed state to ${seq & 4 ? 'up' : 'down'}`;
        case 1:
          return `${head}%SEC-6-IPACCESSLOGP: list INET-BLOCK permitted tcp 192.0.2.${port + 10}(${40_000 + (seq % 20_000)}) -> 198.51.100.${port + 1}(443), 1 packet`;
        case 2:
          return `${head}%OSPF-5-ADJCHG: Process 1, Nbr 10.0.${port}.2 on TenGigabitEthernet1/0/${port} from LOADING to FULL, Loading Done`;
        default:
          return `${head}%SYS-5-CONFIG_I: Configured from console by netops on vty0 (10.100.11.${port + 10}) session ${seq}`;
      }
    }
    const head = `<28>1 ${this.isoStamp} ${s.hostname}`;
    if (seq % 2 === 0)
      return `${head} mib2d ${2000 + (seq % 5000)} SNMP_TRAP_LINK_DOWN [junos@2636.1.1.1.2.39 snmp-interface-index="${500 + port}" admin-status="up(1)" operational-status="down(2)" interface-name="ge-0/0/${port}"] ifIndex ${500 + port}, ifName ge-0/0/${port}`;
    return `${head} mgd ${3000 + (seq % 5000)} UI_COMMIT [junos@2636.1.1.1.2.39 username="netops" command="commit" message="seq ${seq}"] User 'netops' requested 'commit' operation`;
  }
}

export interface SendResult {
  sent: number;
  errors: number;
  seconds: number;
  /** Ticks where the backlog was cut to a burst's worth (the sender fell behind). */
  behindTicks: number;
}

const TICK_MS = 1;
/** At most this many milliseconds' worth of messages in one tick, whatever the backlog. */
const MAX_BURST_MS = 20;

/**
 * Calls `sendBurst(count)` every tick with the messages due by the token bucket until `seconds`
 * have passed; `sendBurst` answers how many it actually sent (TCP may send fewer).
 */
async function pace(rate: number, seconds: number, sendBurst: (count: number) => number): Promise<SendResult> {
  const start = performance.now();
  const end = start + seconds * 1000;
  const maxBurst = Math.max(1, Math.ceil((rate * MAX_BURST_MS) / 1000));
  let sent = 0;
  let behindTicks = 0;
  for (;;) {
    const now = performance.now();
    if (now >= end) break;
    const due = Math.floor((rate * (now - start)) / 1000) - sent;
    if (due > maxBurst) behindTicks++;
    if (due > 0) sent += sendBurst(Math.min(due, maxBurst));
    await new Promise((r) => setTimeout(r, TICK_MS));
  }
  return { sent, errors: 0, seconds: (performance.now() - start) / 1000, behindTicks };
}

export interface UdpSender {
  run(rate: number, seconds: number): Promise<SendResult>;
  close(): Promise<void>;
}

/** One UDP socket per source, bound to its address and connected to `port` on 127.0.0.1. */
export async function udpSender(sources: Source[], port: number): Promise<UdpSender> {
  const maker = new MessageMaker(sources);
  const sockets: dgram.Socket[] = [];
  let errors = 0;
  try {
    for (const s of sources) {
      const socket = dgram.createSocket('udp4');
      sockets.push(socket);
      socket.on('error', () => errors++);
      await new Promise<void>((resolve) => socket.bind({ address: s.address, port: 0 }, resolve));
      await new Promise<void>((resolve) => socket.connect(port, '127.0.0.1', resolve));
    }
  } catch (err) {
    for (const s of sockets) s.close();
    throw err;
  }
  let next = 0;
  return {
    async run(rate, seconds) {
      const before = errors;
      const result = await pace(rate, seconds, (count) => {
        maker.tick();
        if (sockets.length === 0) throw new Error('the UDP generator was closed');
        for (let c = 0; c < count; c++) {
          const i = next++ % sources.length;
          sockets[i]!.send(maker.make(i));
        }
        return count;
      });
      // Let the last sends' errors (if any) arrive before counting them.
      await new Promise((r) => setImmediate(r));
      return { ...result, errors: errors - before };
    },
    close: async () => {
      // Safe to call twice (a phase closes it, and so does the bench's clean-up).
      const open = sockets.splice(0);
      await Promise.all(open.map((s) => new Promise<void>((resolve) => s.close(() => resolve()))));
    },
  };
}

export interface TcpSender {
  run(rate: number, seconds: number): Promise<SendResult>;
  /** Bytes written but still in this process's buffers. */
  buffered(): number;
  close(): Promise<void>;
}

/** A connection's user-space buffer beyond which it is skipped until 'drain'. */
const TCP_HIGH_WATER = 256 * 1024;

/** `connections` TCP connections, each from one source's address (spread over the list). */
export async function tcpSender(sources: Source[], port: number, connections: number): Promise<TcpSender> {
  const picked = Array.from({ length: Math.min(connections, sources.length) }, (_, c) =>
    Math.floor((c * sources.length) / connections),
  );
  const maker = new MessageMaker(sources);
  const sockets: net.Socket[] = [];
  let errors = 0;
  try {
    for (const i of picked) {
      const socket = await new Promise<net.Socket>((resolve, reject) => {
        const s = net.connect({ host: '127.0.0.1', port, localAddress: sources[i]!.address }, () => {
          s.off('error', reject);
          resolve(s);
        });
        s.once('error', reject);
      });
      socket.setNoDelay(true);
      socket.on('error', () => errors++);
      sockets.push(socket);
    }
  } catch (err) {
    for (const s of sockets) s.destroy();
    throw err;
  }
  let next = 0;
  return {
    async run(rate, seconds) {
      const before = errors;
      const result = await pace(rate, seconds, (count) => {
        if (sockets.length === 0) throw new Error('the TCP generator was closed');
        maker.tick();
        let sent = 0;
        const per = Math.ceil(count / sockets.length);
        for (let c = 0; c < sockets.length && sent < count; c++) {
          const k = next++ % sockets.length;
          const socket = sockets[k]!;
          if (socket.writableLength > TCP_HIGH_WATER || socket.destroyed) continue;
          const n = Math.min(per, count - sent);
          let chunk = '';
          for (let m = 0; m < n; m++) {
            const text = maker.make(picked[k]!);
            chunk += `${Buffer.byteLength(text)} ${text}`;
          }
          socket.write(chunk);
          sent += n;
        }
        return sent;
      });
      return { ...result, errors: errors - before };
    },
    buffered: () => sockets.reduce((n, s) => n + s.writableLength, 0),
    close: async () => {
      await Promise.all(
        sockets.splice(0).map(
          (s) =>
            new Promise<void>((resolve) => {
              if (s.destroyed) return resolve();
              s.once('close', () => resolve());
              s.end();
              setTimeout(() => s.destroy(), 2000).unref();
            }),
        ),
      );
    },
  };
}
