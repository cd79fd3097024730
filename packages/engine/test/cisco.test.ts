// Cisco runs against the lab over real SSH, driven to their end by the engine.
import { eventStreamKey } from '@hitless/messaging';
import { eventually } from '@hitless/testkit/poll';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CISCO_DISRUPTIVE, counts, HAPPY_PATH, startBed, stepNames, type Bed } from './harness.ts';
import type { Prisma } from '@hitless/db';

const SB8 = '12.2(33)SB8';
const SB9 = '12.2(33)SB9';
const DISRUPTIVE = CISCO_DISRUPTIVE;

let bed: Bed;
beforeAll(async () => {
  bed = await startBed([
    'c10k',
    'c10k',
    'c10k',
    'c10k',
    'c10k',
    'c10k',
    'asr1000',
    'cat4500',
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
  ]);
});
afterAll(async () => bed?.close());

const device = (i: number) => bed.devices[i]!.hostname;
const run = (id: string) => bed.db.deviceRun.findUniqueOrThrow({ where: { id } });
const rps = async (hostname: string) =>
  ((await bed.api.device(hostname)).routeProcessors as { version: string; state: string }[]).map((r) => r.version);

describe('Cisco ISSU end to end', () => {
  it('upgrades a 10000 through every step, each disruptive command sent once, and says so from the device', async () => {
    const host = device(0);
    const id = await bed.createRun(host, SB9, { rollbackTimerSeconds: 7200 });
    await bed.drive(id);
    const r = await run(id);
    expect(r).toMatchObject({ status: 'COMPLETED', fromVersion: SB8, procedure: 'CISCO_ISSU' });
    expect(await rps(host)).toEqual([SB9, SB9]);
    expect(await stepNames(bed.db, id)).toEqual(expect.arrayContaining([...HAPPY_PATH.CISCO_ISSU]));
    const sent = await counts(bed, host, DISRUPTIVE);
    expect(Object.values(sent)).toEqual([1, 1, 1, 1]);
    expect(Object.keys(sent).map((l) => l.split(' ')[1])).toEqual([
      'loadversion',
      'runversion',
      'acceptversion',
      'commitversion',
    ]);
    const dev = await bed.db.device.findUniqueOrThrow({ where: { hostname: host } });
    expect(dev.currentVersion).toBe(SB9);
    // Every step is stored with its transcript; no secret is in any of them.
    const steps = await bed.db.runStep.findMany({ where: { runId: id } });
    expect(steps.every((s) => s.status === 'SUCCEEDED' && s.endedAt)).toBe(true);
    expect(steps.find((s) => s.name === 'loadversion')!.transcript).toContain(
      'issu loadversion A disk0:c10k3-p11-mz.122-33.SB9.bin B stby-disk0:c10k3-p11-mz.122-33.SB9.bin',
    );
    const all = steps.map((s) => s.transcript).join('\n');
    expect(all).not.toContain('lab-enable-pw');
    expect(all).not.toContain('lab-admin-pw');
    expect(r.rollbackDeadline).toBeNull();
    // Each step went out live as it started and ended, and the run's status with it.
    const events = (await bed.redis.xrange(eventStreamKey(bed.prefix), '-', '+'))
      .map(
        ([, f]) =>
          JSON.parse(f[1]!) as {
            type: string;
            payload: { runId?: string; run?: { id: string; status: string }; step?: { id: string; status: string } };
          },
      )
      .filter((e) => e.payload.runId === id || e.payload.run?.id === id);
    for (const step of steps)
      expect(
        events
          .filter((e) => e.type === 'step.updated' && e.payload.step?.id === step.id)
          .map((e) => e.payload.step!.status),
      ).toEqual(['RUNNING', 'SUCCEEDED']);
    expect(events.filter((e) => e.type === 'run.updated').at(-1)?.payload.run?.status).toBe('COMPLETED');
    expect(events.some((e) => e.type === 'step.output')).toBe(true);
  });

  it('upgrades an ASR 1000 (IOS-XE text blocks, bootflash)', async () => {
    const host = device(6);
    const id = await bed.createRun(host, '03.16.06.S', { rollbackTimerSeconds: 7200 });
    await bed.drive(id);
    expect((await run(id)).status).toBe('COMPLETED');
    expect(await rps(host)).toEqual(['03.16.06.S', '03.16.06.S']);
  });

  it('waits for an operator in MANUAL mode with the device’s rollback deadline, then completes once accepted', async () => {
    const host = device(1);
    const id = await bed.createRun(host, SB9, { acceptMode: 'MANUAL', rollbackTimerSeconds: 7200 });
    const driving = bed.drive(id);
    const waiting = await eventually(async () => (await run(id)).status === 'WAITING_ACCEPT' && run(id), {
      timeoutMs: 20_000,
      what: 'waiting for acceptance',
    });
    // 7200 s at time scale 600: about 12 s from the switchover.
    const left = waiting.rollbackDeadline!.getTime() - Date.now();
    expect(left).toBeGreaterThan(5_000);
    expect(left).toBeLessThan(12_500);
    await bed.db.deviceRun.update({ where: { id }, data: { acceptRequestedAt: new Date() } });
    await driving;
    expect((await run(id)).status).toBe('COMPLETED');
  });

  it('refuses an incompatible pair, and upgrades it by FSU (disruptively) only when allowed', async () => {
    const host = device(7);
    const refused = await bed.createRun(host, '03.06.04.E');
    await bed.drive(refused);
    const r = await run(refused);
    expect(r.status).toBe('REFUSED');
    expect(r.summary).toMatch(/Compatibility matrix|ISSU barrier/);
    expect(await counts(bed, host, DISRUPTIVE)).toEqual({});
    const fsu = await bed.createRun(host, '03.06.04.E', { allowDisruptive: true });
    await bed.drive(fsu);
    const done = await run(fsu);
    expect(done).toMatchObject({ status: 'COMPLETED', procedure: 'CISCO_FSU' });
    expect(await rps(host)).toEqual(['03.06.04.E', '03.06.04.E']);
    const fwd = await bed.api.forwarding(host);
    expect(fwd.lastSwitchover!.lossMs).toBeGreaterThan(30_000);
  });
});

