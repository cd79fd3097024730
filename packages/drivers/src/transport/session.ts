// Longer than 300 lines: the login (host key, the password given once), the prompt, paging, answer and
// disconnect handling are one state machine over one byte stream; split, its invariants would live in
// several files.
// An interactive CLI session over SSH, the way an engineer uses a router: the host key checked
// before any secret is sent, a shell with a PTY, the device's own prompt recognised after every
// command, paging turned off, `[confirm]`, `[yes,no]` and `Password:` prompts answered (each
// once), every command bounded by a timeout, and the expected drop of a switchover told apart
// from a failure. Rules: ../README.md.
import ssh2 from 'ssh2';
import { TransportError, type HostKeyError, type SeenHostKey } from '../errors.ts';
import { checkHostKey, clientAlgorithms, negotiatesLegacy, seenHostKey, type HostKeyPolicy } from './host-key.ts';
import type { SessionObserver } from './observer.ts';
import { Transcript } from './transcript.ts';

export type Vendor = 'cisco' | 'junos';

export interface SshTarget {
  host: string;
  port: number;
  username: string;
  password: string;
  /** Cisco `enable` secret; null when login lands in privileged mode or none is set. */
  enableSecret?: string | null;
  /** The pinned host keys (any one matches; none: trust on first use) and whether a device without one is refused. */
  hostKeys: HostKeyPolicy;
  /** Also offer the legacy algorithms (SHA-1 key exchange, CBC/3DES, ssh-rsa/ssh-dss, HMAC-SHA1/MD5). */
  legacySsh?: boolean;
}

export interface SessionOptions {
  vendor: Vendor;
  connectTimeoutMs?: number;
  commandTimeoutMs?: number;
  keepaliveIntervalMs?: number;
  transcript?: Transcript;
  /** Told of the session's opening, close, commands and failed connection attempts (metrics). */
  observer?: SessionObserver;
}

export interface Answer {
  /** Matched against the end of the output received so far. */
  prompt: RegExp;
  reply: string;
  /** Recorded as a mask in the transcript (the device does not echo it). */
  secret?: boolean;
  /**
   * May be given more than once in one command. By default an answer is given once: its prompt
   * coming back means the device did not take it (a wrong secret), and the command fails.
   */
  repeatable?: boolean;
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

const PAGER = /(?: --More-- |---\(more(?: \d+%)?\)---)$/;
const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

export class CliSession {
  readonly transcript: Transcript;
  /** The prompt of this device, learnt from the first one it printed. */
  private promptRe!: RegExp;
  private buffer = '';
  private closed = false;
  /** Reported to the observer as open (so its close is reported once too). */
  private counted = false;
  private readonly observer: SessionObserver | undefined;
  private readonly waiters = new Set<() => void>();
  private readonly commandTimeoutMs: number;
  hostname = '';

  private constructor(
    private readonly client: ssh2.Client,
    private readonly stream: ssh2.ClientChannel,
    readonly vendor: Vendor,
    readonly target: SshTarget,
    /** The host key this server presented (checked against the pinned set; the one to pin when none was). */
    readonly hostKey: SeenHostKey,
    options: SessionOptions,
  ) {
    this.transcript = options.transcript ?? new Transcript();
    this.transcript.addSecret(target.password);
    this.transcript.addSecret(target.enableSecret);
    this.commandTimeoutMs = options.commandTimeoutMs ?? 60_000;
    this.observer = options.observer;
    stream.on('data', (d: Buffer) => {
      const text = d.toString('utf8');
      this.buffer += text;
      this.transcript.received(text);
      this.wake();
    });
    const onClose = () => this.markClosed();
    stream.on('close', onClose);
    client.on('close', onClose);
    client.on('end', onClose);
    // Errors after the session is up show as a close (open() keeps a listener attached too).
    client.on('error', onClose);
  }

  /**
   * Connects, opens a shell, learns the prompt, and makes the CLI scriptable (enable, no paging).
   * The host key is checked during the key exchange, before authentication: a server with
   * a key that is not pinned never sees the password. The password is given once (by the
   * `password` method, or one keyboard-interactive round); asked again, the login has failed.
   */
  static async open(target: SshTarget, options: SessionOptions): Promise<CliSession> {
    try {
      const session = await CliSession.connectAndPrepare(target, options);
      session.markOpened();
      return session;
    } catch (err) {
      options.observer?.connectFailed?.(options.vendor, err instanceof TransportError ? err.kind : 'connect');
      throw err;
    }
  }

