// `npm start` twice on one data directory: the lab's devices present the same SSH host keys to a
// real OpenSSH client (ssh-keyscan) both times, the keys are kept owner-only in the data
// directory, and the ssh command the launcher prints works as pasted (sshpass + OpenSSH checking
// the key against the known_hosts file the lab writes there, never asking), as does the README's
// form of it against a Junos device. A user's own ~/.ssh/known_hosts, filled on the first start,
// still matches after the restart (no "REMOTE HOST IDENTIFICATION HAS CHANGED"). Without a
// known_hosts entry sshpass gives up with exit 6, which is what the file is for.
import { execFile, spawn } from 'node:child_process';
import { chmod, mkdtemp, readdir, readFile, rm, stat } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { createTestDatabase, redisUrl } from '@hitless/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchWith, type Launch } from './launch.ts';

const run = promisify(execFile);
const LAB_BASE = `127.${140 + (process.pid % 40)}.0.0`;
const LAB_PORT = 2222;
const third = LAB_BASE.replace(/\.0$/, '.3');

function launch(dataDir: string, env: Record<string, string>): Launch {
  const childEnv: NodeJS.ProcessEnv = {
    ...process.env,
    HITLESS_DATA_DIR: dataDir,
    HITLESS_PORT: '0',
    HITLESS_SKIP_WEB_BUILD: 'true',
    HITLESS_LAB_DEVICES: '3',
    // Addresses of this test's own (LAB_BASE), so a fixed port is free: the same host names in
    // known_hosts at both starts, as with npm start's port 22.
    HITLESS_LAB_SSH_PORT: String(LAB_PORT),
    HITLESS_SYSLOG_UDP_PORT: '0',
    HITLESS_SYSLOG_TCP_PORT: '0',
    HITLESS_WORKER_METRICS_PORT: '0',
    HITLESS_COLLECTOR_METRICS_PORT: '0',
    HITLESS_LAB_BASE_ADDRESS: LAB_BASE,
    ...env,
  };
  return launchWith(childEnv);
}

/** `[address]:port` (or the bare address) → public key, from an OpenSSH known_hosts text. */
function keysByHost(text: string): Map<string, string> {
  const keys = new Map<string, string>();
  for (const line of text.split('\n')) {
    if (!line.trim() || line.startsWith('#')) continue;
    const [host, type, key] = line.trim().split(/\s+/);
    keys.set(host!, `${type} ${key}`);
  }
  return keys;
}

/** What the devices present on the wire, as OpenSSH's ssh-keyscan reads it, by address (ports change per start). */
async function scan(knownHosts: Map<string, string>): Promise<Map<string, string>> {
  const presented = new Map<string, string>();
  for (const host of knownHosts.keys()) {
    const m = /^\[(.+)\]:(\d+)$/.exec(host);
    const [address, port] = m ? [m[1]!, m[2]!] : [host, '22'];
    const { stdout } = await run('ssh-keyscan', ['-T', '10', '-t', 'ed25519,rsa', '-p', port, address], {
      timeout: 20_000,
    });
    const line = stdout.split('\n').find((l) => l.trim() && !l.startsWith('#'));
    expect(line, `ssh-keyscan ${address}:${port}`).toBeDefined();
    const [, type, key] = line!.trim().split(/\s+/);
    presented.set(address, `${type} ${key}`);
  }
  return presented;
}

/** The SHA256 fingerprint OpenSSH shows for each key. */
async function fingerprints(keys: Map<string, string>): Promise<string[]> {
  const out: string[] = [];
  for (const [address, key] of [...keys].sort()) {
    const child = spawn('ssh-keygen', ['-l', '-f', '-']);
    let text = '';
    child.stdout.on('data', (d: Buffer) => (text += d.toString()));
    child.stdin.end(`${address} ${key}\n`);
    await new Promise((resolve) => child.once('close', resolve));
    out.push(`${address} ${text.split(/\s+/)[1]}`);
  }
  return out;
}

