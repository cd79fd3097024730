// Datagrams the kernel dropped for our UDP socket because its receive buffer was full: the
// `drops` column of /proc/net/udp and /proc/net/udp6 (Linux), matched by the socket's local
// port. Elsewhere there is no such file and the figure is unknown (null).
import { readFile } from 'node:fs/promises';

/** Sums the drops of every UDP socket bound to `port` in one /proc/net/udp{,6} table. */
export function dropsInTable(table: string, port: number): number | null {
  const hexPort = port.toString(16).toUpperCase().padStart(4, '0');
  let found = false;
  let drops = 0;
  for (const line of table.split('\n').slice(1)) {
    const cols = line.trim().split(/\s+/);
    if (cols.length < 13) continue;
    const local = cols[1]!;
    if (local.slice(local.lastIndexOf(':') + 1) !== hexPort) continue;
    found = true;
    drops += Number(cols[cols.length - 1]) || 0;
  }
  return found ? drops : null;
}

export async function kernelUdpDrops(port: number): Promise<number | null> {
  let total: number | null = null;
  for (const file of ['/proc/net/udp', '/proc/net/udp6']) {
    const table = await readFile(file, 'utf8').catch(() => null);
    const drops = table === null ? null : dropsInTable(table, port);
    if (drops !== null) total = (total ?? 0) + drops;
  }
  return total;
}