  private static async connectAndPrepare(target: SshTarget, options: SessionOptions): Promise<CliSession> {
    const client = new ssh2.Client();
    const connectTimeoutMs = options.connectTimeoutMs ?? 15_000;
    const where = `${target.host}:${target.port}`;
    // Filled in by ssh2's callbacks: the key seen, why it was refused, why we gave up the login.
    const state: { seen: SeenHostKey | null; refused: HostKeyError | null; loginProblem: string | null } = {
      seen: null,
      refused: null,
      loginProblem: null,
    };
    let passwordGiven = false;
    // ssh2 emits 'error' at any moment (a switchover can drop the link mid-handshake): there is
    // always a listener, or the process would crash on an unhandled 'error' event.
    let failConnect: ((err: Error & { level?: string }) => void) | null = null;
    client.on('error', (err: Error & { level?: string }) => failConnect?.(err));
    const keyboardInteractive: ssh2.KeyboardInteractiveAuthMethod['prompt'] = (_n, _i, _l, prompts, finish) => {
      if (passwordGiven || prompts.length !== 1) {
        state.loginProblem = passwordGiven
          ? 'it asked for the password again (keyboard-interactive); a password is never given twice'
          : `it asked ${prompts.length} questions at login; only a password can be answered`;
        client.end();
        return;
      }
      passwordGiven = true;
      finish([target.password]);
    };
    await new Promise<void>((resolve, reject) => {
      failConnect = (err) => {
        failConnect = null;
        void CliSession.connectFailure(target, err, { ...state, timeoutMs: connectTimeoutMs }).then(reject);
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
        readyTimeout: connectTimeoutMs,
        keepaliveInterval: options.keepaliveIntervalMs ?? 10_000,
        keepaliveCountMax: 3,
        algorithms: clientAlgorithms(Boolean(target.legacySsh), target.hostKeys.pinned),
        hostVerifier: (blob: Buffer) => {
          state.seen = seenHostKey(blob);
          state.refused = checkHostKey(target.hostKeys, state.seen, where);
          return state.refused === null;
        },
        // `none` first (it tells which methods the server takes), then the password once.
        authHandler: (left, _partial, next) => {
          if (left === null) return next('none');
          if (passwordGiven) return next(false as never);
          if (left.includes('password')) {
            passwordGiven = true;
            return next({ type: 'password', username: target.username, password: target.password });
          }
          if (left.includes('keyboard-interactive'))
            return next({ type: 'keyboard-interactive', username: target.username, prompt: keyboardInteractive });
          return next(false as never);
        },
      });
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
    const session = new CliSession(client, stream, options.vendor, target, state.seen!, options);
    try {
      await session.learnPrompt(connectTimeoutMs);
      await session.prepare();
    } catch (err) {
      session.close();
      throw err;
    }
    return session;
  }

  /** What a failed connection attempt was, in words that say what to do. */
  private static async connectFailure(
    target: SshTarget,
    err: Error & { level?: string },
    why: { refused: HostKeyError | null; loginProblem: string | null; timeoutMs: number },
  ): Promise<TransportError> {
    const where = `${target.host}:${target.port}`;
    if (why.refused) return why.refused;
    if (why.loginProblem) return new TransportError(`login refused by ${where}: ${why.loginProblem}`, 'auth');
    if (err.level === 'client-authentication')
      return new TransportError(`login refused by ${where}: ${err.message}`, 'auth', { cause: err });
    if (
      !target.legacySsh &&
      /no matching/i.test(err.message) &&
      (await negotiatesLegacy(target.host, target.port, why.timeoutMs))
    ) {
      return new TransportError(
        `${where} offers only legacy SSH algorithms (SHA-1 key exchange, CBC/3DES ciphers, ssh-rsa/ssh-dss host keys or HMAC-SHA1/MD5; ${err.message}): ` +
          'mark the device as needing legacy SSH (legacySsh) if it cannot be moved to modern ones',
        'algorithms',
        { cause: err },
      );
    }
    return new TransportError(`cannot connect to ${where}: ${err.message}`, 'connect', { cause: err });
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
        // Retrying cannot help these, and must not: a refused key or login stays refused.
        if (err instanceof TransportError && ['auth', 'hostkey', 'algorithms'].includes(err.kind)) throw err;
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

  private markOpened(): void {
    if (this.closed || this.counted) return;
    this.counted = true;
    this.observer?.sessionOpened?.(this.vendor);
  }

  private markClosed(): void {
    if (this.closed) return;
    this.closed = true;
    this.wake();
    if (this.counted) this.observer?.sessionClosed?.(this.vendor);
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
      let out: string;
      try {
        out = await this.run('enable', { answers: [{ prompt: /Password:\s*$/, reply: secret, secret: true }] });
      } catch (err) {
        if (!(err instanceof TransportError && err.kind === 'auth')) throw err;
        throw new TransportError(
          `enable refused on ${this.target.host}: it asked for the enable secret again (a wrong secret?); it is never typed twice`,
          'auth',
          { cause: err },
        );
      }
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
    const t0 = performance.now();
    try {
      return await this.converse(command, options);
    } finally {
      this.observer?.commandDone?.(this.vendor, (performance.now() - t0) / 1000);
    }
  }

  private async converse(command: string, options: RunOptions): Promise<RunResult> {
    const start = this.buffer.length;
    let answeredAt = start;
    let lineStart = start;
    const answered = new Set<Answer>();
    /** The text of a prompt that came back after its answer. */
    let askedAgain: string | null = null;
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
              if (answered.has(a) && !a.repeatable) {
                askedAgain = sinceAnswer.trim().split('\n').pop()!.slice(-80);
                return true;
              }
              answered.add(a);
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
    if (askedAgain !== null) {
      // The device did not take the answer; whatever the prompt waits for is not typed. The
      // session is closed: anything typed next would be an answer to that prompt.
      this.transcript.note(`"${askedAgain}" asked again after it was answered: not answered twice`);
      this.close();
      throw new TransportError(
        `${this.target.host}: "${command}" asked "${askedAgain}" again after it was answered; refused, not answered twice`,
        'auth',
      );
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
    this.markClosed();
    this.client.end();
  }
}
