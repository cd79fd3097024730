// Runs through the API: starting an upgrade queues one job and audits it, and the rules on who
// may start, accept and abort hold. No worker here: runs stay where the API put them.
import { eventStreamKey } from '@hitless/messaging';
import { describe, expect, it } from 'vitest';
import { deviceBody, fileHarness } from './harness.ts';

const t = fileHarness({ lab: ['c10k', 'mx', 'asr1000'] });

const image = (version: string) =>
  t.h.database.db.softwareImage.findFirstOrThrow({ where: { version } }).then((i) => i.id);
const c10k = () => t.ids['c10k']!;
/** Every live event the API published, oldest first. */
const published = async () =>
  (await t.h.redis.xrange(eventStreamKey(t.h.config.redis.prefix), '-', '+')).map(
    ([, fields]) =>
      JSON.parse(fields[1]!) as { type: string; rooms: string[]; payload: { run?: { id: string; status: string } } },
  );

describe('runs API', () => {
  it('starts an upgrade: 201, one queued job, an audit entry and a run.updated event; a second start is a conflict', async () => {
    const res = await t.op.post('/api/v1/runs', {
      deviceId: c10k(),
      imageId: await image('12.2(33)SB9'),
      acceptMode: 'MANUAL',
      options: { rollbackTimerSeconds: 3600 },
    });
    expect(res.statusCode, res.body).toBe(201);
    const run = res.json();
    expect(run).toMatchObject({
      status: 'QUEUED',
      procedure: 'CISCO_ISSU',
      fromVersion: '12.2(33)SB8',
      toVersion: '12.2(33)SB9',
      acceptMode: 'MANUAL',
      canAbort: true,
      canAccept: false,
      steps: [],
    });
    // A Cisco run keeps only its own options (no Junos reboot choices).
    expect(run.options).toEqual({ rollbackTimerSeconds: 3600 });
    const job = await t.h.upgrades.getJob(`upgrade-${run.id}`);
    expect(job?.data).toEqual({ runId: run.id });
    const audit = await t.h.database.db.auditEvent.findFirstOrThrow({
      where: { action: 'run.created', targetId: run.id },
    });
    expect(audit.details).toMatchObject({ to: '12.2(33)SB9', acceptMode: 'MANUAL' });
    const event = (await published()).find((e) => e.type === 'run.updated' && e.payload.run?.id === run.id);
    expect(event?.rooms).toEqual([`run:${run.id}`, `device:${c10k()}`, 'runs']);
    expect(event?.payload.run?.status).toBe('QUEUED');

    const again = await t.op.post('/api/v1/runs', { deviceId: c10k(), imageId: await image('12.2(33)SB9') });
    expect(again.statusCode).toBe(409);
    expect(again.json().message).toMatch(/already has an upgrade in progress/);
    expect((await t.h.upgrades.getJobCounts('waiting')).waiting).toBe(1);

    // Listing and reading back.
    const list = (await t.viewer.get(`/api/v1/runs?deviceId=${c10k()}`)).json();
    expect(list.items.map((r: { id: string }) => r.id)).toEqual([run.id]);
    expect((await t.viewer.get(`/api/v1/runs/${run.id}`)).json()).toMatchObject({
      id: run.id,
      deviceHostname: expect.any(String),
    });
  });

  it('accept only while waiting for it, once; abort while the run can still be undone, once', async () => {
    const { id } = (await t.op.get(`/api/v1/runs?deviceId=${c10k()}`)).json().items[0];
    const early = await t.op.post(`/api/v1/runs/${id}/accept`);
    expect(early.statusCode, early.body).toBe(409);
    await t.h.database.db.deviceRun.update({ where: { id }, data: { status: 'WAITING_ACCEPT' } });
    const accepted = await t.op.post(`/api/v1/runs/${id}/accept`, { comment: 'post-checks reviewed' });
    expect(accepted.statusCode, accepted.body).toBe(200);
    expect(accepted.json().acceptRequestedAt).not.toBeNull();
    expect((await t.op.post(`/api/v1/runs/${id}/accept`)).statusCode).toBe(409);
    const audit = await t.h.database.db.auditEvent.findFirstOrThrow({
      where: { action: 'run.accepted', targetId: id },
    });
    expect(audit.details).toEqual({ comment: 'post-checks reviewed' });

    const aborted = await t.op.post(`/api/v1/runs/${id}/abort`);
    expect(aborted.statusCode, aborted.body).toBe(200);
    expect(aborted.json().abortRequestedAt).not.toBeNull();
    expect((await t.op.post(`/api/v1/runs/${id}/abort`)).json()).toMatchObject({
      code: 'CONFLICT',
      message: 'an abort is already requested',
    });
    expect(await t.h.database.db.auditEvent.count({ where: { action: 'run.abort_requested', targetId: id } })).toBe(1);

    await t.h.database.db.deviceRun.update({ where: { id }, data: { status: 'COMPLETED', endedAt: new Date() } });
    const late = await t.op.post(`/api/v1/runs/${id}/abort`);
    expect(late.statusCode).toBe(409);
  });

  it('refuses what cannot be upgraded, naming the field', async () => {
    const junos = t.ids['MX480']!;
    const wrongFamily = await t.op.post('/api/v1/runs', { deviceId: junos, imageId: await image('12.2(33)SB9') });
    expect(wrongFamily.statusCode).toBe(400);
    expect(wrongFamily.json().message).toMatch(/imageId: .* is for CISCO_IOS c10k; .* is JUNOS mx/);
    const same = await t.op.post('/api/v1/runs', { deviceId: junos, imageId: await image('10.1R1.8') });
    expect(same.statusCode).toBe(409);
    expect(same.json().message).toMatch(/already runs 10.1R1.8/);
    const timer = await t.op.post('/api/v1/runs', {
      deviceId: junos,
      imageId: await image('10.3R2.11'),
      options: { rollbackTimerSeconds: 5 },
    });
    expect(timer.statusCode).toBe(400);
    expect(timer.json().message).toContain('body.options.rollbackTimerSeconds');
    const bare = (await t.op.post('/api/v1/devices', deviceBody())).json();
    const noCredential = await t.op.post('/api/v1/runs', { deviceId: bare.id, imageId: await image('12.2(33)SB9') });
    expect(noCredential.statusCode).toBe(422);
    expect(noCredential.json().message).toMatch(/has no credential/);
    expect(
      (
        await t.op.post('/api/v1/runs', {
          deviceId: '00000000-0000-4000-8000-000000000000',
          imageId: await image('10.3R2.11'),
        })
      ).statusCode,
    ).toBe(400);
    expect((await t.op.get('/api/v1/runs/00000000-0000-4000-8000-000000000000')).statusCode).toBe(404);
    expect((await t.op.get('/api/v1/runs?status=DONE')).statusCode).toBe(400);
  });

  it('lets viewers read runs but not start, accept or abort them', async () => {
    const res = await t.viewer.post('/api/v1/runs', { deviceId: t.ids['MX480']!, imageId: await image('10.3R2.11') });
    expect(res.statusCode).toBe(403);
    const { id } = (await t.viewer.get('/api/v1/runs')).json().items[0];
    expect((await t.viewer.post(`/api/v1/runs/${id}/abort`)).statusCode).toBe(403);
    expect((await t.viewer.post(`/api/v1/runs/${id}/accept`)).statusCode).toBe(403);
  });
});
