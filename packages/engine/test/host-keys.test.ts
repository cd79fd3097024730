// SSH host keys at the engine: pinned on first use (audited), a key not in the pinned set stops
// runs and discoveries naming the offered and the pinned fingerprints until an admin accepts it, a
// change mid-run sends nothing more, strict mode refuses a device with no pinned key, and a dual-RE
// Junos router whose REs have their own keys needs both pinned to get through the mastership switch.
import { generateKeyPairSync } from 'node:crypto';
import { hostKeyFingerprint } from '@hitless/crypto';
import { EventPublisher } from '@hitless/messaging';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runDiscovery } from '../src/discovery.ts';
import { HostKeyRejected } from '../src/errors.ts';
import { pinOnFirstUse } from '../src/host-keys.ts';
import {
  CISCO_DISRUPTIVE,
  counts,
  ENGINE,
  HAPPY_PATH,
  JUNOS_DISRUPTIVE,
  startBed,
  stepNames,
  TIME_SCALE,
  type Bed,
} from './harness.ts';

const SB9 = '12.2(33)SB9';

let bed: Bed;
beforeAll(async () => {
  bed = await startBed(['c10k', 'c10k', 'c10k', 'c10k']);
});
afterAll(async () => bed?.close());

const host = (i: number) => bed.devices[i]!.hostname;
const labKey = (i: number) => bed.lab.info()[i]!.hostKey;
const run = (id: string) => bed.db.deviceRun.findUniqueOrThrow({ where: { id } });
const device = (hostname: string) =>
  bed.db.device.findUniqueOrThrow({ where: { hostname }, include: { hostKeys: { orderBy: { pinnedAt: 'asc' } } } });
const audits = (action: string, targetId: string) => bed.db.auditEvent.findMany({ where: { action, targetId } });
const everything = /./;

async function discover(hostname: string) {
  const d = await device(hostname);
  const row = await bed.db.discovery.create({ data: { deviceId: d.id, requestedById: bed.userId } });
  const events = new EventPublisher(bed.redis, bed.prefix);
  await runDiscovery({ db: bed.db, events, key: bed.key, engine: ENGINE, log: pino({ level: 'warn' }) }, row.id);
  return bed.db.discovery.findUniqueOrThrow({ where: { id: row.id } });
}

/** What an admin's acceptance with "replace" does: the offered key becomes the only pinned one. */
async function acceptOffered(hostname: string) {
  const d = await device(hostname);
  await bed.db.deviceHostKey.deleteMany({ where: { deviceId: d.id } });
  await bed.db.device.update({
    where: { id: d.id },
    data: {
      hostKeys: {
        create: {
          key: d.offeredHostKey!,
          algorithm: d.offeredHostKeyAlgorithm!,
          fingerprint: d.offeredHostKeyFingerprint!,
          source: 'accepted',
        },
      },
      offeredHostKey: null,
      offeredHostKeyAlgorithm: null,
      offeredHostKeyFingerprint: null,
      offeredHostKeyAt: null,
    },
  });
}

