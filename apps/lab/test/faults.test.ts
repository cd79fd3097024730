// Every lab fault, injected through the lab API and observed over real SSH. Time scale 600:
// a 6-minute standby reload takes 0.6 s, the 45-minute rollback timer 4.5 s.
import { LAB_IMAGES, type FaultName } from '@hitless/sim';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LabClient } from '../src/client.ts';
import type { Lab, LabDeviceInfo } from '../src/lab.ts';
import { eventually } from '@hitless/testkit/poll';
import { connect, labOf, privileged } from './helpers.ts';

const SB8 = 'c10k3-p11-mz.122-33.SB8.bin';
const SB9 = 'c10k3-p11-mz.122-33.SB9.bin';
const LOAD = `issu loadversion a disk0:${SB9} b stby-disk0:${SB9}`;
const RUN = `issu runversion b stby-disk0:${SB9}`;

let lab: Lab;
let api: LabClient;
let devices: LabDeviceInfo[];
let next = 0;

beforeAll(async () => {
  lab = await labOf([
    'c10k',
    'c10k',
    'c10k',
    'c10k',
    'c10k',
    'c10k',
    'c10k',
    'c10k',
    'c10k',
    'c10k',
    'c10k',
    'mx',
    'mx',
  ]);
  api = new LabClient(lab.apiUrl!, lab.apiToken);
  devices = lab.info();
});
afterAll(async () => lab.stop());

/** A fresh Cisco device with `faults` injected through the API. */
async function cisco(faults: FaultName[]): Promise<LabDeviceInfo> {
  const d = devices.filter((x) => x.vendor === 'CISCO_IOS')[next++]!;
  await api.setFaults(d.id, faults);
  return d;
}

const peerState = async (d: LabDeviceInfo) => {
  const sh = await privileged(d);
  const out = await sh.run('show redundancy states');
  sh.end();
  return /peer state = \d+\s+-(.*)/.exec(out)![1]!.trim();
};

/** A Cisco device with the unreachable fault, taken through loadversion and runversion. */
async function unreachableAfterRunversion(): Promise<LabDeviceInfo> {
  const d = await cisco(['unreachable-until-rollback']);
  const sh = await privileged(d);
  await sh.run(LOAD);
  await eventually(async () => (await peerState(d)) === 'STANDBY HOT', {
    timeoutMs: 5000,
    what: 'standby hot on the new image',
  });
  await sh.send(`${RUN}\r`, /\[confirm\]$/);
  await sh.send('\r', /executed successfully/);
  await sh.closed;
  return d;
}

