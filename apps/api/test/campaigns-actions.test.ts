// A campaign once it runs: pause, resume (running or scheduled, as the window says), abort (devices
// not started skipped, runs aborted where they still can be), a halt at the gate, the follow-up of
// exactly the failed and refused devices, the report as JSON and CSV, and single runs refused for
// a device a campaign holds. The scheduler's moves (RUNNING, device states, runs) are written
// straight into the database: the worker is another suite's.
import { parse } from 'csv-parse/sync';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { audits, campaignBody, device, image, predictRest, utcWindow } from './campaigns-fixtures.ts';
import { startHarness, type Client, type Harness } from './harness.ts';

let h: Harness;
let op: Client;
let approver: Client;
let sb9: string;

beforeAll(async () => {
  h = await startHarness();
  op = await h.as('OPERATOR');
  approver = await h.as('APPROVER');
  sb9 = (await image(h, { version: '12.2(33)SB9' })).id;
});
afterAll(async () => h?.close());

/** An approved campaign of `count` devices that the scheduler has started (status RUNNING). */
async function running(count: number) {
  const ids: string[] = [];
  for (let i = 0; i < count; i++) ids.push((await device(h, { group: null })).id);
  const c = (
    await op.post(
      '/api/v1/campaigns',
      campaignBody(ids, [sb9], { strategy: { canarySize: 1, waveSize: 10, concurrency: 2, gateAfterCanary: true } }),
    )
  ).json();
  await op.post(`/api/v1/campaigns/${c.id}/preview`);
  await predictRest(h, c.id);
  const s = (await op.post(`/api/v1/campaigns/${c.id}/submit`)).json();
  const a = await approver.post(`/api/v1/campaigns/${c.id}/approval`, {
    decision: 'APPROVED',
    comment: 'go',
    planHash: s.planHash,
  });
  expect(a.json().status, a.body).toBe('APPROVED');
  await h.database.db.campaign.update({
    where: { id: c.id },
    data: { status: 'RUNNING', startedAt: new Date(), currentWave: 0 },
  });
  return { id: c.id as string, deviceIds: ids };
}

async function campaignRun(
  campaignId: string,
  deviceId: string,
  status: 'RUNNING' | 'COMPLETED' | 'FAILED' | 'ROLLED_BACK',
  context: object = {},
) {
  const now = Date.now();
  const run = await h.database.db.deviceRun.create({
    data: {
      deviceId,
      campaignId,
      imageId: sb9,
      procedure: 'CISCO_ISSU',
      status,
      fromVersion: '12.2(33)SB8',
      toVersion: '12.2(33)SB9',
      createdById: op.userId,
      context,
      startedAt: new Date(now - 600_000),
      rollbackDeadline: new Date(now + 1_800_000),
      ...(status !== 'RUNNING' && { endedAt: new Date(now - 60_000) }),
    },
  });
  const state = status === 'COMPLETED' ? 'SUCCEEDED' : status;
  await h.database.db.campaignDevice.update({
    where: { campaignId_deviceId: { campaignId, deviceId } },
    data: { runId: run.id, state, startedAt: run.startedAt, endedAt: run.endedAt },
  });
  return run;
}

