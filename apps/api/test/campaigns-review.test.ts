// Longer than 300 lines: one review's findings, each test the story of one rule the issue states.
// Campaign rules a second review found unguarded: a partial edit keeps what it does not name;
// a wrong-state action is a 409 even for an author; the approvals queue holds only what the
// caller may decide; a submission or an edit cannot ask for an approval that could only expire;
// the disruptive FSU is planned only while allowed; an edit that makes the preview's predictions
// meaningless makes it stale; two submissions racing for one device; the audit of an edit says
// what changed, with the request id; the staleness of predictions; CSV cells neutralised.
import { parse } from 'csv-parse/sync';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { audits, campaignBody, device, image, predictRest, utcWindow } from './campaigns-fixtures.ts';
import { startHarness, type Client, type Harness } from './harness.ts';

let h: Harness;
let op: Client;
let approver: Client;
let sb9: string;
let sb10: string;

beforeAll(async () => {
  h = await startHarness();
  op = await h.as('OPERATOR');
  approver = await h.as('APPROVER');
  sb9 = (await image(h, { version: '12.2(33)SB9' })).id;
  sb10 = (await image(h, { family: 'c7600', version: '12.2(33)SRE9' })).id;
});
afterAll(async () => h?.close());

type Detail = {
  id: string;
  status: string;
  statusReason: string | null;
  planHash: string;
  description: string | null;
  strategy: Record<string, unknown>;
  previewRequestedAt: string | null;
  plan: { waves: { deviceIds: string[] }[]; devices: { deviceId: string; impact: string; wave: number | null }[] };
  devices: { deviceId: string; impact: string | null; impactReason: string | null; predictionStale: boolean }[];
};

async function draft(author: Client, ids: string[], overrides: Record<string, unknown> = {}) {
  const res = await author.post('/api/v1/campaigns', campaignBody(ids, [sb9], overrides));
  expect(res.statusCode, res.body).toBe(201);
  return res.json() as Detail;
}

/** Previewed with every device predicted `impact`, then submitted. */
async function submitted(author: Client, ids: string[], overrides: Record<string, unknown> = {}, impact = 'ISSU_C') {
  const c = await draft(author, ids, overrides);
  expect((await author.post(`/api/v1/campaigns/${c.id}/preview`)).statusCode).toBe(202);
  await predictRest(h, c.id, impact);
  const res = await author.post(`/api/v1/campaigns/${c.id}/submit`);
  expect(res.statusCode, res.body).toBe(200);
  return res.json() as Detail;
}

const devices = async (n: number) => {
  const ids: string[] = [];
  for (let i = 0; i < n; i++) ids.push((await device(h)).id);
  return ids;
};

/** Moves the window (as time passing would): it opened an hour ago and closes in an hour. */
async function openWindowNow(id: string) {
  const now = Date.now();
  await h.database.db.campaign.update({
    where: { id },
    data: { windowStart: new Date(now - 3_600_000), windowEnd: new Date(now + 3_600_000), timeZone: 'UTC' },
  });
}

