// Campaigns for the fuzz to find in every state the API treats differently: a previewed draft with
// its devices predicted, one waiting for approval with its plan, one running at the canary's gate,
// one running with a run in flight, one paused, and one that failed (with runs and steps, for the
// follow-up and the report). The fuzz moves campaigns on (it approves, opens gates, aborts), so
// before each case every state that has no campaign any more gets a new one, on devices of its
// own. Made through the API (the seeding admin writes, a seeding approver approves); what only
// the worker does (starting runs, a gate reached, a failure) is written into the rows directly.
import type { Prisma } from '@hitless/db';
import type { World } from './world.ts';

export const SEEDED_STATES = ['DRAFT', 'PENDING_APPROVAL', 'RUNNING_AT_GATE', 'RUNNING', 'PAUSED', 'FAILED'] as const;
export type SeededState = (typeof SEEDED_STATES)[number];

/** A June night in 2030, Paris time, with a blackout day after it. */
const WINDOW = {
  start: '2030-06-01T22:00',
  end: '2030-06-02T04:00',
  timeZone: 'Europe/Paris',
  blackoutDates: ['2030-06-03'],
};

let deviceSerial = 0;
/** Campaigns the fuzz made itself that a case may name too. */
const OTHERS_IN_POOL = 6;

const CHECKS = [
  { rule: 'standby', title: 'Standby RP', verdict: 'pass', detail: 'peer STANDBY HOT' },
  { rule: 'compatibility', title: 'Compatibility', verdict: 'pass', detail: 'level C', evidence: { level: 'C' } },
];

export class CampaignSeeds {
  private readonly current = new Map<SeededState, string>();

  constructor(private readonly w: World) {}

  private get db() {
    return this.w.h.database.db;
  }

  /**
   * Ids of one campaign in each seeded state (seeding those gone), twice, then the newest others
   * (those the fuzz made): a case picks an index, and most should land on a state worth reaching.
   */
  async pool(): Promise<string[]> {
    await this.predictPending();
    const ids = [...this.current.values()];
    const rows = await this.db.campaign.findMany({
      where: { id: { in: ids } },
      select: { id: true, status: true, gateWave: true },
    });
    const byId = new Map(rows.map((r) => [r.id, r]));
    for (const state of SEEDED_STATES) {
      const row = byId.get(this.current.get(state) ?? '');
      if (!row || !holds(state, row)) this.current.set(state, await this.seed(state));
    }
    const seeded = SEEDED_STATES.map((s) => this.current.get(s)!);
    const others = await this.db.campaign.findMany({
      where: { id: { notIn: seeded } },
      select: { id: true },
      orderBy: { createdAt: 'desc' },
      take: OTHERS_IN_POOL,
    });
    return [...seeded, ...seeded, ...others.map((c) => c.id)];
  }

  /** The plan hash of the campaign `id` as approvers are shown it (any pending one's when it has none). */
  async planHashOf(id: string | null): Promise<string> {
    const row = id && /^[0-9a-f-]{36}$/i.test(id) ? await this.db.campaign.findUnique({ where: { id } }) : null;
    return row?.planHash ?? (await this.planHashes())[0] ?? '0'.repeat(64);
  }

  /**
   * What the workers' read-only pre-checks would have written by now, for every draft a preview
   * left waiting (the seeds' and those the fuzz previewed itself): so a draft can be submitted.
   */
  private async predictPending(): Promise<void> {
    await this.db.campaignDevice.updateMany({
      where: { predictedAt: null, campaign: { is: { status: 'DRAFT', previewRequestedAt: { not: null } } } },
      data: { impact: 'ISSU_C', impactReason: null, evidence: CHECKS, predictedAt: new Date() },
    });
  }

  /** The plan hashes approvers are shown now (what a valid approval names). */
  async planHashes(): Promise<string[]> {
    const rows = await this.db.campaign.findMany({
      where: { status: 'PENDING_APPROVAL', planHash: { not: null } },
      select: { planHash: true },
      orderBy: { createdAt: 'asc' },
    });
    return rows.map((r) => r.planHash!);
  }

  /** A previewed draft for the DELETE route to remove. */
  async fresh(): Promise<string> {
    return this.seed('DRAFT');
  }

  private async seed(state: SeededState): Promise<string> {
    const id = await this.draft();
    if (state === 'DRAFT') return id;
    const submitted = await this.w.seed({ method: 'POST', url: `/api/v1/campaigns/${id}/submit` }, 200);
    if (state === 'PENDING_APPROVAL') return id;
    await this.w.seed(
      {
        method: 'POST',
        url: `/api/v1/campaigns/${id}/approval`,
        payload: { decision: 'APPROVED', comment: 'fuzz world', planHash: submitted.planHash },
      },
      200,
      this.w.approverToken,
    );
    const wave = (n: number) =>
      this.db.campaignDevice.findMany({ where: { campaignId: id, wave: n }, orderBy: { position: 'asc' } });
    const [canary] = await wave(0);
    const [next] = await wave(1);
    const startedAt = new Date(Date.now() - 3_600_000);
    switch (state) {
      case 'PAUSED':
        await this.campaign(id, { status: 'PAUSED', statusReason: 'paused by the fuzz world', startedAt });
        return id;
      case 'RUNNING_AT_GATE':
        await this.run(id, canary!.deviceId, 'COMPLETED');
        await this.campaign(id, {
          status: 'RUNNING',
          startedAt,
          currentWave: 1,
          gateWave: 0,
          statusReason: "waiting for an approver's go after wave 0",
        });
        return id;
      case 'RUNNING':
        await this.run(id, canary!.deviceId, 'COMPLETED');
        await this.run(id, next!.deviceId, 'RUNNING');
        await this.campaign(id, { status: 'RUNNING', startedAt, currentWave: 1, openedGates: [0] });
        return id;
      case 'FAILED':
        await this.run(id, canary!.deviceId, 'ROLLED_BACK');
        await this.db.campaignDevice.updateMany({
          where: { campaignId: id, state: 'PENDING' },
          data: { state: 'SKIPPED' },
        });
        await this.campaign(id, {
          status: 'FAILED',
          statusReason: 'failure budget spent: 1 of 2 devices failed',
          startedAt,
          endedAt: new Date(),
          currentWave: 0,
        });
        return id;
      default: {
        const unreachable: never = state;
        throw new Error(`no seeding for ${String(unreachable)}`);
      }
    }
  }

