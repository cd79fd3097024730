// The campaign scheduler's rules against real worker processes, BullMQ and the lab over SSH: a
// spent failure budget halts the campaign (in-flight runs finish, nothing new starts); pause,
// resume and abort as the API sets them; two campaigns whose devices back each other up never
// upgrade a redundancy group at once; the window closing mid-campaign pauses it. Every claim is
// read back from the recorded runs, steps and audit trail.
import { runCampaignTick } from '@hitless/engine';
import { createQueue, EventPublisher, type Queue } from '@hitless/messaging';
import { uniquePrefix } from '@hitless/testkit';
import { eventually } from '@hitless/testkit/poll';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startBed, type Bed } from '../../../packages/engine/test/harness.ts';
import {
  campaignEnded,
  campaignRecord,
  createApprovedCampaign,
  groupOverlaps,
  intervalsOf,
  kick,
  maxOverlap,
  startedAfter,
  untilCampaign,
  utcWindow,
  waveOrderViolations,
} from './campaign-harness.ts';
import { startWorker, stopWorker, type WorkerProcess } from './workers.ts';

process.env.HITLESS_CAMPAIGN_TICK_MS = '1000';
const SCALE = 120;
const STRATEGY = { canarySize: 0, waveSize: 10, rollbackTimerSeconds: 7200 } as const;

let bed: Bed;
let prefix: string;
let ticks: Queue;
let upgrades: Queue;
let workers: WorkerProcess[] = [];
const c10k = (i: number) => bed.devices.filter((d) => d.family === 'c10k')[i]!.hostname;
const mx = (i: number) => bed.devices.filter((d) => d.family === 'mx')[i]!.hostname;

beforeAll(async () => {
  bed = await startBed([...Array(18).fill('c10k'), ...Array(14).fill('mx')], {}, SCALE);
  prefix = uniquePrefix('campaign-control');
  ticks = createQueue('campaign-tick', bed.redis, prefix);
  upgrades = createQueue('device-upgrade', bed.redis, prefix);
  workers = [startWorker(bed, prefix), startWorker(bed, prefix)];
  await Promise.all(workers.map((w) => w.ready));
}, 120_000);
afterAll(async () => {
  await Promise.all(workers.map(stopWorker));
  await ticks?.close();
  await upgrades?.close();
  await bed?.close();
});

/** One tick in this process, exactly as a worker runs it. */
const tickHere = (campaignId: string) =>
  runCampaignTick(
    { db: bed.db, events: new EventPublisher(bed.redis, prefix), log: pino({ level: 'warn' }), upgrades, ticks },
    campaignId,
  );
const statesOf = async (id: string) =>
  Object.fromEntries((await campaignRecord(bed.db, id)).devices.map((d) => [d.device.hostname, d.state]));
const auditOf = (id: string) => bed.db.auditEvent.findMany({ where: { targetId: id }, orderBy: { id: 'asc' } });

