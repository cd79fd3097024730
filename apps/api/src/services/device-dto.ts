// Device rows → the API's Device, with what the inventory shows beside each row: the newest run,
// the ISSU state of the last discovery and the compliance against the family's golden release.
// A page of devices costs two queries more whatever its size (newest runs, golden images), never
// one per device.
import type { Device as DeviceDto, DeviceLastRun, RunStatus } from '@hitless/contracts';
import { complianceOf, platformFamily } from '@hitless/core';
import type { Db, Prisma } from '@hitless/db';
import { toDevice, type DeviceRow } from '../mappers.ts';

type Reader = Db | Prisma.TransactionClient;

interface LastRunRow {
  id: string;
  deviceId: string;
  status: RunStatus;
  toVersion: string;
  startedAt: Date | null;
  endedAt: Date | null;
}

/** The newest run (by creation) of each device, in one query. */
async function lastRuns(db: Reader, ids: string[]): Promise<Map<string, DeviceLastRun>> {
  if (ids.length === 0) return new Map();
  const rows = await db.$queryRaw<LastRunRow[]>`
    SELECT DISTINCT ON ("deviceId") id, "deviceId", status::text AS status, "toVersion", "startedAt", "endedAt"
    FROM "DeviceRun" WHERE "deviceId" = ANY(${ids}::uuid[])
    ORDER BY "deviceId", "createdAt" DESC, id DESC`;
  return new Map(
    rows.map((r) => [
      r.deviceId,
      {
        id: r.id,
        status: r.status,
        targetVersion: r.toVersion,
        startedAt: r.startedAt?.toISOString() ?? null,
        finishedAt: r.endedAt?.toISOString() ?? null,
      },
    ]),
  );
}

/** Golden release per `vendor/family` (one row per family at most: the table is small). */
async function goldenVersions(db: Reader): Promise<Map<string, string>> {
  const rows = await db.goldenImage.findMany({
    select: { vendor: true, platformFamily: true, image: { select: { version: true } } },
  });
  return new Map(rows.map((g) => [`${g.vendor}/${g.platformFamily}`, g.image.version]));
}

/** The ISSU state a discovery stored in the device's facts, if any. */
function issuStateOf(facts: unknown): string | null {
  if (facts === null || typeof facts !== 'object') return null;
  const state = (facts as { issuState?: unknown }).issuState;
  return typeof state === 'string' && state !== '' ? state : null;
}

export async function deviceDtos(db: Reader, rows: DeviceRow[]): Promise<DeviceDto[]> {
  const [runs, golden] = await Promise.all([
    lastRuns(
      db,
      rows.map((r) => r.id),
    ),
    goldenVersions(db),
  ]);
  return rows.map((row) => {
    const family = platformFamily(row.vendor, row.platform);
    return toDevice(row, {
      platformFamily: family,
      lastRun: runs.get(row.id) ?? null,
      issuState: issuStateOf(row.facts),
      compliance: complianceOf(row.currentVersion, golden.get(`${row.vendor}/${family}`) ?? null),
    });
  });
}

export async function deviceDto(db: Reader, row: DeviceRow): Promise<DeviceDto> {
  const [dto] = await deviceDtos(db, [row]);
  return dto!;
}
