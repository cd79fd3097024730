// Discovery through the API: the API records the request and queues it; a worker (the only kind
// of process that reaches the management network) reads the device. The request waits a short
// while for the answer, and otherwise says where to find it.
import type { Discovery } from '@hitless/contracts';
import { deviceError, notFound, preconditionFailed } from '@hitless/core';
import type { Db } from '@hitless/db';
import { enqueue, type Queue } from '@hitless/messaging';
import { discoveryInclude, toDiscoveryDto } from '@hitless/read-model';
import type { MutationContext } from '../types.ts';

const POLL_MS = 150;

export async function getDiscovery(db: Db, id: string): Promise<Discovery> {
  const row = await db.discovery.findUnique({ where: { id }, include: discoveryInclude });
  if (!row) throw notFound('discovery', id);
  return toDiscoveryDto(row);
}

/**
 * Queues a discovery and waits up to `waitMs` for a worker to finish it: the finished discovery,
 * or the one still under way (the caller answers 202). A device that could not be read is a 502.
 */
export async function requestDiscovery(
  ctx: MutationContext,
  queue: Queue,
  deviceId: string,
  waitMs: number,
): Promise<{ done: boolean; discovery: Discovery }> {
  const device = await ctx.db.device.findUnique({ where: { id: deviceId } });
  if (!device) throw notFound('device', deviceId);
  if (!device.credentialId)
    throw preconditionFailed(`${device.hostname} has no credential; assign one in the inventory first`);
  const row = await ctx.db.discovery.create({ data: { deviceId, requestedById: ctx.actor.id } });
  try {
    await enqueue(queue, 'device-discovery', { discoveryId: row.id });
  } catch (err) {
    // Nothing will read it: say so on the record instead of leaving it QUEUED for ever.
    const error = `discovery of ${device.hostname} could not be queued: ${(err as Error).message}`;
    await ctx.db.discovery.update({ where: { id: row.id }, data: { status: 'FAILED', error, endedAt: new Date() } });
    throw err;
  }
  const deadline = Date.now() + waitMs;
  for (;;) {
    const discovery = await getDiscovery(ctx.db, row.id);
    if (discovery.status === 'FAILED') throw deviceError(discovery.error ?? `discovery of ${device.hostname} failed`);
    if (discovery.status === 'SUCCEEDED') return { done: true, discovery };
    if (Date.now() >= deadline) return { done: false, discovery };
    await new Promise((r) => setTimeout(r, POLL_MS));
  }
}
