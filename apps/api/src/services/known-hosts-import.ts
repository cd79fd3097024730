// The known_hosts import: parse (packages/crypto), plan what each line does to each device, then
// write every pin in one transaction with one audit event. All-or-nothing: a bad line rejects the
// whole text, and a device whose pinned key changed while importing rolls everything back.
import { Rooms, type HostKeyImportLine, type HostKeyImportResult, type ImportRowError } from '@hitless/contracts';
import { conflict } from '@hitless/core';
import { knownHostMatches, parseKnownHosts, type KnownHostsKey, type KnownHostsLine } from '@hitless/crypto';
import { recordAudit } from '@hitless/db';
import type { MutationContext } from '../types.ts';
import { NO_OFFERED_KEY } from './host-keys.ts';
import { publishAfterCommit } from './publish.ts';

/** Each hashed line is hashed once per device name; this bounds an import's work. */
export const MAX_KNOWN_HOSTS_LINES = 20_000;

export interface DeviceKeys {
  id: string;
  hostname: string;
  mgmtAddress: string;
  port: number;
  hostKeyFingerprint: string | null;
}

interface Pin {
  deviceId: string;
  hostname: string;
  entry: KnownHostsKey;
  previousFingerprint: string | null;
}

/** Preferred first when a file has several keys for one device (ssh2's own order of host key types). */
const PREFERENCE = ['ssh-ed25519', 'ecdsa-sha2-nistp256', 'ecdsa-sha2-nistp384', 'ecdsa-sha2-nistp521', 'ssh-rsa'];
const rank = (algorithm: string) =>
  PREFERENCE.includes(algorithm) ? PREFERENCE.indexOf(algorithm) : PREFERENCE.length;

/**
 * What each line does to each device, and the pins to write. A device matches a host written as its
 * management address or its hostname, on its own port (a plain host is port 22). One key is pinned
 * per device: the one already pinned if the file has it, else the preferred type, else the first.
 */
export function planHostKeyImport(
  lines: KnownHostsLine[],
  devices: DeviceKeys[],
  replace: boolean,
): { rows: HostKeyImportLine[]; pins: Pin[] } {
  const byName = new Map<string, DeviceKeys[]>();
  for (const d of devices) {
    for (const name of new Set([d.mgmtAddress.toLowerCase(), d.hostname.toLowerCase()])) {
      const key = `${name} ${d.port}`;
      byName.set(key, [...(byName.get(key) ?? []), d]);
    }
  }
  const rows: HostKeyImportLine[] = [];
  const row = (l: KnownHostsKey, rest: Partial<HostKeyImportLine> & Pick<HostKeyImportLine, 'status'>) =>
    rows.push({
      line: l.line,
      hosts: l.hostsText,
      algorithm: l.algorithm,
      fingerprint: l.fingerprint,
      deviceId: null,
      hostname: null,
      previousFingerprint: null,
      reason: null,
      ...rest,
    });
  const candidates = new Map<string, { device: DeviceKeys; entries: KnownHostsKey[] }>();
  for (const l of lines) {
    if (l.kind === 'bad') continue;
    if (l.kind === 'skipped') {
      const pinnedOn = l.marker === 'revoked' ? devices.filter((d) => d.hostKeyFingerprint === l.fingerprint) : [];
      if (pinnedOn.length === 0) row(l, { status: 'skipped', reason: l.reason });
      for (const d of pinnedOn) {
        row(l, {
          status: 'skipped',
          deviceId: d.id,
          hostname: d.hostname,
          previousFingerprint: d.hostKeyFingerprint,
          reason: `${l.reason}; it is the key pinned for ${d.hostname}: forget that key or accept another`,
        });
      }
      continue;
    }
    const matched = new Map<string, DeviceKeys>();
    for (const h of l.hosts) {
      if (h.kind === 'plain') for (const d of byName.get(`${h.name} ${h.port}`) ?? []) matched.set(d.id, d);
      if (h.kind === 'hashed') {
        for (const d of devices) {
          if (knownHostMatches(h, d.mgmtAddress, d.port) || knownHostMatches(h, d.hostname, d.port))
            matched.set(d.id, d);
        }
      }
    }
    if (matched.size === 0)
      row(l, { status: 'unknown_host', reason: 'no device has this address or hostname and port' });
    for (const d of matched.values()) {
      const c = candidates.get(d.id) ?? { device: d, entries: [] };
      c.entries.push(l);
      candidates.set(d.id, c);
    }
  }

  const pins: Pin[] = [];
  for (const { device: d, entries } of candidates.values()) {
    const kept = entries.find((e) => e.fingerprint === d.hostKeyFingerprint);
    const chosen = kept ?? [...entries].sort((a, b) => rank(a.algorithm) - rank(b.algorithm) || a.line - b.line)[0]!;
    const who = { deviceId: d.id, hostname: d.hostname, previousFingerprint: d.hostKeyFingerprint };
    if (kept) row(chosen, { status: 'unchanged', ...who });
    else if (!d.hostKeyFingerprint) row(chosen, { status: 'pinned', ...who, previousFingerprint: null });
    else if (replace) row(chosen, { status: 'replaced', ...who });
    else {
      row(chosen, {
        status: 'conflict',
        ...who,
        reason: `${d.hostname} has another key pinned; import with replace to pin this one`,
      });
    }
    if (!kept && (replace || !d.hostKeyFingerprint)) pins.push({ ...who, entry: chosen });
    for (const other of entries.filter((e) => e !== chosen)) {
      const reason =
        other.fingerprint === chosen.fingerprint
          ? `the same key as line ${chosen.line}`
          : `${d.hostname} takes the ${chosen.algorithm} key on line ${chosen.line}; one key is pinned per device`;
      row(other, { status: 'skipped', ...who, reason });
    }
  }
  rows.sort((a, b) => a.line - b.line || (a.hostname ?? '').localeCompare(b.hostname ?? ''));
  return { rows, pins };
}

