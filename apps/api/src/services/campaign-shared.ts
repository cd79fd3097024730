// What the campaign services share: who is asking, loading a campaign as the API answers it, the
// row lock every mutation takes, device selection, targets, and the live event after a change.
import {
  Rooms,
  type CampaignDetail,
  type CampaignSelection,
  type CampaignStatus,
  type CampaignStrategy,
} from '@hitless/contracts';
import {
  ACTIVE_CAMPAIGN_STATUSES,
  conflict,
  forbidden,
  formatLocal,
  invalid,
  notFound,
  platformFamily,
  type Caller,
  type CampaignFacts,
  type CampaignVerdict,
} from '@hitless/core';
import type { Db, Device, Prisma, SoftwareImage } from '@hitless/db';
import { enqueue, type Queue } from '@hitless/messaging';
import { campaignDetailInclude, toCampaignDetail } from '@hitless/read-model';
import type { MutationContext } from '../types.ts';
import { publishAfterCommit } from './publish.ts';
import { sameText } from './filters.ts';

export type Tx = Prisma.TransactionClient;

/** A campaign mutation: the usual context, the caller's role (lifecycle rules ask it) and the queues. */
export interface CampaignContext extends MutationContext {
  caller: Caller;
  ticks: Queue;
  prechecks: Queue;
}

/** Reading: the database and who reads (for `can`). */
export interface CampaignReader {
  db: Db;
  caller: Caller;
}

/** A campaign selects at most this many devices. */
export const MAX_CAMPAIGN_DEVICES = 5000;

/**
 * Device states in which a campaign in an active status holds its device: it will run (or is
 * running) there. An excluded device, or one whose run ended, is not held.
 */
export const HELD_DEVICE_STATES = ['PENDING', 'RUNNING'] as const;

/** Campaign devices that hold these devices for an active campaign other than `exceptCampaignId`. */
export function heldWhere(deviceIds: string[], exceptCampaignId?: string): Prisma.CampaignDeviceWhereInput {
  return {
    deviceId: { in: deviceIds },
    state: { in: [...HELD_DEVICE_STATES] },
    campaign: { status: { in: [...ACTIVE_CAMPAIGN_STATUSES] } },
    ...(exceptCampaignId && { campaignId: { not: exceptCampaignId } }),
  };
}

/** Serialises the checks that a device is free across campaigns (submit) and single runs (startRun). */
export const CAMPAIGN_DEVICES_LOCK = 'campaign-devices';

/**
 * A refused lifecycle verdict as an error: 403 when it is the four-eyes rule that refuses, else
 * 409. `asIfNotAuthor` asks the same rule with the caller taken out of the authors: a verdict that
 * changes then was the author's refusal; one that does not (an author asking for a campaign that
 * waits for nothing) is about the campaign's state, a 409 like anyone else's.
 */
export function refuse(v: CampaignVerdict, asIfNotAuthor?: () => CampaignVerdict): void {
  if (v.ok) return;
  if (asIfNotAuthor) {
    const other = asIfNotAuthor();
    if (other.ok || other.reason !== v.reason) throw forbidden(v.reason);
  }
  throw conflict(v.reason);
}

/** The campaign's facts with `caller` not among its authors (for `refuse`). */
export function withoutAuthor(facts: CampaignFacts, caller: Caller): CampaignFacts {
  return { ...facts, authorIds: facts.authorIds.filter((id) => id !== caller.userId) };
}

/** An instant as local time in the zone, or as UTC when the zone is unknown. */
export function localTime(timeZone: string, at: Date): string {
  try {
    return formatLocal({ timeZone }, at);
  } catch {
    return at.toISOString();
  }
}

/**
 * An approval must be given before the window opens (later it has expired): asking for one once
 * the window is open would only make the campaign expire. `what` says what to do instead.
 */
export function assertWindowNotOpened(windowStart: Date, timeZone: string, now: Date, what: string): void {
  if (now.getTime() >= windowStart.getTime())
    throw conflict(`the window opened at ${localTime(timeZone, windowStart)}${what}`);
}

/** Locks the campaign row for the transaction (against other requests and the scheduler's tick). */
export async function lockCampaign(tx: Tx, id: string) {
  await tx.$queryRaw`SELECT id FROM "Campaign" WHERE id = ${id}::uuid FOR UPDATE`;
  const row = await tx.campaign.findUnique({ where: { id }, include: { targets: { include: { image: true } } } });
  if (!row) throw notFound('campaign', id);
  return row;
}

export async function userNames(db: Db | Tx, ids: Iterable<string>): Promise<Map<string, string>> {
  const unique = [...new Set(ids)];
  if (unique.length === 0) return new Map();
  const users = await db.user.findMany({ where: { id: { in: unique } }, select: { id: true, username: true } });
  return new Map(users.map((u) => [u.id, u.username]));
}

export async function getCampaign(r: CampaignReader, id: string, now = new Date()): Promise<CampaignDetail> {
  const row = await r.db.campaign.findUnique({ where: { id }, include: campaignDetailInclude });
  if (!row) throw notFound('campaign', id);
  return toCampaignDetail(row, r.caller, now, await userNames(r.db, row.authorIds));
}

