// The known_hosts import: parse (packages/crypto), match and plan what each key does to each device
// BEFORE any transaction (hashed names cost one HMAC per device name: the matching yields to the
// event loop between batches, and a file × inventory too large to match is refused with 413), then
// write the pins in one short transaction with one audit event, only onto devices whose pinned set
// is still the one the plan was made from (each device row locked while it is checked). A device
// gets EVERY key the file lists for it (a dual-RE box: both REs' keys). All-or-nothing: a bad line
// rejects the whole text, a device whose set changed meanwhile rolls everything back.
import { Rooms, type HostKeyImportLine, type HostKeyImportResult, type ImportRowError } from '@hitless/contracts';
import { conflict, DomainError } from '@hitless/core';
import { knownHostMatches, parseKnownHosts, type KnownHostsKey, type KnownHostsLine } from '@hitless/crypto';
import { recordAudit } from '@hitless/db';
import type { MutationContext } from '../types.ts';
import { lockDevice, NO_OFFERED_KEY } from './host-keys.ts';
import { publishAfterCommit } from './publish.ts';

export const MAX_KNOWN_HOSTS_LINES = 20_000;
/** Hashed host names × device names an import may match (one HMAC-SHA1 each): a few seconds of CPU at most. */
export const MAX_HASH_MATCHES = 4_000_000;
/** HMACs between two yields to the event loop. */
const HASH_BATCH = 2_000;

export interface PinnedKey {
  algorithm: string;
  key: string;
  fingerprint: string;
}

export interface DeviceKeys {
  id: string;
  hostname: string;
  mgmtAddress: string;
  port: number;
  hostKeys: PinnedKey[];
}

/** What the import changes on one device: keys to add, keys to remove, and the set it was planned from. */
export interface DevicePlan {
  deviceId: string;
  hostname: string;
  /** The pinned keys (blobs) the plan was made from. */
  expected: string[];
  add: KnownHostsKey[];
  remove: PinnedKey[];
}

const yieldToEventLoop = () => new Promise<void>((resolve) => setImmediate(resolve));

/**
 * Which devices each key line names. A device matches a host written as its management address or
 * its hostname, on its own port (a plain host is port 22); a hashed host is hashed against every
 * device name, yielding between batches.
 */
export async function matchKnownHosts(
  lines: KnownHostsKey[],
  devices: DeviceKeys[],
): Promise<Map<KnownHostsKey, DeviceKeys[]>> {
  const hashed = lines.reduce((n, l) => n + l.hosts.filter((h) => h.kind === 'hashed').length, 0);
  if (hashed * devices.length * 2 > MAX_HASH_MATCHES) {
    throw new DomainError(
      'PAYLOAD_TOO_LARGE',
      `${hashed} hashed host names against ${devices.length} devices is too much to match in one import ` +
        `(at most ${MAX_HASH_MATCHES} name comparisons); split the file, or export it unhashed (without ssh-keygen -H)`,
    );
  }
  const byName = new Map<string, DeviceKeys[]>();
  for (const d of devices) {
    for (const name of new Set([d.mgmtAddress.toLowerCase(), d.hostname.toLowerCase()])) {
      const key = `${name} ${d.port}`;
      byName.set(key, [...(byName.get(key) ?? []), d]);
    }
  }
  const matches = new Map<KnownHostsKey, DeviceKeys[]>();
  let work = 0;
  for (const l of lines) {
    const matched = new Map<string, DeviceKeys>();
    for (const h of l.hosts) {
      if (h.kind === 'plain') for (const d of byName.get(`${h.name} ${h.port}`) ?? []) matched.set(d.id, d);
      if (h.kind !== 'hashed') continue;
      for (const d of devices) {
        if (knownHostMatches(h, d.mgmtAddress, d.port) || knownHostMatches(h, d.hostname, d.port)) matched.set(d.id, d);
        work += 2;
        if (work >= HASH_BATCH) {
          work = 0;
          await yieldToEventLoop();
        }
      }
    }
    matches.set(l, [...matched.values()]);
  }
  return matches;
}

/**
 * What each key does to each device, and the changes to write. Every key listed for a device is
 * pinned (or already is); a pinned key the file does not list is kept, or removed with `replace`.
 */