describe('host keys in runs and discoveries', () => {
  it('pins the key on first use, audited once, and reconnects after the switchover to the pinned key', async () => {
    const before = await device(host(0));
    expect(before.hostKeys).toEqual([]);
    const id = await bed.createRun(host(0), SB9);
    await bed.drive(id);
    expect(await run(id)).toMatchObject({ status: 'COMPLETED' });
    expect(await stepNames(bed.db, id)).toEqual(expect.arrayContaining([...HAPPY_PATH.CISCO_ISSU]));
    const after = await device(host(0));
    expect(after.offeredHostKey).toBeNull();
    expect(after.hostKeys).toEqual([
      expect.objectContaining({
        key: labKey(0).key,
        algorithm: 'ssh-ed25519',
        fingerprint: labKey(0).fingerprint,
        source: 'tofu',
        pinnedAt: expect.any(Date),
      }),
    ]);
    const pinned = await audits('device.host_key.pinned', after.id);
    expect(pinned).toHaveLength(1);
    expect(pinned[0]).toMatchObject({ actorName: 'system', actorId: null });
    expect(pinned[0]!.details).toMatchObject({ fingerprint: labKey(0).fingerprint, source: 'tofu' });
  });

  it('refuses a run and a discovery after the key changed, naming both keys; accepted, the next run completes', async () => {
    const h = host(1);
    expect((await discover(h)).status).toBe('SUCCEEDED');
    const trusted = labKey(1).fingerprint;
    expect((await device(h)).hostKeys.map((k) => k.fingerprint)).toEqual([trusted]);

    const offered = await bed.lab.rekey(h);
    const sentBefore = await counts(bed, h, everything);
    const id = await bed.createRun(h, SB9);
    await bed.drive(id);
    const refused = await run(id);
    expect(refused.status).toBe('REFUSED');
    expect(refused.summary).toContain(`pinned ${trusted}`);
    expect(refused.summary).toContain(`offered ${offered}`);
    expect(refused.summary).toMatch(/an admin must accept the new key/);
    // Not a line reached the device.
    expect(await counts(bed, h, everything)).toEqual(sentBefore);
    const row = await device(h);
    expect(row.hostKeys.map((k) => k.fingerprint)).toEqual([trusted]);
    expect(row.offeredHostKeyFingerprint).toBe(offered);
    expect(row.offeredHostKey).toBe(bed.lab.info()[1]!.hostKey.key);

    // Every connection stops, and the same key offered again is audited once.
    const discovery = await discover(h);
    expect(discovery.status).toBe('FAILED');
    expect(discovery.error).toContain(trusted);
    expect(discovery.error).toContain(offered);
    expect(await audits('device.host_key.mismatch', row.id)).toHaveLength(1);
    expect((await audits('device.host_key.mismatch', row.id))[0]!.details).toMatchObject({
      pinned: [trusted],
      offered,
    });

    await acceptOffered(h);
    const again = await bed.createRun(h, SB9);
    await bed.drive(again);
    expect(await run(again)).toMatchObject({ status: 'COMPLETED' });
    const accepted = await device(h);
    expect(accepted.offeredHostKey).toBeNull();
    expect(accepted.hostKeys).toEqual([expect.objectContaining({ fingerprint: offered, source: 'accepted' })]);
  });

  it('mid-run, a changed key sends nothing more to the device and fails the run saying so', async () => {
    const h = host(2);
    const trusted = labKey(2).fingerprint;
    const id = await bed.createRun(h, SB9);
    let offered = '';
    await bed.drive(id, {}, async (name) => {
      if (name === 'runversion') offered = await bed.lab.rekey(h);
    });
    const r = await run(id);
    expect(r.status).toBe('FAILED');
    expect(r.summary).toContain(`offered ${offered}`);
    expect(r.summary).toContain(`pinned ${trusted}`);
    expect(r.summary).toMatch(/stopped mid-procedure without sending anything more/);
    const sent = await counts(bed, h, CISCO_DISRUPTIVE);
    expect(Object.keys(sent).map((l) => l.split(' ')[1])).toEqual(['loadversion', 'runversion']);
    const steps = await bed.db.runStep.findMany({ where: { runId: id }, orderBy: { seq: 'asc' } });
    expect(steps.at(-1)).toMatchObject({ name: 'reconnect', status: 'FAILED' });
    expect((await device(h)).offeredHostKeyFingerprint).toBe(offered);
  });

  it('in strict mode refuses a device with no pinned key, reaching nothing on it', async () => {
    const h = host(3);
    const id = await bed.createRun(h, SB9);
    await bed.drive(id, { strictHostKeys: true });
    const r = await run(id);
    expect(r.status).toBe('REFUSED');
    expect(r.summary).toMatch(/no pinned SSH host key and strict host key checking is on/);
    expect(r.summary).toContain(labKey(3).fingerprint);
    expect(await counts(bed, h, everything)).toEqual({});
    const row = await device(h);
    expect(row).toMatchObject({ hostKeys: [], offeredHostKeyFingerprint: labKey(3).fingerprint });
    expect(await audits('device.host_key.unpinned_refused', row.id)).toHaveLength(1);
  });
});