describe('edits', () => {
  it('a partial edit changes only what it names: the strategy and the description stay', async () => {
    const c = await draft(op, await devices(1), {
      description: 'core routers first',
      strategy: { canarySize: 2, waveSize: 7, concurrency: 3, gateAfterCanary: false, allowDisruptive: true },
    });
    const res = await op.patch(`/api/v1/campaigns/${c.id}`, { name: 'renamed' });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toMatchObject({
      name: 'renamed',
      description: 'core routers first',
      strategy: { canarySize: 2, waveSize: 7, concurrency: 3, gateAfterCanary: false, allowDisruptive: true },
    });
    const [audit] = await audits(h, c.id, 'campaign.updated');
    expect((audit?.details as { changed: string[] }).changed).toEqual(['name']);
    const empty = await op.patch(`/api/v1/campaigns/${c.id}`, {});
    expect(empty.statusCode).toBe(400);
    expect(empty.json().message).toMatch(/at least one field must be given/);
  });

  it('the audit of an edit holds each changed part before and after, the actor and the request id', async () => {
    const s = await submitted(op, await devices(1));
    const window = { start: '2030-06-02T22:00', end: '2030-06-03T04:00', timeZone: 'Europe/Paris', blackoutDates: [] };
    const res = await op.patch(`/api/v1/campaigns/${s.id}`, { name: 'moved a day', window });
    expect(res.statusCode, res.body).toBe(200);
    const [audit] = await audits(h, s.id, 'campaign.updated');
    expect(audit).toMatchObject({ actorId: op.userId, actorName: op.username, requestId: res.headers['x-request-id'] });
    expect(audit?.details).toMatchObject({
      changed: ['name', 'window'],
      before: {
        status: 'PENDING_APPROVAL',
        planHash: s.planHash,
        window: { start: '2030-06-01T22:00', end: '2030-06-02T04:00', timeZone: 'Europe/Paris' },
      },
      after: { status: 'PENDING_APPROVAL', name: 'moved a day', window },
    });
    expect((audit?.details as { before: { name: string } }).before.name).toMatch(/^Upgrade /);
  });

  it('every audit row of a campaign names its actor and the request that made it', async () => {
    const s = await submitted(op, await devices(2));
    const approved = await approver.post(`/api/v1/campaigns/${s.id}/approval`, {
      decision: 'APPROVED',
      comment: 'go',
      planHash: s.planHash,
    });
    const rows = await h.database.db.auditEvent.findMany({ where: { targetType: 'campaign', targetId: s.id } });
    expect(rows.map((r) => r.action)).toEqual([
      'campaign.created',
      'campaign.previewed',
      'campaign.submitted',
      'campaign.approved',
    ]);
    for (const r of rows) expect(r.requestId, r.action).toMatch(/^[0-9a-f-]{36}$/);
    expect(rows.at(-1)).toMatchObject({ actorId: approver.userId, requestId: approved.headers['x-request-id'] });
    expect(rows.find((r) => r.action === 'campaign.previewed')?.details).toMatchObject({
      before: { previewRequestedAt: null, devices: 0 },
      after: { devices: 2 },
    });
  });

  it('an edit of the targets after a preview makes its predictions stale: preview again', async () => {
    const c = await draft(op, await devices(2));
    await op.post(`/api/v1/campaigns/${c.id}/preview`);
    await predictRest(h, c.id);
    const res = await op.patch(`/api/v1/campaigns/${c.id}`, { targetImageIds: [sb9, sb10] });
    expect(res.statusCode, res.body).toBe(200);
    const e = res.json() as Detail;
    expect(e.previewRequestedAt).toBeNull();
    expect(e.devices.every((d) => d.predictionStale)).toBe(true);
    const sub = await op.post(`/api/v1/campaigns/${c.id}/submit`);
    expect(sub.statusCode).toBe(409);
    expect(sub.json().message).toMatch(/^preview the plan first/);
  });
});

describe('the disruptive FSU', () => {
  it('is planned only while the strategy allows it: disallowing it after submission takes those devices out', async () => {
    const ids = await devices(3);
    const s = await submitted(op, ids, { strategy: { canarySize: 1, waveSize: 5, allowDisruptive: true } }, 'FSU');
    expect(s.plan.waves.flatMap((w) => w.deviceIds).sort()).toEqual([...ids].sort());
    // One device turns out hitless (a second look), the others stay FSU.
    await h.database.db.campaignDevice.update({
      where: { campaignId_deviceId: { campaignId: s.id, deviceId: ids[0]! } },
      data: { impact: 'ISSU_C' },
    });
    const res = await op.patch(`/api/v1/campaigns/${s.id}`, {
      strategy: { canarySize: 1, waveSize: 5, allowDisruptive: false },
    });
    expect(res.statusCode, res.body).toBe(200);
    const e = res.json() as Detail;
    expect(e.status).toBe('PENDING_APPROVAL');
    expect(e.plan.waves.flatMap((w) => w.deviceIds)).toEqual([ids[0]]);
    for (const id of ids.slice(1))
      expect(e.plan.devices.find((d) => d.deviceId === id)).toMatchObject({ impact: 'REFUSED', wave: null });
  });

  it('allowing it after submission needs a new preview (refused devices may be FSU ones): back to draft', async () => {
    const s = await submitted(op, await devices(1));
    const res = await op.patch(`/api/v1/campaigns/${s.id}`, { strategy: { allowDisruptive: true } });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toMatchObject({ status: 'DRAFT', planHash: null, previewRequestedAt: null });
    expect(res.json().statusReason).toMatch(/allowed the disruptive FSU after submission: it is a draft again/);
  });

  it('a draft whose disruptive permission changed after its preview is previewed again before it is submitted', async () => {
    const ids = await devices(2);
    const c = await draft(op, ids, { strategy: { canarySize: 0, waveSize: 5, allowDisruptive: true } });
    await op.post(`/api/v1/campaigns/${c.id}/preview`);
    await predictRest(h, c.id, 'FSU');
    await op.patch(`/api/v1/campaigns/${c.id}`, { strategy: { canarySize: 0, waveSize: 5, allowDisruptive: false } });
    const sub = await op.post(`/api/v1/campaigns/${c.id}/submit`);
    expect(sub.statusCode).toBe(409);
    expect(sub.json().message).toMatch(/^preview the plan first/);
  });
});

