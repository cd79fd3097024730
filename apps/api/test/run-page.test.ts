// What the run page reads from GET /runs/:id: a run keeps only its own procedure's options, the
// operators' accepts and aborts come with who, when and their audited comment, and a failed
// checksum pre-check carries the expected and the actual digest. No worker: runs stay QUEUED.
import { ciscoPrechecks, type CiscoPrecheckInput } from '@hitless/core';
import { describe, expect, it } from 'vitest';
import { fileHarness } from './harness.ts';

const t = fileHarness({ lab: ['c10k', 'mx', 'asr1000'] });

const image = (version: string) =>
  t.h.database.db.softwareImage.findFirstOrThrow({ where: { version } }).then((i) => i.id);
const stored = async (id: string) =>
  (await t.h.database.db.deviceRun.findUniqueOrThrow({ where: { id }, select: { options: true } })).options;
/** Ends a run so the next test can start another on the same device. */
const finish = (id: string) =>
  t.h.database.db.deviceRun.update({ where: { id }, data: { status: 'COMPLETED', endedAt: new Date() } });

describe('run options per procedure', () => {
  it('a Cisco run stores and answers only the rollback timer, never the Junos reboot choices', async () => {
    const res = await t.op.post('/api/v1/runs', {
      deviceId: t.ids['c10k']!,
      imageId: await image('12.2(33)SB9'),
      options: { rollbackTimerSeconds: 3600, rebootOldMaster: false, restoreMastership: true },
    });
    expect(res.statusCode, res.body).toBe(201);
    const run = res.json();
    expect(run.procedure).toBe('CISCO_ISSU');
    expect(await stored(run.id)).toEqual({ rollbackTimerSeconds: 3600 });
    expect(run.options).toEqual({ rollbackTimerSeconds: 3600 });
    await finish(run.id);

    // Without options the request's defaults (Junos's) are not stored either.
    const bare = (
      await t.op.post('/api/v1/runs', { deviceId: t.ids['c10k']!, imageId: await image('12.2(33)SB9') })
    ).json();
    expect(await stored(bare.id)).toEqual({});
    expect((await t.viewer.get(`/api/v1/runs/${bare.id}`)).json().options).toEqual({});
    await finish(bare.id);
  });

  it('an older Cisco run stored with Junos options is answered without them', async () => {
    const res = await t.op.post('/api/v1/runs', { deviceId: t.ids['c10k']!, imageId: await image('12.2(33)SB9') });
    const { id } = res.json();
    await t.h.database.db.deviceRun.update({
      where: { id },
      data: { options: { rebootOldMaster: true, restoreMastership: true, rollbackTimerSeconds: 600 } },
    });
    expect((await t.viewer.get(`/api/v1/runs/${id}`)).json().options).toEqual({ rollbackTimerSeconds: 600 });
    expect((await t.viewer.get(`/api/v1/runs?deviceId=${t.ids['c10k']}`)).json().items[0].options).toEqual({
      rollbackTimerSeconds: 600,
    });
    await finish(id);
  });

  it('a Junos run stores its reboot choices, and a rollback timer (Cisco only) is refused on its field', async () => {
    const timer = await t.op.post('/api/v1/runs', {
      deviceId: t.ids['MX480']!,
      imageId: await image('10.3R2.11'),
      options: { rollbackTimerSeconds: 3600 },
    });
    expect(timer.statusCode, timer.body).toBe(400);
    expect(timer.json().issues).toEqual([
      {
        path: 'options.rollbackTimerSeconds',
        message: expect.stringMatching(/Junos, which has no ISSU rollback timer/),
      },
    ]);
    expect(await t.h.database.db.deviceRun.count({ where: { deviceId: t.ids['MX480']! } })).toBe(0);

    const res = await t.op.post('/api/v1/runs', {
      deviceId: t.ids['MX480']!,
      imageId: await image('10.3R2.11'),
      options: { rebootOldMaster: false },
    });
    expect(res.statusCode, res.body).toBe(201);
    const run = res.json();
    expect(await stored(run.id)).toEqual({ rebootOldMaster: false, restoreMastership: true });
    expect(run.options).toEqual({ rebootOldMaster: false, restoreMastership: true });
    const audit = await t.h.database.db.auditEvent.findFirstOrThrow({
      where: { action: 'run.created', targetId: run.id },
    });
    expect(audit.details).toMatchObject({ options: { rebootOldMaster: false, restoreMastership: true } });
  });
});

