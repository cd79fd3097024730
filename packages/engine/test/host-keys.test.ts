// SSH host keys at the engine: pinned on first use (audited), a changed key stops runs and
// discoveries naming both fingerprints until an admin accepts it, a change mid-run sends nothing
// more, and strict mode refuses a device with no pinned key.
import { EventPublisher } from '@hitless/messaging';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runDiscovery } from '../src/discovery.ts';
import { CISCO_DISRUPTIVE, counts, ENGINE, HAPPY_PATH, startBed, stepNames, type Bed } from './harness.ts';

const SB9 = '12.2(33)SB9';

let bed: Bed;
beforeAll(async () => {
  bed = await startBed(['c10k', 'c10k', 'c10k', 'c10k']);
});
afterAll(async () => bed?.close());

const host = (i: number) => bed.devices[i]!.hostname;
const labKey = (i: number) => bed.lab.info()[i]!.hostKey;
const run = (id: string) => bed.db.deviceRun.findUniqueOrThrow({ where: { id } });
const device = (hostname: string) => bed.db.device.findUniqueOrThrow({ where: { hostname } });
const audits = (action: string, targetId: string) => bed.db.auditEvent.findMany({ where: { action, targetId } });
const everything = /./;

async function discover(hostname: string) {
  const d = await device(hostname);
  const row = await bed.db.discovery.create({ data: { deviceId: d.id, requestedById: bed.userId } });
  const events = new EventPublisher(bed.redis, bed.prefix);
  await runDiscovery({ db: bed.db, events, key: bed.key, engine: ENGINE, log: pino({ level: 'warn' }) }, row.id);
  return bed.db.discovery.findUniqueOrThrow({ where: { id: row.id } });
}

/** What an admin's acceptance does: the offered key becomes the pinned one. */
async function acceptOffered(hostname: string) {
  const d = await device(hostname);
  await bed.db.device.update({
    where: { id: d.id },
    data: {
      hostKey: d.offeredHostKey,
      hostKeyAlgorithm: d.offeredHostKeyAlgorithm,
      hostKeyFingerprint: d.offeredHostKeyFingerprint,
      hostKeyPinnedAt: new Date(),
      hostKeySource: 'accepted',
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
    expect(before.hostKey).toBeNull();
    const id = await bed.createRun(host(0), SB9);
    await bed.drive(id);
    expect(await run(id)).toMatchObject({ status: 'COMPLETED' });
    expect(await stepNames(bed.db, id)).toEqual(expect.arrayContaining([...HAPPY_PATH.CISCO_ISSU]));
    const after = await device(host(0));
    expect(after).toMatchObject({
      hostKey: labKey(0).key,
      hostKeyAlgorithm: 'ssh-ed25519',
      hostKeyFingerprint: labKey(0).fingerprint,
      hostKeySource: 'tofu',
      offeredHostKey: null,
    });
    expect(after.hostKeyPinnedAt).toBeInstanceOf(Date);
    const pinned = await audits('device.host_key.pinned', after.id);
    expect(pinned).toHaveLength(1);
    expect(pinned[0]).toMatchObject({ actorName: 'system', actorId: null });
    expect(pinned[0]!.details).toMatchObject({ fingerprint: labKey(0).fingerprint, source: 'tofu' });
  });

  it('refuses a run and a discovery after the key changed, naming both keys; accepted, the next run completes', async () => {
    const h = host(1);
    expect((await discover(h)).status).toBe('SUCCEEDED');
    const trusted = labKey(1).fingerprint;
    expect((await device(h)).hostKeyFingerprint).toBe(trusted);

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
    expect(row).toMatchObject({ hostKeyFingerprint: trusted, offeredHostKeyFingerprint: offered });
    expect(row.offeredHostKey).toBe(bed.lab.info()[1]!.hostKey.key);

    // Every connection stops, and the same key offered again is audited once.
    const discovery = await discover(h);
    expect(discovery.status).toBe('FAILED');
    expect(discovery.error).toContain(trusted);
    expect(discovery.error).toContain(offered);
    expect(await audits('device.host_key.mismatch', row.id)).toHaveLength(1);
    expect((await audits('device.host_key.mismatch', row.id))[0]!.details).toMatchObject({ pinned: trusted, offered });

    await acceptOffered(h);
    const again = await bed.createRun(h, SB9);
    await bed.drive(again);
    expect(await run(again)).toMatchObject({ status: 'COMPLETED' });
    expect(await device(h)).toMatchObject({
      hostKeyFingerprint: offered,
      hostKeySource: 'accepted',
      offeredHostKey: null,
    });
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
    expect(row).toMatchObject({ hostKey: null, offeredHostKeyFingerprint: labKey(3).fingerprint });
    expect(await audits('device.host_key.unpinned_refused', row.id)).toHaveLength(1);
  });
});