describe('windows and approvals', () => {
  it('refuses to submit once the window has opened: nobody could approve it in time', async () => {
    const now = Date.now();
    const c = await draft(op, await devices(1), { window: utcWindow(now - 3_600_000, now + 3_600_000) });
    await op.post(`/api/v1/campaigns/${c.id}/preview`);
    await predictRest(h, c.id);
    const res = await op.post(`/api/v1/campaigns/${c.id}/submit`);
    expect(res.statusCode, res.body).toBe(409);
    expect(res.json().message).toMatch(/the window opened at .* set a window that starts later/);
    expect((await op.get(`/api/v1/campaigns/${c.id}`)).json().status).toBe('DRAFT');
  });

  it('an edit of a submitted campaign inside its window must move the window, else it would expire at once', async () => {
    const s = await submitted(op, await devices(2));
    await approver.post(`/api/v1/campaigns/${s.id}/approval`, {
      decision: 'APPROVED',
      comment: 'go',
      planHash: s.planHash,
    });
    await openWindowNow(s.id);
    await h.database.db.campaign.update({ where: { id: s.id }, data: { status: 'PAUSED', startedAt: new Date() } });
    const refused = await op.patch(`/api/v1/campaigns/${s.id}`, { strategy: { concurrency: 1 } });
    expect(refused.statusCode, refused.body).toBe(409);
    expect(refused.json().message).toMatch(/the window opened at .*give it a window that starts later/);
    const row = await h.database.db.campaign.findUniqueOrThrow({ where: { id: s.id } });
    expect(row).toMatchObject({ status: 'PAUSED', planHash: s.planHash, approvedPlanHash: s.planHash });
    const moved = await op.patch(`/api/v1/campaigns/${s.id}`, {
      strategy: { concurrency: 1 },
      window: { start: '2030-07-01T22:00', end: '2030-07-02T04:00', timeZone: 'Europe/Paris' },
    });
    expect(moved.statusCode, moved.body).toBe(200);
    expect(moved.json().status).toBe('PENDING_APPROVAL');
  });

  it('a wrong-state decision is a 409 saying why, even from an author', async () => {
    const admin = await h.as('ADMIN');
    const s = await submitted(admin, await devices(1));
    const ok = await approver.post(`/api/v1/campaigns/${s.id}/approval`, {
      decision: 'APPROVED',
      comment: 'go',
      planHash: s.planHash,
    });
    expect(ok.json().status).toBe('APPROVED');
    const again = await admin.post(`/api/v1/campaigns/${s.id}/approval`, {
      decision: 'APPROVED',
      comment: 'me too',
      planHash: s.planHash,
    });
    expect(again.statusCode).toBe(409);
    expect(again.json().message).toBe('the campaign is approved, not waiting for approval');
    const gate = await admin.post(`/api/v1/campaigns/${s.id}/gates/0`, { decision: 'APPROVED', comment: 'x' });
    expect(gate.statusCode).toBe(409);
    expect(gate.json().message).toMatch(/only a running campaign waits at a gate/);
    // Waiting at the gate: now the author is refused for being the author.
    await h.database.db.campaign.update({ where: { id: s.id }, data: { status: 'RUNNING', gateWave: 0 } });
    const own = await admin.post(`/api/v1/campaigns/${s.id}/gates/0`, { decision: 'APPROVED', comment: 'x' });
    expect(own.statusCode).toBe(403);
    expect(own.json().message).toMatch(/another approver must decide/);
  });

  it('awaiting=approval lists only what the caller may decide now', async () => {
    const other = await h.as('OPERATOR');
    const pending = await submitted(other, await devices(1));
    const expiring = await submitted(other, await devices(1));
    await openWindowNow(expiring.id);
    const atGate = await submitted(other, await devices(2));
    await approver.post(`/api/v1/campaigns/${atGate.id}/approval`, {
      decision: 'APPROVED',
      comment: 'go',
      planHash: atGate.planHash,
    });
    await h.database.db.campaign.update({ where: { id: atGate.id }, data: { status: 'RUNNING', gateWave: 0 } });

    const ids = async (c: Client) =>
      (
        (await c.get('/api/v1/campaigns?awaiting=approval&pageSize=500')).json() as { items: { id: string }[] }
      ).items.map((x) => x.id);
    const mine = await ids(approver);
    expect(mine).toEqual(expect.arrayContaining([pending.id, atGate.id]));
    expect(mine).not.toContain(expiring.id);
    // An operator decides nothing: not even someone else's campaign is theirs to approve.
    const res = await op.get('/api/v1/campaigns?awaiting=approval');
    expect(res.json()).toMatchObject({ items: [], total: 0 });
  });
});

