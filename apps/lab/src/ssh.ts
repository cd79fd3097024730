// Real SSH in front of each simulated device: its own listening socket on its management
// address, its own host key (or one per routing engine, the current master's presented, as a
// dual-RE box whose management address follows the master does), password (and keyboard-interactive) login with the device's
// credentials, shells with or without a PTY and exec requests. Sockets are accepted here and
// handed to ssh2, so the lab can cut them abruptly the way a switchover does.
import net from 'node:net';
import { hostKeyFingerprint } from '@hitless/crypto';
import type { SimDevice } from '@hitless/sim';
import ssh2 from 'ssh2';

const { Server, utils } = ssh2;

export type SshProfile = 'modern' | 'legacy';

/** What old IOS trains offer: SHA-1 Diffie-Hellman, CBC ciphers, HMAC-SHA1, ssh-rsa keys. */
const LEGACY_ALGORITHMS = {
  kex: ['diffie-hellman-group14-sha1', 'diffie-hellman-group1-sha1'],
  cipher: ['aes128-cbc', 'aes256-cbc', '3des-cbc', 'aes128-ctr'],
  serverHostKey: ['ssh-rsa'],
  hmac: ['hmac-sha1'],
  compress: ['none'],
} as const;

/** Modern first, legacy appended: new clients pick strong algorithms, old ones still connect. */
const MODERN_ALGORITHMS = {
  kex: [
    'curve25519-sha256',
    'curve25519-sha256@libssh.org',
    'ecdh-sha2-nistp256',
    'diffie-hellman-group14-sha256',
    'diffie-hellman-group16-sha512',
    'diffie-hellman-group14-sha1',
  ],
  cipher: ['aes128-gcm@openssh.com', 'aes256-gcm@openssh.com', 'aes128-ctr', 'aes256-ctr', 'aes128-cbc'],
  serverHostKey: ['ssh-ed25519', 'rsa-sha2-512', 'rsa-sha2-256', 'ssh-rsa'],
  hmac: ['hmac-sha2-256-etm@openssh.com', 'hmac-sha2-256', 'hmac-sha2-512', 'hmac-sha1'],
  compress: ['none'],
} as const;

export interface DeviceEndpoint {
  device: SimDevice;
  /** The port actually bound (differs from the spec when it asked for 0). */
  port: number;
  /** The host key presented now (the master engine's, with per-engine keys): type and public blob (base64, as in known_hosts). */
  readonly hostKey: { algorithm: string; key: string };
  /** Its OpenSSH SHA256 fingerprint, as `ssh-keygen -lf` prints it. */
  readonly hostKeyFingerprint: string;
  /** Every key the device may present: one, or one per routing engine (`engine` re0/re1, rp0/rp1). */
  hostKeys: PresentedHostKey[];
  /** Cuts every connection (switchover, reload). */
  dropAll(): void;
  /** The device's reachability changed (connections made while it was unreachable are cut when it is back). */
  reachable(up: boolean): void;
  close(): Promise<void>;
  connections(): number;
  /** Connections held unanswered while the device is unreachable. */
  waiting(): number;
}

export interface PresentedHostKey {
  /** Null for a chassis-wide key; else the routing engine that holds it (re0, re1, rp0, rp1). */
  engine: string | null;
  algorithm: string;
  key: string;
  fingerprint: string;
}

export interface SshOptions {
  profile: SshProfile;
  /** A PEM/OpenSSH private key; generated when absent. */
  hostKey?: string;
  /**
   * One private key per routing engine (slot order): the management address answers with the
   * current master's key, so after a mastership switch clients see the other one.
   */
  engineHostKeys?: string[];
  log?: (msg: string, extra?: Record<string, unknown>) => void;
}

export function generateHostKey(profile: SshProfile): string {
  // ssh2's ed25519 key generator over-strips leading zero bytes about once in 256 keys, giving
  // a key its own parser rejects (mscdex/ssh2#1390, #1513): keep only keys that parse.
  for (;;) {
    const key =
      profile === 'legacy'
        ? utils.generateKeyPairSync('rsa', { bits: 2048 }).private
        : utils.generateKeyPairSync('ed25519').private;
    if (!(utils.parseKey(key) instanceof Error)) return key;
  }
}

/** The routing engines' names of a device, in slot order: re0/re1 (Junos), rp0/rp1 (Cisco). */
export function engineNames(device: SimDevice): [string, string] {
  return device.vendor === 'JUNOS' ? ['re0', 're1'] : ['rp0', 'rp1'];
}

/** Which routing engine (slot order) is master now. */
export function masterEngine(device: SimDevice): number {
  const status = device.status();
  const index =
    'routingEngines' in status
      ? status.routingEngines.findIndex((re) => re.state === 'Master')
      : status.routeProcessors.findIndex((rp) => rp.slot === status.activeSlot);
  return Math.max(0, index);
}

function publicOf(privateKey: string, engine: string | null): PresentedHostKey {
  const parsed = utils.parseKey(privateKey);
  if (parsed instanceof Error) throw parsed;
  const publicKey = Array.isArray(parsed) ? parsed[0]! : parsed;
  const blob = publicKey.getPublicSSH();
  return { engine, algorithm: publicKey.type, key: blob.toString('base64'), fingerprint: hostKeyFingerprint(blob) };
}

