// `npm start` as a user runs it: a real launcher process with its own data directory.
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { chmod, mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { createTestDatabase, redisUrl } from '@hitless/testkit';
import { eventually } from '@hitless/testkit/poll';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchWith, type Launch } from './launch.ts';

const run = promisify(execFile);

/** Each launch's lab on its own loopback block and free ports, so a developer's own `npm start` never clashes. */
const LAB_BASE = `127.${60 + (process.pid % 40)}.0.0`;

function launch(dataDir: string, extraEnv: Record<string, string> = {}): Launch {
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    HITLESS_DATA_DIR: dataDir,
    HITLESS_PORT: '0',
    HITLESS_SKIP_WEB_BUILD: 'true',
    HITLESS_LAB_DEVICES: '4',
    HITLESS_LAB_SSH_PORT: '0',
    // Free ports: tests run beside each other and beside a developer's `npm start`.
    HITLESS_SYSLOG_UDP_PORT: '0',
    HITLESS_SYSLOG_TCP_PORT: '0',
    HITLESS_WORKER_METRICS_PORT: '0',
    HITLESS_COLLECTOR_METRICS_PORT: '0',
    HITLESS_LAB_BASE_ADDRESS: LAB_BASE,
    ...extraEnv,
  };
  if (!extraEnv.DATABASE_URL) delete env.DATABASE_URL;
  if (!extraEnv.REDIS_URL) delete env.REDIS_URL;
  return launchWith(env);
}

async function stop(l: Launch): Promise<number | null> {
  l.child.kill('SIGINT');
  return l.exited;
}

const alive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

/** One command on a lab device with the real OpenSSH client (the lab's own login). */
function labSsh(device: { port: number; mgmtAddress: string }, command: string, options: string[] = []) {
  const args = ['-o', 'StrictHostKeyChecking=no', '-o', 'UserKnownHostsFile=/dev/null', '-o', 'LogLevel=ERROR'];
  return run(
    'sshpass',
    [
      '-p',
      'lab-admin-pw',
      'ssh',
      ...args,
      ...options,
      '-p',
      String(device.port),
      `admin@${device.mgmtAddress}`,
      command,
    ],
    { timeout: 15_000 },
  );
}

