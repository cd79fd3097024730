// Child-process plumbing shared by the embedded PostgreSQL and Redis servers.
import { spawn, type ChildProcess, type SpawnOptions } from 'node:child_process';
import { createWriteStream, type WriteStream } from 'node:fs';
import { readFile } from 'node:fs/promises';

export class RuntimeError extends Error {
  override name = 'RuntimeError';
}

export interface ServiceHandle {
  /** Connection URL (with credentials). Never log it whole. */
  url: string;
  pid: number;
  /** Stops the server and waits for it to exit. Safe to call twice. */
  stop(): Promise<void>;
  /** Settles when the server process exits, for whatever reason (absent for external servers). */
  exited?: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  /** The last lines the server logged, for an unexpected exit. */
  logTail?: () => string;
}

export interface SpawnedServer {
  child: ChildProcess;
  log: WriteStream;
  exited: Promise<number | null>;
  /** How the process ended: code or signal. */
  ended: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  /** The last few kilobytes the server printed. */
  tail: () => string;
}

/**
 * Spawns a server in its own process group (so a terminal's Ctrl-C reaches only the launcher,
 * which then stops things in order), tees its output to a log file, and resolves once a line
 * matching `ready` appears. Rejects with the log's tail if the server exits first or times out.
 */
export async function spawnServer(
  command: string,
  args: string[],
  options: SpawnOptions & { logFile: string; ready: RegExp; timeoutMs?: number; name: string },
): Promise<SpawnedServer> {
  const log = createWriteStream(options.logFile, { flags: 'a' });
  let child: ChildProcess;
  try {
    child = spawn(command, args, { ...options, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
  } catch (err) {
    log.end();
    throw err;
  }
  const ended = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.once('exit', (code, signal) => resolve({ code, signal })),
  );
  const exited = ended.then((e) => e.code);
  let tail = '';
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new RuntimeError(`${options.name} did not become ready in ${options.timeoutMs ?? 30_000} ms:\n${tail}`));
    }, options.timeoutMs ?? 30_000);
    const onData = (chunk: Buffer) => {
      // Output can still arrive after 'exit' (stdio closes later): never write to a closed log.
      if (!log.writableEnded) log.write(chunk);
      tail = (tail + chunk.toString('utf8')).slice(-4000);
      if (options.ready.test(tail)) {
        clearTimeout(timer);
        resolve();
      }
    };
    child.stdout?.on('data', onData);
    child.stderr?.on('data', onData);
    child.once('error', (err: NodeJS.ErrnoException) => {
      clearTimeout(timer);
      reject(err);
    });
    void exited.then((code) => {
      clearTimeout(timer);
      reject(new RuntimeError(`${options.name} exited with code ${code} before it was ready:\n${tail}`));
    });
  });
  // onData stays attached: output keeps going to the log, and the tail stays fresh (an unexpected exit quotes it).
  return { child, log, exited, ended, tail: () => tail };
}

/** Sends `signal`, waits up to `graceMs`, then SIGKILL. Resolves when the process is gone. */
export async function stopServer(server: SpawnedServer, signal: NodeJS.Signals, graceMs = 15_000): Promise<void> {
  const { child } = server;
  if (child.exitCode === null && child.signalCode === null) {
    child.kill(signal);
    const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
    await server.exited;
    clearTimeout(timer);
  }
  await new Promise<void>((resolve) => server.log.end(resolve));
}

/**
 * Kills a server left running by a launcher that was itself killed (kill -9 leaves its
 * children behind). `pidFile`'s first line is the PID; the process is only signalled if its
 * command line mentions `marker` (so a recycled PID belonging to something else is left alone).
 */
export async function reapStale(pidFile: string, marker: string, signal: NodeJS.Signals): Promise<boolean> {
  let pid: number;
  try {
    pid = Number.parseInt((await readFile(pidFile, 'utf8')).split('\n')[0]!.trim(), 10);
  } catch {
    return false;
  }
  if (!Number.isInteger(pid) || pid <= 1) return false;
  let cmdline: string;
  try {
    cmdline = (await readFile(`/proc/${pid}/cmdline`, 'utf8')).replaceAll('\0', ' ');
  } catch {
    return false; // not running
  }
  if (!cmdline.includes(marker)) return false;
  process.kill(pid, signal);
  const deadline = Date.now() + 20_000;
  while (Date.now() < deadline) {
    try {
      process.kill(pid, 0);
    } catch {
      return true;
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  process.kill(pid, 'SIGKILL');
  return true;
}