let dataDir: string;
let database: Awaited<ReturnType<typeof createTestDatabase>>;
beforeAll(async () => {
  dataDir = await mkdtemp(path.join(os.tmpdir(), 'hitless-lab-keys-'));
  await chmod(dataDir, 0o711);
  database = await createTestDatabase();
});
afterAll(async () => {
  await database?.drop();
  await rm(dataDir, { recursive: true, force: true });
});

describe('npm start: the lab keeps its SSH host keys in the data directory', () => {
  it('presents the same host keys after a restart, and the printed ssh command works as pasted', async () => {
    const env = {
      DATABASE_URL: database.url,
      DATABASE_OWNER_URL: database.ownerUrl,
      HITLESS_SECRET_KEY: database.secretKey.toString('base64'),
      REDIS_URL: redisUrl(),
      HITLESS_ADMIN_PASSWORD: 'lab host key test admin',
    };
    const knownHostsFile = path.join(dataDir, 'lab', 'known_hosts');
    const starts: { fingerprints: string[]; files: string[] }[] = [];
    for (let i = 0; i < 2; i++) {
      const l = launch(dataDir, env);
      try {
        await l.url;
        const known = keysByHost(await readFile(knownHostsFile, 'utf8'));
        expect(known.size).toBe(3);
        const presented = await scan(known);
        // What the devices present is what the known_hosts file says.
        for (const [host, key] of known) expect(presented.get(/^\[(.+)\]/.exec(host)?.[1] ?? host)).toBe(key);
        const keyDir = path.join(dataDir, 'lab', 'ssh-host-keys');
        const files = (await readdir(keyDir)).sort();
        for (const f of files) expect((await stat(path.join(keyDir, f))).mode & 0o777).toBe(0o600);
        starts.push({ fingerprints: await fingerprints(presented), files });

        // The command the launcher printed, pasted as printed: no prompt, no refusal.
        const printed = /lab: (sshpass -p \S+ ssh .+ "show version")/.exec(l.output())?.[1];
        expect(printed, l.output()).toContain(`UserKnownHostsFile=${knownHostsFile}`);
        const sh = (command: string) => run('sh', ['-c', command], { timeout: 20_000 });
        expect((await sh(printed!)).stdout).toMatch(/Cisco IOS Software/);
        expect(l.output()).toMatch(/lab: Cisco: an interactive session starts unprivileged \(>\); type enable/);
        // The README's form, against the third device (a Juniper MX480, as 127.10.0.3 in the README).
        const readme = `sshpass -p lab-admin-pw ssh -o UserKnownHostsFile=${knownHostsFile} -p ${LAB_PORT} admin@${third} "show version"`;
        expect((await sh(readme)).stdout).toMatch(/Model: mx480\r?\nJUNOS Base OS boot \[/);
        // A known_hosts file of the user's own (OpenSSH takes ~ from the password database, not
        // $HOME, so a file here stands for ~/.ssh/known_hosts): filled at the first start, checked
        // strictly after the restart.
        const own = `sshpass -p lab-admin-pw ssh -o UserKnownHostsFile=${path.join(dataDir, 'own_known_hosts')} -o StrictHostKeyChecking=${i === 0 ? 'accept-new' : 'yes'} -p ${LAB_PORT} admin@${third} "show version"`;
        expect((await sh(own)).stdout).toMatch(/Model: mx480\r?\nJUNOS Base OS boot \[/);
        // What the known_hosts file saves a new user from: OpenSSH asks, sshpass cannot answer.
        const unknown = await sh(
          `sshpass -p lab-admin-pw ssh -o UserKnownHostsFile=/dev/null -p ${LAB_PORT} admin@${third} "show version"`,
        ).then(
          () => 0,
          (err: { code?: number }) => err.code,
        );
        expect(unknown).toBe(6);
      } finally {
        l.child.kill('SIGINT');
        expect(await l.exited).toBe(0);
      }
    }
    expect(starts[0]!.fingerprints).toHaveLength(3);
    for (const f of starts[0]!.fingerprints) expect(f).toMatch(/ SHA256:[A-Za-z0-9+/]{43}$/);
    expect(starts[1]!.fingerprints).toEqual(starts[0]!.fingerprints);
    expect(starts[1]!.files).toEqual(starts[0]!.files);
  }, 180_000);
});
