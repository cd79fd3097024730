// The reference: Debian's rsyslogd, run in the foreground with a configuration of our own (imudp
// only, on a loopback port, with the collector's receive buffer; every message to one file with
// omfile's default template; no DNS lookups, as the collector does none). Lines are counted as
// the file grows.
import { spawn, type ChildProcess } from 'node:child_process';
import dgram from 'node:dgram';
import { existsSync } from 'node:fs';
import { mkdir, open, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { kernelUdpDrops } from '../src/kernel-drops.ts';

export const RSYSLOGD = '/usr/sbin/rsyslogd';

export interface Rsyslog {
  port: number;
  pid: number;
  /** Lines in the output file so far. */
  lines(): Promise<number>;
  kernelDrops(): Promise<number>;
  alive(): boolean;
  stop(): Promise<void>;
}

/** A UDP port that was free on 127.0.0.1 a moment ago. */
export async function freeUdpPort(): Promise<number> {
  const s = dgram.createSocket('udp4');
  await new Promise<void>((resolve) => s.bind({ address: '127.0.0.1', port: 0 }, resolve));
  const port = s.address().port;
  await new Promise<void>((resolve) => s.close(() => resolve()));
  return port;
}

/** The receive buffer the kernel grants this process's plain SO_RCVBUF for `asked` (what Node's dgram does). */
export async function grantedRecvBuffer(asked: number): Promise<number> {
  const s = dgram.createSocket({ type: 'udp4', recvBufferSize: asked });
  await new Promise<void>((resolve) => s.bind({ address: '127.0.0.1', port: 0 }, resolve));
  const granted = s.getRecvBufferSize();
  await new Promise<void>((resolve) => s.close(() => resolve()));
  return granted;
}

/**
 * `recvBufferBytes` is what the kernel reports for the collector's socket (twice what was set).
 * rsyslog sets SO_RCVBUFFORCE when it can, which the kernel doubles too, so it is asked for half.
 */
export async function startRsyslog(dir: string, recvBufferBytes: number): Promise<Rsyslog> {
  if (!existsSync(RSYSLOGD)) throw new Error(`${RSYSLOGD} is missing (apt-get install -y rsyslog)`);
  const port = await freeUdpPort();
  const out = path.join(dir, 'messages.log');
  const conf = path.join(dir, 'rsyslog.conf');
  const work = path.join(dir, 'work');
  await mkdir(work, { recursive: true });
  await writeFile(out, '');
  await writeFile(
    conf,
    [
      `global(workDirectory="${work}" net.enableDNS="off")`,
      'module(load="imudp")',
      `input(type="imudp" address="127.0.0.1" port="${port}" rcvbufSize="${Math.floor(recvBufferBytes / 2)}" ruleset="bench")`,
      // Its own ruleset: rsyslogd's own start and stop messages stay out of the counted file.
      `ruleset(name="bench") { action(type="omfile" file="${out}") }`,
      '',
    ].join('\n'),
  );
  const log: string[] = [];
  const child: ChildProcess = spawn(RSYSLOGD, ['-n', '-f', conf, '-i', path.join(dir, 'rsyslogd.pid')], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  for (const stream of [child.stdout, child.stderr]) stream?.on('data', (b: Buffer) => log.push(b.toString()));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const alive = () => child.exitCode === null && child.signalCode === null;
  const stop = async () => {
    if (alive()) child.kill('SIGTERM');
    const timer = setTimeout(() => child.kill('SIGKILL'), 5000);
    await exited;
    clearTimeout(timer);
  };
  // Ready once its socket is in the kernel's table (drops column readable for the port).
  const deadline = Date.now() + 10_000;
  while ((await kernelUdpDrops(port)) === null) {
    if (!alive() || Date.now() > deadline) {
      await stop();
      throw new Error(`rsyslogd did not listen on 127.0.0.1:${port}:\n${log.join('').slice(-2000)}`);
    }
    await new Promise((r) => setTimeout(r, 50));
  }

  // Lines counted incrementally from where the last count stopped.
  let offset = 0;
  let count = 0;
  const buffer = Buffer.alloc(1 << 20);
  return {
    port,
    pid: child.pid!,
    lines: async () => {
      const fh = await open(out, 'r');
      try {
        for (;;) {
          const { bytesRead } = await fh.read(buffer, 0, buffer.length, offset);
          if (bytesRead === 0) break;
          for (let i = 0; i < bytesRead; i++) if (buffer[i] === 10) count++;
          offset += bytesRead;
        }
      } finally {
        await fh.close();
      }
      return count;
    },
    kernelDrops: async () => (await kernelUdpDrops(port)) ?? 0,
    alive,
    stop,
  };
}