/** Serves the device over SSH on its address (on `port` when given: where it listened before a re-key). */
export async function listenDevice(device: SimDevice, options: SshOptions, port?: number): Promise<DeviceEndpoint> {
  const privateKeys = options.engineHostKeys ?? [options.hostKey ?? generateHostKey(options.profile)];
  const names = engineNames(device);
  const hostKeys = privateKeys.map((k, i) => publicOf(k, options.engineHostKeys ? names[i]! : null));
  const current = () => (privateKeys.length > 1 ? masterEngine(device) : 0);
  const isJunos = device.vendor === 'JUNOS';
  const sockets = new Set<net.Socket>();

  // One SSH server per key: a connection is handed to the one of the engine that is master when it arrives.
  const servers = privateKeys.map(
    (hostKey) =>
      new Server(
        {
          hostKeys: [hostKey],
          ident: isJunos ? 'OpenSSH_4.4' : 'Cisco-1.25',
          algorithms: (options.profile === 'legacy'
            ? LEGACY_ALGORITHMS
            : MODERN_ALGORITHMS) as unknown as ssh2.Algorithms,
        },
        (client, info) => {
          const peerAddress = info.ip;
          client.on('authentication', (ctx) => {
            if (ctx.method === 'password') {
              if (device.checkPassword(ctx.username, ctx.password)) return ctx.accept();
              return ctx.reject(['password', 'keyboard-interactive']);
            }
            if (ctx.method === 'keyboard-interactive') {
              ctx.prompt([{ prompt: 'Password: ', echo: false }], (answers) => {
                if (device.checkPassword(ctx.username, answers[0] ?? '')) ctx.accept();
                else ctx.reject(['password', 'keyboard-interactive']);
              });
              return;
            }
            ctx.reject(['password', 'keyboard-interactive']);
          });
          client.on('ready', () => {
            client.on('session', (acceptSession) => {
              const session = acceptSession();
              let pty = false;
              session.on('pty', (accept) => {
                pty = true;
                accept?.();
              });
              session.on('window-change', (accept) => accept?.());
              session.on('env', (accept) => accept?.());
              session.on('shell', (accept) => {
                const stream = accept();
                attach(device, stream, { interactive: pty, peerAddress });
              });
              session.on('exec', (accept, _reject, info) => {
                const stream = accept();
                attach(device, stream, { interactive: false, exec: info.command, peerAddress });
              });
            });
          });
          // A client vanishing mid-handshake is routine for a network device; nothing to report.
          client.on('error', () => undefined);
        },
      ),
  );

  // While the device is unreachable a connection gets no answer at all, as from a box that is
  // down: the client's own timeout ends it. They are cut when the device is back, so clients
  // retry at once instead of waiting on a dead socket.
  const silent = new Set<net.Socket>();
  const cutSilent = () => {
    for (const s of silent) s.destroy();
    silent.clear();
  };
  const server = net.createServer((socket) => {
    socket.on('error', () => undefined);
    if (!device.reachable) {
      silent.add(socket);
      socket.once('close', () => silent.delete(socket));
      // Read and drop what the client sends (its SSH banner), or its giving up is never seen
      // and the socket would wait in CLOSE-WAIT until the device is back.
      socket.resume();
      socket.once('end', () => socket.destroy());
      return;
    }
    socket.setNoDelay(true);
    sockets.add(socket);
    socket.once('close', () => sockets.delete(socket));
    servers[current()]!.injectSocket(socket);
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen({ host: device.spec.address, port: port ?? device.spec.port, backlog: 64 }, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const address = server.address();
  const bound = typeof address === 'object' && address ? address.port : device.spec.port;
  return {
    device,
    port: bound,
    get hostKey() {
      const { algorithm, key } = hostKeys[current()]!;
      return { algorithm, key };
    },
    get hostKeyFingerprint() {
      return hostKeys[current()]!.fingerprint;
    },
    hostKeys,
    dropAll: () => {
      for (const s of sockets) s.destroy();
      sockets.clear();
    },
    reachable: (up) => {
      if (up) cutSilent();
    },
    connections: () => sockets.size,
    waiting: () => silent.size,
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy();
        cutSilent();
        server.close(() => resolve());
      }),
  };
}

function attach(
  device: SimDevice,
  stream: ssh2.ServerChannel,
  options: { interactive: boolean; exec?: string; peerAddress: string },
): void {
  let ended = false;
  const term = {
    write: (text: string) => {
      if (!ended) stream.write(text);
    },
    end: (exitCode = 0) => {
      if (ended) return;
      ended = true;
      try {
        stream.exit(exitCode);
      } catch {
        // The channel may already be gone with its connection.
      }
      stream.end();
    },
  };
  const cli = device.openSession(
    term,
    options.exec === undefined
      ? { interactive: options.interactive, peerAddress: options.peerAddress }
      : { interactive: false, exec: options.exec, peerAddress: options.peerAddress },
  );
  stream.on('data', (data: Buffer) => cli.input(data.toString('utf8')));
  stream.on('close', () => {
    ended = true;
    cli.close();
  });
  stream.on('error', () => undefined);
}