describe('trust on first use', () => {
  /** A fresh ed25519 public key as the driver reports one it saw. */
  const seenKey = () => {
    const x = generateKeyPairSync('ed25519').publicKey.export({ format: 'jwk' }).x!;
    const part = (b: Buffer) => Buffer.concat([Buffer.from([0, 0, 0, b.length]), b]);
    const key = Buffer.concat([part(Buffer.from('ssh-ed25519')), part(Buffer.from(x, 'base64url'))]).toString('base64');
    return { algorithm: 'ssh-ed25519', key, fingerprint: hostKeyFingerprint(key) };
  };

  it('pins only while the set is empty: two first connections at once pin one key, the other is refused', async () => {
    const row = await bed.db.device.create({
      data: { hostname: 'tofu-race', mgmtAddress: '127.200.0.1', vendor: 'JUNOS', platform: 'MX480' },
    });
    const [a, b] = [seenKey(), seenKey()];
    const results = await Promise.allSettled([pinOnFirstUse(bed.db, row, a), pinOnFirstUse(bed.db, row, b)]);
    const pins = await bed.db.deviceHostKey.findMany({ where: { deviceId: row.id } });
    expect(pins).toHaveLength(1);
    const winner = pins[0]!.fingerprint;
    const refused = results.flatMap((r) => (r.status === 'rejected' ? [r.reason as HostKeyRejected] : []));
    expect(refused).toHaveLength(1);
    expect(refused[0]).toBeInstanceOf(HostKeyRejected);
    expect(refused[0]!.pinnedFingerprints).toEqual([winner]);
    expect(refused[0]!.offeredFingerprint).toBe(winner === a.fingerprint ? b.fingerprint : a.fingerprint);
    expect(await audits('device.host_key.pinned', row.id)).toHaveLength(1);
  });
});

describe('a dual-RE Junos router whose routing engines have their own host keys', () => {
  const T = '10.3R2.11';
  let mx: Bed;
  beforeAll(async () => {
    // registerLabFleet pins both REs' keys (source import), as a known_hosts import would.
    mx = await startBed(['mx', 'mx'], {}, TIME_SCALE, { engineHostKeys: true });
  });
  afterAll(async () => mx?.close());
  const keysOf = (i: number) => mx.lab.info()[i]!.hostKeys;
  const pinsOf = async (hostname: string) =>
    (await mx.db.device.findUniqueOrThrow({ where: { hostname }, include: { hostKeys: true } })).hostKeys;

  it('with both keys pinned, the ISSU completes through the mastership switches', async () => {
    const h = mx.devices[0]!.hostname;
    const [re0, re1] = keysOf(0).map((k) => k.fingerprint);
    expect(re0).not.toBe(re1);
    expect((await pinsOf(h)).map((k) => [k.fingerprint, k.source]).sort()).toEqual(
      [
        [re0, 'import'],
        [re1, 'import'],
      ].sort(),
    );
    const id = await mx.createRun(h, T);
    await mx.drive(id);
    expect(await mx.db.deviceRun.findUniqueOrThrow({ where: { id } })).toMatchObject({ status: 'COMPLETED' });
    expect(await stepNames(mx.db, id)).toEqual(expect.arrayContaining([...HAPPY_PATH.JUNOS_ISSU]));
    const row = await mx.db.device.findUniqueOrThrow({ where: { hostname: h } });
    expect(row.offeredHostKey).toBeNull();
    expect(await mx.db.auditEvent.count({ where: { action: 'device.host_key.mismatch', targetId: row.id } })).toBe(0);
  });

  it("with only re0's key pinned, the run fails at the reconnect after the switch naming both keys, sending nothing more", async () => {
    const h = mx.devices[1]!.hostname;
    const [re0, re1] = keysOf(1);
    const row = await mx.db.device.findUniqueOrThrow({ where: { hostname: h } });
    await mx.db.deviceHostKey.deleteMany({ where: { deviceId: row.id, key: re1!.key } });
    const id = await mx.createRun(h, T);
    await mx.drive(id);
    const r = await mx.db.deviceRun.findUniqueOrThrow({ where: { id } });
    expect(r.status).toBe('FAILED');
    expect(r.summary).toContain(`offered ${re1!.fingerprint}`);
    expect(r.summary).toContain(`pinned ${re0!.fingerprint}`);
    expect(r.summary).toMatch(/stopped mid-procedure without sending anything more/);
    const steps = await mx.db.runStep.findMany({ where: { runId: id }, orderBy: { seq: 'asc' } });
    expect(steps.map((s) => s.name)).toEqual(['pre-checks', 'in-service upgrade', 'reconnect']);
    expect(steps.at(-1)).toMatchObject({ name: 'reconnect', status: 'FAILED' });
    expect(Object.keys(await counts(mx, h, JUNOS_DISRUPTIVE))).toEqual([
      'request system software in-service-upgrade /var/tmp/jinstall-10.3R2.11-domestic-signed.tgz',
    ]);
    expect((await mx.db.device.findUniqueOrThrow({ where: { id: row.id } })).offeredHostKeyFingerprint).toBe(
      re1!.fingerprint,
    );
  });
});
