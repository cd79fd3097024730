// Longer than 300 lines: one story from the draft to the approval, each step starting where the last one left off.
// Campaigns through the API, from the draft to the approval: validation naming the field, the
// preview's own predictions (no target, busy, already there) and the pre-check jobs it queues, the
// submission's frozen plan and hash, four eyes at the plan, an edit voiding an approval, and an
// approval request that expires. No worker runs: the tests write the pre-checks' predictions.
import { eventStreamKey } from '@hitless/messaging';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { audits, campaignBody, device, image, predictRest } from './campaigns-fixtures.ts';
import { startHarness, type Client, type Harness } from './harness.ts';

let h: Harness;
let op: Client;
let viewer: Client;
let approver: Client;
let sb9: string;
let sb10: string;
let mx: string;

beforeAll(async () => {
  h = await startHarness();
  op = await h.as('OPERATOR');
  viewer = await h.as('VIEWER');
  approver = await h.as('APPROVER');
  sb9 = (await image(h, { version: '12.2(33)SB9' })).id;
  sb10 = (await image(h, { version: '12.2(33)SB10' })).id;
  mx = (await image(h, { vendor: 'JUNOS', family: 'mx', version: '10.3R2.11' })).id;
});
afterAll(async () => h?.close());

/** A submitted campaign of `count` c10k devices, as `author` (every device predicted ISSU_C). */
async function submitted(author: Client, count = 3, overrides: Record<string, unknown> = {}) {
  const ids = [];
  for (let i = 0; i < count; i++) ids.push((await device(h)).id);
  const created = await author.post('/api/v1/campaigns', campaignBody(ids, [sb9], overrides));
  expect(created.statusCode, created.body).toBe(201);
  const id = created.json().id as string;
  expect((await author.post(`/api/v1/campaigns/${id}/preview`)).statusCode).toBe(202);
  await predictRest(h, id);
  const res = await author.post(`/api/v1/campaigns/${id}/submit`);
  expect(res.statusCode, res.body).toBe(200);
  return res.json() as { id: string; planHash: string; status: string; devices: { deviceId: string }[] };
}

