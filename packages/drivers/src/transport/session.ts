// Longer than 300 lines: the prompt, paging, answer and disconnect handling are one state machine over
// one byte stream; split, its invariants would live in several files.
// An interactive CLI session over SSH, the way an engineer uses a router: a shell with a PTY,
// the device's own prompt recognised after every command, paging turned off, `[confirm]`,
// `[yes,no]` and `Password:` prompts answered, every command bounded by a timeout, and the
// expected drop of a switchover told apart from a failure. Rules: ../README.md.
import ssh2 from 'ssh2';
import { TransportError } from '../errors.ts';
import { Transcript } from './transcript.ts';

export type Vendor = 'cisco' | 'junos';

export interface SshTarget {
  host: string;
  port: number;
  username: string;
  password: string;
  /** Cisco `enable` secret; null when login lands in privileged mode or none is set. */
  enableSecret?: string | null;
}

export interface SessionOptions {
  vendor: Vendor;
  connectTimeoutMs?: number;
  commandTimeoutMs?: number;
  keepaliveIntervalMs?: number;
  transcript?: Transcript;
}

export interface Answer {
  /** Matched against the end of the output received so far. */
  prompt: RegExp;
  reply: string;
  /** Recorded as a mask in the transcript (the device does not echo it). */
  secret?: boolean;
}

export interface RunOptions {
  timeoutMs?: number;
  answers?: Answer[];
  /** A dropped connection ends the command normally (switchover, mastership switch). */
  allowDisconnect?: boolean;
  /** Called with each complete line of output as it arrives. */
  onLine?: (line: string) => void;
  /**
   * The command is expected to end the session (a switchover): after its prompt, wait up to
   * this long for the connection to drop. Implies `allowDisconnect`.
   */
  expectDisconnectWithinMs?: number;
}

export interface RunResult {
  output: string;
  disconnected: boolean;
}

/**
 * Modern algorithms first, then what old IOS trains still need (SHA-1 Diffie-Hellman, CBC
 * ciphers, HMAC-SHA1, ssh-rsa host keys): a new box negotiates strong ones, an old one works.
 */
export const CLIENT_ALGORITHMS = {
  kex: { append: ['diffie-hellman-group14-sha1', 'diffie-hellman-group-exchange-sha1', 'diffie-hellman-group1-sha1'] },
  cipher: { append: ['aes128-cbc', 'aes256-cbc', '3des-cbc'] },
  serverHostKey: { append: ['ssh-rsa', 'ssh-dss'] },
  hmac: { append: ['hmac-sha1', 'hmac-md5'] },
} as unknown as ssh2.Algorithms;

const PAGER = /(?: --More-- |---\(more(?: \d+%)?\)---)$/;
const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

export class CliSession {
  readonly transcript: Transcript;
  /** The prompt of this device, learnt from the first one it printed. */
  private promptRe!: RegExp;
  private buffer = '';
  private closed = false;
  private readonly waiters = new Set<() => void>();
  private readonly commandTimeoutMs: number;
  hostname = '';

  private constructor(
    private readonly client: ssh2.Client,
    private readonly stream: ssh2.ClientChannel,
    readonly vendor: Vendor,
    readonly target: SshTarget,
    options: SessionOptions,
  ) {
    this.transcript = options.transcript ?? new Transcript();
    this.transcript.addSecret(target.password);
    this.transcript.addSecret(target.enableSecret);
    this.commandTimeoutMs = options.commandTimeoutMs ?? 60_000;
    stream.on('data', (d: Buffer) => {
      const text = d.toString('utf8');
      this.buffer += text;
      this.transcript.received(text);
      this.wake();
    });
    const onClose = () => {
      if (this.closed) return;
      this.closed = true;
      this.wake();
    };
    stream.on('close', onClose);
    client.on('close', onClose);
    client.on('end', onClose);
    // Errors after the session is up show as a close (open() keeps a listener attached too).
    client.on('error', onClose);
  }