  /** A draft of three new devices (two c10k in one redundancy group, one ASR without a target), previewed and predicted. */
  private async draft(): Promise<string> {
    const devices = [
      await this.device('CISCO_IOS', 'c10k', 'fz-rg1'),
      await this.device('CISCO_IOS', 'c10k', 'fz-rg1'),
      await this.device('CISCO_IOSXE', 'ASR1006', null),
    ];
    const target = await this.target();
    const c = (await this.w.seed({
      method: 'POST',
      url: '/api/v1/campaigns',
      payload: {
        name: `fz-campaign-${deviceSerial}`,
        ticket: `CHG-FZ-${deviceSerial}`,
        description: 'seeded for the fuzz',
        targetImageIds: [target.id],
        selection: { kind: 'ids', deviceIds: devices },
        window: WINDOW,
        strategy: { canarySize: 1, waveSize: 2, concurrency: 1, gateAfterCanary: true, rollbackTimerSeconds: 2700 },
      },
    })) as { id: string };
    await this.w.seed({ method: 'POST', url: `/api/v1/campaigns/${c.id}/preview` }, 202);
    await this.predictPending();
    return c.id;
  }

  /**
   * The campaigns' target: the world's SB9 image, or one like it when a fuzzed PATCH has renamed or
   * moved that one (the routes under test change the world's images too).
   */
  private async target() {
    const where = { vendor: 'CISCO_IOS', platformFamily: 'c10k', version: '12.2(33)SB9' } as const;
    return (
      (await this.db.softwareImage.findFirst({ where })) ??
      this.db.softwareImage.create({
        data: {
          ...where,
          fileName: `fz-campaign-target-${++deviceSerial}.bin`,
          sizeBytes: 123n,
          sha256: 'ab'.repeat(32),
        },
      })
    );
  }

  private async device(vendor: string, platform: string, redundancyGroup: string | null): Promise<string> {
    const n = ++deviceSerial;
    const body = (await this.w.seed({
      method: 'POST',
      url: '/api/v1/devices',
      payload: {
        hostname: `fz-cmp${n}.lab`,
        mgmtAddress: `127.79.${Math.floor(n / 250)}.${(n % 250) + 1}`,
        vendor,
        platform,
        site: 'LAB1',
        tags: ['fuzz', 'campaign'],
        ...(redundancyGroup && { redundancyGroup: `${redundancyGroup}-${Math.ceil(n / 3)}` }),
        credentialId: this.w.credentialId,
        currentVersion: vendor === 'CISCO_IOS' ? '12.2(33)SB8' : '16.9.4',
      },
    })) as { id: string };
    return body.id;
  }

  private async campaign(id: string, data: Prisma.CampaignUpdateInput) {
    await this.db.campaign.update({ where: { id }, data });
  }

  /** A run of the campaign as the scheduler would have started it, with its steps when it ended. */
  private async run(campaignId: string, deviceId: string, status: 'RUNNING' | 'COMPLETED' | 'ROLLED_BACK') {
    const image = await this.target();
    const now = Date.now();
    const ended = status !== 'RUNNING';
    const run = await this.db.deviceRun.create({
      data: {
        deviceId,
        campaignId,
        imageId: image.id,
        procedure: 'CISCO_ISSU',
        status,
        currentStep: ended ? null : 'loadversion',
        fromVersion: '12.2(33)SB8',
        toVersion: image.version,
        createdById: this.w.seederId,
        context: { prechecks: CHECKS, checkpoints: { loadversionAt: new Date(now - 1_200_000).toISOString() } },
        startedAt: new Date(now - 1_800_000),
        rollbackDeadline: new Date(now + 1_800_000),
        ...(ended && { endedAt: new Date(now - 600_000), summary: `fuzz world: ${status.toLowerCase()}` }),
        steps: {
          create: [
            { seq: 1, name: 'pre-checks', status: 'SUCCEEDED', outcome: 'all pass', evidence: { results: CHECKS } },
            ...(ended
              ? [
                  { seq: 2, name: 'runversion', status: 'SUCCEEDED' as const, evidence: { trafficLossMs: 12 } },
                  {
                    seq: 3,
                    name: 'post-checks',
                    status: status === 'COMPLETED' ? ('SUCCEEDED' as const) : ('FAILED' as const),
                    evidence: { results: CHECKS },
                  },
                ]
              : []),
          ],
        },
      },
    });
    const state = status === 'COMPLETED' ? 'SUCCEEDED' : status;
    await this.db.campaignDevice.update({
      where: { campaignId_deviceId: { campaignId, deviceId } },
      data: { runId: run.id, state, startedAt: run.startedAt, endedAt: run.endedAt },
    });
  }
}

function holds(state: SeededState, row: { status: string; gateWave: number | null }): boolean {
  switch (state) {
    case 'RUNNING_AT_GATE':
      return row.status === 'RUNNING' && row.gateWave !== null;
    case 'RUNNING':
      return row.status === 'RUNNING' && row.gateWave === null;
    default:
      return row.status === state;
  }
}
