// Which device a message came from (its source address, then the hostname it names) and which
// run was in flight on that device when it arrived. The inventory and the runs are read from
// PostgreSQL at most once a second and kept in memory, so matching a batch costs no query.
import { isIP, isIPv4 } from 'node:net';
import type { Db } from '@hitless/db';

export type MatchKind = 'address' | 'hostname' | 'unknown';

export interface Match {
  deviceId: string | null;
  hostname: string | null;
  runId: string | null;
  how: MatchKind;
}

interface RunSpan {
  id: string;
  from: number;
  to: number;
}

/**
 * One spelling per address: IPv4-mapped IPv6 (a dual-stack socket's view) is the IPv4 address,
 * IPv6 in its canonical form (`2001:DB8:0:0::0001` is `2001:db8::1`) without a zone id.
 */
export function normaliseAddress(address: string): string {
  let a = address.trim().toLowerCase();
  if (a.startsWith('[') && a.endsWith(']')) a = a.slice(1, -1);
  if (isIP(a.split('%')[0]!) === 6) {
    a = new URL(`http://[${a.split('%')[0]}]`).hostname.slice(1, -1);
    if (a.startsWith('::ffff:') && isIPv4(mappedV4(a))) return mappedV4(a);
  }
  return a;
}

/** `::ffff:7f00:1` (as the URL parser writes it) or `::ffff:127.0.0.1` as `127.0.0.1`. */
function mappedV4(a: string): string {
  const tail = a.slice(7);
  if (tail.includes('.')) return tail;
  const [hi = '', lo = ''] = tail.split(':');
  const n = (parseInt(hi, 16) << 16) | parseInt(lo, 16);
  return [n >>> 24, (n >>> 16) & 255, (n >>> 8) & 255, n & 255].join('.');
}

interface Known {
  id: string;
  hostname: string;
}

/** A key several devices share (an address behind NAT or a terminal server, a short name) decides nothing. */
const AMBIGUOUS: Known = { id: '', hostname: '' };

function claim(map: Map<string, Known>, key: string, device: Known): void {
  const had = map.get(key);
  map.set(key, had && had.id !== device.id ? AMBIGUOUS : device);
}

/** Runs that ended longer ago than this no longer take messages (a late packet is not theirs). */
const RECENT_RUNS_MS = 10 * 60_000;
/** After a miss the inventory is read again, but not more often than this. */
const MISS_REFRESH_MS = 100;

export class DeviceMatcher {
  private byAddress = new Map<string, Known>();
  private byHostname = new Map<string, Known>();
  private byShortName = new Map<string, Known>();
  private runs = new Map<string, RunSpan[]>();
  private loadedAt = 0;

  constructor(
    private readonly db: Db,
    private readonly refreshMs = 1000,
  ) {}

  /**
   * Reads the inventory and the runs again when they are older than `refreshMs`, or than
   * `MISS_REFRESH_MS` when the caller just failed to match something (a device added, a run
   * started a moment ago).
   */
  async refresh(force = false, missed = false): Promise<void> {
    const age = Date.now() - this.loadedAt;
    if (!force && age < this.refreshMs && !(missed && age >= MISS_REFRESH_MS)) return;
    const [devices, runs] = await Promise.all([
      this.db.device.findMany({ select: { id: true, hostname: true, mgmtAddress: true } }),
      this.db.deviceRun.findMany({
        where: { OR: [{ endedAt: null }, { endedAt: { gte: new Date(Date.now() - RECENT_RUNS_MS) } }] },
        select: { id: true, deviceId: true, createdAt: true, startedAt: true, endedAt: true },
      }),
    ]);
    const byAddress = new Map<string, Known>();
    const byHostname = new Map<string, Known>();
    const byShortName = new Map<string, Known>();
    for (const d of devices) {
      const device = { id: d.id, hostname: d.hostname };
      claim(byAddress, normaliseAddress(d.mgmtAddress), device);
      const name = d.hostname.toLowerCase();
      byHostname.set(name, device);
      // Devices often log their short name while the inventory has the FQDN (or the reverse).
      claim(byShortName, name.split('.')[0]!, device);
    }
    const byDevice = new Map<string, RunSpan[]>();
    for (const r of runs) {
      const spans = byDevice.get(r.deviceId) ?? [];
      spans.push({
        id: r.id,
        from: (r.startedAt ?? r.createdAt).getTime(),
        to: r.endedAt?.getTime() ?? Number.POSITIVE_INFINITY,
      });
      byDevice.set(r.deviceId, spans);
    }
    this.byAddress = byAddress;
    this.byHostname = byHostname;
    this.byShortName = byShortName;
    this.runs = byDevice;
    this.loadedAt = Date.now();
  }

  /** Reads again after a miss when the last read is old enough; says whether it did. */
  async refreshedAfterMiss(): Promise<boolean> {
    const before = this.loadedAt;
    await this.refresh(false, true);
    return this.loadedAt !== before;
  }

  match(sourceAddress: string, hostname: string | null, at: Date): Match {
    let how: MatchKind = 'address';
    let device: Known | undefined = this.byAddress.get(normaliseAddress(sourceAddress));
    if (!device || device === AMBIGUOUS) {
      // The name the message gives: exact, then as an address, then its short form.
      const name = hostname?.toLowerCase();
      const named = name
        ? (this.byHostname.get(name) ??
          this.byAddress.get(normaliseAddress(name)) ??
          this.byShortName.get(name) ??
          this.byShortName.get(name.split('.')[0]!))
        : undefined;
      device = named === AMBIGUOUS ? undefined : named;
      how = 'hostname';
    }
    if (!device) return { deviceId: null, hostname: null, runId: null, how: 'unknown' };
    const t = at.getTime();
    let run: RunSpan | null = null;
    for (const span of this.runs.get(device.id) ?? []) {
      if (span.from <= t && t <= span.to && (!run || span.from > run.from)) run = span;
    }
    return { deviceId: device.id, hostname: device.hostname, runId: run?.id ?? null, how };
  }

  /** A device that is gone since the last refresh (a batch refused for its foreign key). */
  forget(deviceId: string): void {
    for (const map of [this.byAddress, this.byHostname, this.byShortName])
      for (const [k, v] of map) if (v.id === deviceId) map.delete(k);
    this.runs.delete(deviceId);
  }
}