describe('how a run ended', () => {
  it('names the release the device runs after the run, and when the run ended', async () => {
    const { id } = (
      await t.op.post('/api/v1/runs', { deviceId: t.ids['c10k']!, imageId: await image('12.2(33)SB9') })
    ).json() as { id: string };
    const read = async () => (await t.viewer.get(`/api/v1/runs/${id}`)).json();
    const before = await read();
    expect(before).toMatchObject({ status: 'QUEUED', endedAt: null, releaseAfter: null });
    const from = before.fromVersion as string;
    expect(from).toEqual(expect.any(String));

    const endedAt = new Date(Date.now() - 5_000);
    const set = (status: 'ROLLED_BACK' | 'COMPLETED' | 'FAILED' | 'RUNNING') =>
      t.h.database.db.deviceRun.update({
        where: { id },
        data: {
          status,
          startedAt: new Date(endedAt.getTime() - 60_000),
          endedAt: status === 'RUNNING' ? null : endedAt,
        },
      });
    await set('ROLLED_BACK');
    const rolled = await read();
    expect(rolled).toMatchObject({ releaseAfter: from, endedAt: endedAt.toISOString() });
    expect(Date.parse(rolled.endedAt) - Date.parse(rolled.startedAt)).toBe(60_000);
    // The list says it too (the runs list and the device page read it there).
    const listed = (await t.viewer.get(`/api/v1/runs?deviceId=${t.ids['c10k']}`)).json().items;
    expect(listed.find((r: { id: string }) => r.id === id).releaseAfter).toBe(from);

    await set('COMPLETED');
    expect((await read()).releaseAfter).toBe('12.2(33)SB9');
    // A failed run's device state is in its summary, not guessed here.
    await set('FAILED');
    expect((await read()).releaseAfter).toBeNull();
    await set('RUNNING');
    expect((await read()).releaseAfter).toBeNull();
    await finish(id);
  });

  it('a t.viewer cannot start a run (403), and nothing is stored', async () => {
    const count = () => t.h.database.db.deviceRun.count({ where: { deviceId: t.ids['c10k']! } });
    const runs = await count();
    const res = await t.viewer.post('/api/v1/runs', { deviceId: t.ids['c10k']!, imageId: await image('12.2(33)SB9') });
    expect(res.statusCode, res.body).toBe(403);
    expect(await count()).toBe(runs);
  });
});

describe('operator actions on the run page', () => {
  it('shows who accepted and who asked for the abort, when, with their audited comments', async () => {
    const { id } = (await t.op.get(`/api/v1/runs?deviceId=${t.ids['MX480']}`)).json().items[0];
    expect((await t.viewer.get(`/api/v1/runs/${id}`)).json().operatorActions).toEqual([]);
    await t.h.database.db.deviceRun.update({ where: { id }, data: { status: 'WAITING_ACCEPT' } });
    expect((await t.op.post(`/api/v1/runs/${id}/accept`, { comment: 'post-checks reviewed' })).statusCode).toBe(200);
    const aborted = await t.op.post(`/api/v1/runs/${id}/abort`);
    expect(aborted.statusCode, aborted.body).toBe(200);
    // The answer to the action itself already carries it, and so does every later read.
    expect(aborted.json().operatorActions).toHaveLength(2);
    const detail = (await t.viewer.get(`/api/v1/runs/${id}`)).json();
    expect(detail.operatorActions).toEqual([
      { kind: 'accept', by: t.op.username, at: expect.any(String), comment: 'post-checks reviewed' },
      { kind: 'abort', by: t.op.username, at: expect.any(String), comment: null },
    ]);
    expect(Date.parse(detail.operatorActions[0].at)).toBeLessThanOrEqual(Date.parse(detail.operatorActions[1].at));
    // Another run's audit does not leak in.
    const other = (await t.op.get(`/api/v1/runs?deviceId=${t.ids['c10k']}`)).json().items[0];
    expect((await t.viewer.get(`/api/v1/runs/${other.id}`)).json().operatorActions).toEqual([]);
  });
});

describe('pre-check evidence on the run page', () => {
  it('a failed checksum pre-check carries the registered and the device-computed digest', async () => {
    const input: CiscoPrecheckInput = {
      family: 'c10k',
      hardwareMode: 'Duplex',
      peerPresent: true,
      configuredMode: 'SSO',
      operatingMode: 'SSO',
      peerState: 'STANDBY HOT',
      nsf: { configured: true, evidence: [] },
      issuStates: ['Init', 'Init'],
      runningVersions: { active: '12.2(33)SB8', standby: '12.2(33)SB8' },
      current: null,
      target: {
        fileName: 'c10k3-p11-mz.122-33.SB9.bin',
        version: '12.2(33)SB9',
        sizeBytes: 10,
        md5: 'aaaa',
        sha256: null,
        releaseDate: null,
      },
      files: { active: { present: true, freeBytes: 100 }, standby: { present: true, freeBytes: 100 } },
      digests: { active: 'aaaa', standby: 'bbbb' },
      compatLevel: 'C',
      deviceMatrix: { myVersion: '12.2(33)SB8', level: 'C' },
      allowDisruptive: false,
    };
    const outcome = ciscoPrechecks(input);
    const checksum = outcome.results.find((c) => c.rule === 'checksum-standby')!;
    expect(checksum).toMatchObject({ verdict: 'fail', evidence: { expected: 'aaaa', actual: 'bbbb' } });

    // Stored in the run's context the way the worker stores it, and answered as is.
    const { id } = (
      await t.op.post('/api/v1/runs', { deviceId: t.ids['ASR1006']!, imageId: await image('03.16.06.S') })
    ).json() as { id: string };
    await t.h.database.db.deviceRun.update({
      where: { id },
      data: {
        status: 'REFUSED',
        endedAt: new Date(),
        context: JSON.parse(JSON.stringify({ prechecks: outcome.results, checkpoints: {} })),
      },
    });
    const detail = (await t.viewer.get(`/api/v1/runs/${id}`)).json();
    expect(detail.prechecks.find((c: { rule: string }) => c.rule === 'checksum-standby')).toMatchObject({
      verdict: 'fail',
      evidence: { expected: 'aaaa', actual: 'bbbb' },
    });
  });
});