describe('campaign drafts', () => {
  it('creates a draft with the window resolved in its zone and its creator as the author', async () => {
    const d = await device(h);
    const res = await op.post('/api/v1/campaigns', campaignBody([d.id], [sb9, mx]));
    expect(res.statusCode, res.body).toBe(201);
    const c = res.json();
    expect(c).toMatchObject({
      status: 'DRAFT',
      authors: [op.username],
      createdBy: op.username,
      planHash: null,
      plan: null,
      devices: [],
      // 22:00 in Paris in June is 20:00 UTC (summer time).
      window: { start: '2030-06-01T22:00', startAt: '2030-06-01T20:00:00.000Z', endAt: '2030-06-02T02:00:00.000Z' },
      can: { edit: true, submit: true, approve: false },
    });
    expect(c.targets.map((t: { version: string }) => t.version).sort()).toEqual(['10.3R2.11', '12.2(33)SB9']);
    expect((await audits(h, c.id, 'campaign.created')).length).toBe(1);
    const events = (await h.redis.xrange(eventStreamKey(h.config.redis.prefix), '-', '+')).map(
      ([, fields]) => JSON.parse(fields[1]!) as { type: string; rooms: string[]; payload: { campaignId?: string } },
    );
    expect(events.find((e) => e.type === 'campaign.updated' && e.payload.campaignId === c.id)).toMatchObject({
      rooms: [`campaign:${c.id}`, 'campaigns'],
      payload: { campaignId: c.id, status: 'DRAFT' },
    });
    expect((await viewer.get(`/api/v1/campaigns/${c.id}`)).json().can).toMatchObject({ edit: false, submit: false });
  });

  it.each([
    [
      'a local time the clocks skip',
      { window: { start: '2030-03-31T02:30', end: '2030-03-31T05:00', timeZone: 'Europe/Paris' } },
      /window\.start: .*does not exist in Europe\/Paris/,
    ],
    [
      'an unknown zone',
      { window: { start: '2030-06-01T22:00', end: '2030-06-02T02:00', timeZone: 'Mars/Olympus' } },
      /window\.timeZone/,
    ],
    [
      'an end before the start',
      { window: { start: '2030-06-01T22:00', end: '2030-06-01T21:00', timeZone: 'UTC' } },
      /window\.end: the window must end after it starts/,
    ],
    [
      'two images for one family',
      { targetImageIds: ['SB9', 'SB10'] },
      /targetImageIds: pick one image per platform family: CISCO_IOS c10k has/,
    ],
    ['an unknown image', { targetImageIds: ['00000000-0000-4000-8000-000000000000'] }, /targetImageIds: no image/],
    [
      'an unknown device',
      { selection: { kind: 'ids', deviceIds: ['00000000-0000-4000-8000-000000000000'] } },
      /selection\.deviceIds: no device/,
    ],
  ])('refuses %s, naming the field', async (_what, overrides, message) => {
    const d = await device(h);
    const o = { ...overrides } as Record<string, unknown>;
    if (Array.isArray(o.targetImageIds))
      o.targetImageIds = o.targetImageIds.map((t) => (t === 'SB9' ? sb9 : t === 'SB10' ? sb10 : t));
    const res = await op.post('/api/v1/campaigns', campaignBody([d.id], [sb9], o));
    expect(res.statusCode, res.body).toBe(400);
    expect(res.json().message).toMatch(message);
  });

  it('deletes a draft only; an image a campaign targets cannot be deleted', async () => {
    const d = await device(h);
    const img = await image(h, { version: '12.2(33)SB11' });
    const c = (await op.post('/api/v1/campaigns', campaignBody([d.id], [img.id], { name: 'Targets SB11' }))).json();
    const delImage = await op.delete(`/api/v1/images/${img.id}`);
    expect(delImage.statusCode).toBe(409);
    expect(delImage.json().message).toMatch(/is a target of campaign "Targets SB11"/);
    expect((await viewer.delete(`/api/v1/campaigns/${c.id}`)).statusCode).toBe(403);
    expect((await op.delete(`/api/v1/campaigns/${c.id}`)).statusCode).toBe(204);
    expect((await op.get(`/api/v1/campaigns/${c.id}`)).statusCode).toBe(404);
    expect((await op.delete(`/api/v1/images/${img.id}`)).statusCode).toBe(204);
    const s = await submitted(op, 1);
    const refused = await op.delete(`/api/v1/campaigns/${s.id}`);
    expect(refused.statusCode).toBe(409);
    expect(refused.json().message).toMatch(/only a draft can be deleted/);
  });
});

