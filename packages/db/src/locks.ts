// Row locks Prisma has no query for: a device's row held until the transaction ends, so the
// changes to its SSH host keys (a first-use pin by a worker, an admin's acceptance, an import)
// happen one after the other.
import type { Prisma } from './generated/client.ts';

/** Locks the device row (FOR UPDATE) until the transaction ends; false when there is no such device. */
export async function lockDeviceRow(tx: Prisma.TransactionClient, id: string): Promise<boolean> {
  const rows = await tx.$queryRaw<{ id: string }[]>`SELECT id FROM "Device" WHERE id = ${id}::uuid FOR UPDATE`;
  return rows.length > 0;
}
