// The collector as `npm start` runs it: its own process (so the generator does not share its
// event loop), output to a log file, ready when it sends its ports over IPC.
import { spawn } from 'node:child_process';
import { closeSync, openSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { inheritedEnv, repoRoot } from '@hitless/config';

export interface CollectorProcess {
  pid: number;
  udpPort: number;
  tcpPort: number;
  metricsPort: number;
  alive(): boolean;
  /** The last lines it logged. */
  tail(): Promise<string>;
  /** SIGTERM (it stores what is queued), SIGKILL after 10 s. Safe to call twice. */
  stop(): Promise<void>;
}

const READY_MS = 60_000;

/** `register` is called with the stop function before waiting for readiness, so a failure still cleans up. */
export async function startCollectorProcess(
  env: Record<string, string>,
  logFile: string,
  register: (stop: () => Promise<void>) => void,
): Promise<CollectorProcess> {
  const logFd = openSync(logFile, 'a');
  const child = spawn(process.execPath, ['--import', 'tsx', path.join(repoRoot, 'apps/collector/src/main.ts')], {
    cwd: repoRoot,
    stdio: ['ignore', logFd, logFd, 'ipc'],
    env: inheritedEnv(env),
  });
  const exited = new Promise((r) => child.once('exit', r));
  const alive = () => child.exitCode === null && child.signalCode === null;
  let fdOpen = true;
  const stop = async () => {
    if (alive()) child.kill('SIGTERM');
    const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
    await exited;
    clearTimeout(timer);
    if (fdOpen) closeSync(logFd);
    fdOpen = false;
  };
  register(stop);
  const tail = async () => (await readFile(logFile, 'utf8')).slice(-2000);
  const ports = await new Promise<{ udpPort: number; tcpPort: number; metricsPort: number }>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`the collector was not ready in ${READY_MS / 1000} s`)), READY_MS);
    child.on('message', (m: { type?: string; udpPort: number; tcpPort: number; metricsPort: number | null }) => {
      if (m.type !== 'ready') return;
      clearTimeout(timer);
      // The bench reads the collector's counters from /metrics: without its ops server it cannot measure.
      if (typeof m.metricsPort !== 'number')
        reject(new Error('the collector started without its /metrics (port taken?)'));
      else resolve({ udpPort: m.udpPort, tcpPort: m.tcpPort, metricsPort: m.metricsPort });
    });
    child.once('exit', (code, signal) => {
      clearTimeout(timer);
      void tail().then((t) => reject(new Error(`the collector exited (${code ?? signal}) before it was ready:\n${t}`)));
    });
  });
  return { pid: child.pid!, ...ports, alive, tail, stop };
}