describe('preview and submission', () => {
  it('predicts no target, busy and already-there itself, queues pre-checks for the rest, and submits once all are predicted', async () => {
    const tag = `pv-${Date.now()}`;
    const fresh = await device(h, { tag });
    const already = await device(h, { tag, version: '12.2(33)SB9' });
    const junos = await device(h, { tag, vendor: 'JUNOS', platform: 'mx480', version: '10.1R1.8' });
    const running = await device(h, { tag });
    const held = await device(h, { tag });
    const run = await h.database.db.deviceRun.create({
      data: {
        deviceId: running.id,
        imageId: sb9,
        procedure: 'CISCO_ISSU',
        status: 'RUNNING',
        toVersion: '12.2(33)SB9',
        createdById: op.userId,
      },
    });
    const other = await submitted(op, 0 + 1);
    // The other campaign holds `held` too (as if it had selected it).
    await h.database.db.campaignDevice.create({ data: { campaignId: other.id, deviceId: held.id, state: 'PENDING' } });

    const c = (
      await op.post('/api/v1/campaigns', campaignBody([], [sb9], { selection: { kind: 'filter', tag } }))
    ).json();
    const preview = await op.post(`/api/v1/campaigns/${c.id}/preview`);
    expect(preview.statusCode, preview.body).toBe(202);
    const body = preview.json();
    const by = (id: string) => body.devices.find((x: { deviceId: string }) => x.deviceId === id);
    expect(body.devices).toHaveLength(5);
    expect(by(fresh.id)).toMatchObject({ impact: null, predictionStale: true, state: 'PENDING' });
    expect(by(already.id)).toMatchObject({
      impact: 'REFUSED',
      impactReason: 'already runs 12.2(33)SB9',
      predictionStale: false,
    });
    expect(by(junos.id)).toMatchObject({
      impact: 'NO_TARGET',
      impactReason: expect.stringMatching(/no target image for JUNOS mx/),
    });
    expect(by(running.id)).toMatchObject({ impact: 'BUSY', impactReason: expect.stringContaining(`run ${run.id}`) });
    expect(by(held.id)).toMatchObject({ impact: 'BUSY', impactReason: expect.stringContaining(other.id) });
    const previewAt = new Date(body.previewRequestedAt).getTime();
    expect((await h.campaignPrechecks.getJob(`precheck-${c.id}-${fresh.id}-${previewAt}`))?.data).toEqual({
      campaignId: c.id,
      deviceId: fresh.id,
      previewAt,
    });
    for (const d of [already, junos, running, held])
      expect(await h.campaignPrechecks.getJob(`precheck-${c.id}-${d.id}-${previewAt}`)).toBeUndefined();

    const early = await op.post(`/api/v1/campaigns/${c.id}/submit`);
    expect(early.statusCode).toBe(409);
    expect(early.json().message).toMatch(/^1 of 5 devices are still being checked/);

    // No waves while a device is still being checked; once all are, the draft shows the plan it
    // would be submitted with: its waves, their expected durations and the fit to the window.
    expect((await op.get(`/api/v1/campaigns/${c.id}`)).json().plan).toBeNull();
    await predictRest(h, c.id);
    const previewed = (await op.get(`/api/v1/campaigns/${c.id}`)).json();
    expect(previewed.status).toBe('DRAFT');
    expect(previewed.planHash).toBeNull();
    expect(previewed.plan.waves.flatMap((w: { deviceIds: string[] }) => w.deviceIds)).toEqual([fresh.id]);
    expect(previewed.plan.waves[0].expectedMs).toBeGreaterThan(0);
    expect(previewed.plan).toMatchObject({ fits: 'yes', expectedMs: expect.any(Number) });
    const sub = await op.post(`/api/v1/campaigns/${c.id}/submit`);
    expect(sub.statusCode, sub.body).toBe(200);
    const s = sub.json();
    expect(s.plan.waves).toEqual(previewed.plan.waves);
    expect(s.status).toBe('PENDING_APPROVAL');
    expect(s.planHash).toMatch(/^[0-9a-f]{64}$/);
    expect(s.plan.waves.flatMap((w: { deviceIds: string[] }) => w.deviceIds)).toEqual([fresh.id]);
    const states = Object.fromEntries(s.devices.map((x: { deviceId: string; state: string }) => [x.deviceId, x.state]));
    expect(states).toEqual({
      [fresh.id]: 'PENDING',
      [already.id]: 'EXCLUDED',
      [junos.id]: 'EXCLUDED',
      [running.id]: 'EXCLUDED',
      [held.id]: 'EXCLUDED',
    });
    const [audit] = await audits(h, c.id, 'campaign.submitted');
    expect(audit?.details).toMatchObject({
      planHash: s.planHash,
      before: { status: 'DRAFT' },
      after: { status: 'PENDING_APPROVAL' },
    });
    const expiry = await h.campaignTicks.getJob(`campaign-${c.id}-expire-${s.planHash.slice(0, 16)}`);
    expect(expiry?.data).toEqual({ campaignId: c.id, key: `expire-${s.planHash.slice(0, 16)}` });
    expect(expiry?.opts.delay).toBeGreaterThan(0);
  });

  it('refuses a submission when the selection picks other devices than the preview did', async () => {
    const tag = `sel-${Date.now()}`;
    await device(h, { tag });
    const c = (
      await op.post('/api/v1/campaigns', campaignBody([], [sb9], { selection: { kind: 'filter', tag } }))
    ).json();
    await op.post(`/api/v1/campaigns/${c.id}/preview`);
    await predictRest(h, c.id);
    await device(h, { tag });
    const res = await op.post(`/api/v1/campaigns/${c.id}/submit`);
    expect(res.statusCode).toBe(409);
    expect(res.json().message).toMatch(/\(1 added, 0 gone\); preview again/);
  });
});