export function planHostKeyImport(
  lines: KnownHostsLine[],
  matches: Map<KnownHostsKey, DeviceKeys[]>,
  devices: DeviceKeys[],
  replace: boolean,
): { rows: HostKeyImportLine[]; plans: DevicePlan[]; conflicts: number } {
  const rows: HostKeyImportLine[] = [];
  const row = (l: KnownHostsKey | PinnedKey, rest: Partial<HostKeyImportLine> & Pick<HostKeyImportLine, 'status'>) =>
    rows.push({
      line: 'line' in l ? l.line : null,
      hosts: 'hostsText' in l ? l.hostsText : '',
      algorithm: l.algorithm,
      fingerprint: l.fingerprint,
      deviceId: null,
      hostname: null,
      reason: null,
      ...rest,
    });
  const listed = new Map<string, { device: DeviceKeys; entries: KnownHostsKey[] }>();
  for (const l of lines) {
    if (l.kind === 'bad') continue;
    if (l.kind === 'skipped') {
      const pinnedOn =
        l.marker === 'revoked' ? devices.filter((d) => d.hostKeys.some((k) => k.fingerprint === l.fingerprint)) : [];
      if (pinnedOn.length === 0) row(l, { status: 'skipped', reason: l.reason });
      for (const d of pinnedOn) {
        row(l, {
          status: 'skipped',
          deviceId: d.id,
          hostname: d.hostname,
          reason: `${l.reason}; it is a key pinned for ${d.hostname}: forget that key`,
        });
      }
      continue;
    }
    const matched = matches.get(l) ?? [];
    if (matched.length === 0)
      row(l, { status: 'unknown_host', reason: 'no device has this address or hostname and port' });
    for (const d of matched) {
      const c = listed.get(d.id) ?? { device: d, entries: [] };
      c.entries.push(l);
      listed.set(d.id, c);
    }
  }

  const plans: DevicePlan[] = [];
  let conflicts = 0;
  for (const { device: d, entries } of listed.values()) {
    const who = { deviceId: d.id, hostname: d.hostname };
    const pinned = new Set(d.hostKeys.map((k) => k.key));
    const first = new Map<string, KnownHostsKey>();
    const add: KnownHostsKey[] = [];
    for (const e of entries) {
      const earlier = first.get(e.key);
      if (earlier) {
        row(e, { status: 'skipped', ...who, reason: `the same key as line ${earlier.line}` });
        continue;
      }
      first.set(e.key, e);
      if (pinned.has(e.key)) row(e, { status: 'unchanged', ...who });
      else {
        row(e, { status: 'pinned', ...who });
        add.push(e);
      }
    }
    const unlisted = d.hostKeys.filter((k) => !first.has(k.key));
    if (unlisted.length > 0) conflicts++;
    for (const k of unlisted) {
      row(k, {
        status: replace ? 'removed' : 'kept',
        ...who,
        reason: replace
          ? `pinned for ${d.hostname} but not in the file: forgotten (replace)`
          : `pinned for ${d.hostname} but not in the file: kept (import with replace to forget it)`,
      });
    }
    const remove = replace ? unlisted : [];
    if (add.length > 0 || remove.length > 0)
      plans.push({ ...who, expected: d.hostKeys.map((k) => k.key), add, remove });
  }
  rows.sort(
    (a, b) =>
      (a.line ?? Infinity) - (b.line ?? Infinity) ||
      (a.hostname ?? '').localeCompare(b.hostname ?? '') ||
      a.fingerprint.localeCompare(b.fingerprint),
  );
  return { rows, plans, conflicts };
}

/** A file with bad lines: nothing was imported; every bad line is listed. */
export class KnownHostsRejected extends Error {
  constructor(readonly errors: ImportRowError[]) {
    super(`${errors.length} bad line(s) in the known_hosts text; nothing was imported`);
  }
}

const sameSet = (a: string[], b: string[]) => a.length === b.length && [...a].sort().join() === [...b].sort().join();

/**
 * Imports known_hosts all-or-nothing: a bad line rejects the whole text; otherwise the plan is made
 * outside any transaction, then every change is written in one transaction with one audit event,
 * and only onto devices whose pinned set is still the one the plan was made from.
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

  const devices = await ctx.db.device.findMany({
    select: {
      id: true,
      hostname: true,
      mgmtAddress: true,
      port: true,
      hostKeys: { select: { algorithm: true, key: true, fingerprint: true } },
    },
  });
  const keyLines = lines.filter((l): l is Extract<KnownHostsLine, { kind: 'key' }> => l.kind === 'key');
  const matches = await matchKnownHosts(keyLines, devices);
  const { rows, plans, conflicts } = planHostKeyImport(lines, matches, devices, input.replace);
  const counts = { pinned: 0, unchanged: 0, kept: 0, removed: 0, unknown_host: 0, skipped: 0 };
  for (const r of rows) counts[r.status]++;
  const result: HostKeyImportResult = { dryRun: input.dryRun, replace: input.replace, counts, conflicts, lines: rows };
  if (input.dryRun || plans.length === 0) return result;

  const planned = new Map(devices.map((d) => [d.id, d]));
  await ctx.db.$transaction(
    async (tx) => {
      // Devices locked in one order, so two imports at once wait for each other, never deadlock.
      for (const p of [...plans].sort((a, b) => (a.deviceId < b.deviceId ? -1 : 1))) {
        const changed = conflict(
          `${p.hostname} changed during the import (keys, address or name); nothing was imported`,
        );
        const d = await lockDevice(tx, p.deviceId).catch(() => {
          throw changed;
        });
        // The lines were matched to this address, port and name: the keys belong to them.
        const was = planned.get(p.deviceId)!;
        if (
          d.mgmtAddress !== was.mgmtAddress ||
          d.port !== was.port ||
          d.hostname !== was.hostname ||
          !sameSet(
            d.hostKeys.map((k) => k.key),
            p.expected,
          )
        )
          throw changed;
        if (p.remove.length > 0)
          await tx.deviceHostKey.deleteMany({
            where: { deviceId: p.deviceId, key: { in: p.remove.map((k) => k.key) } },
          });
        await tx.deviceHostKey.createMany({
          data: p.add.map((e) => ({
            deviceId: p.deviceId,
            algorithm: e.algorithm,
            key: e.key,
            fingerprint: e.fingerprint,
            source: 'import',
          })),
        });
        // The key it offered is pinned now: no longer pending.
        if (d.offeredHostKey && p.add.some((e) => e.key === d.offeredHostKey))
          await tx.device.update({ where: { id: p.deviceId }, data: NO_OFFERED_KEY });
      }
      await recordAudit(tx, ctx.actor, {
        action: 'device.host_keys.imported',
        targetType: 'device',
        details: {
          replace: input.replace,
          counts,
          devices: plans.map((p) => ({
            deviceId: p.deviceId,
            hostname: p.hostname,
            pinned: p.add.map((e) => ({ line: e.line, algorithm: e.algorithm, fingerprint: e.fingerprint })),
            removed: p.remove.map((k) => ({ algorithm: k.algorithm, fingerprint: k.fingerprint })),
          })),
        },
      });
    },
    { timeout: 30_000 },
  );
  await publishAfterCommit(ctx, 'device.updated', [Rooms.inventory], { action: 'bulk', id: '' });
  return result;
}
