// The campaign scheduler's wiring on BullMQ: each live campaign has a job scheduler that ticks it
// every few seconds (a backstop: ticks also follow a run's end, an approval or a wake-up the
// decision asked for); a tick keeps its campaign's scheduler while the campaign is live and removes
// it once the campaign ended. The worker's minute resync puts back any scheduler Redis lost.
import { isTerminal, TERMINAL_CAMPAIGN_STATUSES } from '@hitless/core';
import type { Db } from '@hitless/db';
import { runCampaignTick, type CampaignTickDeps, type TickOutcome } from '@hitless/engine';
import { enqueue } from '@hitless/messaging';

const schedulerId = (campaignId: string) => `campaign-${campaignId}`;

export interface CampaignSchedulerOptions extends CampaignTickDeps {
  /** The periodic tick, in ms. */
  tickMs: number;
}

export class CampaignScheduler {
  constructor(private readonly o: CampaignSchedulerOptions) {}

  /** One tick, then the campaign's scheduler kept or removed as the outcome says. */
  async tick(campaignId: string): Promise<TickOutcome | null> {
    const outcome = await runCampaignTick({ ...this.o, periodMs: this.o.tickMs }, campaignId);
    if (outcome?.live) await this.ensureScheduler(campaignId);
    else await this.o.ticks.removeJobScheduler(schedulerId(campaignId));
    return outcome;
  }

  /** Upserts the campaign's periodic tick unless it is there with this period (an upsert would push its next run). */
  async ensureScheduler(campaignId: string): Promise<void> {
    const id = schedulerId(campaignId);
    const existing = await this.o.ticks.getJobScheduler(id);
    if (existing && Number(existing.every) === this.o.tickMs) return;
    await this.o.ticks.upsertJobScheduler(
      id,
      { every: this.o.tickMs },
      {
        name: 'campaign-tick',
        data: { campaignId, key: 'periodic' },
        // A periodic tick that fails is followed by the next one; kept only briefly.
        opts: { attempts: 1, removeOnComplete: { count: 10 }, removeOnFail: { age: 86_400 } },
      },
    );
  }

  /**
   * Every live campaign gets its scheduler (Redis may have lost it), and the schedulers of
   * campaigns that ended or are gone are removed. Returns the number of live campaigns.
   */
  async resync(): Promise<number> {
    // Listed before the campaigns are read: a scheduler a tick adds meanwhile is not taken for a stale one.
    const existing = await this.o.ticks.getJobSchedulers(0, -1);
    const live = await liveCampaigns(this.o.db);
    for (const id of live) await this.ensureScheduler(id);
    const keep = new Set(live.map(schedulerId));
    for (const s of existing) {
      if (s.key.startsWith('campaign-') && !keep.has(s.key)) await this.o.ticks.removeJobScheduler(s.key);
    }
    return live.length;
  }

  /** A device-upgrade drive returned: if its run is a campaign's and ended, the campaign ticks now. */
  async runDriveEnded(runId: string): Promise<void> {
    const run = await this.o.db.deviceRun.findUnique({
      where: { id: runId },
      select: { campaignId: true, status: true },
    });
    if (!run?.campaignId || !isTerminal(run.status)) return;
    await enqueue(this.o.ticks, 'campaign-tick', { campaignId: run.campaignId, key: `run-${runId}-ended` });
  }
}

/** Campaigns the scheduler must tick: approved and not ended, or ended in status with runs still in flight. */
async function liveCampaigns(db: Db): Promise<string[]> {
  const rows = await db.campaign.findMany({
    where: {
      OR: [
        { status: { in: ['APPROVED', 'SCHEDULED', 'RUNNING', 'PAUSED'] } },
        { status: { in: TERMINAL_CAMPAIGN_STATUSES.filter((s) => s !== 'REJECTED') }, endedAt: null },
        { status: { in: [...TERMINAL_CAMPAIGN_STATUSES] }, devices: { some: { state: 'RUNNING' } } },
      ],
    },
    select: { id: true },
  });
  return rows.map((r) => r.id);
}
