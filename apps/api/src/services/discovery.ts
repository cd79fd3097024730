import type { Config } from '@hitless/config';
import { Rooms } from '@hitless/contracts';
import { deviceError, notFound } from '@hitless/core';
import { recordAudit, type Prisma } from '@hitless/db';
import { DeviceError, ParseError, TransportError } from '@hitless/drivers';
import { connect, discover, sshTargetOf, vendorOf } from '@hitless/engine';
import { toDevice } from '../mappers.ts';
import type { MutationContext } from '../types.ts';
import { publishAfterCommit } from './publish.ts';

/** Connects to the device, reads its facts and stores them. Device problems answer 502. */
export async function discoverDevice(ctx: MutationContext, config: Config, id: string) {
  const device = await ctx.db.device.findUnique({ where: { id } });
  if (!device) throw notFound('device', id);
  const target = await sshTargetOf(ctx.db, config.secrets.key, device);
  let facts;
  try {
    const access = await connect(target, vendorOf(device), {
      engine: { ...config.engine, commandTimeoutMs: Math.min(config.engine.commandTimeoutMs, 30_000) },
    });
    try {
      facts = await discover(device, access);
    } finally {
      access.driver.close();
    }
  } catch (err) {
    if (err instanceof TransportError || err instanceof DeviceError || err instanceof ParseError)
      throw deviceError(`discovery of ${device.hostname} failed: ${err.message.split('\n')[0]}`);
    throw err;
  }
  const row = await ctx.db.$transaction(async (tx) => {
    const updated = await tx.device.update({
      where: { id },
      data: {
        facts: facts as unknown as Prisma.InputJsonValue,
        factsUpdatedAt: new Date(),
        ...(facts.softwareVersion && { currentVersion: facts.softwareVersion }),
      },
      include: { credential: { select: { name: true } } },
    });
    await recordAudit(tx, ctx.actor, {
      action: 'device.discovered',
      targetType: 'device',
      targetId: id,
      details: { hostname: device.hostname, version: facts.softwareVersion },
    });
    return updated;
  });
  const dto = toDevice(row);
  await publishAfterCommit(ctx, 'device.updated', [Rooms.inventory], { action: 'updated', id, device: dto });
  return dto;
}
