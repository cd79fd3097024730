// The lab's HTTP API.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LabClient } from '../src/client.ts';
import type { Lab, LabDeviceInfo } from '../src/lab.ts';
import { eventually } from '@hitless/testkit/poll';
import { labOf, privileged } from './helpers.ts';

let lab: Lab;
let client: LabClient;
let c10k: LabDeviceInfo;
let mx: LabDeviceInfo;

beforeAll(async () => {
  lab = await labOf(['c10k', 'mx']);
  client = new LabClient(lab.apiUrl!, lab.apiToken);
  [c10k, mx] = lab.info() as [LabDeviceInfo, LabDeviceInfo];
});
afterAll(async () => lab.stop());

describe('lab API', () => {
  it('needs the lab token on every route but /healthz', async () => {
    expect((await fetch(`${lab.apiUrl}/healthz`)).status).toBe(200);
    expect((await fetch(`${lab.apiUrl}/api/devices`)).status).toBe(401);
    expect((await fetch(`${lab.apiUrl}/api/devices`, { headers: { authorization: 'Bearer wrong' } })).status).toBe(401);
    const list = await client.devices();
    expect(list.items.map((d) => d.hostname)).toEqual(['lab-bng001', 'lab-mx001']);
    expect(list.timeScale).toBe(600);
  });

  it('sets and clears faults, rejecting unknown ones', async () => {
    expect((await client.setFaults(c10k.id, ['post-check-failure', 'slow-standby-boot'])).faults).toEqual([
      'post-check-failure',
      'slow-standby-boot',
    ]);
    expect((await client.device(c10k.hostname)).faults).toEqual(['post-check-failure', 'slow-standby-boot']);
    const bad = await fetch(`${lab.apiUrl}/api/devices/${c10k.id}/faults`, {
      method: 'PUT',
      headers: { authorization: `Bearer ${lab.apiToken}`, 'content-type': 'application/json' },
      body: JSON.stringify({ faults: ['cosmic-rays'] }),
    });
    expect(bad.status).toBe(400);
    expect(await bad.text()).toMatch(/unknown fault/);
    await client.setFaults(c10k.id, []);
    await expect(client.device('nope')).rejects.toThrow(/404/);
  });

  it('refuses a fault the vendor cannot have, and keeps the faults the device had', async () => {
    await client.setFaults(mx.id, ['slow-standby-boot']);
    await expect(client.setFaults(mx.id, ['unreachable-until-rollback'])).rejects.toThrow(
      /400.*unreachable-until-rollback applies to Cisco devices only/,
    );
    expect((await client.device(mx.id)).faults).toEqual(['slow-standby-boot']);
    await client.setFaults(mx.id, []);
  });

  it('reports command counts and the forwarding loss of the last switchover', async () => {
    const sh = await privileged(c10k);
    await sh.run('show issu state');
    sh.end();
    const commands = await client.commands(c10k.id);
    expect(commands.counts['show issu state']).toBe(1);
    expect(commands.log.map((l) => l.line)).toContain('enable');
    const fwd = await client.forwarding(c10k.id);
    expect(fwd.lossWindowMs).toBeGreaterThan(0);
    expect(fwd.lossWindowMs).toBeLessThan(2000);
    expect(fwd.lastSwitchover).toBeNull();
  });

  it('does not count a command cancelled at its confirmation (answered no, or the session ended first)', async () => {
    const sh = await privileged(c10k);
    await sh.send('redundancy reload peer\r', /\[confirm\]/);
    expect(await sh.send('n\r', /#$/)).toContain('% Aborted');
    await sh.send('redundancy force-switchover\r', /\[confirm\]/);
    sh.end();
    await sh.closed;
    const commands = await eventually(
      async () => {
        const c = await client.commands(c10k.id);
        return c.log.filter((l) => l.cancelled).length === 2 && c;
      },
      { what: 'both cancellations logged' },
    );
    expect(commands.counts['redundancy reload peer']).toBeUndefined();
    expect(commands.counts['redundancy force-switchover']).toBeUndefined();
    expect(commands.log.filter((l) => l.cancelled).map((l) => l.line)).toEqual([
      'redundancy reload peer',
      'redundancy force-switchover',
    ]);
    expect((await client.forwarding(c10k.id)).lastSwitchover).toBeNull();
  });

  it('takes a configured loss window and reports it for the next switchover', async () => {
    expect(await client.setForwarding(c10k.id, 1234)).toEqual({ lossWindowMs: 1234 });
    await expect(client.setForwarding(c10k.id, -1)).rejects.toThrow(/400/);
    const sh = await privileged(c10k);
    await sh.send('redundancy force-switchover\r', /\[confirm\]/);
    sh.client.on('error', () => undefined);
    sh.send('\r', /never/).catch(() => undefined); // confirms; the switchover then ends the session
    await sh.closed;
    const fwd = await eventually(
      async () => (await client.forwarding(c10k.id)).lastSwitchover && client.forwarding(c10k.id),
    );
    expect(fwd.lossWindowMs).toBe(1234);
    expect(fwd.lastSwitchover).toMatchObject({ lossMs: 1234, reason: 'user forced' });
    await client.reset(c10k.id);
  });

  it('lists the image catalogue with checksums, and resets a device', async () => {
    const images = (await client.images()).items;
    expect(images.find((i) => i.fileName === 'jinstall-10.3R2.11-domestic-signed.tgz')).toMatchObject({
      version: '10.3R2.11',
      md5: expect.stringMatching(/^[0-9a-f]{32}$/),
    });
    const status = await client.reset(c10k.id);
    expect(status).toMatchObject({ issu: { state: 'Init' } });
    expect((await client.commands(c10k.id)).counts).toEqual({});
  });
});
