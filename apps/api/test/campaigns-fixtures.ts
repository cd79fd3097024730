// Rows the campaign tests start from, written straight into the database (devices, images, runs),
// and the steps a worker would take (the preview's predictions), so each test reads as the story
// it checks. The API under test is the real one; only the worker's side is stood in for here.
import type { Vendor } from '@hitless/contracts';
import type { Harness } from './harness.ts';

let n = 0;

export async function device(
  h: Harness,
  o: {
    vendor?: Vendor;
    platform?: string;
    version?: string | null;
    group?: string | null;
    site?: string;
    tag?: string;
  } = {},
) {
  n++;
  return h.database.db.device.create({
    data: {
      hostname: `cmp${n}-${Math.random().toString(36).slice(2, 6)}.lab`,
      mgmtAddress: `127.40.${Math.floor(n / 250)}.${(n % 250) + 1}`,
      vendor: o.vendor ?? 'CISCO_IOS',
      platform: o.platform ?? 'c10k',
      currentVersion: o.version === undefined ? '12.2(33)SB8' : o.version,
      redundancyGroup: o.group ?? null,
      site: o.site ?? 'PAR1',
      tags: [o.tag ?? 'campaign-test'],
    },
  });
}

export async function image(h: Harness, o: { vendor?: Vendor; family?: string; version: string }) {
  return h.database.db.softwareImage.create({
    data: {
      vendor: o.vendor ?? 'CISCO_IOS',
      platformFamily: o.family ?? 'c10k',
      version: o.version,
      fileName: `img-${o.version}-${Math.random().toString(36).slice(2, 8)}.bin`,
      sizeBytes: 1000n,
      sha256: 'a'.repeat(64),
    },
  });
}

/** A window in the future (Paris, one June night in 2030), or one around `at` in UTC. */
export const FUTURE_WINDOW = { start: '2030-06-01T22:00', end: '2030-06-02T04:00', timeZone: 'Europe/Paris' };
export function utcWindow(startMs: number, endMs: number) {
  const local = (ms: number) => new Date(ms).toISOString().slice(0, 16);
  return { start: local(startMs), end: local(endMs), timeZone: 'UTC' };
}

export function campaignBody(deviceIds: string[], imageIds: string[], overrides: Record<string, unknown> = {}) {
  return {
    name: `Upgrade ${++n}`,
    ticket: `CHG00${n}`,
    targetImageIds: imageIds,
    selection: { kind: 'ids', deviceIds },
    window: FUTURE_WINDOW,
    strategy: { canarySize: 1, waveSize: 2, concurrency: 1, gateAfterCanary: true },
    ...overrides,
  };
}

/** What the worker's pre-check job does: every device still unpredicted gets a prediction now. */
export async function predictRest(h: Harness, campaignId: string, impact = 'ISSU_C') {
  await h.database.db.campaignDevice.updateMany({
    where: { campaignId, predictedAt: null },
    data: { impact, impactReason: null, predictedAt: new Date(), evidence: [] },
  });
}

export const audits = (h: Harness, campaignId: string, action: string) =>
  h.database.db.auditEvent.findMany({
    where: { targetType: 'campaign', targetId: campaignId, action },
    orderBy: { id: 'asc' },
  });
