// The campaigns one device belongs to (newest first), with its own state, wave and run in each.
import type { DeviceCampaignList } from '@hitless/contracts';
import { notFound, platformFamily } from '@hitless/core';
import type { Db } from '@hitless/db';

export async function deviceCampaigns(db: Db, deviceId: string): Promise<DeviceCampaignList> {
  const device = await db.device.findUnique({ where: { id: deviceId }, select: { vendor: true, platform: true } });
  if (!device) throw notFound('device', deviceId);
  const family = platformFamily(device.vendor, device.platform);
  const rows = await db.campaignDevice.findMany({
    where: { deviceId },
    include: {
      run: { select: { status: true, toVersion: true } },
      campaign: {
        select: {
          id: true,
          name: true,
          ticket: true,
          status: true,
          windowStart: true,
          windowEnd: true,
          timeZone: true,
          createdAt: true,
          targets: { select: { image: { select: { id: true, vendor: true, platformFamily: true, version: true } } } },
        },
      },
    },
    orderBy: [{ campaign: { createdAt: 'desc' } }],
  });
  return {
    items: rows.map((r) => {
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
    }),
  };
}
