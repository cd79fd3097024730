// Discovery through the API, read by a real worker process (the product's own, as `npm start`
// runs it) over real SSH against lab devices: the API only records and queues (it opens no
// session to a device), waits a short while for the worker's answer, and otherwise answers 202
// with where to find it.
import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { repoRoot } from '@hitless/config';
import type { Lab } from '@hitless/lab';
import { eventually } from '@hitless/testkit/poll';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { deviceBody, labInInventory, startHarness, type Client, type Harness } from './harness.ts';

let h: Harness;
let lab: Lab;
let op: Client;
let viewer: Client;
let worker: ChildProcess | null = null;
let ids: Record<string, string> = {};

/** apps/worker/src/main.ts on this file's database, Redis prefix and key; resolves when it is ready. */
async function startWorker() {
  const child = spawn(process.execPath, ['--import', 'tsx', path.join(repoRoot, 'apps/worker/src/main.ts')], {
    cwd: repoRoot,
    stdio: ['ignore', 'ignore', 'inherit', 'ipc'],
    env: {
      ...process.env,
      NODE_ENV: 'test',
      DATABASE_URL: h.database.url,
      REDIS_URL: h.config.redis.url,
      HITLESS_SECRET_KEY: h.config.secrets.key.toString('base64'),
      HITLESS_QUEUE_PREFIX: h.config.redis.prefix,
      HITLESS_LOG_LEVEL: 'warn',
    },
  });
  worker = child;
  await new Promise<void>((resolve, reject) => {
    child.on('message', (m: { type?: string }) => m.type === 'ready' && resolve());
    child.once('exit', (code) => reject(new Error(`the worker exited (${code}) before it was ready`)));
  });
}

beforeAll(async () => {
  h = await startHarness();
  ({ lab, ids } = await labInInventory(h, ['c10k', 'mx', 'asr1000']));
  op = await h.as('OPERATOR');
  viewer = await h.as('VIEWER');
});
afterAll(async () => {
  if (worker && worker.exitCode === null) {
    const gone = new Promise((r) => worker!.once('exit', r));
    worker.kill('SIGTERM');
    await gone;
  }
  await lab?.stop();
  await h?.close();
});

describe('discovery', () => {
  it('answers 202 with where to look while no worker has read the device yet, then the worker does', async () => {
    const res = await op.post(`/api/v1/devices/${ids['c10k']!}/discover?wait=0`);
    expect(res.statusCode, res.body).toBe(202);
    const queued = res.json();
    expect(queued).toMatchObject({ status: 'QUEUED', facts: null, requestedBy: op.username });
    expect(res.headers.location).toBe(`/api/v1/discoveries/${queued.id}`);
    await startWorker();
    const done = await eventually(
      async () => {
        const d = (await viewer.get(res.headers.location as string)).json();
        return d.status === 'SUCCEEDED' && d;
      },
      { timeoutMs: 20_000, what: 'the discovery done by the worker' },
    );
    expect(done.facts).toMatchObject({ family: 'c10k', softwareVersion: '12.2(33)SB8', redundancyMode: 'SSO' });
  });

  it('reads facts from a Cisco and a Junos device through the worker, stores and audits them', async () => {
    const cisco = await op.post(`/api/v1/devices/${ids['c10k']!}/discover`);
    expect(cisco.statusCode, cisco.body).toBe(200);
    expect(cisco.json()).toMatchObject({ status: 'SUCCEEDED', deviceHostname: expect.any(String) });
    expect(cisco.json().facts).toMatchObject({
      family: 'c10k',
      softwareVersion: '12.2(33)SB8',
      redundancyMode: 'SSO',
      issuState: 'Init',
      processors: [
        expect.objectContaining({
          role: 'active',
          version: '12.2(33)SB8',
          serial: expect.stringMatching(/^FOX\d{8}$/),
        }),
        expect.objectContaining({ role: 'standby', state: expect.stringMatching(/STANDBY HOT/) }),
      ],
      // Each RP's file system with its free space (the device page shows them).
      filesystems: [
        expect.objectContaining({ name: 'disk0:', freeBytes: expect.any(Number), totalBytes: expect.any(Number) }),
        expect.objectContaining({ name: 'stby-disk0:', freeBytes: expect.any(Number) }),
      ],
    });
    const junos = await op.post(`/api/v1/devices/${ids['MX480']!}/discover`);
    expect(junos.statusCode, junos.body).toBe(200);
    expect(junos.json().facts).toMatchObject({
      family: 'mx',
      softwareVersion: '10.1R1.8',
      prerequisites: { gracefulSwitchover: true, nonstopRouting: true, commitSynchronize: true, backupInSync: true },
      processors: [
        expect.objectContaining({ slot: 're0', role: 'active', serial: '9009010339' }),
        expect.objectContaining({ slot: 're1', role: 'standby', serial: '9009010340' }),
      ],
      filesystems: expect.arrayContaining([expect.objectContaining({ slot: 're0', name: '/var' })]),
    });
    const device = await h.database.db.device.findUniqueOrThrow({ where: { id: ids['MX480']! } });
    expect(device.facts).toMatchObject({ family: 'mx' });
    const audit = await h.database.db.auditEvent.findMany({ where: { action: 'device.discovered' } });
    expect(audit.map((a) => a.actorName)).toContain(op.username);
    expect(audit).toHaveLength(3);
  });

  it('answers 502 naming the device when it cannot be reached, 422 without a credential, 404 and 403 where due', async () => {
    const asr = ids['ASR1006']!;
    await h.database.db.device.update({ where: { id: asr }, data: { mgmtAddress: '127.87.9.9', port: 1 } });
    const down = await op.post(`/api/v1/devices/${asr}/discover`);
    expect(down.statusCode).toBe(502);
    expect(down.json().message).toMatch(/^discovery of .* failed: cannot connect to 127\.87\.9\.9:1/);
    const bare = (await op.post('/api/v1/devices', deviceBody())).json();
    expect((await op.post(`/api/v1/devices/${bare.id}/discover`)).statusCode).toBe(422);
    expect((await viewer.post(`/api/v1/devices/${ids['c10k']!}/discover`)).statusCode).toBe(403);
    expect((await viewer.get('/api/v1/discoveries/00000000-0000-4000-8000-000000000000')).statusCode).toBe(404);
    expect((await op.post('/api/v1/devices/00000000-0000-4000-8000-000000000000/discover')).statusCode).toBe(404);
  });
});
