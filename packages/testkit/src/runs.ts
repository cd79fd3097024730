// A queued upgrade run written straight to the database, the way the API's startRun leaves one
// (minus its checks and audit): for engine tests, crash tests and the worker benchmark.
import type { Db } from '@hitless/db';

export interface QueuedRun {
  hostname: string;
  version: string;
  userId: string;
  acceptMode?: 'AUTO' | 'MANUAL';
  allowDisruptive?: boolean;
  rollbackTimerSeconds?: number;
  rebootOldMaster?: boolean;
}

export async function insertQueuedRun(db: Db, r: QueuedRun): Promise<string> {
  const device = await db.device.findUniqueOrThrow({ where: { hostname: r.hostname } });
  const image = await db.softwareImage.findFirstOrThrow({ where: { vendor: device.vendor, version: r.version } });
  const run = await db.deviceRun.create({
    data: {
      deviceId: device.id,
      imageId: image.id,
      procedure: device.vendor === 'JUNOS' ? 'JUNOS_ISSU' : 'CISCO_ISSU',
      status: 'QUEUED',
      acceptMode: r.acceptMode ?? 'AUTO',
      allowDisruptive: r.allowDisruptive ?? false,
      fromVersion: device.currentVersion,
      toVersion: image.version,
      options: {
        rebootOldMaster: r.rebootOldMaster ?? true,
        restoreMastership: true,
        ...(r.rollbackTimerSeconds && { rollbackTimerSeconds: r.rollbackTimerSeconds }),
      },
      createdById: r.userId,
    },
  });
  return run.id;
}
