// Our own services (api, worker) as child Node processes running TypeScript through tsx, with
// an IPC channel: they report readiness over it, and exit by themselves if the launcher dies.
import { spawn, type ChildProcess } from 'node:child_process';
import { createWriteStream } from 'node:fs';
import { createInterface } from 'node:readline';

export interface ChildService {
  name: string;
  child: ChildProcess;
  exited: Promise<number | null>;
  /** How it ended: code or signal. */
  ended: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  /** The last error it logged (or a line that was not a log line: a crash trace). */
  lastWords(): string | null;
  stop(): Promise<void>;
}

export interface SpawnServiceOptions {
  name: string;
  entry: string;
  args?: string[];
  env: NodeJS.ProcessEnv;
  logFile: string;
  /** Called for every warn-or-worse log line, to show on the terminal. */
  onAlert: (name: string, line: string) => void;
  /** Resolves the spawn when the child sends a message of this type. */
  readyMessage: string;
  timeoutMs?: number;
}

const LEVELS: Record<number, string> = { 40: 'WARN', 50: 'ERROR', 60: 'FATAL' };

export async function spawnService(
  options: SpawnServiceOptions,
): Promise<{ service: ChildService; message: Record<string, unknown> }> {
  const child = spawn(process.execPath, ['--import', 'tsx', options.entry, ...(options.args ?? [])], {
    env: options.env,
    stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
  });
  const log = createWriteStream(options.logFile, { flags: 'a' });
  const ended = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.once('exit', (code, signal) => resolve({ code, signal })),
  );
  const exited = ended.then((e) => e.code);
  let lastWords: string | null = null;
  for (const stream of [child.stdout!, child.stderr!]) {
    createInterface({ input: stream }).on('line', (line) => {
      // Lines can still arrive after 'exit' (stdio closes later): never write to a closed log.
      if (!log.writableEnded) log.write(`${line}\n`);
      try {
        const entry = JSON.parse(line) as { level?: number; msg?: string; err?: { message?: string } };
        const level = LEVELS[entry.level ?? 0];
        const text = `${entry.msg ?? ''}${entry.err?.message ? `: ${entry.err.message}` : ''}`;
        if (level) options.onAlert(options.name, `${level} ${text}`);
        if ((entry.level ?? 0) >= 50) lastWords = text;
      } catch {
        // Not a pino line (a crash trace from node itself): always show it.
        options.onAlert(options.name, line);
        if (/Error|error:/.test(line)) lastWords = line.trim();
      }
    });
  }
  let stopping: Promise<void> | undefined;
  const service: ChildService = {
    name: options.name,
    child,
    exited,
    ended,
    lastWords: () => lastWords,
    stop: () =>
      (stopping ??= (async () => {
        if (child.exitCode === null && child.signalCode === null) {
          child.kill('SIGTERM');
          const timer = setTimeout(() => child.kill('SIGKILL'), 20_000);
          await exited;
          clearTimeout(timer);
        }
        await new Promise<void>((resolve) => log.end(resolve));
      })()),
  };
  const message = await new Promise<Record<string, unknown>>((resolve, reject) => {
    const timer = setTimeout(() => {
      // Not ready in time: it must be gone before anyone restarts it (it holds its ports).
      const late = new Error(
        `${options.name} did not start within ${(options.timeoutMs ?? 60_000) / 1000} s; see ${options.logFile}`,
      );
      void service.stop().finally(() => reject(late));
    }, options.timeoutMs ?? 60_000);
    child.on('message', (m: Record<string, unknown>) => {
      if (m.type === options.readyMessage) {
        clearTimeout(timer);
        resolve(m);
      }
    });
    void exited.then((code) => {
      clearTimeout(timer);
      reject(new Error(`${options.name} exited with code ${code} while starting; see ${options.logFile}`));
    });
  });
  return { service, message };
}
