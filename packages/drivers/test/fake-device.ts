// A hostile or broken SSH "device" for the transport's security tests: a real ssh2 server on a
// lab-style loopback address that records everything a client gives it — the authentication
// methods tried with their passwords, the keyboard-interactive answers, every byte typed in a
// shell — and can repeat its questions instead of taking the answers.
import net from 'node:net';
import { uniqueBase } from '@hitless/lab/testing';
import ssh2 from 'ssh2';

const { Server, utils } = ssh2;

export interface Received {
  /** Every authentication request, in order (`none`, `password`, `keyboard-interactive`). */
  methods: string[];
  /** Passwords given with the `password` method. */
  passwords: string[];
  /** Answers of each keyboard-interactive round. */
  kiAnswers: string[][];
  /** Everything typed in shells. */
  typed: string;
  /** The algorithms negotiated by the last handshake. */
  negotiated: { kex: string; serverHostKey: string; cs: { cipher: string; mac: string } } | null;
}

export interface FakeDeviceOptions {
  hostKey?: string;
  algorithms?: ssh2.Algorithms;
  /** `password`: takes any password. `ki-twice`: only keyboard-interactive, asks for the password in two rounds. `ki-again`: refuses the keyboard-interactive answer and offers it again. `refuse`: refuses every password. */
  auth?: 'password' | 'ki-twice' | 'ki-again' | 'refuse';
  /** Lands in user mode, and `enable` asks `Password:` after every line, forever. */
  enableLoop?: boolean;
  /** How many times `reload` asks `[confirm]` before it returns to the prompt (default: forever). */
  confirmTimes?: number;
}

export interface FakeDevice {
  address: string;
  port: number;
  hostKey: string;
  /** The public key blob in base64 (as in known_hosts). */
  publicKey: string;
  received: Received;
  close(): Promise<void>;
}

let n = 0;

export function newHostKey(): string {
  for (;;) {
    const key = utils.generateKeyPairSync('ed25519').private;
    if (!(utils.parseKey(key) instanceof Error)) return key;
  }
}

export function publicKeyOf(privateKey: string): string {
  const parsed = utils.parseKey(privateKey);
  if (parsed instanceof Error) throw parsed;
  return (Array.isArray(parsed) ? parsed[0]! : parsed).getPublicSSH().toString('base64');
}

export async function fakeDevice(options: FakeDeviceOptions = {}): Promise<FakeDevice> {
  const hostKey = options.hostKey ?? newHostKey();
  const received: Received = { methods: [], passwords: [], kiAnswers: [], typed: '', negotiated: null };
  const auth = options.auth ?? 'password';
  const ssh = new Server(
    { hostKeys: [hostKey], ident: 'Cisco-1.25', ...(options.algorithms && { algorithms: options.algorithms }) },
    (client) => {
      client.on('handshake', (negotiated) => (received.negotiated = negotiated));
      const offered: ssh2.AuthenticationType[] =
        auth === 'ki-twice' || auth === 'ki-again' ? ['keyboard-interactive'] : ['password', 'keyboard-interactive'];
      client.on('authentication', (ctx) => {
        received.methods.push(ctx.method);
        if (ctx.method === 'password') {
          received.passwords.push(ctx.password);
          return auth === 'password' ? ctx.accept() : ctx.reject(offered);
        }
        if (ctx.method !== 'keyboard-interactive') return ctx.reject(offered);
        ctx.prompt([{ prompt: 'Password: ', echo: false }], (first) => {
          received.kiAnswers.push(first);
          if (auth === 'password') return ctx.accept();
          if (auth !== 'ki-twice') return ctx.reject(offered);
          // The answer is not taken: the same question again, in a second round.
          ctx.prompt([{ prompt: 'Password: ', echo: false }], (second) => {
            received.kiAnswers.push(second);
            ctx.accept();
          });
        });
      });
      client.on('ready', () => {
        client.on('session', (acceptSession) => {
          const session = acceptSession();
          session.on('pty', (accept) => accept?.());
          session.on('shell', (accept) => {
            const stream = accept();
            let mode: 'prompt' | 'password' | 'confirm' = 'prompt';
            let confirms = 0;
            let line = '';
            const prompt = options.enableLoop ? 'rogue>' : 'rogue#';
            stream.write(`\r\n${prompt}`);
            const answer = (cmd: string) => {
              if (mode === 'password') return stream.write('\r\nPassword: ');
              if (mode === 'confirm') {
                if (++confirms < (options.confirmTimes ?? Infinity))
                  return stream.write('\r\nProceed with reload? [confirm]');
                mode = 'prompt';
                return stream.write(`\r\n${prompt}`);
              }
              if (options.enableLoop && cmd === 'enable') {
                mode = 'password';
                return stream.write('enable\r\nPassword: ');
              }
              if (cmd === 'reload') {
                mode = 'confirm';
                return stream.write('reload\r\nProceed with reload? [confirm]');
              }
              stream.write(`${cmd}\r\n${prompt}`);
            };
            stream.on('data', (d: Buffer) => {
              const text = d.toString('utf8');
              received.typed += text;
              for (const ch of text) {
                if (ch !== '\r') line += ch;
                else {
                  answer(line);
                  line = '';
                }
              }
            });
          });
        });
      });
      client.on('error', () => undefined);
    },
  );
  const address = uniqueBase().replace(/\.0$/, `.${100 + (n++ % 100)}`);
  const sockets = new Set<net.Socket>();
  const server = net.createServer((socket) => {
    socket.on('error', () => undefined);
    sockets.add(socket);
    socket.once('close', () => sockets.delete(socket));
    ssh.injectSocket(socket);
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen({ host: address, port: 0 }, resolve);
  });
  const port = (server.address() as net.AddressInfo).port;
  return {
    address,
    port,
    hostKey,
    publicKey: publicKeyOf(hostKey),
    received,
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  };
}