/** After a committed change: tell the campaign's room and the campaigns list. */
export async function publishCampaign(ctx: MutationContext, campaignId: string, status: CampaignStatus) {
  await publishAfterCommit(ctx, 'campaign.updated', [Rooms.campaign(campaignId), Rooms.campaigns], {
    campaignId,
    status,
  });
}

/** Asks the scheduler to look at the campaign (now, or after `delayMs`). */
export async function tick(ctx: CampaignContext, campaignId: string, key: string, delayMs?: number) {
  await enqueue(ctx.ticks, 'campaign-tick', { campaignId, key }, { ...(delayMs !== undefined && { delayMs }) });
}

export function strategyColumns(s: CampaignStrategy) {
  return {
    canarySize: s.canarySize,
    waveSize: s.waveSize,
    concurrency: s.concurrency,
    failureBudgetCount: s.failureBudget.kind === 'count' ? s.failureBudget.value : null,
    failureBudgetPercent: s.failureBudget.kind === 'percent' ? s.failureBudget.value : null,
    gateAfterCanary: s.gateAfterCanary,
    gateEveryWave: s.gateEveryWave,
    pauseBetweenWavesSeconds: s.pauseBetweenWavesSeconds,
    acceptMode: s.acceptMode,
    rollbackTimerSeconds: s.rollbackTimerSeconds,
    allowDisruptive: s.allowDisruptive,
    rebootOldMaster: s.rebootOldMaster,
    restoreMastership: s.restoreMastership,
  } satisfies Prisma.CampaignUpdateInput;
}

const familyKey = (vendor: string, family: string) => `${vendor} ${family.toLowerCase()}`;

/** The target images, every id known and at most one per vendor + platform family (400 naming `targetImageIds`). */
export async function resolveTargets(db: Db | Tx, ids: string[]): Promise<SoftwareImage[]> {
  const unique = [...new Set(ids)];
  const images = await db.softwareImage.findMany({ where: { id: { in: unique } } });
  const missing = unique.filter((id) => !images.some((i) => i.id === id));
  if (missing.length > 0) throw invalid([{ path: 'targetImageIds', message: `no image ${missing.join(', ')}` }]);
  const byFamily = new Map<string, SoftwareImage[]>();
  for (const i of images) {
    const key = familyKey(i.vendor, i.platformFamily);
    byFamily.set(key, [...(byFamily.get(key) ?? []), i]);
  }
  const clashes = [...byFamily].filter(([, list]) => list.length > 1);
  if (clashes.length > 0)
    throw invalid(
      clashes.map(([key, list]) => ({
        path: 'targetImageIds',
        message: `pick one image per platform family: ${key} has ${list.map((i) => i.version).join(' and ')}`,
      })),
    );
  return images;
}

/** The target image for a device: its vendor and platform family's, if the campaign has one. */
export function targetFor(device: Device, targets: SoftwareImage[]): SoftwareImage | null {
  const key = familyKey(device.vendor, platformFamily(device.vendor, device.platform));
  return targets.find((t) => familyKey(t.vendor, t.platformFamily) === key) ?? null;
}

/** Every id of an explicit selection names a device (400 naming `selection.deviceIds`). */
export async function assertSelectionDevices(db: Db | Tx, selection: CampaignSelection) {
  if (selection.kind !== 'ids') return;
  const ids = [...new Set(selection.deviceIds)];
  const found = await db.device.findMany({ where: { id: { in: ids } }, select: { id: true } });
  const missing = ids.filter((id) => !found.some((d) => d.id === id));
  if (missing.length > 0)
    throw invalid([{ path: 'selection.deviceIds', message: `no device ${missing.slice(0, 10).join(', ')}` }]);
}

/** The devices the selection picks now, by hostname; refused above the device limit or when it picks none. */
export async function selectDevices(db: Db | Tx, selection: CampaignSelection): Promise<Device[]> {
  let where: Prisma.DeviceWhereInput;
  if (selection.kind === 'ids') {
    await assertSelectionDevices(db, selection);
    where = { id: { in: [...new Set(selection.deviceIds)] } };
  } else {
    const and: Prisma.DeviceWhereInput[] = [];
    if (selection.vendor) and.push({ vendor: selection.vendor });
    if (selection.platform) and.push({ platform: sameText(selection.platform) });
    if (selection.site) and.push({ site: sameText(selection.site) });
    if (selection.tag) and.push({ tags: { has: selection.tag } });
    if (selection.redundancyGroup) and.push({ redundancyGroup: sameText(selection.redundancyGroup) });
    where = { AND: and };
  }
  const devices = await db.device.findMany({ where, orderBy: { hostname: 'asc' }, take: MAX_CAMPAIGN_DEVICES + 1 });
  if (devices.length > MAX_CAMPAIGN_DEVICES)
    throw conflict(`the selection picks more than ${MAX_CAMPAIGN_DEVICES} devices; narrow it down`);
  if (devices.length === 0) throw conflict('the selection picks no device');
  return devices;
}
