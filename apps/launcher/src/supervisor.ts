// The launcher supervises what it started: a service that exits on its own (a crash, the OOM
// killer, someone's kill) is restarted with a growing pause, and the terminal says why. Only a
// crash loop (too many restarts in a short time) or the user's Ctrl-C stops everything.

export type ExitInfo = { code: number | null; signal: NodeJS.Signals | null };

export interface Running {
  pid: number;
  exited: Promise<ExitInfo>;
  stop(): Promise<void>;
  /** The last thing the service said before it went (an error line), for the terminal. */
  lastWords?: () => string | null;
}

export interface Service {
  name: string;
  start(attempt: number): Promise<Running>;
  /** Where its log is, for the message. */
  logFile?: string;
}

export interface RestartPolicyOptions {
  /** First pause before a restart; it doubles with every restart in a row, up to `maxDelayMs`. */
  baseDelayMs?: number;
  maxDelayMs?: number;
  /** More than `limit` restarts within `windowMs` is a crash loop: give up. */
  limit?: number;
  windowMs?: number;
  /** Up this long, a service counts as healthy again: its pause starts from the beginning. */
  healthyAfterMs?: number;
}

export type RestartDecision = { restart: true; delayMs: number; count: number } | { restart: false; reason: string };

/** When to restart, and when to stop trying. Pure: time comes in as arguments. */
export class RestartPolicy {
  private restarts: number[] = [];
  private streak = 0;
  private readonly o: Required<RestartPolicyOptions>;

  constructor(options: RestartPolicyOptions = {}) {
    this.o = { baseDelayMs: 1000, maxDelayMs: 30_000, limit: 5, windowMs: 120_000, healthyAfterMs: 60_000, ...options };
  }

  /** The service exited at `now`, having run since `startedAt`. */
  onExit(now: number, startedAt: number): RestartDecision {
    if (now - startedAt >= this.o.healthyAfterMs) this.streak = 0;
    this.restarts = this.restarts.filter((t) => now - t < this.o.windowMs);
    if (this.restarts.length >= this.o.limit) {
      return {
        restart: false,
        reason: `${this.restarts.length + 1} exits within ${Math.round(this.o.windowMs / 1000)} s`,
      };
    }
    this.restarts.push(now);
    const delayMs = Math.min(this.o.maxDelayMs, this.o.baseDelayMs * 2 ** this.streak);
    this.streak++;
    return { restart: true, delayMs, count: this.restarts.length };
  }
}

const describeExit = (e: ExitInfo) => (e.signal ? `killed by ${e.signal}` : `exit code ${e.code}`);

interface Entry {
  service: Service;
  running: Running | null;
  policy: RestartPolicy;
  /** A (re)start in progress: stopping waits for it, then stops what it started. */
  starting: Promise<unknown> | null;
}

export class Supervisor {
  private readonly entries: Entry[] = [];
  private stopping = false;

  constructor(
    private readonly say: (line: string) => void,
    /** A service gave up (a crash loop): the launcher stops everything. */
    private readonly onCrashLoop: (name: string) => void,
    private readonly policy: RestartPolicyOptions = {},
  ) {}

  /** Starts a service for the first time; a failure here is the caller's (start-up fails). */
  async add(service: Service): Promise<Running> {
    const entry: Entry = { service, running: null, policy: new RestartPolicy(this.policy), starting: null };
    this.entries.push(entry);
    const starting = service.start(0);
    entry.starting = starting;
    try {
      const running = await starting;
      this.watch(entry, running, Date.now());
      return running;
    } finally {
      entry.starting = null;
    }
  }

  private watch(entry: Entry, running: Running, startedAt: number): void {
    entry.running = running;
    void running.exited.then((exit) => this.onExit(entry, running, exit, startedAt));
  }

  private async onExit(entry: Entry, running: Running, exit: ExitInfo, startedAt: number) {
    if (this.stopping || entry.running !== running) return;
    entry.running = null;
    const { name, logFile } = entry.service;
    const words = running.lastWords?.();
    const why = `${name} exited unexpectedly (${describeExit(exit)})${words ? `: ${words}` : ''}`;
    const decision = entry.policy.onExit(Date.now(), startedAt);
    if (!decision.restart) {
      this.say(
        `${why}; it keeps failing (${decision.reason}): stopping everything${logFile ? `; see ${logFile}` : ''}`,
      );
      this.onCrashLoop(name);
      return;
    }
    this.say(
      `${why}; restarting in ${(decision.delayMs / 1000).toFixed(0)} s (restart ${decision.count})${logFile ? `; see ${logFile}` : ''}`,
    );
    await new Promise((r) => setTimeout(r, decision.delayMs));
    if (this.stopping) return;
    const t0 = Date.now();
    const starting = entry.service.start(decision.count);
    entry.starting = starting;
    try {
      const again = await starting;
      // Stopping meanwhile: stopAll waits for this start and stops what it started.
      if (this.stopping) {
        entry.running = again;
        return;
      }
      this.say(`${name} restarted (pid ${again.pid})`);
      this.watch(entry, again, t0);
    } catch (err) {
      // A restart that fails is one more exit: the policy decides again.
      const failed: Running = {
        pid: 0,
        exited: Promise.resolve({ code: null, signal: null }),
        stop: async () => undefined,
        lastWords: () => (err as Error).message.split('\n')[0] ?? null,
      };
      entry.running = failed;
      void this.onExit(entry, failed, { code: 1, signal: null }, t0);
    } finally {
      entry.starting = null;
    }
  }

  /** Stops everything it supervises, in reverse start order; no restarts from here on. */
  async stopAll(onError: (name: string, err: unknown) => void): Promise<void> {
    this.stopping = true;
    for (const e of [...this.entries].reverse()) {
      try {
        await e.starting?.catch(() => undefined);
        await e.running?.stop();
      } catch (err) {
        onError(e.service.name, err);
      }
    }
  }

  get names(): string[] {
    return this.entries.map((e) => e.service.name);
  }
}
