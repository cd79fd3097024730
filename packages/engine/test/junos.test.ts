// Junos runs against the lab over real SSH, driven to their end by the engine.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { counts, HAPPY_PATH, JUNOS_DISRUPTIVE, startBed, stepNames, type Bed } from './harness.ts';

const O = '10.1R1.8';
const T = '10.3R2.11';

let bed: Bed;
beforeAll(async () => {
  bed = await startBed(['mx', 'mx', 'mx', 'mx', 'mx', 'mx', 'mx', 'mx', 'mx', 'mx', 'mx', 'mx']);
});
afterAll(async () => bed?.close());

const host = (i: number) => bed.devices[i]!.hostname;
const run = (id: string) => bed.db.deviceRun.findUniqueOrThrow({ where: { id } });
const ISSU = /^request system software in-service-upgrade/;
const res = async (h: string) =>
  (await bed.api.device(h)).routingEngines as { slot: string; state: string; version: string }[];

describe('Junos ISSU end to end', () => {
  it('upgrades in service, reboots the old master onto the new release and gives mastership back to re0', async () => {
    const h = host(0);
    const id = await bed.createRun(h, T);
    await bed.drive(id);
    const r = await run(id);
    expect(r).toMatchObject({ status: 'COMPLETED', fromVersion: O, procedure: 'JUNOS_ISSU' });
    expect(await res(h)).toEqual([
      { slot: 're0', state: 'Master', version: T, pending: null },
      { slot: 're1', state: 'Backup', version: T, pending: null },
    ]);
    expect(await stepNames(bed.db, id)).toEqual(expect.arrayContaining([...HAPPY_PATH.JUNOS_ISSU]));
    expect(await counts(bed, h, JUNOS_DISRUPTIVE)).toEqual({
      'request system software in-service-upgrade /var/tmp/jinstall-10.3R2.11-domestic-signed.tgz': 1,
      'request system reboot other-routing-engine': 1,
      'request chassis routing-engine master switch': 1,
    });
    const upgrade = await bed.db.runStep.findFirstOrThrow({ where: { runId: id, name: 'in-service upgrade' } });
    expect(upgrade.transcript).toContain('ISSU: Preparing for Switchover');
  });

  it('leaves the old master on the old release when asked not to reboot it', async () => {
    const h = host(1);
    const id = await bed.createRun(h, T, { rebootOldMaster: false });
    await bed.drive(id);
    const r = await run(id);
    expect(r.status).toBe('COMPLETED');
    expect(r.summary).toMatch(/stays on 10.1R1.8/);
    expect((await res(h)).map((x) => [x.state, x.version])).toEqual([
      ['Backup', O],
      ['Master', T],
    ]);
  });

  it('post-check failure: mastership goes back to the old release, the upgraded RE is rolled back, ROLLED_BACK', async () => {
    const h = host(2);
    await bed.api.setFaults(h, ['post-check-failure']);
    const id = await bed.createRun(h, T);
    await bed.drive(id);
    const r = await run(id);
    expect(r.status).toBe('ROLLED_BACK');
    expect(await res(h)).toEqual([
      { slot: 're0', state: 'Master', version: O, pending: null },
      { slot: 're1', state: 'Backup', version: O, pending: null },
    ]);
  });

  it('image corrupt: refused by the checksum pre-check before the upgrade is started', async () => {
    const h = host(3);
    await bed.api.setFaults(h, ['image-corrupt']);
    const id = await bed.createRun(h, T);
    await bed.drive(id);
    expect(await run(id)).toMatchObject({ status: 'REFUSED', summary: expect.stringMatching(/checksum/) });
    expect(await counts(bed, h, /^request system software in-service-upgrade/)).toEqual({});
  });

  it('disk full: refused by the package and storage pre-checks, nothing started', async () => {
    const h = host(4);
    await bed.api.setFaults(h, ['disk-full']);
    const id = await bed.createRun(h, T);
    await bed.drive(id);
    expect((await run(id)).status).toBe('REFUSED');
    const pre = await bed.db.runStep.findFirstOrThrow({ where: { runId: id, name: 'pre-checks' } });
    const failed = (pre.evidence as { results: { rule: string; verdict: string }[] }).results
      .filter((c) => c.verdict === 'fail')
      .map((c) => c.rule);
    expect(failed).toEqual(['package', 'storage']);
    expect(await counts(bed, h, ISSU)).toEqual({});
  });

  it('incompatible: the device refuses the upgrade at its compatibility check; the run ends REFUSED, both REs untouched', async () => {
    const h = host(5);
    await bed.api.setFaults(h, ['incompatible']);
    const id = await bed.createRun(h, T);
    await bed.drive(id);
    const r = await run(id);
    expect(r.status).toBe('REFUSED');
    expect(r.summary).toMatch(/incompatible/);
    expect((await res(h)).map((x) => x.version)).toEqual([O, O]);
  });

  it('standby never comes back: the device aborts the upgrade, the run ends ABORTED with both REs on the old release', async () => {
    const h = host(6);
    await bed.api.setFaults(h, ['standby-never-hot']);
    const id = await bed.createRun(h, T);
    await bed.drive(id);
    const r = await run(id);
    expect(r.status).toBe('ABORTED');
    expect(r.summary).toMatch(/did not come back|ISSU Aborted/);
    expect((await res(h)).map((x) => [x.state, x.version])).toEqual([
      ['Master', O],
      ['Backup', O],
    ]);
    expect(await counts(bed, h, /^request (system reboot|chassis routing-engine master switch)/)).toEqual({});
  });

  it('session drop during the in-service upgrade: the run follows the device to its end, the upgrade started once', async () => {
    const h = host(7);
    await bed.api.setFaults(h, ['session-drop-after-runversion']);
    const id = await bed.createRun(h, T);
    await bed.drive(id);
    expect((await run(id)).status).toBe('COMPLETED');
    expect((await res(h)).map((x) => x.version)).toEqual([T, T]);
    expect(Object.values(await counts(bed, h, ISSU))).toEqual([1]);
  });

  it('slow backup boot: the run waits it out and completes', async () => {
    const h = host(8);
    await bed.api.setFaults(h, ['slow-standby-boot']);
    const id = await bed.createRun(h, T);
    await bed.drive(id);
    expect((await run(id)).status).toBe('COMPLETED');
    expect((await res(h)).map((x) => x.version)).toEqual([T, T]);
  });
});

