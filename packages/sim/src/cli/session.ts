// The terminal side of a simulated CLI: character input from an SSH channel (with or without
// a PTY), line editing and echo, prompts that hide what is typed, "--More--" paging, Ctrl-C,
// and type-ahead while a command runs. Vendor CLIs subclass it and implement `execute`.

export interface Terminal {
  write(text: string): void;
  /** Ends the channel (and, for an exec request, reports the exit status). */
  end(exitCode?: number): void;
}

export class SessionClosed extends Error {
  constructor() {
    super('session closed');
  }
}

/** Raised inside `execute` when the user presses Ctrl-C during a long command. */
export class Interrupted extends Error {
  constructor() {
    super('interrupted');
  }
}

type Waiter =
  | { kind: 'line'; echo: boolean; resolve: (line: string) => void; reject: (e: Error) => void }
  | { kind: 'key'; resolve: (key: string) => void; reject: (e: Error) => void };

export interface SessionOptions {
  /** A PTY was requested: echo input and page output as a terminal would. */
  interactive: boolean;
  /** Lines per page until the user turns paging off; 0 disables paging. */
  pageLength?: number;
  /**
   * A command that asked for confirmation and did not get it (answered no, or the session ended
   * first) never ran: the device's command counters take it back.
   */
  onCancelled?: (line: string) => void;
}

export abstract class CliSession {
  protected closed = false;
  protected pageLength: number;
  private buffer = '';
  private lastWasCR = false;
  private waiter: Waiter | undefined;
  private readonly typeAhead: string[] = [];
  private interruptHandlers = new Set<() => void>();

  constructor(
    protected readonly term: Terminal,
    protected readonly options: SessionOptions,
  ) {
    this.pageLength = options.interactive ? (options.pageLength ?? 24) : 0;
  }

  /** The prompt shown before each command. */
  protected abstract prompt(): string;
  /** Runs one command line. Returns false to end the session. */
  protected abstract execute(line: string): Promise<boolean>;
  /** The "--More--" marker of this vendor. */
  protected abstract morePrompt(): string;
  /** Called once before the first prompt. */
  protected async greet(): Promise<void> {}

  /** The interactive loop: prompt, read, execute, until exit or close. */
  async run(): Promise<void> {
    try {
      await this.greet();
      while (!this.closed) {
        let line: string;
        try {
          line = await this.readLine(this.prompt());
        } catch (err) {
          // Ctrl-C at the prompt abandons the line; a fresh prompt follows.
          if (err instanceof Interrupted) continue;
          throw err;
        }
        const keepGoing = await this.executeSafely(line);
        if (!keepGoing) break;
      }
      this.close(0);
    } catch (err) {
      if (!(err instanceof SessionClosed)) throw err;
    }
  }

  /** One command without a prompt (an SSH exec request). */
  async runOnce(command: string): Promise<void> {
    try {
      await this.executeSafely(command);
      this.close(0);
    } catch (err) {
      if (!(err instanceof SessionClosed)) throw err;
    }
  }

  /** The command line being executed, for a confirmation to cancel. */
  private currentLine: string | null = null;

  /** Asks a confirmation question; a refusal or a session that ends first cancels the command. */
  protected async confirmation(question: string, accepts: (answer: string) => boolean): Promise<boolean> {
    let answer: string;
    try {
      answer = (await this.readLine(question)).trim().toLowerCase();
    } catch (err) {
      if (this.currentLine !== null) this.options.onCancelled?.(this.currentLine.trim());
      throw err;
    }
    const yes = accepts(answer);
    if (!yes && this.currentLine !== null) this.options.onCancelled?.(this.currentLine.trim());
    return yes;
  }

  private async executeSafely(line: string): Promise<boolean> {
    this.currentLine = line;
    try {
      return await this.execute(line);
    } catch (err) {
      if (err instanceof Interrupted) {
        this.write('\r\n');
        return true;
      }
      throw err;
    }
  }

  /** Feeds bytes received from the client. */
  input(data: string): void {
    if (this.closed) return;
    for (const ch of data) this.inputChar(ch);
  }

