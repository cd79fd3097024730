// Discovery through the API, read by a real BullMQ worker over real SSH against lab devices:
// the API only records and queues (it opens no session to a device), waits a short while for
// the worker's answer, and otherwise answers 202 with where to find it.
import { runDiscovery } from '@hitless/engine';
import type { Lab } from '@hitless/lab';
import { createWorker, EventPublisher, type Worker } from '@hitless/messaging';
import { eventually } from '@hitless/testkit/poll';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { deviceBody, labInInventory, startHarness, type Client, type Harness } from './harness.ts';

let h: Harness;
let lab: Lab;
let op: Client;
let viewer: Client;
let worker: Worker | null = null;
let ids: Record<string, string> = {};

function startWorker() {
  const engine = { ...h.config.engine, commandTimeoutMs: 20_000 };
  const deps = {
    db: h.database.db,
    events: new EventPublisher(h.redis, h.config.redis.prefix),
    key: h.config.secrets.key,
    engine,
    log: pino({ level: 'warn' }),
  };
  worker = createWorker('device-discovery', ({ discoveryId }) => runDiscovery(deps, discoveryId), {
    connection: h.redis,
    prefix: h.config.redis.prefix,
    concurrency: 2,
    lockMs: 10_000,
    stalledMs: 5000,
  });
}

beforeAll(async () => {
  h = await startHarness();
  ({ lab, ids } = await labInInventory(h, ['c10k', 'mx', 'asr1000']));
  op = await h.as('OPERATOR');
  viewer = await h.as('VIEWER');
});
afterAll(async () => {
  await worker?.close();
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
    startWorker();
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
        expect.objectContaining({ role: 'active', version: '12.2(33)SB8' }),
        expect.objectContaining({ role: 'standby', state: expect.stringMatching(/STANDBY HOT/) }),
      ],
    });
    const junos = await op.post(`/api/v1/devices/${ids['MX480']!}/discover`);
    expect(junos.statusCode, junos.body).toBe(200);
    expect(junos.json().facts).toMatchObject({
      family: 'mx',
      softwareVersion: '10.1R1.8',
      prerequisites: { gracefulSwitchover: true, nonstopRouting: true, commitSynchronize: true, backupInSync: true },
      processors: [
        expect.objectContaining({ slot: 're0', role: 'active' }),
        expect.objectContaining({ slot: 're1', role: 'standby' }),
      ],
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