async function login(url: string, username: string, password: string) {
  return fetch(`${url}api/v1/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', origin: new URL(url).origin },
    body: JSON.stringify({ username, password }),
  });
}

let dataDir: string;
beforeAll(async () => {
  dataDir = await mkdtemp(path.join(os.tmpdir(), 'hitless-launcher-'));
  await chmod(dataDir, 0o711);
});
afterAll(async () => rm(dataDir, { recursive: true, force: true }));

describe('npm start', () => {
  it('starts everything, prints a one-time admin password once, stops cleanly on Ctrl-C and finds its data again', async () => {
    const first = launch(dataDir);
    const url = await first.url;
    expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/$/);
    const password = /first login:\s+admin\s+\/\s+(\S+)/.exec(first.output())![1]!;
    expect(first.output().split(password)).toHaveLength(2);

    const res = await login(url, 'admin', password);
    expect(res.status).toBe(200);
    expect(((await res.json()) as { user: { mustChangePassword: boolean } }).user.mustChangePassword).toBe(true);
    const cookie = res.headers.get('set-cookie')!.split(';')[0]!;
    const changed = await fetch(`${url}api/v1/auth/password`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', origin: new URL(url).origin, cookie },
      body: JSON.stringify({ currentPassword: password, newPassword: 'my own admin passphrase' }),
    });
    expect(changed.status).toBe(204);
    const health = await (await fetch(`${url}readyz`)).json();
    expect(health).toEqual({ status: 'ok', database: 'up', redis: 'up' });

    // The lab's demo fleet is in the inventory, with its images and a working credential.
    const devices = (await (await fetch(`${url}api/v1/devices?tag=lab`, { headers: { cookie } })).json()) as {
      total: number;
      items: { hostname: string; mgmtAddress: string; port: number; platform: string; credentialName: string }[];
    };
    expect(devices.total).toBe(4);
    expect(devices.items.map((d) => d.platform).sort()).toEqual(['ASR1006', 'MX480', 'WS-C4507R+E', 'c10k']);
    expect(
      devices.items.every((d) => d.credentialName === 'lab' && d.mgmtAddress.startsWith(LAB_BASE.slice(0, -3))),
    ).toBe(true);
    const images = (await (await fetch(`${url}api/v1/images`, { headers: { cookie } })).json()) as { items: unknown[] };
    expect(images.items.length).toBeGreaterThanOrEqual(12);
    const mx = devices.items.find((d) => d.platform === 'MX480')!;
    const ssh = await labSsh(mx, 'show version');
    expect(ssh.stdout).toContain(`Hostname: ${mx.hostname}`);

    // The lab's syslog reaches the collector npm start runs: a command that changes the device is
    // logged (mgd's UI_CMDLINE_READ_LINE), here a mastership switch (which ends the session).
    await labSsh(mx, 'request chassis routing-engine master switch no-confirm').catch(() => undefined);
    const mxId = (devices.items as unknown as { id: string; platform: string }[]).find(
      (d) => d.platform === 'MX480',
    )!.id;
    await eventually(
      async () => {
        const page = (await (
          await fetch(`${url}api/v1/syslog?deviceId=${mxId}&q=master%20switch`, { headers: { cookie } })
        ).json()) as { items: { event: string | null; sourceAddress: string }[] };
        return page.items.some((m) => m.event === 'UI_CMDLINE_READ_LINE' && m.sourceAddress === mx.mgmtAddress);
      },
      { timeoutMs: 15_000, what: "the MX's syslog in the collector" },
    );
    // The worker and the collector answer /readyz and /metrics on the ports the launcher printed.
    const ports = /worker :(\d+), collector :(\d+)/.exec(first.output())!;
    for (const p of [ports[1], ports[2]]) {
      expect((await fetch(`http://127.0.0.1:${p}/readyz`)).status).toBe(200);
      expect(await (await fetch(`http://127.0.0.1:${p}/metrics`)).text()).toMatch(/^hitless_/m);
    }

    const pgPid = Number((await readFile(path.join(dataDir, 'postgres/postmaster.pid'), 'utf8')).split('\n')[0]);
    const redisPid = Number((await readFile(path.join(dataDir, 'redis/redis.pid'), 'utf8')).trim());
    expect(alive(pgPid) && alive(redisPid)).toBe(true);
    expect(await stop(first)).toBe(0);
    expect(first.output()).toMatch(/stopped/);
    expect(alive(pgPid)).toBe(false);
    expect(alive(redisPid)).toBe(false);

    // The password appears in no log file.
    for (const f of await readdir(path.join(dataDir, 'logs'))) {
      expect(await readFile(path.join(dataDir, 'logs', f), 'utf8')).not.toContain(password);
    }

    // The lab went with everything else.
    await expect(labSsh(mx, 'show version', ['-o', 'ConnectTimeout=2'])).rejects.toThrow();

    const second = launch(dataDir);
    const url2 = await second.url;
    expect(second.output()).not.toMatch(/first login/);
    expect(second.output()).toMatch(/lab: 4 simulated devices .* \(0 added to the inventory\)/);
    expect((await login(url2, 'admin', 'my own admin passphrase')).status).toBe(200);
    expect(await stop(second)).toBe(0);
  }, 90_000);

  it('restarts a service that dies, says why, and keeps Redis at the same address', async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'hitless-launcher-restart-'));
    await chmod(dir, 0o711);
    const l = launch(dir, { HITLESS_ADMIN_PASSWORD: 'restart admin password' });
    try {
      const url = await l.url;
      expect(l.output()).toMatch(
        /engine timeouts scaled to the lab's time scale 30: reload 90 s, issu 360 s, reconnect 120 s, settle 5 s/,
      );
      // Only our own launcher's children: the lab by its entry point, Redis by its pid file.
      const { stdout } = await run('ps', ['-o', 'pid=,args=', '--ppid', String(l.child.pid)]);
      const labPid = Number(/^\s*(\d+) .*apps\/lab\/src\/main\.ts/m.exec(stdout)![1]);
      process.kill(labPid, 'SIGKILL');
      await eventually(() => /lab exited unexpectedly \(killed by SIGKILL\); restarting in 1 s/.test(l.output()), {
        timeoutMs: 10_000,
        what: 'the reason',
      });
      await eventually(() => /lab restarted \(pid \d+\)/.test(l.output()), {
        timeoutMs: 30_000,
        what: 'the lab restarted',
      });
      expect(l.output()).toMatch(/lab: its 4 devices started afresh on their original releases/);

      const redisPid = Number((await readFile(path.join(dir, 'redis/redis.pid'), 'utf8')).trim());
      process.kill(redisPid, 'SIGKILL');
      await eventually(() => /Redis restarted/.test(l.output()), { timeoutMs: 30_000, what: 'Redis restarted' });
      // The api's REDIS_URL still works: same port and password.
      await eventually(async () => ((await (await fetch(`${url}readyz`)).json()) as { redis: string }).redis === 'up', {
        timeoutMs: 20_000,
        what: 'redis up for the api',
      });
      expect((await login(url, 'admin', 'restart admin password')).status).toBe(200);

      const pgPid = Number((await readFile(path.join(dir, 'postgres/postmaster.pid'), 'utf8')).split('\n')[0]);
      process.kill(pgPid, 'SIGKILL');
      await eventually(() => /PostgreSQL exited unexpectedly \(killed by SIGKILL\)/.test(l.output()), {
        timeoutMs: 10_000,
        what: 'the reason',
      });
      await eventually(() => /PostgreSQL restarted/.test(l.output()), {
        timeoutMs: 60_000,
        what: 'PostgreSQL restarted',
      });
      await eventually(
        async () => ((await (await fetch(`${url}readyz`)).json()) as { database: string }).database === 'up',
        {
          timeoutMs: 30_000,
          what: 'the database up for the api',
        },
      );
      expect((await login(url, 'admin', 'restart admin password')).status).toBe(200);
      expect(l.child.exitCode).toBeNull();
    } finally {
      const code = await stop(l);
      expect(code, l.output()).toBe(0);
      await rm(dir, { recursive: true, force: true });
    }
  }, 120_000);

  it('uses existing servers given by DATABASE_URL and REDIS_URL instead of starting its own', async () => {
    const database = await createTestDatabase();
    const dir = await mkdtemp(path.join(os.tmpdir(), 'hitless-launcher-ext-'));
    try {
      const l = launch(dir, {
        DATABASE_URL: database.url,
        DATABASE_OWNER_URL: database.ownerUrl,
        HITLESS_SECRET_KEY: database.secretKey.toString('base64'),
        REDIS_URL: redisUrl(),
        HITLESS_ADMIN_PASSWORD: 'given admin password',
      });
      const url = await l.url;
      expect(l.output()).toMatch(/PostgreSQL external/);
      expect(l.output()).toMatch(/Redis external/);
      expect(l.output()).not.toContain('given admin password');
      expect((await login(url, 'admin', 'given admin password')).status).toBe(200);
      expect(await database.db.user.count()).toBe(1);
      expect(await stop(l)).toBe(0);
      await expect(readdir(path.join(dir, 'postgres'))).rejects.toThrow();
    } finally {
      await database.drop();
      await rm(dir, { recursive: true, force: true });
    }
  }, 60_000);

  it('exits with install instructions when redis-server is missing', async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'hitless-launcher-noredis-'));
    await chmod(dir, 0o711);
    try {
      const l = launch(dir, { HITLESS_REDIS_SERVER: '/nonexistent/redis-server' });
      await expect(l.url).rejects.toThrow();
      expect(await l.exited).toBe(1);
      expect(l.output()).toContain('redis-server was not found');
      expect(l.output()).toContain('sudo apt-get install -y redis-server');
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  }, 60_000);
});