  /** Connects, opens a shell, learns the prompt, and makes the CLI scriptable (enable, no paging). */
  static async open(target: SshTarget, options: SessionOptions): Promise<CliSession> {
    const client = new ssh2.Client();
    const connectTimeoutMs = options.connectTimeoutMs ?? 15_000;
    // ssh2 emits 'error' at any moment (a switchover can drop the link mid-handshake): there is
    // always a listener, or the process would crash on an unhandled 'error' event.
    let failConnect: ((err: Error & { level?: string }) => void) | null = null;
    client.on('error', (err: Error & { level?: string }) => failConnect?.(err));
    await new Promise<void>((resolve, reject) => {
      failConnect = (err) => {
        failConnect = null;
        const auth = err.level === 'client-authentication';
        reject(
          new TransportError(
            `${auth ? 'login refused' : 'cannot connect'} to ${target.host}:${target.port}: ${err.message}`,
            auth ? 'auth' : 'connect',
            { cause: err },
          ),
        );
      };
      client.once('ready', () => {
        failConnect = null;
        resolve();
      });
      client.once('close', () => failConnect?.(new Error('connection closed during the handshake')));
      client.connect({
        host: target.host,
        port: target.port,
        username: target.username,
        password: target.password,
        tryKeyboard: true,
        readyTimeout: connectTimeoutMs,
        keepaliveInterval: options.keepaliveIntervalMs ?? 10_000,
        keepaliveCountMax: 3,
        algorithms: CLIENT_ALGORITHMS,
      });
      client.on('keyboard-interactive', (_name, _instructions, _lang, prompts, finish) =>
        finish(prompts.map(() => target.password)),
      );
    });
    let stream: ssh2.ClientChannel;
    try {
      stream = await new Promise<ssh2.ClientChannel>((resolve, reject) =>
        // A wide terminal: long lines come back unwrapped.
        client.shell({ term: 'vt100', cols: 511, rows: 24 }, (err, s) => (err ? reject(err) : resolve(s))),
      );
    } catch (err) {
      client.end();
      throw new TransportError(`no shell on ${target.host}: ${(err as Error).message}`, 'protocol', { cause: err });
    }
    const session = new CliSession(client, stream, options.vendor, target, options);
    try {
      await session.learnPrompt(connectTimeoutMs);
      await session.prepare();
    } catch (err) {
      session.close();
      throw err;
    }
    return session;
  }

  /** Retries `open` until it succeeds or `deadline` (epoch ms) passes: the way back after a switchover. */
  static async openWithRetry(
    target: SshTarget,
    options: SessionOptions,
    retry: {
      deadline: number;
      intervalMs?: number;
      onAttempt?: (attempt: number, err: unknown) => void;
      shouldStop?: () => boolean;
    },
  ): Promise<CliSession> {
    for (let attempt = 1; ; attempt++) {
      try {
        return await CliSession.open(target, {
          ...options,
          connectTimeoutMs: Math.max(1000, Math.min(options.connectTimeoutMs ?? 15_000, retry.deadline - Date.now())),
        });
      } catch (err) {
        if (err instanceof TransportError && err.kind === 'auth') throw err;
        retry.onAttempt?.(attempt, err);
        if (Date.now() + (retry.intervalMs ?? 2000) >= retry.deadline || retry.shouldStop?.()) {
          throw new TransportError(
            `${target.host} did not answer SSH before the deadline (${attempt} attempts)`,
            'connect',
            { cause: err },
          );
        }
        await new Promise((r) => setTimeout(r, retry.intervalMs ?? 2000));
      }
    }
  }

  get isClosed(): boolean {
    return this.closed;
  }

  private wake(): void {
    for (const w of [...this.waiters]) w();
  }