describe('Junos with an operator accept', () => {
  const MASTER_SWITCH = 'request chassis routing-engine master switch';

  it('waits after post-checks on the new master, before the old master leaves the old release; Accept goes on', async () => {
    const h = host(9);
    const id = await bed.createRun(h, T, { acceptMode: 'MANUAL' });
    const driving = bed.drive(id);
    await bed.status(id, 'WAITING_ACCEPT');
    const waiting = await run(id);
    expect(waiting.currentStep).toBe('operator accept');
    // The point of no return is still ahead: re0 on the old release, re1 master on the new.
    expect((await res(h)).map((x) => [x.state, x.version])).toEqual([
      ['Backup', O],
      ['Master', T],
    ]);
    expect(await counts(bed, h, /^request system reboot/)).toEqual({});
    await bed.db.deviceRun.update({ where: { id }, data: { acceptRequestedAt: new Date() } });
    await driving;
    expect((await run(id)).status).toBe('COMPLETED');
    expect((await res(h)).map((x) => [x.state, x.version])).toEqual([
      ['Master', T],
      ['Backup', T],
    ]);
    expect(Object.values(await counts(bed, h, JUNOS_DISRUPTIVE))).toEqual([1, 1, 1]);
  });

  it('Abort while waiting switches mastership back, rolls the upgraded RE back: both REs on the old release, ROLLED_BACK', async () => {
    const h = host(10);
    const id = await bed.createRun(h, T, { acceptMode: 'MANUAL' });
    const driving = bed.drive(id);
    await bed.status(id, 'WAITING_ACCEPT');
    await bed.db.deviceRun.update({ where: { id }, data: { abortRequestedAt: new Date() } });
    await driving;
    const r = await run(id);
    expect(r.status, r.summary ?? '').toBe('ROLLED_BACK');
    expect(r.summary).toBe(`rolled back (operator): both REs on ${O}`);
    expect(await res(h)).toEqual([
      { slot: 're0', state: 'Master', version: O, pending: null },
      { slot: 're1', state: 'Backup', version: O, pending: null },
    ]);
    expect(await counts(bed, h, /^request/)).toEqual({
      [`request system software in-service-upgrade /var/tmp/jinstall-${T}-domestic-signed.tgz`]: 1,
      [MASTER_SWITCH]: 1,
      'request system software rollback other-routing-engine': 1,
      'request system reboot other-routing-engine': 1,
      'request system software rollback': 1,
    });
    const wait = await bed.db.runStep.findFirstOrThrow({ where: { runId: id, name: 'operator accept' } });
    expect(wait).toMatchObject({
      status: 'FAILED',
      outcome: expect.stringMatching(/^not accepted after [\d.]+ s; then: give mastership back to re0/),
    });
    const steps = await stepNames(bed.db, id);
    expect(steps).toEqual(
      expect.arrayContaining([
        'operator accept',
        'recovery: switch back',
        'recovery: roll back',
        'recovery: reboot',
        'recovery: clear pending package',
      ]),
    );
    expect(steps).not.toContain('reboot old master');
  });

  it('fails, saying what it expected and what it saw, when the device is reset after the switchover', async () => {
    const h = host(11);
    const id = await bed.createRun(h, T);
    await bed.drive(id, {}, async (step) => {
      if (step === 'post-checks') await bed.api.reset(h);
    });
    const r = await run(id);
    expect(r.status, r.summary ?? '').toBe('FAILED');
    expect(r.summary).toMatch(
      /^the device contradicts this run: expected mastership on the upgraded RE running 10.3R2.11, but it shows both REs on 10.1R1.8/,
    );
  });
});