/** A file with bad lines: nothing was imported; every bad line is listed. */
export class KnownHostsRejected extends Error {
  constructor(readonly errors: ImportRowError[]) {
    super(`${errors.length} bad line(s) in the known_hosts text; nothing was imported`);
  }
}

/**
 * Imports known_hosts all-or-nothing: a bad line rejects the whole text; otherwise every pin is
 * written in one transaction with one audit event, and only onto devices whose pinned key is still
 * the one the plan was made from.
 */
export async function importKnownHosts(
  ctx: MutationContext,
  input: { text: string; replace: boolean; dryRun: boolean },
): Promise<HostKeyImportResult> {
  const lines = parseKnownHosts(input.text);
  if (lines.length > MAX_KNOWN_HOSTS_LINES) {
    throw new KnownHostsRejected([
      {
        line: 0,
        field: null,
        message: `at most ${MAX_KNOWN_HOSTS_LINES} keys per import; this text has ${lines.length}`,
      },
    ]);
  }
  const bad = lines.flatMap((l) => (l.kind === 'bad' ? [{ line: l.line, field: null, message: l.reason }] : []));
  if (bad.length > 0) throw new KnownHostsRejected(bad);
  if (lines.length === 0) {
    throw new KnownHostsRejected([{ line: 0, field: null, message: 'no key lines (only blank lines and comments)' }]);
  }

  const run = async (db: Pick<MutationContext['db'], 'device'>) => {
    const devices = await db.device.findMany({
      select: { id: true, hostname: true, mgmtAddress: true, port: true, hostKeyFingerprint: true },
    });
    return planHostKeyImport(lines, devices, input.replace);
  };
  const result = (rows: HostKeyImportLine[]): HostKeyImportResult => {
    const counts = { pinned: 0, replaced: 0, unchanged: 0, conflict: 0, unknown_host: 0, skipped: 0 };
    for (const r of rows) counts[r.status]++;
    return { dryRun: input.dryRun, replace: input.replace, counts, lines: rows };
  };
  if (input.dryRun) return result((await run(ctx.db)).rows);

  const plan = await ctx.db.$transaction(
    async (tx) => {
      const planned = await run(tx);
      const now = new Date();
      for (const p of planned.pins) {
        const { count } = await tx.device.updateMany({
          where: { id: p.deviceId, hostKeyFingerprint: p.previousFingerprint },
          data: {
            hostKeyAlgorithm: p.entry.algorithm,
            hostKey: p.entry.key,
            hostKeyFingerprint: p.entry.fingerprint,
            hostKeyPinnedAt: now,
            hostKeySource: 'import',
            ...NO_OFFERED_KEY,
          },
        });
        if (count !== 1)
          throw conflict(`the host key of ${p.hostname} changed during the import; nothing was imported`);
      }
      if (planned.pins.length > 0) {
        const summary = result(planned.rows).counts;
        await recordAudit(tx, ctx.actor, {
          action: 'device.host_keys.imported',
          targetType: 'device',
          details: {
            replace: input.replace,
            counts: summary,
            pins: planned.pins.map((p) => ({
              deviceId: p.deviceId,
              hostname: p.hostname,
              line: p.entry.line,
              algorithm: p.entry.algorithm,
              fingerprint: p.entry.fingerprint,
              previousFingerprint: p.previousFingerprint,
            })),
          },
        });
      }
      return planned;
    },
    { timeout: 60_000 },
  );
  if (plan.pins.length > 0)
    await publishAfterCommit(ctx, 'device.updated', [Rooms.inventory], { action: 'bulk', id: '' });
  return result(plan.rows);
}
