// The listeners: UDP datagrams (one message each) and TCP streams (RFC 6587 octet counting or
// newline framing, detected per message). Both hand raw text to the store; neither parses.
import dgram from 'node:dgram';
import net from 'node:net';
import { decodePayload, SyslogStreamFramer } from '@hitless/syslog';
import type { Received } from './store.ts';

export interface Sink {
  accept(message: Received): void;
}

interface Logger {
  info(obj: object, msg: string): void;
  warn(obj: object, msg: string): void;
}

function familyOf(host: string): 'udp4' | 'udp6' {
  return net.isIPv6(host) ? 'udp6' : 'udp4';
}

export interface UdpReceiver {
  port: number;
  /** The receive buffer the kernel granted (it caps what was asked at net.core.rmem_max). */
  recvBufferBytes: number;
  close(): Promise<void>;
}

export async function listenUdp(options: {
  host: string;
  port: number;
  recvBufferBytes: number;
  maxMessageBytes: number;
  sink: Sink;
  logger: Logger;
}): Promise<UdpReceiver> {
  const socket = dgram.createSocket({ type: familyOf(options.host), recvBufferSize: options.recvBufferBytes });
  socket.on('message', (bytes, rinfo) => {
    const cut = bytes.length > options.maxMessageBytes;
    options.sink.accept({
      text: decodePayload(cut ? bytes.subarray(0, options.maxMessageBytes) : bytes),
      receivedAt: new Date(),
      sourceAddress: rinfo.address,
      transport: 'UDP',
      framingError: cut ? `datagram of ${bytes.length} bytes cut to ${options.maxMessageBytes}` : null,
    });
  });
  socket.on('error', (err) => options.logger.warn({ err }, 'syslog UDP socket error'));
  await new Promise<void>((resolve, reject) => {
    socket.once('error', reject);
    socket.bind({ address: options.host, port: options.port }, () => {
      socket.off('error', reject);
      resolve();
    });
  });
  const granted = socket.getRecvBufferSize();
  if (granted < options.recvBufferBytes)
    options.logger.warn(
      { asked: options.recvBufferBytes, granted },
      'the kernel granted a smaller UDP receive buffer than asked (raise net.core.rmem_max): bursts may be dropped, and are counted',
    );
  return {
    port: socket.address().port,
    recvBufferBytes: granted,
    close: () => new Promise((resolve) => socket.close(() => resolve())),
  };
}

export interface TcpReceiver {
  port: number;
  connections(): number;
  /** Stop reading from every connection (the queue is full: TCP pushes back instead of dropping). */
  pause(paused: boolean): void;
  close(): Promise<void>;
}

export async function listenTcp(options: {
  host: string;
  port: number;
  maxMessageBytes: number;
  maxConnections?: number;
  sink: Sink;
  logger: Logger;
}): Promise<TcpReceiver> {
  const sockets = new Set<net.Socket>();
  let paused = false;
  const server = net.createServer((socket) => {
    sockets.add(socket);
    if (paused) socket.pause();
    socket.setKeepAlive(true, 60_000);
    const framer = new SyslogStreamFramer({ maxMessageBytes: options.maxMessageBytes });
    const source = socket.remoteAddress ?? 'unknown';
    const hand = (frames: ReturnType<SyslogStreamFramer['push']>) => {
      const receivedAt = new Date();
      for (const f of frames) {
        options.sink.accept({
          text: f.text,
          receivedAt,
          sourceAddress: source,
          transport: 'TCP',
          framingError: f.error ?? (f.truncated ? `message cut to ${options.maxMessageBytes} bytes` : null),
        });
      }
    };
    socket.on('data', (chunk) => hand(framer.push(chunk)));
    socket.on('end', () => hand(framer.end()));
    socket.on('error', () => socket.destroy());
    socket.on('close', () => sockets.delete(socket));
  });
  server.maxConnections = options.maxConnections ?? 2000;
  server.on('error', (err) => options.logger.warn({ err }, 'syslog TCP server error'));
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen({ host: options.host, port: options.port }, () => {
      server.off('error', reject);
      resolve();
    });
  });
  return {
    port: (server.address() as net.AddressInfo).port,
    connections: () => sockets.size,
    pause(p) {
      paused = p;
      for (const s of sockets) {
        if (p) s.pause();
        else s.resume();
      }
    },
    close: async () => {
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      for (const s of sockets) s.end();
      const deadline = setTimeout(() => {
        for (const s of sockets) s.destroy();
      }, 2000);
      await closed;
      clearTimeout(deadline);
    },
  };
}