describe('Cisco faults end to end', () => {
  it('standby never hot: the run aborts and both RPs are back on the original image', async () => {
    const host = device(2);
    await bed.api.setFaults(host, ['standby-never-hot']);
    const id = await bed.createRun(host, SB9);
    await bed.drive(id);
    const r = await run(id);
    expect(r.status).toBe('ABORTED');
    expect(r.summary).toMatch(/standby never reached STANDBY HOT/);
    expect(await rps(host)).toEqual([SB8, SB8]);
    expect(await counts(bed, host, /^issu runversion/)).toEqual({});
  });

  it('image corrupt: refused by the checksum pre-check, before any change', async () => {
    const host = device(3);
    await bed.api.setFaults(host, ['image-corrupt']);
    const id = await bed.createRun(host, SB9);
    await bed.drive(id);
    const r = await run(id);
    expect(r.status).toBe('REFUSED');
    expect(r.summary).toMatch(/does not match the registered checksum/);
    expect(await counts(bed, host, DISRUPTIVE)).toEqual({});
  });

  it('post-check failure: abortversion switches back, the run ends ROLLED_BACK with the evidence', async () => {
    const host = device(4);
    await bed.api.setFaults(host, ['post-check-failure']);
    const id = await bed.createRun(host, SB9, { rollbackTimerSeconds: 7200 });
    await bed.drive(id);
    const r = await run(id);
    expect(r.status).toBe('ROLLED_BACK');
    expect(r.summary).toBe(`rolled back: post-checks failed; the device runs ${SB8} again`);
    const post = await bed.db.runStep.findFirstOrThrow({ where: { runId: id, name: 'post-checks' } });
    expect(post.status).toBe('FAILED');
    expect(post.outcome).toMatch(/sessions lost after the switchover|down after the switchover/);
    expect(await rps(host)).toEqual([SB8, SB8]);
    expect(await counts(bed, host, /^issu (acceptversion|commitversion)/)).toEqual({});
  });

  it('unreachable after runversion: the device rolls itself back when its timer fires, and the run says so', async () => {
    const host = device(5);
    await bed.api.setFaults(host, ['unreachable-until-rollback']);
    const id = await bed.createRun(host, SB9);
    await bed.drive(id);
    const r = await run(id);
    expect(r.status).toBe('ROLLED_BACK');
    expect(r.summary).toMatch(/rolled itself back: its rollback timer expired/);
    expect(r.summary).toContain(`the device runs ${SB8} again`);
    expect(await rps(host)).toEqual([SB8, SB8]);
    const reconnect = await bed.db.runStep.findFirstOrThrow({ where: { runId: id, name: 'reconnect' } });
    expect(reconnect.transcript).toMatch(/attempt 1:/);
  });

  it('an operator abort while waiting for acceptance switches back and ends ROLLED_BACK', async () => {
    const host = device(8);
    const id = await bed.createRun(host, SB9, { acceptMode: 'MANUAL', rollbackTimerSeconds: 7200 });
    const driving = bed.drive(id);
    await eventually(async () => (await run(id)).status === 'WAITING_ACCEPT', {
      timeoutMs: 20_000,
      what: 'waiting for acceptance',
    });
    await bed.db.deviceRun.update({ where: { id }, data: { abortRequestedAt: new Date() } });
    await driving;
    expect((await run(id)).status).toBe('ROLLED_BACK');
    expect(await rps(host)).toEqual([SB8, SB8]);
  });

  it('disk full: refused by the image pre-check, which names the free space, before any change', async () => {
    const host = device(9);
    await bed.api.setFaults(host, ['disk-full']);
    const id = await bed.createRun(host, SB9);
    await bed.drive(id);
    const r = await run(id);
    expect(r.status).toBe('REFUSED');
    const pre = await bed.db.runStep.findFirstOrThrow({ where: { runId: id, name: 'pre-checks' } });
    const failed = (pre.evidence as { results: { rule: string; verdict: string; detail: string }[] }).results.filter(
      (c) => c.verdict === 'fail',
    );
    expect(failed.map((c) => c.rule)).toEqual(['image-standby']);
    expect(failed[0]!.detail).toMatch(/missing and the disk has \d+ bytes free, less than the image's \d+/);
    expect(await counts(bed, host, DISRUPTIVE)).toEqual({});
  });

  it('session drop right after runversion: the run reconnects to the new active and completes, runversion sent once', async () => {
    const host = device(10);
    await bed.api.setFaults(host, ['session-drop-after-runversion']);
    const id = await bed.createRun(host, SB9, { rollbackTimerSeconds: 7200 });
    await bed.drive(id);
    expect((await run(id)).status).toBe('COMPLETED');
    expect(await rps(host)).toEqual([SB9, SB9]);
    expect(Object.values(await counts(bed, host, DISRUPTIVE))).toEqual([1, 1, 1, 1]);
  });

  it('slow standby boot: the run waits the longer reloads out and completes', async () => {
    const host = device(11);
    await bed.api.setFaults(host, ['slow-standby-boot']);
    const id = await bed.createRun(host, SB9, { rollbackTimerSeconds: 7200 });
    await bed.drive(id);
    expect((await run(id)).status).toBe('COMPLETED');
    expect(await rps(host)).toEqual([SB9, SB9]);
  });

  it('keeps reconnecting until the device has rolled itself back, even past the reconnect timeout', async () => {
    const host = device(12);
    await bed.api.setFaults(host, ['unreachable-until-rollback']);
    // 7200 s at scale 600 is 12 s of silence; the reconnect timeout alone would give up after 3 s.
    const id = await bed.createRun(host, SB9, { rollbackTimerSeconds: 7200 });
    await bed.drive(id, { reconnectTimeoutMs: 3000 });
    const r = await run(id);
    expect(r.status, r.summary ?? '').toBe('ROLLED_BACK');
    expect(await rps(host)).toEqual([SB8, SB8]);
  });
});

describe('one run, one driver', () => {
  it('two jobs for one run in one worker process: one drives, the other leaves it, each command sent once', async () => {
    const host = device(13);
    const id = await bed.createRun(host, SB9, { rollbackTimerSeconds: 7200 });
    await Promise.all([bed.drive(id), bed.drive(id)]);
    expect((await run(id)).status).toBe('COMPLETED');
    expect(Object.values(await counts(bed, host, DISRUPTIVE))).toEqual([1, 1, 1, 1]);
    // One driver's steps only: pre-checks ran once, nothing was cut short by a second driver.
    const steps = await bed.db.runStep.findMany({ where: { runId: id }, orderBy: { seq: 'asc' } });
    expect(steps.filter((s) => s.name === 'pre-checks')).toHaveLength(1);
    expect(steps.filter((s) => s.status !== 'SUCCEEDED')).toEqual([]);
  });
});

describe('the device has the last word', () => {
  it("refuses in the pre-checks when the device's own matrix says incompatible though the inventory's says compatible", async () => {
    const host = device(14);
    await bed.api.setFaults(host, ['incompatible']);
    const id = await bed.createRun(host, SB9);
    await bed.drive(id);
    const r = await run(id);
    expect(r.status, r.summary ?? '').toBe('REFUSED');
    expect(r.summary).toMatch(
      /The device's own compatibility matrix: the device says 12.2\(33\)SB9 is incompatible \(Incomp\).*though the inventory's matrix says C/,
    );
    expect(await counts(bed, host, DISRUPTIVE)).toEqual({});
  });

  it('ends REFUSED quoting the device when it refuses loadversion before anything changed', async () => {
    const host = device(15);
    const id = await bed.createRun(host, SB9);
    // The device changes its mind between the pre-checks and loadversion.
    await bed.drive(id, {}, async (step) => {
      if (step === 'pre-checks') await bed.api.setFaults(host, ['incompatible']);
    });
    const r = await run(id);
    expect(r.status, r.summary ?? '').toBe('REFUSED');
    expect(r.summary).toMatch(
      /^the device refused issu loadversion: % The running image and c10k3-p11-mz.122-33.SB9.bin are incompatible/,
    );
    expect(Object.keys(await counts(bed, host, DISRUPTIVE)).map((l) => l.split(' ')[1])).toEqual(['loadversion']);
    expect(await rps(host)).toEqual([SB8, SB8]);
  });

  it('fails, saying what it expected and what it saw, when the device is reset after commitversion', async () => {
    const host = device(16);
    const id = await bed.createRun(host, SB9, { rollbackTimerSeconds: 7200 });
    await bed.drive(id, {}, async (step) => {
      if (step === 'commitversion') await bed.api.reset(host);
    });
    const r = await run(id);
    expect(r.status, r.summary ?? '').toBe('FAILED');
    expect(r.summary).toBe(
      'the device contradicts this run: expected the other RP reloading on the new image after commitversion, but it shows ISSU Init with both RPs on c10k3-p11-mz.122-33.SB8.bin (reloaded, reset or changed outside this run); nothing more was sent',
    );
    expect(r.summary).not.toMatch(/rolled itself back/);
  });

  it('a loadversion recorded as sent but never seen on the device waits the settle window, then goes once', async () => {
    const host = device(17);
    const id = await bed.createRun(host, SB9, { rollbackTimerSeconds: 7200 });
    // The first driver stops right after its pre-checks…
    await expect(
      bed.drive(id, {}, (step) => {
        if (step === 'pre-checks') throw new Error('the worker stops here');
      }),
    ).rejects.toThrow('the worker stops here');
    // …as if it had written loadversion's checkpoint and died before the command left.
    const row = await run(id);
    const context = row.context as { checkpoints: Record<string, unknown> };
    const sentAt = new Date().toISOString();
    context.checkpoints = { ...context.checkpoints, loadversionAt: sentAt, sends: { loadversionAt: 1 } };
    await bed.db.deviceRun.update({ where: { id }, data: { context: context as Prisma.InputJsonObject } });
    await bed.drive(id);
    const r = await run(id);
    expect(r.status, r.summary ?? '').toBe('COMPLETED');
    const settle = await bed.db.runStep.findFirstOrThrow({ where: { runId: id, name: 'settle' } });
    expect(settle.transcript).toMatch(/loadversion was sent \d+ s ago; waiting for the device to show its effect/);
    expect(Object.values(await counts(bed, host, /^issu loadversion/))).toEqual([1]);
  });
});