  private inputChar(ch: string): void {
    const w = this.waiter;
    if (ch === '\x03') {
      // Ctrl-C: abandon the line or the running command.
      if (w?.kind === 'line' || w?.kind === 'key') {
        this.buffer = '';
        if (this.options.interactive) this.term.write('^C\r\n');
        this.waiter = undefined;
        w.reject(new Interrupted());
      } else {
        for (const h of this.interruptHandlers) h();
      }
      return;
    }
    if (!w) {
      this.typeAhead.push(ch);
      return;
    }
    if (w.kind === 'key') {
      this.waiter = undefined;
      w.resolve(ch);
      return;
    }
    if (ch === '\n' && this.lastWasCR) {
      this.lastWasCR = false;
      return;
    }
    this.lastWasCR = ch === '\r';
    if (ch === '\r' || ch === '\n') {
      const line = this.buffer;
      this.buffer = '';
      if (this.options.interactive) this.term.write('\r\n');
      this.waiter = undefined;
      w.resolve(line);
      return;
    }
    if (ch === '\x7f' || ch === '\b') {
      if (this.buffer.length > 0) {
        this.buffer = this.buffer.slice(0, -1);
        if (this.options.interactive && w.echo) this.term.write('\b \b');
      }
      return;
    }
    if (ch === '\x15') {
      // Ctrl-U: erase the line.
      if (this.options.interactive && w.echo) this.term.write('\b \b'.repeat(this.buffer.length));
      this.buffer = '';
      return;
    }
    if (ch < ' ' && ch !== '\t') return;
    this.buffer += ch;
    if (this.options.interactive && w.echo) this.term.write(ch);
  }

  private drainTypeAhead(): void {
    while (this.waiter && this.typeAhead.length > 0) this.inputChar(this.typeAhead.shift()!);
  }

  /** Writes `prompt` and waits for a line. `echo: false` for passwords. */
  protected readLine(prompt: string, options: { echo?: boolean } = {}): Promise<string> {
    if (this.closed) return Promise.reject(new SessionClosed());
    this.write(prompt);
    return new Promise<string>((resolve, reject) => {
      this.waiter = { kind: 'line', echo: options.echo ?? true, resolve, reject };
      this.drainTypeAhead();
    });
  }

  private readKey(): Promise<string> {
    if (this.closed) return Promise.reject(new SessionClosed());
    return new Promise<string>((resolve, reject) => {
      this.waiter = { kind: 'key', resolve, reject };
      this.drainTypeAhead();
    });
  }

  protected write(text: string): void {
    if (this.closed) throw new SessionClosed();
    this.term.write(text);
  }

  /** Prints lines, one screen at a time while paging is on. */
  protected async print(lines: string[]): Promise<void> {
    if (this.pageLength <= 0 || lines.length < this.pageLength) {
      if (lines.length > 0) this.write(lines.join('\r\n') + '\r\n');
      return;
    }
    let i = 0;
    let budget = this.pageLength - 1;
    while (i < lines.length) {
      const chunk = lines.slice(i, i + budget);
      this.write(chunk.join('\r\n') + '\r\n');
      i += chunk.length;
      if (i >= lines.length) break;
      const more = this.morePrompt();
      this.write(more);
      let key: string;
      try {
        key = await this.readKey();
      } catch (err) {
        if (err instanceof Interrupted) return;
        throw err;
      }
      this.write('\b \b'.repeat(more.length));
      if (key === 'q' || key === 'Q') return;
      budget = key === '\r' || key === '\n' ? 1 : this.pageLength - 1;
    }
  }

  /** Waits `ms`, but gives up with Interrupted if the user presses Ctrl-C meanwhile. */
  protected pause(ms: number, setTimer: (fn: () => void, ms: number) => () => void): Promise<void> {
    if (this.closed) return Promise.reject(new SessionClosed());
    return new Promise((resolve, reject) => {
      const cancel = setTimer(() => {
        this.interruptHandlers.delete(onInterrupt);
        this.closeWaiters.delete(onClose);
        resolve();
      }, ms);
      const onInterrupt = () => {
        cancel();
        this.interruptHandlers.delete(onInterrupt);
        this.closeWaiters.delete(onClose);
        reject(new Interrupted());
      };
      const onClose = () => {
        cancel();
        this.interruptHandlers.delete(onInterrupt);
        reject(new SessionClosed());
      };
      this.interruptHandlers.add(onInterrupt);
      this.closeWaiters.add(onClose);
    });
  }

  private readonly closeWaiters = new Set<() => void>();

  /** Ends the session from the device side (exit, logout, the connection dropping). */
  close(exitCode = 0): void {
    if (this.closed) return;
    this.closed = true;
    const w = this.waiter;
    this.waiter = undefined;
    w?.reject(new SessionClosed());
    for (const c of this.closeWaiters) c();
    this.closeWaiters.clear();
    this.term.end(exitCode);
  }

  get isClosed(): boolean {
    return this.closed;
  }
}