describe('campaign control', () => {
  it('halts when the failure budget is spent: no new run starts, the runs in flight finish, FAILED with the reason', async () => {
    // Waves (first fit, one per redundancy group): [bng001, bng003, mx001], [bng002, bng004, mx002].
    const hosts = [c10k(0), c10k(1), c10k(2), c10k(3), mx(0), mx(1)];
    await bed.api.setFaults(c10k(0), ['image-corrupt']);
    await bed.api.setFaults(mx(0), ['disk-full']);
    const { id } = await createApprovedCampaign(bed.db, {
      hostnames: hosts,
      strategy: { ...STRATEGY, concurrency: 2, failureBudget: { kind: 'count', value: 2 } },
      userId: bed.userId,
    });
    await kick(ticks, id, 'approved');
    const c = await untilCampaign(bed.db, id, campaignEnded, 120_000, 'ended');
    expect(c.status).toBe('FAILED');
    const record = await campaignRecord(bed.db, id);
    expect(record.campaign.statusReason).toMatch(
      /^failure budget spent: 2 of 6 devices failed \(lab-bng001, lab-mx001\)/,
    );
    expect(await statesOf(id)).toEqual({
      [c10k(0)]: 'REFUSED',
      [c10k(2)]: 'SUCCEEDED',
      [mx(0)]: 'REFUSED',
      [c10k(1)]: 'SKIPPED',
      [c10k(3)]: 'SKIPPED',
      [mx(1)]: 'SKIPPED',
    });
    const halted = (await auditOf(id)).find((a) => a.action === 'campaign.halted')!;
    expect(halted.details).toMatchObject({ from: 'RUNNING', to: 'FAILED' });
    // The run in flight when the budget was spent went on to its end; none started after.
    const survivor = record.devices.find((d) => d.device.hostname === c10k(2))!.run!;
    expect(survivor.endedAt!.getTime()).toBeGreaterThan(halted.at.getTime());
    expect(startedAfter(record, halted.at)).toEqual([]);
    expect(record.runs).toHaveLength(3);
    expect(record.campaign.endedAt!.getTime()).toBeGreaterThanOrEqual(survivor.endedAt!.getTime());
    expect(maxOverlap(intervalsOf(record))).toBeLessThanOrEqual(2);
    // Ended: its periodic tick is gone from Redis.
    await eventually(async () => (await ticks.getJobScheduler(`campaign-${id}`)) === undefined, {
      what: 'the periodic tick removed',
    });
  }, 150_000);

  it('pauses (nothing starts), resumes, and aborts mid-wave: runs in flight are aborted, the rest skipped', async () => {
    const hosts = [c10k(4), c10k(5), c10k(6), c10k(7), mx(2), mx(3), mx(4), mx(5)];
    const { id } = await createApprovedCampaign(bed.db, {
      hostnames: hosts,
      strategy: { ...STRATEGY, concurrency: 2, failureBudget: { kind: 'count', value: 3 } },
      userId: bed.userId,
    });
    await kick(ticks, id, 'approved');
    await eventually(
      async () => (await bed.db.deviceRun.count({ where: { campaignId: id, status: 'RUNNING' } })) >= 1,
      {
        timeoutMs: 60_000,
        what: 'a run in flight',
      },
    );

    // Pause, as the API does: the status and the operator's reason; the scheduler keeps ticking.
    await bed.db.campaign.update({ where: { id }, data: { status: 'PAUSED', statusReason: 'paused by alice: lunch' } });
    // After the update: a tick holding the campaign's row when it was asked for may still have started one.
    const pausedAt = new Date();
    await eventually(
      async () =>
        (await bed.db.deviceRun.findMany({ where: { campaignId: id } })).every((r) =>
          ['COMPLETED', 'FAILED', 'ROLLED_BACK', 'REFUSED', 'ABORTED'].includes(r.status),
        ),
      { timeoutMs: 90_000, intervalMs: 250, what: 'the runs in flight at the pause ended' },
    );
    // With nothing in flight a tick would start the next device, were the campaign not paused.
    const whilePaused = await tickHere(id);
    expect(whilePaused).toMatchObject({ status: 'PAUSED', started: [], live: true });
    const paused = await bed.db.campaign.findUniqueOrThrow({ where: { id } });
    expect(paused.statusReason).toBe('paused by alice: lunch');
    expect(startedAfter(await campaignRecord(bed.db, id), pausedAt)).toEqual([]);
    expect((await statesOf(id))[c10k(5)]).toBe('PENDING');

    // Resume: the next devices start.
    const resumedAt = new Date();
    await bed.db.campaign.update({ where: { id }, data: { status: 'RUNNING', statusReason: null } });
    await kick(ticks, id, `resumed-${resumedAt.getTime()}`);
    // Abort while a run is still before its point of no return.
    const early = /^(pre-checks|loadversion|standby hot|in-service upgrade)$/;
    const victim = await eventually(
      async () =>
        (
          await bed.db.campaignDevice.findMany({
            where: { campaignId: id, startedAt: { gt: resumedAt }, run: { is: { status: 'RUNNING' } } },
            include: { run: true },
          })
        ).find((d) => d.run?.currentStep && early.test(d.run.currentStep))?.run,
      { timeoutMs: 60_000, intervalMs: 50, what: 'a resumed run before its point of no return' },
    );
    await bed.db.campaign.update({
      where: { id },
      data: { status: 'ABORTED', statusReason: 'aborted by alice: wrong image' },
    });
    const abortedAt = new Date();
    await kick(ticks, id, `aborted-${abortedAt.getTime()}`);
    const c = await untilCampaign(bed.db, id, campaignEnded, 120_000, 'ended after the abort');
    expect(c.status).toBe('ABORTED');
    const record = await campaignRecord(bed.db, id);
    expect(record.campaign.statusReason).toBe('aborted by alice: wrong image');
    const aborted = record.devices.find((d) => d.runId === victim.id)!;
    expect(aborted.run!.abortRequestedAt).not.toBeNull();
    expect(['ABORTED', 'ROLLED_BACK']).toContain(aborted.state);
    expect(startedAfter(record, abortedAt)).toEqual([]);
    expect(startedAfter(record, resumedAt).length).toBeGreaterThan(0);
    const states = record.devices.map((d) => d.state);
    expect(states.filter((s) => s === 'SKIPPED').length).toBeGreaterThan(0);
    expect(states.filter((s) => s === 'PENDING' || s === 'RUNNING')).toEqual([]);
    const requests = await bed.db.auditEvent.findMany({
      where: { action: 'run.abort_requested', actorName: 'scheduler' },
    });
    expect(requests.map((a) => a.targetId)).toContain(victim.id);
    expect(maxOverlap(intervalsOf(record))).toBeLessThanOrEqual(2);
  }, 300_000);

  it('two campaigns at once never upgrade both devices of a redundancy group, each within its cap', async () => {
    // The pairs (bng009 & bng010, …, mx007 & mx008, …) are split between the two campaigns.
    const a = [c10k(8), c10k(10), c10k(12), mx(6), mx(8)];
    const b = [c10k(9), c10k(11), c10k(13), mx(7), mx(9)];
    const strategy = { ...STRATEGY, concurrency: 3, failureBudget: { kind: 'count' as const, value: 1 } };
    const first = await createApprovedCampaign(bed.db, { name: 'A', hostnames: a, strategy, userId: bed.userId });
    const second = await createApprovedCampaign(bed.db, { name: 'B', hostnames: b, strategy, userId: bed.userId });
    await Promise.all([kick(ticks, first.id, 'approved'), kick(ticks, second.id, 'approved')]);
    await untilCampaign(bed.db, first.id, campaignEnded, 240_000, 'A ended');
    await untilCampaign(bed.db, second.id, campaignEnded, 240_000, 'B ended');
    const records = [await campaignRecord(bed.db, first.id), await campaignRecord(bed.db, second.id)];
    for (const r of records) {
      expect(r.campaign.status, r.campaign.statusReason ?? '').toBe('COMPLETED');
      expect(r.devices.every((d) => d.state === 'SUCCEEDED')).toBe(true);
      expect(maxOverlap(intervalsOf(r))).toBeLessThanOrEqual(3);
      expect(waveOrderViolations(intervalsOf(r))).toEqual([]);
    }
    const all = records.flatMap(intervalsOf);
    expect(all).toHaveLength(10);
    expect(groupOverlaps(all)).toEqual([]);
    // The campaigns did run side by side (otherwise the rule was never put to the test).
    expect(maxOverlap(all)).toBeGreaterThan(3);
  }, 300_000);

  it('ticks at once (two workers, retries) start each device once: one run per device, the cap held', async () => {
    const hosts = [mx(10), mx(12)];
    const { id } = await createApprovedCampaign(bed.db, {
      hostnames: hosts,
      strategy: { ...STRATEGY, concurrency: 2 },
      userId: bed.userId,
    });
    const outcomes = await Promise.all(Array.from({ length: 6 }, () => tickHere(id)));
    expect(outcomes.flatMap((o) => o!.started)).toHaveLength(2);
    expect(outcomes.filter((o) => o!.started.length > 0)).toHaveLength(1);
    const runs = await bed.db.deviceRun.findMany({ where: { campaignId: id } });
    expect(runs.map((r) => r.deviceId).sort()).toEqual(
      (await bed.db.device.findMany({ where: { hostname: { in: hosts } } })).map((d) => d.id).sort(),
    );
    await untilCampaign(bed.db, id, campaignEnded, 90_000, 'ended');
    expect(await statesOf(id)).toEqual({ [mx(10)]: 'SUCCEEDED', [mx(12)]: 'SUCCEEDED' });
    expect(await bed.db.deviceRun.count({ where: { campaignId: id } })).toBe(2);
    const started = (await auditOf(id)).filter((a) => a.action === 'campaign.started');
    expect(started).toHaveLength(1);
  }, 120_000);

  it('a window that closes mid-campaign pauses it with the reason; no run starts after the end', async () => {
    const hosts = [c10k(14), c10k(15), c10k(16), c10k(17)];
    const endAt = new Date(Date.now() + 12_000);
    const { id } = await createApprovedCampaign(bed.db, {
      hostnames: hosts,
      strategy: { ...STRATEGY, concurrency: 1 },
      window: utcWindow(new Date(Date.now() - 60_000), endAt),
      userId: bed.userId,
    });
    const windowEnd = (await bed.db.campaign.findUniqueOrThrow({ where: { id } })).windowEnd;
    await kick(ticks, id, 'approved');
    const c = await untilCampaign(bed.db, id, (x) => x.status === 'PAUSED', 60_000, 'paused');
    expect(c.statusReason).toMatch(/^the window ended at .* with \d devices? not started/);
    // The run in flight at the end finishes; the campaign stays paused, not ended.
    await eventually(
      async () => (await bed.db.deviceRun.findMany({ where: { campaignId: id } })).every((r) => r.endedAt !== null),
      { timeoutMs: 90_000, intervalMs: 250, what: 'the run in flight ended' },
    );
    expect(await tickHere(id)).toMatchObject({ status: 'PAUSED', started: [], live: true });
    const record = await campaignRecord(bed.db, id);
    expect(record.campaign.endedAt).toBeNull();
    expect(record.runs.length).toBeGreaterThan(0);
    expect(startedAfter(record, new Date(windowEnd.getTime() - 1))).toEqual([]);
    expect(record.devices.filter((d) => d.state === 'PENDING').length).toBeGreaterThan(0);
    // Paused is not over: its periodic tick stays.
    expect(await ticks.getJobScheduler(`campaign-${id}`)).toMatchObject({ every: 1000 });
    const paused = (await auditOf(id)).find((a) => a.action === 'campaign.paused')!;
    expect(paused.at.getTime()).toBeGreaterThanOrEqual(windowEnd.getTime());
    expect(paused.details).toMatchObject({ from: 'RUNNING', to: 'PAUSED' });
  }, 150_000);
});
