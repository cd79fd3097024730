// What uses a software image: the devices running its version (same vendor and platform family,
// the family read from the device's platform by core), the devices headed to it (active runs, live
// campaigns), the campaigns targeting it and the runs to it; and per family how many devices run
// the golden release.
import {
  USAGE_NAMED_MAX,
  type FamilyCompliance,
  type ImageUsage,
  type ImageUsageReport,
  type Vendor,
} from '@hitless/contracts';
import { ACTIVE_RUN_STATUSES, TERMINAL_CAMPAIGN_STATUSES, notFound, platformFamily } from '@hitless/core';
import type { Db, Prisma, SoftwareImage } from '@hitless/db';

type Reader = Db | Prisma.TransactionClient;
type Named = { id: string; hostname: string };

const familyKey = (vendor: Vendor, family: string) => `${vendor}/${family}`;
const versionKey = (vendor: Vendor, family: string, version: string) => `${vendor}/${family}/${version}`;
const imageSelect = {
  id: true,
  vendor: true,
  platformFamily: true,
  version: true,
  golden: { select: { imageId: true } },
} as const satisfies Prisma.SoftwareImageSelect;
type ImageKey = Prisma.SoftwareImageGetPayload<{ select: typeof imageSelect }>;

const named = (list: Named[]) => ({ count: list.length, devices: list.slice(0, USAGE_NAMED_MAX) });

/** Usage of `images`, reading only the devices `deviceWhere` selects (all of them for the report). */
async function usageOf(db: Db, images: ImageKey[], deviceWhere: Prisma.DeviceWhereInput) {
  const ids = images.map((i) => i.id);
  const [devices, targets, waiting, activeRuns, runCounts] = await Promise.all([
    db.device.findMany({
      where: deviceWhere,
      select: { id: true, hostname: true, vendor: true, platform: true, currentVersion: true },
      orderBy: { hostname: 'asc' },
    }),
    db.campaignTarget.findMany({
      where: { imageId: { in: ids } },
      select: { imageId: true, campaign: { select: { id: true, name: true, status: true } } },
      orderBy: { campaign: { createdAt: 'desc' } },
    }),
    // Devices still to go in a campaign that is not over (drafts included: they plan it).
    db.campaignDevice.findMany({
      where: {
        imageId: { in: ids },
        state: { in: ['PENDING', 'RUNNING'] },
        campaign: { status: { notIn: [...TERMINAL_CAMPAIGN_STATUSES] } },
      },
      select: { imageId: true, device: { select: { id: true, hostname: true } } },
      orderBy: { device: { hostname: 'asc' } },
    }),
    db.deviceRun.findMany({
      where: { imageId: { in: ids }, status: { in: [...ACTIVE_RUN_STATUSES] } },
      select: { id: true, imageId: true, deviceId: true, status: true, device: { select: { hostname: true } } },
      orderBy: { createdAt: 'asc' },
    }),
    db.deviceRun.groupBy({ by: ['imageId'], where: { imageId: { in: ids } }, _count: { _all: true } }),
  ]);

  const byVersion = new Map<string, Named[]>();
  const familySize = new Map<string, number>();
  for (const d of devices) {
    const family = platformFamily(d.vendor, d.platform);
    familySize.set(familyKey(d.vendor, family), (familySize.get(familyKey(d.vendor, family)) ?? 0) + 1);
    if (!d.currentVersion) continue;
    const key = versionKey(d.vendor, family, d.currentVersion);
    byVersion.set(key, [...(byVersion.get(key) ?? []), { id: d.id, hostname: d.hostname }]);
  }
  const runsTo = new Map(runCounts.map((r) => [r.imageId, r._count._all]));
  const runningOf = (i: ImageKey) => byVersion.get(versionKey(i.vendor, i.platformFamily, i.version)) ?? [];

  const usage: ImageUsage[] = images.map((i) => {
    const runs = activeRuns.filter((r) => r.imageId === i.id);
    const headed = new Map<string, Named>();
    for (const r of runs) headed.set(r.deviceId, { id: r.deviceId, hostname: r.device.hostname });
    for (const w of waiting) if (w.imageId === i.id) headed.set(w.device.id, w.device);
    return {
      imageId: i.id,
      running: named(runningOf(i)),
      targeting: named([...headed.values()].sort((a, b) => a.hostname.localeCompare(b.hostname))),
      campaigns: targets.filter((t) => t.imageId === i.id).map((t) => t.campaign),
      activeRuns: runs.map((r) => ({ id: r.id, deviceId: r.deviceId, hostname: r.device.hostname, status: r.status })),
      runCount: runsTo.get(i.id) ?? 0,
    };
  });

  const families = new Map<string, FamilyCompliance>();
  for (const i of images) {
    const key = familyKey(i.vendor, i.platformFamily);
    const f = families.get(key) ?? {
      vendor: i.vendor,
      platformFamily: i.platformFamily,
      devices: familySize.get(key) ?? 0,
      goldenImageId: null,
      goldenVersion: null,
      onGolden: 0,
    };
    if (i.golden) Object.assign(f, { goldenImageId: i.id, goldenVersion: i.version, onGolden: runningOf(i).length });
    families.set(key, f);
  }
  return { images: usage, families: [...families.values()] };
}

