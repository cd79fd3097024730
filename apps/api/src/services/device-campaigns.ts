// The campaigns one device belongs to (newest first), with its own state, wave and run in each:
// those that planned it (a CampaignDevice row), and drafts that name it by id but have not been
// previewed yet (a filter selection is resolved by the preview, so such a draft is not listed).
import type { DeviceCampaign, DeviceCampaignList } from '@hitless/contracts';
import { notFound, platformFamily } from '@hitless/core';
import type { Db } from '@hitless/db';

const CAMPAIGN_SELECT = {
  id: true,
  name: true,
  ticket: true,
  status: true,
  windowStart: true,
  windowEnd: true,
  timeZone: true,
  targets: { select: { image: { select: { id: true, vendor: true, platformFamily: true, version: true } } } },
} as const;

export async function deviceCampaigns(db: Db, deviceId: string): Promise<DeviceCampaignList> {
  const device = await db.device.findUnique({ where: { id: deviceId }, select: { vendor: true, platform: true } });
  if (!device) throw notFound('device', deviceId);
  const family = platformFamily(device.vendor, device.platform);
  const rows = await db.campaignDevice.findMany({
    where: { deviceId },
    include: {
      run: { select: { status: true, toVersion: true } },
      campaign: { select: { ...CAMPAIGN_SELECT, createdAt: true } },
    },
    orderBy: [{ campaign: { createdAt: 'desc' } }],
  });
  const planned = new Set(rows.map((r) => r.campaignId));
  const drafts = await db.campaign.findMany({
    where: {
      status: 'DRAFT',
      selection: { path: ['deviceIds'], array_contains: [deviceId] },
      devices: { none: { deviceId } },
    },
    select: { ...CAMPAIGN_SELECT, createdAt: true },
  });
  const plannedItems: DeviceCampaign[] = rows.map((r) => {
    const images = r.campaign.targets.map((t) => t.image);
    // The image the plan chose for the device, else the campaign's target of the device's family.
    const target =
      images.find((i) => i.id === r.imageId) ??
      images.find((i) => i.vendor === device.vendor && i.platformFamily === family);
    return {
      id: r.campaign.id,
      name: r.campaign.name,
      ticket: r.campaign.ticket,
      status: r.campaign.status,
      deviceState: r.state,
      wave: r.wave,
      runId: r.runId,
      runStatus: r.run?.status ?? null,
      targetVersion: r.run?.toVersion ?? target?.version ?? null,
      windowStart: r.campaign.windowStart.toISOString(),
      windowEnd: r.campaign.windowEnd.toISOString(),
      timeZone: r.campaign.timeZone,
      createdAt: r.campaign.createdAt.toISOString(),
    };
  });
  const draftItems: DeviceCampaign[] = drafts
    .filter((c) => !planned.has(c.id))
    .map((c) => ({
      id: c.id,
      name: c.name,
      ticket: c.ticket,
      status: c.status,
      deviceState: null,
      wave: null,
      runId: null,
      runStatus: null,
      targetVersion:
        c.targets.map((t) => t.image).find((i) => i.vendor === device.vendor && i.platformFamily === family)?.version ??
        null,
      windowStart: c.windowStart.toISOString(),
      windowEnd: c.windowEnd.toISOString(),
      timeZone: c.timeZone,
      createdAt: c.createdAt.toISOString(),
    }));
  const items = [...plannedItems, ...draftItems].sort(
    (a, b) => Date.parse(b.createdAt) - Date.parse(a.createdAt) || (a.id < b.id ? 1 : -1),
  );
  return { items };
}