describe('operating a campaign', () => {
  it('pauses and resumes (scheduled while the window is closed, running while it is open), each audited', async () => {
    const c = await running(2);
    const paused = await op.post(`/api/v1/campaigns/${c.id}/pause`, { comment: 'core router alarm' });
    expect(paused.statusCode, paused.body).toBe(200);
    expect(paused.json()).toMatchObject({
      status: 'PAUSED',
      statusReason: `paused by ${op.username}: core router alarm`,
    });
    expect((await op.post(`/api/v1/campaigns/${c.id}/pause`)).statusCode).toBe(409);
    expect((await audits(h, c.id, 'campaign.paused'))[0]?.details).toEqual({
      comment: 'core router alarm',
      before: { status: 'RUNNING' },
      after: { status: 'PAUSED' },
    });

    const scheduled = await op.post(`/api/v1/campaigns/${c.id}/resume`);
    expect(scheduled.json()).toMatchObject({ status: 'SCHEDULED', statusReason: `resumed by ${op.username}` });
    const tick = (await h.campaignTicks.getJobs(['waiting', 'delayed'])).find(
      (j) => j.data.campaignId === c.id && String(j.data.key).startsWith('resume-'),
    );
    expect(tick).toBeDefined();

    await op.post(`/api/v1/campaigns/${c.id}/pause`);
    const now = Date.now();
    const w = utcWindow(now - 3_600_000, now + 3_600_000);
    await h.database.db.campaign.update({
      where: { id: c.id },
      data: { windowStart: new Date(`${w.start}:00Z`), windowEnd: new Date(`${w.end}:00Z`), timeZone: 'UTC' },
    });
    const resumed = await op.post(`/api/v1/campaigns/${c.id}/resume`);
    expect(resumed.json().status, resumed.body).toBe('RUNNING');
    expect((await audits(h, c.id, 'campaign.resumed')).map((e) => e.details)).toEqual([
      { before: { status: 'PAUSED' }, after: { status: 'SCHEDULED' } },
      { before: { status: 'PAUSED' }, after: { status: 'RUNNING' } },
    ]);
  });

  it('aborts: devices not started are skipped, runs abort where they still can, the others finish', async () => {
    const c = await running(3);
    const [undoable, pastNoReturn] = c.deviceIds;
    const r1 = await campaignRun(c.id, undoable!, 'RUNNING', {
      checkpoints: { loadversionAt: new Date().toISOString() },
    });
    const r2 = await campaignRun(c.id, pastNoReturn!, 'RUNNING', {
      checkpoints: { commitAt: new Date().toISOString() },
    });
    const res = await op.post(`/api/v1/campaigns/${c.id}/abort`, { comment: 'customer complaint' });
    expect(res.statusCode, res.body).toBe(200);
    const body = res.json();
    expect(body.status).toBe('ABORTED');
    expect(body.statusReason).toMatch(/1 run is being aborted; 1 run is past the point of no return and will finish/);
    expect(body.counts).toMatchObject({ SKIPPED: 1, RUNNING: 2, PENDING: 0 });
    expect((await h.database.db.deviceRun.findUniqueOrThrow({ where: { id: r1.id } })).abortRequestedAt).not.toBeNull();
    expect((await h.database.db.deviceRun.findUniqueOrThrow({ where: { id: r2.id } })).abortRequestedAt).toBeNull();
    expect((await audits(h, c.id, 'campaign.aborted'))[0]?.details).toMatchObject({
      comment: 'customer complaint',
      aborting: [r1.id],
      finishing: [r2.id],
      skipped: 1,
      before: { status: 'RUNNING' },
      after: { status: 'ABORTED' },
    });
    expect(await h.database.db.auditEvent.count({ where: { action: 'run.abort_requested', targetId: r1.id } })).toBe(1);
    expect((await op.post(`/api/v1/campaigns/${c.id}/abort`)).statusCode).toBe(409);
  });

  it('halts at the gate when the approver says no', async () => {
    const c = await running(3);
    await campaignRun(c.id, c.deviceIds[0]!, 'COMPLETED');
    await h.database.db.campaign.update({ where: { id: c.id }, data: { gateWave: 0 } });
    const res = await approver.post(`/api/v1/campaigns/${c.id}/gates/0`, {
      decision: 'REJECTED',
      comment: 'CPU spiked',
    });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toMatchObject({
      status: 'ABORTED',
      statusReason: `halted at the gate after wave 0 by ${approver.username}: CPU spiked`,
      counts: { SUCCEEDED: 1, SKIPPED: 2 },
    });
    expect(await audits(h, c.id, 'campaign.gate_halted')).toHaveLength(1);
  });

  it('a follow-up retries exactly the failed, rolled back and refused devices', async () => {
    const c = await running(5);
    const [ok, failed, rolled, refused, skipped] = c.deviceIds;
    await campaignRun(c.id, ok!, 'COMPLETED');
    await campaignRun(c.id, failed!, 'FAILED');
    await campaignRun(c.id, rolled!, 'ROLLED_BACK');
    await h.database.db.campaignDevice.update({
      where: { campaignId_deviceId: { campaignId: c.id, deviceId: refused! } },
      data: { state: 'REFUSED' },
    });
    expect((await op.post(`/api/v1/campaigns/${c.id}/follow-up`)).statusCode).toBe(409);
    await op.post(`/api/v1/campaigns/${c.id}/abort`);
    const res = await op.post(`/api/v1/campaigns/${c.id}/follow-up`);
    expect(res.statusCode, res.body).toBe(201);
    const f = res.json();
    expect(f).toMatchObject({ status: 'DRAFT', followUpOfId: c.id, authors: [op.username] });
    expect(f.name).toMatch(/\(follow-up\)$/);
    expect(f.selection.deviceIds.sort()).toEqual([failed, rolled, refused].sort());
    expect(f.selection.deviceIds).not.toContain(skipped);
    expect(f.targets.map((t: { imageId: string }) => t.imageId)).toEqual([sb9]);

    const clean = await running(1);
    await campaignRun(clean.id, clean.deviceIds[0]!, 'COMPLETED');
    await h.database.db.campaign.update({
      where: { id: clean.id },
      data: { status: 'COMPLETED', endedAt: new Date() },
    });
    const none = await op.post(`/api/v1/campaigns/${clean.id}/follow-up`);
    expect(none.statusCode).toBe(409);
    expect(none.json().message).toMatch(/nothing to follow up/);
  });

  it('reports per device with steps, checks, timer and traffic loss, as JSON and as CSV', async () => {
    const c = await running(2);
    const [done] = c.deviceIds;
    const run = await campaignRun(c.id, done!, 'COMPLETED', {
      prechecks: [{ rule: 'standby', title: 'Standby hot', verdict: 'pass', detail: 'standby is hot' }],
    });
    await h.database.db.runStep.createMany({
      data: [
        {
          runId: run.id,
          seq: 1,
          name: 'runversion',
          status: 'SUCCEEDED',
          outcome: 'switched over',
          evidence: { trafficLossMs: 42.4 },
          transcript: 'secret transcript',
          endedAt: new Date(),
        },
        {
          runId: run.id,
          seq: 2,
          name: 'post-checks',
          status: 'SUCCEEDED',
          outcome: 'all pass',
          evidence: { results: [{ rule: 'bgp', title: 'BGP sessions', verdict: 'pass', detail: 'same as before' }] },
          endedAt: new Date(),
        },
      ],
    });
    await h.database.db.campaign.update({ where: { id: c.id }, data: { rollbackTimerSeconds: 2700 } });
    const res = await op.get(`/api/v1/campaigns/${c.id}/report`);
    expect(res.statusCode, res.body).toBe(200);
    expect(res.body).not.toContain('secret transcript');
    const r = res.json();
    expect(r.totals).toMatchObject({ total: 2, SUCCEEDED: 1, PENDING: 1 });
    expect(r.approvedPlanHash).toMatch(/^[0-9a-f]{64}$/);
    const head = await h.database.db.auditEvent.findFirstOrThrow({ orderBy: { id: 'desc' } });
    expect(r.auditHead).toEqual({ id: head.id.toString(), hash: head.hash });
    expect(r.people.map((p: { action: string }) => p.action)).toEqual([
      'campaign.created',
      'campaign.previewed',
      'campaign.submitted',
      'campaign.approved',
    ]);
    expect(r.people[3]).toMatchObject({ actor: approver.username, comment: 'go' });
    const row = r.devices.find((d: { deviceId: string }) => d.deviceId === done);
    expect(row).toMatchObject({
      state: 'SUCCEEDED',
      runId: run.id,
      runStatus: 'COMPLETED',
      fromVersion: '12.2(33)SB8',
      toVersion: '12.2(33)SB9',
      durationMs: 540_000,
      trafficLossMs: 42,
      rollbackTimer: { configuredSeconds: 2700, deadline: run.rollbackDeadline!.toISOString() },
      prechecks: [{ rule: 'standby', verdict: 'pass' }],
      postchecks: [{ rule: 'bgp', verdict: 'pass' }],
      steps: [
        { name: 'runversion', status: 'SUCCEEDED', attempt: 1, outcome: 'switched over' },
        { name: 'post-checks', status: 'SUCCEEDED' },
      ],
    });
    const pending = r.devices.find((d: { deviceId: string }) => d.deviceId !== done);
    expect(pending).toMatchObject({
      state: 'PENDING',
      runId: null,
      steps: [],
      rollbackTimer: null,
      trafficLossMs: null,
    });

    const csv = await op.get(`/api/v1/campaigns/${c.id}/report?format=csv`);
    expect(csv.statusCode).toBe(200);
    expect(csv.headers['content-type']).toMatch(/^text\/csv/);
    expect(csv.headers['content-disposition']).toMatch(/^attachment; filename="hitless-campaign-.*\.csv"$/);
    const rows = parse(csv.body, { columns: true }) as Record<string, string>[];
    expect(rows).toHaveLength(2);
    expect(rows.find((x) => x.deviceId === done)).toMatchObject({
      state: 'SUCCEEDED',
      runStatus: 'COMPLETED',
      durationMs: '540000',
      trafficLossMs: '42',
      postchecks: 'BGP sessions: pass',
      steps: 'runversion SUCCEEDED; post-checks SUCCEEDED',
    });
  });

  it('refuses a single run for a device a campaign holds, naming the campaign', async () => {
    const c = await running(1);
    const dev = c.deviceIds[0]!;
    await h.database.db.device.update({
      where: { id: dev },
      data: {
        credentialId: (
          await h.database.db.credential.create({ data: { name: `c-${dev}`, username: 'u', secretEnc: 'x' } })
        ).id,
      },
    });
    const res = await op.post('/api/v1/runs', { deviceId: dev, imageId: sb9 });
    expect(res.statusCode, res.body).toBe(409);
    const name = (await h.database.db.campaign.findUniqueOrThrow({ where: { id: c.id } })).name;
    expect(res.json().message).toContain(`belongs to campaign "${name}" (RUNNING`);
    // Once the campaign is over the device is free again.
    await op.post(`/api/v1/campaigns/${c.id}/abort`);
    expect((await op.post('/api/v1/runs', { deviceId: dev, imageId: sb9 })).statusCode).toBe(201);
  });
});