  private async waitFor(predicate: () => boolean, timeoutMs: number, what: string): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (!predicate()) {
      if (this.closed)
        throw new TransportError(`connection to ${this.target.host} closed while waiting for ${what}`, 'closed');
      const left = deadline - Date.now();
      if (left <= 0)
        throw new TransportError(`${this.target.host}: no ${what} within ${Math.round(timeoutMs / 1000)} s`, 'timeout');
      await new Promise<void>((resolve) => {
        const done = () => {
          clearTimeout(t);
          this.waiters.delete(done);
          resolve();
        };
        const t = setTimeout(done, Math.min(left, 1000));
        this.waiters.add(done);
      });
    }
  }

  private async learnPrompt(timeoutMs: number): Promise<void> {
    const cisco = /(?:^|\n)([A-Za-z0-9][\w.\-/:]*)(?:\([^)\n]*\))?[>#]\s*$/;
    const junos = /(?:^|\n)([\w.-]+)@([\w.-]+)[>#] $/;
    await this.waitFor(() => (this.vendor === 'junos' ? junos : cisco).test(this.tail()), timeoutMs, 'prompt');
    if (this.vendor === 'junos') {
      const m = junos.exec(this.tail())!;
      this.hostname = m[2]!;
      this.promptRe = new RegExp(`(?:^|\\n)(?:\\[edit[^\\]\\n]*\\]\\n)?${escape(m[1]!)}@${escape(m[2]!)}[>#] $`);
    } else {
      this.hostname = cisco.exec(this.tail())![1]!;
      this.promptRe = new RegExp(`(?:^|\\n)${escape(this.hostname)}(?:\\([^)\\n]*\\))?[>#]\\s*$`);
    }
  }

  private tail(): string {
    return this.buffer.slice(-600).replace(/\r/g, '');
  }

  /** The mode the prompt shows: `>` user EXEC / operational, `#` privileged / configuration. */
  private promptChar(): string {
    return /[>#]\s*$/.exec(this.tail())?.[0]?.trim() ?? '';
  }

  private async prepare(): Promise<void> {
    if (this.vendor === 'junos') {
      await this.run('set cli screen-length 0');
      await this.run('set cli screen-width 0');
      return;
    }
    if (this.promptChar() === '>') {
      const secret = this.target.enableSecret ?? '';
      const out = await this.run('enable', { answers: [{ prompt: /Password:\s*$/, reply: secret, secret: true }] });
      if (this.promptChar() !== '#')
        throw new TransportError(
          `enable refused on ${this.target.host}: ${out.trim() || 'wrong enable secret'}`,
          'auth',
        );
    }
    await this.run('terminal length 0');
    await this.run('terminal width 0');
  }

  private write(text: string, secret = false): void {
    this.transcript.sent(text, { secret });
    this.stream.write(text);
  }

  /** Runs one command and returns its output (echo and prompt removed). */
  async run(command: string, options: RunOptions = {}): Promise<string> {
    return (await this.exec(command, options)).output;
  }

  /**
   * Runs a command that may end the session (a switchover): resolves with what was printed and
   * whether the connection dropped, instead of failing on the drop.
   */
  async exec(command: string, options: RunOptions = {}): Promise<RunResult> {
    if (this.closed) throw new TransportError(`connection to ${this.target.host} is closed`, 'closed');
    const start = this.buffer.length;
    let answeredAt = start;
    let lineStart = start;
    this.write(`${command}\r`);
    const timeoutMs = options.timeoutMs ?? this.commandTimeoutMs;
    const emitLines = () => {
      if (!options.onLine) return;
      for (;;) {
        const nl = this.buffer.indexOf('\n', lineStart);
        if (nl < 0) break;
        options.onLine(this.buffer.slice(lineStart, nl).replace(/\r/g, ''));
        lineStart = nl + 1;
      }
    };
    try {
      await this.waitFor(
        () => {
          emitLines();
          const sinceAnswer = this.buffer.slice(answeredAt).replace(/\r/g, '');
          if (PAGER.test(sinceAnswer)) {
            // Paging should be off; if a device pages anyway, keep reading.
            this.transcript.note('pager prompt answered');
            this.write(' ');
            answeredAt = this.buffer.length;
            return false;
          }
          const out = this.buffer.slice(start).replace(/\r/g, '');
          // The prompt only counts once the echoed command line is behind us.
          if (out.includes('\n') && this.promptRe.test(out.slice(out.indexOf('\n')))) return true;
          for (const a of options.answers ?? []) {
            if (a.prompt.test(sinceAnswer)) {
              this.write(`${a.reply}\r`, a.secret);
              answeredAt = this.buffer.length;
              return false;
            }
          }
          return false;
        },
        timeoutMs,
        `prompt after "${command}"`,
      );
    } catch (err) {
      if (
        err instanceof TransportError &&
        err.kind === 'closed' &&
        (options.allowDisconnect || options.expectDisconnectWithinMs !== undefined)
      ) {
        emitLines();
        return { output: this.outputSince(start, command), disconnected: true };
      }
      throw err;
    }
    emitLines();
    const output = this.outputSince(start, command);
    if (options.expectDisconnectWithinMs !== undefined) {
      await this.waitFor(() => this.closed, options.expectDisconnectWithinMs, 'disconnect').catch((err: unknown) => {
        if (!(err instanceof TransportError && err.kind === 'timeout')) throw err;
      });
      return { output, disconnected: this.closed };
    }
    return { output, disconnected: false };
  }

  private outputSince(start: number, command: string): string {
    let out = this.buffer.slice(start).replace(/\r/g, '');
    const firstNl = out.indexOf('\n');
    // Drop the echoed command line, and the prompt at the end.
    if (firstNl >= 0 && out.slice(0, firstNl).includes(command.slice(0, 20))) out = out.slice(firstNl + 1);
    out = out.replace(this.promptRe, '');
    return out.replace(/\n$/, '');
  }

  close(): void {
    if (!this.closed) {
      this.closed = true;
      this.wake();
    }
    this.client.end();
  }
}