describe('devices taken by two submissions at once', () => {
  it('only one campaign gets a device two submissions race for; the other says which one has it', async () => {
    const winners = new Set<string>();
    for (let round = 0; round < 4; round++) {
      const [shared, own] = await devices(2);
      const a = await draft(op, [shared!]);
      const b = await draft(op, [shared!, own!]);
      for (const c of [a, b]) {
        await op.post(`/api/v1/campaigns/${c.id}/preview`);
        await predictRest(h, c.id);
      }
      // Whichever is sent first usually wins: alternate, so both outcomes are seen.
      const submit = (c: Detail) => op.post(`/api/v1/campaigns/${c.id}/submit`);
      const [ra, rb] =
        round % 2 === 0
          ? await Promise.all([submit(a), submit(b)])
          : await Promise.all([submit(b), submit(a)]).then(([x, y]) => [y, x] as const);
      const held = await h.database.db.campaignDevice.findMany({
        where: { deviceId: shared!, state: 'PENDING', campaign: { status: 'PENDING_APPROVAL' } },
      });
      expect(held, `round ${round}: ${ra.statusCode} / ${rb.statusCode}`).toHaveLength(1);
      winners.add(held[0]!.campaignId === a.id ? 'a' : 'b');
      if (held[0]!.campaignId === a.id) {
        expect(ra.statusCode).toBe(200);
        expect(rb.statusCode).toBe(200);
        const busy = (rb.json() as Detail).devices.find((d) => d.deviceId === shared);
        expect(busy).toMatchObject({ impact: 'BUSY', impactReason: expect.stringContaining(a.id) });
      } else {
        expect(rb.statusCode).toBe(200);
        expect(ra.statusCode).toBe(409);
        expect(ra.json().message).toMatch(/^none of the 1 devices can be upgraded: cmp\S+: in campaign "/);
        expect(ra.json().message).toContain(b.id);
      }
    }
    // Both outcomes were seen (the one sent first takes the lock first).
    expect([...winners].sort()).toEqual(['a', 'b']);
  });
});

describe('predictions and the report', () => {
  it('a prediction older than the last preview request is stale and blocks the submission', async () => {
    const [d1, d2] = await devices(2);
    const c = await draft(op, [d1!, d2!]);
    const first = (await op.post(`/api/v1/campaigns/${c.id}/preview`)).json() as Detail;
    await predictRest(h, c.id);
    const second = (await op.post(`/api/v1/campaigns/${c.id}/preview`)).json() as Detail;
    expect(new Date(second.previewRequestedAt!).getTime()).toBeGreaterThan(
      new Date(first.previewRequestedAt!).getTime(),
    );
    await predictRest(h, c.id);
    // A job of the first preview lands late: its reading is from before the second request.
    await h.database.db.campaignDevice.update({
      where: { campaignId_deviceId: { campaignId: c.id, deviceId: d1! } },
      data: { impact: 'ISSU_C', predictedAt: new Date(first.previewRequestedAt!) },
    });
    const detail = (await op.get(`/api/v1/campaigns/${c.id}`)).json() as Detail;
    expect(detail.devices.find((d) => d.deviceId === d1)?.predictionStale).toBe(true);
    expect(detail.devices.find((d) => d.deviceId === d2)?.predictionStale).toBe(false);
    const sub = await op.post(`/api/v1/campaigns/${c.id}/submit`);
    expect(sub.statusCode).toBe(409);
    expect(sub.json().message).toMatch(/^1 of 2 devices are still being checked/);
  });

  it('CSV cells a spreadsheet would run as a formula are neutralised, as in the inventory export', async () => {
    const d = await h.database.db.device.create({
      data: {
        hostname: '=HYPERLINK("http://evil")',
        mgmtAddress: '127.41.0.1',
        vendor: 'CISCO_IOS',
        platform: 'c10k',
        currentVersion: '12.2(33)SB8',
      },
    });
    const c = await draft(op, [d.id]);
    await op.post(`/api/v1/campaigns/${c.id}/preview`);
    await h.database.db.campaignDevice.update({
      where: { campaignId_deviceId: { campaignId: c.id, deviceId: d.id } },
      data: { impact: 'REFUSED', impactReason: '+cmd|"/c calc"!A1', predictedAt: new Date(Date.now() + 1000) },
    });
    const csv = await op.get(`/api/v1/campaigns/${c.id}/report?format=csv`);
    expect(csv.statusCode, csv.body).toBe(200);
    const [row] = parse(csv.body, { columns: true }) as Record<string, string>[];
    expect(row).toMatchObject({ hostname: `'=HYPERLINK("http://evil")`, summary: `'+cmd|"/c calc"!A1` });
  });
});