describe('approval', () => {
  it('four eyes at the plan: creator, editor and submitter may not approve; viewers and operators are refused', async () => {
    const [a, b, c] = [await h.as('ADMIN'), await h.as('ADMIN'), await h.as('ADMIN')];
    const d = await device(h);
    const created = (await a.post('/api/v1/campaigns', campaignBody([d.id], [sb9]))).json();
    expect(
      (await b.patch(`/api/v1/campaigns/${created.id}`, { description: 'reviewed with the NOC' })).statusCode,
    ).toBe(200);
    await c.post(`/api/v1/campaigns/${created.id}/preview`);
    await predictRest(h, created.id);
    const s = (await c.post(`/api/v1/campaigns/${created.id}/submit`)).json();
    expect(s.authors.sort()).toEqual([a.username, b.username, c.username].sort());
    const decision = { decision: 'APPROVED', comment: 'ok', planHash: s.planHash };
    for (const who of [a, b, c]) {
      const res = await who.post(`/api/v1/campaigns/${s.id}/approval`, decision);
      expect(res.statusCode, who.username).toBe(403);
      expect(res.json().message).toMatch(/another approver must decide/);
    }
    expect((await viewer.post(`/api/v1/campaigns/${s.id}/approval`, decision)).statusCode).toBe(403);
    expect((await op.post(`/api/v1/campaigns/${s.id}/approval`, decision)).statusCode).toBe(403);
    // Those who wrote it are not asked; the approver is.
    const mine = (await a.get('/api/v1/campaigns?awaiting=approval')).json().items.map((x: { id: string }) => x.id);
    expect(mine).not.toContain(s.id);
    const theirs = (await approver.get('/api/v1/campaigns?awaiting=approval')).json();
    expect(theirs.items.map((x: { id: string }) => x.id)).toContain(s.id);
    expect(theirs.items.find((x: { id: string }) => x.id === s.id).can.approve).toBe(true);

    const ok = await approver.post(`/api/v1/campaigns/${s.id}/approval`, decision);
    expect(ok.statusCode, ok.body).toBe(200);
    expect(ok.json()).toMatchObject({ status: 'APPROVED', approvedPlanHash: s.planHash });
    expect(ok.json().approvals).toMatchObject([
      { kind: 'PLAN', approver: approver.username, decision: 'APPROVED', planHash: s.planHash },
    ]);
    const approvalId = ok.json().approvals[0].id;
    expect(await h.campaignTicks.getJob(`campaign-${s.id}-approved-${approvalId}`)).toBeDefined();
    expect((await audits(h, s.id, 'campaign.approved'))[0]?.details).toMatchObject({
      planHash: s.planHash,
      comment: 'ok',
    });

    // Four eyes at the gate too.
    await h.database.db.campaign.update({
      where: { id: s.id },
      data: { status: 'RUNNING', gateWave: 0, currentWave: 0 },
    });
    for (const who of [a, b, c]) {
      const res = await who.post(`/api/v1/campaigns/${s.id}/gates/0`, { decision: 'APPROVED', comment: 'canary fine' });
      expect(res.statusCode, who.username).toBe(403);
    }
    expect(
      (await op.post(`/api/v1/campaigns/${s.id}/gates/0`, { decision: 'APPROVED', comment: 'x' })).statusCode,
    ).toBe(403);
    expect(
      (await approver.post(`/api/v1/campaigns/${s.id}/gates/1`, { decision: 'APPROVED', comment: 'x' })).statusCode,
    ).toBe(409);
    const gate = await approver.post(`/api/v1/campaigns/${s.id}/gates/0`, {
      decision: 'APPROVED',
      comment: 'canary fine',
    });
    expect(gate.statusCode, gate.body).toBe(200);
    expect(gate.json()).toMatchObject({ status: 'RUNNING', gateWave: null, openedGates: [0] });
    const gateApproval = gate.json().approvals.find((x: { kind: string }) => x.kind === 'GATE');
    expect(gateApproval).toMatchObject({ wave: 0, decision: 'APPROVED' });
    expect(await h.campaignTicks.getJob(`campaign-${s.id}-gate-0-${gateApproval.id}`)).toBeDefined();
    expect(await audits(h, s.id, 'campaign.gate_opened')).toHaveLength(1);
  });

  it('an edit after approval voids it: a new plan hash, and the old one is refused', async () => {
    const s = await submitted(op);
    const first = await approver.post(`/api/v1/campaigns/${s.id}/approval`, {
      decision: 'APPROVED',
      comment: 'go',
      planHash: s.planHash,
    });
    expect(first.json().status).toBe('APPROVED');
    const edited = await op.patch(`/api/v1/campaigns/${s.id}`, {
      window: { start: '2030-06-01T23:00', end: '2030-06-02T04:00', timeZone: 'Europe/Paris' },
    });
    expect(edited.statusCode, edited.body).toBe(200);
    const e = edited.json();
    expect(e).toMatchObject({ status: 'PENDING_APPROVAL', approvedPlanHash: null });
    expect(e.statusReason).toMatch(/the approval was for the previous plan/);
    expect(e.planHash).toMatch(/^[0-9a-f]{64}$/);
    expect(e.planHash).not.toBe(s.planHash);
    const stale = await h.as('APPROVER');
    const old = await stale.post(`/api/v1/campaigns/${s.id}/approval`, {
      decision: 'APPROVED',
      comment: 'go',
      planHash: s.planHash,
    });
    expect(old.statusCode).toBe(409);
    expect(old.json().message).toMatch(/the plan changed since you looked at it/);
    const again = await stale.post(`/api/v1/campaigns/${s.id}/approval`, {
      decision: 'APPROVED',
      comment: 'go',
      planHash: e.planHash,
    });
    expect(again.json()).toMatchObject({ status: 'APPROVED', approvedPlanHash: e.planHash });
    expect((await audits(h, s.id, 'campaign.updated'))[0]?.details).toMatchObject({
      before: { status: 'APPROVED', planHash: s.planHash },
      after: { status: 'PENDING_APPROVAL', planHash: e.planHash },
    });
  });

  it('an edit of the devices after submission sends the campaign back to draft', async () => {
    const s = await submitted(op, 2);
    const keep = s.devices[0]!.deviceId;
    const res = await op.patch(`/api/v1/campaigns/${s.id}`, { selection: { kind: 'ids', deviceIds: [keep] } });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toMatchObject({ status: 'DRAFT', planHash: null, plan: null });
    expect(res.json().statusReason).toMatch(/changed the device selection after submission: it is a draft again/);
    expect((await op.post(`/api/v1/campaigns/${s.id}/submit`)).statusCode).toBe(409);
  });

  it('rejection is final, with the approver and the comment in the reason', async () => {
    const s = await submitted(op, 1);
    const res = await approver.post(`/api/v1/campaigns/${s.id}/approval`, {
      decision: 'REJECTED',
      comment: 'not this week',
      planHash: s.planHash,
    });
    expect(res.json()).toMatchObject({
      status: 'REJECTED',
      statusReason: `rejected by ${approver.username}: not this week`,
    });
    expect(await audits(h, s.id, 'campaign.rejected')).toHaveLength(1);
  });

  it('a request nobody approved before its window opened expires, and cannot be approved', async () => {
    const s = await submitted(op, 1);
    // Time passes: the window opens before anyone approved (a submission inside it is refused).
    const now = Date.now();
    await h.database.db.campaign.update({
      where: { id: s.id },
      data: { windowStart: new Date(now - 3_600_000), windowEnd: new Date(now + 3_600_000) },
    });
    const res = await approver.post(`/api/v1/campaigns/${s.id}/approval`, {
      decision: 'APPROVED',
      comment: 'late',
      planHash: s.planHash,
    });
    expect(res.statusCode).toBe(409);
    expect(res.json().message).toMatch(/expired/);
    expect((await op.get(`/api/v1/campaigns/${s.id}`)).json().status).toBe('EXPIRED');
    expect((await audits(h, s.id, 'campaign.expired'))[0]?.details).toMatchObject({
      before: { status: 'PENDING_APPROVAL' },
      after: { status: 'EXPIRED' },
    });
  });

  it('every campaign mutation answers 403 to a viewer', async () => {
    const id = (await submitted(op, 1)).id;
    const routes: [string, string][] = [
      ['POST', '/api/v1/campaigns'],
      ['PATCH', `/api/v1/campaigns/${id}`],
      ['DELETE', `/api/v1/campaigns/${id}`],
      ...['preview', 'submit', 'approval', 'gates/0', 'pause', 'resume', 'abort', 'follow-up'].map(
        (a) => ['POST', `/api/v1/campaigns/${id}/${a}`] as [string, string],
      ),
    ];
    for (const [method, url] of routes) {
      const res = await viewer.request({ method: method as 'POST', url, payload: {} });
      expect(res.statusCode, `${method} ${url}`).toBe(403);
    }
  });
});