describe('lab faults over SSH', () => {
  it('standby-never-hot: the standby on the new image stays STANDBY COLD', async () => {
    const d = await cisco(['standby-never-hot']);
    const sh = await privileged(d);
    expect(await sh.run(LOAD)).toContain('executed successfully');
    sh.end();
    // A healthy standby is hot after 0.6 s; this one reaches COLD and stays there.
    await eventually(async () => (await peerState(d)) === 'STANDBY COLD', { timeoutMs: 5000, what: 'standby cold' });
    const normal = await cisco([]);
    const load = await privileged(normal);
    await load.run(LOAD);
    load.end();
    await eventually(async () => (await peerState(normal)) === 'STANDBY HOT', {
      timeoutMs: 5000,
      what: 'a healthy standby hot',
    });
    expect(await peerState(d)).toBe('STANDBY COLD');
    const again = await privileged(d);
    expect(await again.send(`${RUN}\r`, /#$/)).toContain('not in STANDBY HOT');
    again.end();
  });

  it('image-corrupt: the checksum differs from the catalogue and loadversion refuses', async () => {
    const d = await cisco(['image-corrupt']);
    const sh = await privileged(d);
    const md5 = /= ([0-9a-f]{32})/.exec(await sh.run(`verify /md5 stby-disk0:${SB9}`))![1];
    expect(md5).not.toBe(LAB_IMAGES.find((i) => i.fileName === SB9)!.md5);
    expect(await sh.run(LOAD)).toMatch(/signature verification failed/);
    expect(await sh.run('show issu state')).toMatch(/ISSU State = Init/);
    sh.end();
  });

  it('incompatible: the stored matrix says Incomp and loadversion refuses', async () => {
    const d = await cisco(['incompatible']);
    const sh = await privileged(d);
    expect(await sh.run('show issu comp-matrix stored')).toMatch(/12\.2\(33\)SB9\s+Incomp\(1\)/);
    expect(await sh.run(LOAD)).toMatch(/incompatible/);
    sh.end();
  });

  it('disk-full: the standby disk has no room and no image', async () => {
    const d = await cisco(['disk-full']);
    const sh = await privileged(d);
    const dir = await sh.run('dir stby-disk0:');
    expect(dir).not.toContain(SB9);
    const free = Number(/\((\d+) bytes free\)/.exec(dir)![1]);
    expect(free).toBeLessThan(2 * 1024 * 1024);
    expect(await sh.run(LOAD)).toMatch(/stby-disk0:.*No such file/);
    sh.end();
  });

  it('session-drop-after-runversion: the session dies without a word, and the switchover still happens', async () => {
    const d = await cisco(['session-drop-after-runversion']);
    const sh = await privileged(d);
    await sh.run(LOAD);
    await eventually(async () => (await peerState(d)) === 'STANDBY HOT', {
      timeoutMs: 5000,
      what: 'standby hot on the new image',
    });
    await sh.send(`${RUN}\r`, /\[confirm\]$/);
    const before = await sh.send('\r', /\n/);
    await sh.closed;
    expect(before).not.toContain('executed successfully');
    const status = await eventually(
      async () => {
        const s = await api.device(d.id);
        return (s.issu as { state: string }).state === 'Run Version' && s;
      },
      { timeoutMs: 3000, what: 'Run Version' },
    );
    expect(status.activeSlot).toBe('B');
  });

  it('post-check-failure: after the switchover a BGP neighbour is Idle and an interface is down', async () => {
    const d = await cisco(['post-check-failure']);
    const sh = await privileged(d);
    await sh.run('issu set rollback-timer 3600');
    await sh.run(LOAD);
    await eventually(async () => (await peerState(d)) === 'STANDBY HOT', {
      timeoutMs: 5000,
      what: 'standby hot on the new image',
    });
    await sh.send(`${RUN}\r`, /\[confirm\]$/);
    await sh.send('\r', /executed successfully/);
    await sh.closed;
    const after = await eventually(() => privileged(d), { timeoutMs: 5000, what: 'reconnect after switchover' });
    expect(await after.run('show ip bgp summary')).toMatch(/Idle/);
    expect(await after.run('show ip interface brief')).toMatch(
      /GigabitEthernet1\/0\/1\s+\S+\s+YES NVRAM\s+down\s+down/,
    );
    after.end();
  });

  it('unreachable-until-rollback: no SSH after runversion until the rollback timer rolls the device back', async () => {
    const d = await unreachableAfterRunversion();
    const t0 = Date.now();
    // No answer at all, as from a box that is down: the client's own timeout ends the attempt.
    await expect(connect(d, { readyTimeoutMs: 1000 })).rejects.toThrow(/Timed out while waiting for handshake/);
    // The lab lets go of a connection whose client gave up.
    await eventually(async () => lab.endpoints.get(d.id)!.waiting() === 0, {
      timeoutMs: 2000,
      what: 'the abandoned connection released',
    });
    const back = await eventually(() => privileged(d), { timeoutMs: 10_000, what: 'reachable again' });
    // 45:00 at scale 600 is 4.5 s, counted from runversion.
    expect(Date.now() - t0).toBeGreaterThan(2500);
    const state = await back.run('show issu state detail');
    expect(state).toContain('ISSU State = Init');
    expect(state).toContain(`Current Version = disk0:${SB8}`);
    back.end();
  });

  it('unreachable-until-rollback: a reset brings the device back and frees whoever was waiting on it', async () => {
    const d = await unreachableAfterRunversion();
    const waiting = connect(d, { readyTimeoutMs: 20_000 }).then(
      (c) => c.end(),
      (e: Error) => e,
    );
    await eventually(async () => lab.endpoints.get(d.id)!.waiting() === 1, {
      timeoutMs: 2000,
      what: 'a connection held unanswered',
    });
    const t0 = Date.now();
    await api.reset(d.id);
    expect(await waiting).toBeInstanceOf(Error);
    expect(Date.now() - t0).toBeLessThan(2000);
    expect(lab.endpoints.get(d.id)!.waiting()).toBe(0);
    const back = await privileged(d);
    expect(await back.run('show issu state')).toContain('ISSU State = Init');
    back.end();
  });

  it('slow-standby-boot: the standby is still booting when a normal one would be hot', async () => {
    const d = await cisco(['slow-standby-boot']);
    const sh = await privileged(d);
    await sh.run(LOAD);
    sh.end();
    const normal = await cisco([]);
    const load = await privileged(normal);
    await load.run(LOAD);
    load.end();
    await eventually(async () => (await peerState(normal)) === 'STANDBY HOT', {
      timeoutMs: 5000,
      what: 'a healthy standby hot',
    });
    expect(await peerState(d)).not.toBe('STANDBY HOT');
    await eventually(async () => (await peerState(d)) === 'STANDBY HOT', { timeoutMs: 5000, what: 'standby hot' });
  });

  it('Junos: the image-corrupt fault stops the in-service upgrade at validation', async () => {
    const mx = devices.find((x) => x.vendor === 'JUNOS')!;
    await api.setFaults(mx.id, ['image-corrupt']);
    const sh = await privileged(mx);
    const out = await sh.send(
      'request system software in-service-upgrade /var/tmp/jinstall-10.3R2.11-domestic-signed.tgz\r',
      /ISSU Aborted!/,
    );
    expect(out).toMatch(/ISSU: Validating Image[\s\S]*signature verification failed/);
    expect(out).not.toContain('Rebooting');
    sh.end();
  });

  it('Junos: the session-drop fault cuts the session as the upgrade starts; the upgrade carries on', async () => {
    const mx = devices.filter((x) => x.vendor === 'JUNOS')[1]!;
    await api.setFaults(mx.id, ['session-drop-after-runversion']);
    const sh = await privileged(mx);
    sh.send(
      'request system software in-service-upgrade /var/tmp/jinstall-10.3R2.11-domestic-signed.tgz\r',
      /never/,
    ).catch(() => undefined);
    await sh.closed;
    await eventually(
      async () => ((await api.device(mx.id)).issu as { result: string } | null)?.result === 'switched-over',
      { timeoutMs: 15_000, what: 'ISSU finished on the device' },
    );
  });
});