/** Every image's usage and every imaged family's golden compliance, in one pass over the fleet. */
export async function imageUsageReport(db: Db): Promise<ImageUsageReport> {
  const images = await db.softwareImage.findMany({ select: imageSelect });
  return usageOf(db, images, {});
}

/** What uses one image. */
export async function imageUsage(db: Db, id: string): Promise<ImageUsage> {
  const image = await db.softwareImage.findUnique({ where: { id }, select: imageSelect });
  if (!image) throw notFound('image', id);
  const { images } = await usageOf(db, [image], { vendor: image.vendor, currentVersion: image.version });
  return images[0]!;
}

/** "a", "b", "c" and 2 more. */
function listed(names: string[], max = 5): string {
  const shown = names.slice(0, max).join(', ');
  return names.length > max ? `${shown} and ${names.length - max} more` : shown;
}
const plural = (n: number, one: string, many = `${one}s`) => `${n} ${n === 1 ? one : many}`;

/** Why an image cannot be deleted (campaigns, runs, devices using it), or null when nothing uses it. */
export async function inUseMessage(db: Reader, image: SoftwareImage): Promise<string | null> {
  const [targets, runs, active, candidates] = await Promise.all([
    db.campaignTarget.findMany({
      where: { imageId: image.id },
      select: { campaign: { select: { name: true } } },
      orderBy: { campaign: { createdAt: 'desc' } },
    }),
    db.deviceRun.count({ where: { imageId: image.id } }),
    db.deviceRun.findMany({
      where: { imageId: image.id, status: { in: [...ACTIVE_RUN_STATUSES] } },
      select: { device: { select: { hostname: true } } },
      orderBy: { createdAt: 'asc' },
    }),
    db.device.findMany({
      where: { vendor: image.vendor, currentVersion: image.version },
      select: { hostname: true, vendor: true, platform: true },
      orderBy: { hostname: 'asc' },
    }),
  ]);
  const running = candidates.filter((d) => platformFamily(d.vendor, d.platform) === image.platformFamily);
  const parts: string[] = [];
  if (targets.length > 0) {
    const names = targets.map((t) => `"${t.campaign.name}"`);
    parts.push(`it is a target of ${targets.length === 1 ? 'campaign' : 'campaigns'} ${listed(names)}`);
  }
  if (runs > 0) {
    const finished = runs - active.length;
    const detail = [
      active.length > 0 && `${active.length} active on ${listed(active.map((r) => r.device.hostname))}`,
      finished > 0 && `${finished} finished, kept as history`,
    ].filter(Boolean);
    parts.push(`it is the target of ${plural(runs, 'run')} (${detail.join('; ')})`);
  }
  if (running.length > 0) {
    parts.push(
      `${plural(running.length, 'device runs', 'devices run')} its version: ${listed(running.map((d) => d.hostname))}`,
    );
  }
  return parts.length > 0 ? `image ${image.version} is in use and cannot be deleted: ${parts.join('; ')}` : null;
}
