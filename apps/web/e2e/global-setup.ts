// Starts the product exactly as a user does (`npm start`'s launcher) with a throwaway data
// directory, and stops it after the run. Tests find it through HITLESS_E2E_URL and log in as
// an admin with a known password to seed their own users and devices.
import { spawn } from 'node:child_process';
import { chmod, mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
export const E2E_ADMIN_PASSWORD = 'e2e admin password, long enough';

export default async function globalSetup() {
  const dataDir = await mkdtemp(path.join(os.tmpdir(), 'hitless-e2e-'));
  await chmod(dataDir, 0o711);
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    HITLESS_DATA_DIR: dataDir,
    HITLESS_PORT: '0',
    HITLESS_ADMIN_PASSWORD: E2E_ADMIN_PASSWORD,
    HITLESS_LOG_LEVEL: 'warn',
    // The lab on its own loopback block and free ports: never in the way of a developer's `npm start`.
    HITLESS_LAB_BASE_ADDRESS: '127.99.0.0',
    HITLESS_LAB_SSH_PORT: '0',
    // The syslog collector and the metrics endpoints on free ports too.
    HITLESS_SYSLOG_UDP_PORT: '0',
    HITLESS_SYSLOG_TCP_PORT: '0',
    HITLESS_WORKER_METRICS_PORT: '0',
    HITLESS_COLLECTOR_METRICS_PORT: '0',
    // Ten: e2e/campaign.spec.ts upgrades lab-pe001..003 (two redundancy groups) while other specs use bng001 and mx001.
    HITLESS_LAB_DEVICES: '10',
  };
  delete env.DATABASE_URL;
  delete env.REDIS_URL;
  const child = spawn(process.execPath, ['--import', 'tsx', path.join(root, 'apps/launcher/src/start.ts')], {
    cwd: root,
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`the stack did not start in 120 s:\n${output}`)), 120_000);
    const onData = (d: Buffer) => {
      output += d.toString();
      const m = /running at (http:\/\/\S+?)\/?\s/.exec(output);
      if (m) {
        clearTimeout(timer);
        resolve(m[1]!);
      }
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`the launcher exited (${code}):\n${output}`));
    });
  });
  process.env.HITLESS_E2E_URL = url;
  // The lab's fault API, for tests that inject faults (e2e/campaign.spec.ts), as the launcher printed it.
  const lab = /fault API (http:\/\/\S+) with Authorization: Bearer (\S+)/.exec(output);
  if (lab) {
    process.env.HITLESS_E2E_LAB_URL = lab[1];
    process.env.HITLESS_E2E_LAB_TOKEN = lab[2];
  }
  process.env.HITLESS_E2E_ADMIN_PASSWORD = E2E_ADMIN_PASSWORD;
  // For tests that must write what only a worker writes (e2e/host-keys.spec.ts: a device's offered host key).
  process.env.HITLESS_E2E_DATA_DIR = dataDir;

  return async () => {
    const exited = new Promise((resolve) => child.once('exit', resolve));
    child.kill('SIGINT');
    await exited;
    await rm(dataDir, { recursive: true, force: true });
  };
}
