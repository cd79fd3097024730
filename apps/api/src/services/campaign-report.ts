// The campaign report: per device its wave, prediction, outcome, versions, timing, steps (without
// transcripts), pre- and post-check results, rollback timer and traffic loss; totals; who did what
// (the campaign's audit events) and the audit chain's head, as JSON or as one CSV row per device.
import { CheckResultSchema, type CampaignReport } from '@hitless/contracts';
import { csvSafeCell, notFound, RunContext } from '@hitless/core';
import { campaignDetailInclude, CAMPAIGN_DEVICE_STATES, toCampaignDetail } from '@hitless/read-model';
import { stringify } from 'csv-stringify/sync';
import { userNames, type CampaignReader } from './campaign-shared.ts';

const iso = (d: Date | null | undefined) => (d ? d.toISOString() : null);
const Checks = CheckResultSchema.array();

/** The number some step's evidence reported as `trafficLossMs` (the newest), if any. */
function trafficLossOf(steps: { evidence: unknown }[]): number | null {
  for (const s of [...steps].reverse()) {
    const v = (s.evidence as Record<string, unknown> | null)?.trafficLossMs;
    if (typeof v === 'number' && Number.isFinite(v)) return Math.round(v);
  }
  return null;
}

/** The newest post-checks step's results (the engine writes them as its evidence's `results`). */
function postchecksOf(steps: { name: string; evidence: unknown }[]) {
  const step = [...steps].reverse().find((s) => s.name === 'post-checks');
  if (!step) return null;
  const parsed = Checks.safeParse((step.evidence as Record<string, unknown> | null)?.results);
  return parsed.success ? parsed.data : null;
}

export async function campaignReport(r: CampaignReader, id: string): Promise<CampaignReport> {
  const now = new Date();
  const row = await r.db.campaign.findUnique({ where: { id }, include: campaignDetailInclude });
  if (!row) throw notFound('campaign', id);
  const runIds = row.devices.flatMap((d) => (d.runId ? [d.runId] : []));
  const [runs, events, head] = await Promise.all([
    r.db.deviceRun.findMany({
      where: { id: { in: runIds } },
      include: {
        steps: {
          orderBy: { seq: 'asc' },
          select: {
            name: true,
            status: true,
            attempt: true,
            startedAt: true,
            endedAt: true,
            outcome: true,
            evidence: true,
          },
        },
      },
    }),
    r.db.auditEvent.findMany({ where: { targetType: 'campaign', targetId: id }, orderBy: { id: 'asc' } }),
    r.db.auditEvent.findFirst({ orderBy: { id: 'desc' }, select: { id: true, hash: true } }),
  ]);
  const runById = new Map(runs.map((x) => [x.id, x]));
  const detail = toCampaignDetail(row, r.caller, now, await userNames(r.db, row.authorIds));
  const { devices: _devices, plan: _plan, approvals: _approvals, ...campaign } = detail;
  const totals: Record<string, number> = { total: row.devices.length };
  for (const s of CAMPAIGN_DEVICE_STATES) totals[s] = detail.counts[s] ?? 0;
  return {
    campaign,
    approvedPlanHash: row.approvedPlanHash,
    auditHead: head ? { id: head.id.toString(), hash: head.hash } : null,
    totals,
    people: events.map((e) => {
      const comment = (e.details as Record<string, unknown> | null)?.comment;
      return {
        action: e.action,
        actor: e.actorName,
        at: e.at.toISOString(),
        comment: typeof comment === 'string' ? comment : null,
      };
    }),
    devices: detail.devices.map((d) => {
      const run = d.runId ? runById.get(d.runId) : undefined;
      const ctx = run ? RunContext.safeParse(run.context ?? {}) : null;
      const startedAt = run?.startedAt ?? (d.startedAt ? new Date(d.startedAt) : null);
      const endedAt = run?.endedAt ?? (d.endedAt ? new Date(d.endedAt) : null);
      return {
        deviceId: d.deviceId,
        hostname: d.hostname,
        wave: d.wave,
        impact: d.impact,
        state: d.state,
        runId: d.runId,
        runStatus: run?.status ?? null,
        fromVersion: run?.fromVersion ?? d.currentVersion,
        toVersion: run?.toVersion ?? row.targets.find((t) => t.imageId === d.imageId)?.image.version ?? null,
        startedAt: iso(startedAt),
        endedAt: iso(endedAt),
        durationMs: startedAt && endedAt ? endedAt.getTime() - startedAt.getTime() : null,
        summary: run?.summary ?? d.impactReason,
        rollbackTimer: run
          ? { configuredSeconds: row.rollbackTimerSeconds, deadline: iso(run.rollbackDeadline) }
          : null,
        trafficLossMs: run ? trafficLossOf(run.steps) : null,
        prechecks: (ctx?.success && ctx.data.prechecks) || null,
        postchecks: run ? postchecksOf(run.steps) : null,
        steps: (run?.steps ?? []).map((s) => ({
          name: s.name,
          status: s.status,
          attempt: s.attempt,
          startedAt: s.startedAt.toISOString(),
          endedAt: iso(s.endedAt),
          outcome: s.outcome,
        })),
      };
    }),
  };
}

export const REPORT_CSV_COLUMNS = [
  'hostname',
  'deviceId',
  'wave',
  'impact',
  'state',
  'runId',
  'runStatus',
  'fromVersion',
  'toVersion',
  'startedAt',
  'endedAt',
  'durationMs',
  'trafficLossMs',
  'rollbackTimerSeconds',
  'rollbackDeadline',
  'prechecks',
  'postchecks',
  'steps',
  'summary',
] as const;

const checksCell = (checks: { title: string; verdict: string }[] | null) =>
  checks ? checks.map((c) => `${c.title}: ${c.verdict}`).join('; ') : '';

/** One row per device; cells a spreadsheet would run as a formula are quoted off (csvSafeCell). */
export function campaignReportCsv(report: CampaignReport): string {
  const rows = report.devices.map((d) => {
    const cells: Record<(typeof REPORT_CSV_COLUMNS)[number], string> = {
      hostname: d.hostname,
      deviceId: d.deviceId,
      wave: d.wave == null ? '' : String(d.wave),
      impact: d.impact ?? '',
      state: d.state,
      runId: d.runId ?? '',
      runStatus: d.runStatus ?? '',
      fromVersion: d.fromVersion ?? '',
      toVersion: d.toVersion ?? '',
      startedAt: d.startedAt ?? '',
      endedAt: d.endedAt ?? '',
      durationMs: d.durationMs == null ? '' : String(d.durationMs),
      trafficLossMs: d.trafficLossMs == null ? '' : String(d.trafficLossMs),
      rollbackTimerSeconds: d.rollbackTimer?.configuredSeconds == null ? '' : String(d.rollbackTimer.configuredSeconds),
      rollbackDeadline: d.rollbackTimer?.deadline ?? '',
      prechecks: checksCell(d.prechecks),
      postchecks: checksCell(d.postchecks),
      steps: d.steps.map((s) => `${s.name} ${s.status}`).join('; '),
      summary: d.summary ?? '',
    };
    return Object.fromEntries(Object.entries(cells).map(([k, v]) => [k, csvSafeCell(v)]));
  });
  return stringify(rows, { header: true, columns: [...REPORT_CSV_COLUMNS] });
}
