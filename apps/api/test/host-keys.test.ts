// SSH host key pinning, the API side: the device DTO with its set of pinned keys, an admin accepting
// an offered key (added to the set, or replacing it), forgetting one pinned key or all, and the
// known_hosts import (every key of a device pinned; its matching off the event loop's back). The
// worker's pinning on first use is simulated by writing the rows it writes (packages/engine owns
// that path and its own tests). Past 300 lines because
// the import's cases share one inventory and one file, each line's outcome checked.
import { execFileSync } from 'node:child_process';
import { createHmac, generateKeyPairSync, randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { hostKeyFingerprint } from '@hitless/crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MAX_HASH_MATCHES } from '../src/services/known-hosts-import.ts';
import { deviceBody, startHarness, type Client, type Harness } from './harness.ts';

let h: Harness;
let admin: Client;
let operator: Client;
let viewer: Client;
beforeAll(async () => {
  h = await startHarness();
  [admin, operator, viewer] = await Promise.all([h.as('ADMIN'), h.as('OPERATOR'), h.as('VIEWER')]);
});
afterAll(async () => h.close());

/** A fresh ed25519 public key blob in base64, as the second field of a known_hosts line. */
function ed25519Key(): string {
  const x = generateKeyPairSync('ed25519').publicKey.export({ format: 'jwk' }).x!;
  const part = (b: Buffer) => {
    const len = Buffer.alloc(4);
    len.writeUInt32BE(b.length);
    return Buffer.concat([len, b]);
  };
  return Buffer.concat([part(Buffer.from('ssh-ed25519')), part(Buffer.from(x, 'base64url'))]).toString('base64');
}

async function newDevice(overrides: Record<string, unknown> = {}): Promise<{ id: string; hostname: string }> {
  const res = await operator.post('/api/v1/devices', deviceBody(overrides));
  expect(res.statusCode, res.body).toBe(201);
  return res.json();
}

/** What the worker writes when it pins a key on first use (or an import, with another source). */
async function pin(id: string, key: string, at = new Date('2026-01-02T03:04:05Z'), source = 'tofu') {
  await h.database.db.deviceHostKey.create({
    data: { deviceId: id, algorithm: 'ssh-ed25519', key, fingerprint: hostKeyFingerprint(key), pinnedAt: at, source },
  });
}

/** The device's pinned keys as stored: [fingerprint, source], oldest first. */
const pinned = async (id: string) =>
  (await h.database.db.deviceHostKey.findMany({ where: { deviceId: id }, orderBy: { pinnedAt: 'asc' } })).map((k) => [
    k.fingerprint,
    k.source,
  ]);
const fp = hostKeyFingerprint;

/** What the worker writes when a pinned device presents a different key. */
async function offer(id: string, key: string) {
  await h.database.db.device.update({
    where: { id },
    data: {
      offeredHostKeyAlgorithm: 'ssh-ed25519',
      offeredHostKey: key,
      offeredHostKeyFingerprint: hostKeyFingerprint(key),
      offeredHostKeyAt: new Date(),
    },
  });
}

const auditOf = (action: string) => h.database.db.auditEvent.findMany({ where: { action }, orderBy: { id: 'asc' } });

describe('host keys in the device DTO', () => {
  it('lists every pinned fingerprint with its source, never a key blob or a secret; legacySsh edits are audited', async () => {
    const secret = 'Dev1ce-Secret-never-shown';
    const cred = await admin.post('/api/v1/credentials', { name: 'hk-cred', username: 'netops', secret });
    expect(cred.statusCode).toBe(201);
    const device = await newDevice({ legacySsh: true, credentialId: cred.json().id });
    const created = await auditOf('device.created');
    expect(created.find((a) => a.targetId === device.id)!.details).toMatchObject({ legacySsh: true });

    const one = await viewer.get(`/api/v1/devices/${device.id}`);
    expect(one.json()).toMatchObject({ legacySsh: true, hostKeys: [], offeredHostKey: null });

    const [re0, re1, offered] = [ed25519Key(), ed25519Key(), ed25519Key()];
    await pin(device.id, re0);
    await pin(device.id, re1, new Date('2026-01-03T00:00:00Z'), 'import');
    await offer(device.id, offered);
    const single = await viewer.get(`/api/v1/devices/${device.id}`);
    const list = await viewer.get(`/api/v1/devices?q=${device.hostname}`);
    expect(single.json()).toMatchObject({
      hostKeys: [
        { algorithm: 'ssh-ed25519', fingerprint: fp(re0), pinnedAt: '2026-01-02T03:04:05.000Z', source: 'tofu' },
        { algorithm: 'ssh-ed25519', fingerprint: fp(re1), pinnedAt: '2026-01-03T00:00:00.000Z', source: 'import' },
      ],
      offeredHostKey: { algorithm: 'ssh-ed25519', fingerprint: fp(offered) },
    });
    expect(list.json().items[0]).toEqual(single.json());
    for (const res of [single, list]) {
      for (const hidden of [re0, re1, offered, secret]) expect(res.body).not.toContain(hidden);
    }

    const patched = await operator.patch(`/api/v1/devices/${device.id}`, { legacySsh: false });
    expect(patched.json().legacySsh).toBe(false);
    const updated = (await auditOf('device.updated')).filter((a) => a.targetId === device.id);
    expect(updated.at(-1)!.details).toMatchObject({ changed: ['legacySsh'], legacySsh: false });
    expect((await operator.patch(`/api/v1/devices/${device.id}`, { legacySsh: 'yes' })).json().message).toContain(
      'body.legacySsh: must be true or false',
    );
  });
});

describe('accepting an offered host key', () => {
  it("adds it to the set by default (another RE's key), replaces the set with replace; refuses non-admins and wrong fingerprints", async () => {
    const device = await newDevice();
    const url = `/api/v1/devices/${device.id}/host-key/accept`;
    const [re0, re1, swapped] = [ed25519Key(), ed25519Key(), ed25519Key()];
    await pin(device.id, re0);

    const nothing = await admin.post(url, { fingerprint: fp(re1) });
    expect(nothing.statusCode).toBe(409);
    expect(nothing.json().message).toMatch(/has not offered a key that is not pinned; there is nothing to accept/);

    await offer(device.id, re1);
    for (const who of [operator, viewer]) {
      const res = await who.post(url, { fingerprint: fp(re1) });
      expect(res.statusCode).toBe(403);
      expect(res.json().message).toMatch(/host-keys:trust requires role ADMIN/);
    }
    const wrong = await admin.post(url, { fingerprint: fp(ed25519Key()) });
    expect(wrong.statusCode).toBe(409);
    expect(wrong.json().message).toContain(`has the fingerprint ${fp(re1)}, not `);
    const malformed = await admin.post(url, { fingerprint: 'MD5:aa:bb' });
    expect(malformed.statusCode).toBe(400);
    expect(malformed.json().message).toContain('body.fingerprint: must be an OpenSSH fingerprint');
    expect((await admin.post(url, { fingerprint: fp(re1), replace: 'yes' })).statusCode).toBe(400);
    expect(await auditOf('device.host_key.accepted')).toEqual([]);
    expect(await pinned(device.id)).toEqual([[fp(re0), 'tofu']]);

    // The other routing engine's key: added, the first one stays.
    const added = await admin.post(url, { fingerprint: fp(re1) });
    expect(added.statusCode, added.body).toBe(200);
    expect(added.json()).toMatchObject({
      hostKeys: [
        { fingerprint: fp(re0), source: 'tofu' },
        { fingerprint: fp(re1), source: 'accepted', algorithm: 'ssh-ed25519' },
      ],
      offeredHostKey: null,
    });
    expect(await pinned(device.id)).toEqual([
      [fp(re0), 'tofu'],
      [fp(re1), 'accepted'],
    ]);
    expect((await h.database.db.device.findUniqueOrThrow({ where: { id: device.id } })).offeredHostKey).toBeNull();
    expect((await admin.post(url, { fingerprint: fp(re1) })).statusCode).toBe(409);

    // A replaced device: its key replaces the whole set.
    await offer(device.id, swapped);
    const replaced = await admin.post(url, { fingerprint: fp(swapped), replace: true });
    expect(replaced.statusCode, replaced.body).toBe(200);
    expect(replaced.json().hostKeys).toEqual([
      expect.objectContaining({ fingerprint: fp(swapped), source: 'accepted' }),
    ]);
    expect(await pinned(device.id)).toEqual([[fp(swapped), 'accepted']]);

    const events = (await auditOf('device.host_key.accepted')).filter((e) => e.targetId === device.id);
    expect(events.map((e) => e.details)).toEqual([
      expect.objectContaining({ replace: false, fingerprint: fp(re1), previousFingerprints: [fp(re0)], removed: [] }),
      expect.objectContaining({
        replace: true,
        fingerprint: fp(swapped),
        previousFingerprints: [fp(re0), fp(re1)],
        removed: [
          { algorithm: 'ssh-ed25519', fingerprint: fp(re0), source: 'tofu' },
          { algorithm: 'ssh-ed25519', fingerprint: fp(re1), source: 'accepted' },
        ],
      }),
    ]);
    expect(events[0]).toMatchObject({ actorName: admin.username });
    const missing = await admin.post('/api/v1/devices/00000000-0000-4000-8000-000000000000/host-key/accept', {
      fingerprint: fp(swapped),
    });
    expect(missing.statusCode).toBe(404);
  });

  it('pins the key a strict-mode refusal recorded on a device that had none pinned', async () => {
    const device = await newDevice();
    const key = ed25519Key();
    await offer(device.id, key);
    const res = await admin.post(`/api/v1/devices/${device.id}/host-key/accept`, { fingerprint: fp(key) });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toMatchObject({ hostKeys: [{ fingerprint: fp(key) }], offeredHostKey: null });
    const event = (await auditOf('device.host_key.accepted')).find((e) => e.targetId === device.id);
    expect(event!.details).toMatchObject({ previousFingerprints: [], fingerprint: fp(key) });
  });
});

describe('forgetting pinned host keys', () => {
  it('forgets one key by its URL-encoded fingerprint (the others stay) or all of them, audited; admins only', async () => {
    const device = await newDevice();
    const all = `/api/v1/devices/${device.id}/host-key`;
    const one = (f: string) => `/api/v1/devices/${device.id}/host-keys/${encodeURIComponent(f)}`;
    expect((await admin.delete(all)).statusCode).toBe(409);
    const [re0, re1, re2] = [ed25519Key(), ed25519Key(), ed25519Key()];
    await pin(device.id, re0);
    await pin(device.id, re1, new Date('2026-01-03T00:00:00Z'));
    await pin(device.id, re2, new Date('2026-01-04T00:00:00Z'));
    await offer(device.id, ed25519Key());
    expect((await operator.delete(all)).statusCode).toBe(403);
    expect((await operator.delete(one(fp(re0)))).statusCode).toBe(403);
    expect((await admin.delete(one('SHA256:nope'))).statusCode).toBe(400);
    const absent = await admin.delete(one(fp(ed25519Key())));
    expect(absent.statusCode).toBe(409);
    expect(absent.json().message).toMatch(/has no pinned host key SHA256:.*there is nothing to forget/);

    const forgotOne = await admin.delete(one(fp(re1)));
    expect(forgotOne.statusCode, forgotOne.body).toBe(200);
    expect(forgotOne.json().hostKeys.map((k: { fingerprint: string }) => k.fingerprint)).toEqual([fp(re0), fp(re2)]);
    // Forgetting one key leaves the offered key pending.
    expect(forgotOne.json().offeredHostKey).not.toBeNull();

    const res = await admin.delete(all);
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toMatchObject({ hostKeys: [], offeredHostKey: null });
    expect(await pinned(device.id)).toEqual([]);
    const events = (await auditOf('device.host_key.forgotten')).filter((e) => e.targetId === device.id);
    expect(events.map((e) => e.details)).toEqual([
      expect.objectContaining({
        all: false,
        forgotten: [{ algorithm: 'ssh-ed25519', fingerprint: fp(re1), source: 'tofu' }],
        kept: [expect.objectContaining({ fingerprint: fp(re0) }), expect.objectContaining({ fingerprint: fp(re2) })],
      }),
      expect.objectContaining({
        all: true,
        forgotten: [
          expect.objectContaining({ fingerprint: fp(re0) }),
          expect.objectContaining({ fingerprint: fp(re2) }),
        ],
        kept: [],
      }),
    ]);
  });
});

describe('importing known_hosts', () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(path.join(tmpdir(), 'hk-import-'));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  const importText = (who: Client, text: string, query = '') =>
    who.request({
      method: 'POST',
      url: `/api/v1/devices/host-keys/import${query}`,
      headers: { 'content-type': 'text/plain' },
      payload: text,
    });
  type Line = { line: number | null; status: string; hostname: string | null; fingerprint: string; reason: string };

  it('pins every key listed for a device, keeps (or with replace removes) unlisted ones; dry run; unknown and skipped lines', async () => {
    const a = await newDevice({ hostname: 'hk-a.lab', mgmtAddress: '127.41.0.1' });
    const b = await newDevice({ hostname: 'hk-b.lab', mgmtAddress: '127.41.0.2', port: 2222 });
    const c = await newDevice({ hostname: 'hk-c.lab', mgmtAddress: '127.41.0.3' });
    const d = await newDevice({ hostname: 'hk-d.lab', mgmtAddress: '127.41.0.4' });
    const e = await newDevice({ hostname: 'hk-e.lab', mgmtAddress: '127.41.0.5' });
    const [ka, kb, kc, kcOld, kd0, kd1, ke, kx, krsa] = Array.from({ length: 9 }, ed25519Key);
    await pin(b.id, kb!);
    await pin(c.id, kcOld!);
    // hk-e.lab's line is hashed by the real ssh-keygen -H.
    const hashedFile = path.join(dir, 'hashed');
    writeFileSync(hashedFile, `hk-e.lab ssh-ed25519 ${ke}\n`);
    execFileSync('ssh-keygen', ['-q', '-H', '-f', hashedFile], { stdio: 'ignore' });
    const hashed = readFileSync(hashedFile, 'utf8').trim();
    expect(hashed).toMatch(/^\|1\|/);

    const text = [
      '# exported from a jump host',
      `hk-a.lab,127.41.0.1 ssh-ed25519 ${ka}`,
      `[127.41.0.2]:2222 ssh-ed25519 ${kb}`,
      `127.41.0.2 ssh-ed25519 ${kx}`,
      `hk-c.lab ssh-ed25519 ${kc}`,
      `nobody.lab ssh-ed25519 ${kx}`,
      `@cert-authority *.lab ssh-ed25519 ${kx}`,
      hashed,
      `127.41.0.1 ssh-ed25519 ${ka}`,
      // A dual-RE router: each routing engine's key.
      `hk-d.lab ssh-ed25519 ${kd0} re0`,
      `hk-d.lab ssh-ed25519 ${kd1} re1`,
    ].join('\n');

    const before = await h.database.db.deviceHostKey.findMany({ orderBy: { id: 'asc' } });
    const dry = await importText(admin, text, '?dryRun=true');
    expect(dry.statusCode, dry.body).toBe(200);
    const counts = { pinned: 5, unchanged: 1, kept: 1, removed: 0, unknown_host: 2, skipped: 2 };
    expect(dry.json()).toMatchObject({ dryRun: true, replace: false, counts, conflicts: 1 });
    expect(await h.database.db.deviceHostKey.findMany({ orderBy: { id: 'asc' } })).toEqual(before);
    expect(await auditOf('device.host_keys.imported')).toEqual([]);

    const res = await importText(admin, text);
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toMatchObject({ counts, conflicts: 1 });
    const lines = res.json().lines as Line[];
    expect(lines.map((l) => [l.line, l.status, l.hostname])).toEqual([
      [2, 'pinned', 'hk-a.lab'],
      [3, 'unchanged', 'hk-b.lab'],
      [4, 'unknown_host', null],
      [5, 'pinned', 'hk-c.lab'],
      [6, 'unknown_host', null],
      [7, 'skipped', null],
      [8, 'pinned', 'hk-e.lab'],
      [9, 'skipped', 'hk-a.lab'],
      [10, 'pinned', 'hk-d.lab'],
      [11, 'pinned', 'hk-d.lab'],
      [null, 'kept', 'hk-c.lab'],
    ]);
    expect(lines[5]!.reason).toMatch(/@cert-authority/);
    expect(lines[7]!.reason).toBe('the same key as line 2');
    expect(lines[10]).toMatchObject({
      fingerprint: fp(kcOld!),
      reason: expect.stringMatching(/kept \(import with replace/),
    });
    expect(await pinned(a.id)).toEqual([[fp(ka!), 'import']]);
    expect(await pinned(e.id)).toEqual([[fp(ke!), 'import']]);
    expect((await pinned(c.id)).sort()).toEqual(
      [
        [fp(kc!), 'import'],
        [fp(kcOld!), 'tofu'],
      ].sort(),
    );
    expect((await pinned(d.id)).map((k) => k[0]).sort()).toEqual([fp(kd0!), fp(kd1!)].sort());
    const [event] = await auditOf('device.host_keys.imported');
    expect(event).toMatchObject({ actorName: admin.username, details: { replace: false, counts } });
    const perDevice = (event!.details as { devices: { deviceId: string; pinned: unknown[]; removed: unknown[] }[] })
      .devices;
    expect(perDevice.map((x) => [x.deviceId, x.pinned.length, x.removed.length]).sort()).toEqual(
      [
        [a.id, 1, 0],
        [c.id, 1, 0],
        [e.id, 1, 0],
        [d.id, 2, 0],
      ].sort(),
    );

    // replace=true: each listed device's set becomes exactly the file's keys (hk-c.lab's unlisted old key goes,
    // its ssh-rsa key is added). The ssh-rsa line needs only a blob that says ssh-rsa: the import checks the type.
    const rsaBlob = Buffer.concat([Buffer.from([0, 0, 0, 7]), Buffer.from('ssh-rsa'), Buffer.from(krsa!, 'base64')]);
    const rsaLine = `hk-c.lab ssh-rsa ${rsaBlob.toString('base64')}`;
    const replaced = await importText(admin, `${rsaLine}\n${text}`, '?replace=true');
    expect(replaced.statusCode, replaced.body).toBe(200);
    expect(replaced.json()).toMatchObject({
      counts: { pinned: 1, unchanged: 6, kept: 0, removed: 1, unknown_host: 2, skipped: 2 },
      conflicts: 1,
    });
    const forC = (replaced.json().lines as Line[]).filter((l) => l.hostname === 'hk-c.lab');
    expect(forC.map((l) => [l.line, l.status, l.fingerprint])).toEqual([
      [1, 'pinned', fp(rsaBlob.toString('base64'))],
      [6, 'unchanged', fp(kc!)],
      [null, 'removed', fp(kcOld!)],
    ]);
    expect((await pinned(c.id)).map((k) => k[0]).sort()).toEqual([fp(kc!), fp(rsaBlob.toString('base64'))].sort());
    const events = await auditOf('device.host_keys.imported');
    expect(events).toHaveLength(2);
    expect(events[1]!.details).toMatchObject({
      replace: true,
      devices: [
        {
          deviceId: c.id,
          pinned: [{ line: 1, algorithm: 'ssh-rsa' }],
          removed: [{ algorithm: 'ssh-ed25519', fingerprint: fp(kcOld!) }],
        },
      ],
    });
    // The same file again changes nothing and writes no audit event.
    const again = await importText(admin, `${rsaLine}\n${text}`, '?replace=true');
    expect(again.json().counts).toMatchObject({ pinned: 0, removed: 0, unchanged: 7 });
    expect(await auditOf('device.host_keys.imported')).toHaveLength(2);
  });

  it('rejects a text with a bad line whole, naming each line and reason; refuses non-admins and JSON', async () => {
    const d = await newDevice({ hostname: 'hk-bad.lab', mgmtAddress: '127.41.1.1' });
    const key = ed25519Key();
    const text = [`hk-bad.lab ssh-ed25519 ${key}`, `hk-bad.lab ssh-rsa ${key}`, 'hk-bad.lab ssh-ed25519 %%%'].join(
      '\n',
    );
    const res = await importText(admin, text);
    expect(res.statusCode).toBe(400);
    expect(res.json()).toMatchObject({
      code: 'VALIDATION_FAILED',
      message: '2 bad line(s) in the known_hosts text; nothing was imported',
      errors: [
        { line: 2, message: 'the key type says ssh-rsa but the key is ssh-ed25519' },
        { line: 3, message: expect.stringMatching(/not valid base64/) },
      ],
    });
    expect(await pinned(d.id)).toEqual([]);

    const good = `hk-bad.lab ssh-ed25519 ${key}`;
    for (const who of [operator, viewer]) expect((await importText(who, good)).statusCode).toBe(403);
    const json = await admin.post('/api/v1/devices/host-keys/import', { text: good });
    expect(json.statusCode).toBe(415);
    expect((await importText(admin, '')).statusCode).toBe(400);
    expect((await importText(admin, '# only a comment\n')).json().errors[0].message).toMatch(/no key lines/);
    expect(await pinned(d.id)).toEqual([]);
  });

  /** Devices numbered from..from+n-1, straight into the database. */
  const fleet = (from: number, n: number) =>
    h.database.db.device.createMany({
      data: Array.from({ length: n }, (_, j) => ({
        hostname: `hk-fleet-${from + j}.lab`,
        mgmtAddress: `127.42.${Math.floor((from + j) / 200)}.${((from + j) % 200) + 1}`,
        vendor: 'JUNOS' as const,
        platform: 'mx480',
      })),
    });

  /** `n` hashed known_hosts lines for names no device has, as ssh-keygen -H writes them. */
  const hashedLines = (n: number) => {
    const key = ed25519Key();
    return Array.from({ length: n }, (_, i) => {
      const salt = randomBytes(20);
      const hash = createHmac('sha1', salt).update(`absent-${i}.lab`).digest();
      return `|1|${salt.toString('base64')}|${hash.toString('base64')} ssh-ed25519 ${key}`;
    }).join('\n');
  };

  it('matches hashed names without blocking the API: other requests are answered while it hashes', async () => {
    await fleet(0, 40);
    const devices = await h.database.db.device.count();
    // About 300 000 name comparisons: well under the cap, long enough to notice a blocked event loop.
    const lines = Math.ceil(300_000 / (2 * devices));
    const d = await newDevice({ hostname: 'hk-busy.lab', mgmtAddress: '127.41.2.1' });
    let done = false;
    const importing = importText(admin, hashedLines(lines), '?dryRun=true').finally(() => (done = true));
    let answered = 0;
    while (!done) {
      expect((await viewer.get(`/api/v1/devices/${d.id}`)).statusCode).toBe(200);
      if (!done) answered++;
    }
    const res = await importing;
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json().counts.unknown_host).toBe(lines);
    expect(answered).toBeGreaterThanOrEqual(5);
  });

  it('writes nothing when a device it matched changed after it was planned (a first-use pin, a new address): 409', async () => {
    for (const change of ['pin', 'address'] as const) {
      const d = await newDevice({
        hostname: `hk-moving-${change}.lab`,
        mgmtAddress: `127.43.0.${change === 'pin' ? 1 : 2}`,
      });
      const key = ed25519Key();
      // The test holds the device's row lock, so the import plans from the row as it was and then
      // waits for the lock in its write; the change lands in that gap, whatever the machine's speed.
      let importing: ReturnType<typeof importText> | undefined;
      await h.database.db.$transaction(
        async (tx) => {
          await tx.$queryRaw`SELECT id FROM "Device" WHERE id = ${d.id}::uuid FOR UPDATE`;
          const [{ me }] = await tx.$queryRaw<[{ me: number }]>`SELECT pg_backend_pid() AS me`;
          importing = importText(admin, `127.43.0.${change === 'pin' ? 1 : 2} ssh-ed25519 ${key}`);
          const deadline = Date.now() + 10_000;
          for (;;) {
            const [{ waiting }] = await tx.$queryRaw<[{ waiting: bigint }]>`
              SELECT count(*) AS waiting FROM pg_stat_activity
              WHERE datname = current_database() AND ${me}::int = ANY (pg_blocking_pids(pid))`;
            if (waiting > 0n) break;
            expect(Date.now(), 'the import never waited for the device row').toBeLessThan(deadline);
            await new Promise((r) => setImmediate(r));
          }
          const other = ed25519Key();
          if (change === 'pin')
            await tx.deviceHostKey.create({
              data: { deviceId: d.id, algorithm: 'ssh-ed25519', key: other, fingerprint: fp(other), source: 'tofu' },
            });
          else await tx.device.update({ where: { id: d.id }, data: { mgmtAddress: '127.43.0.9' } });
        },
        { timeout: 20_000 },
      );
      const res = await importing!;
      expect(res.statusCode, res.body.slice(0, 400)).toBe(409);
      expect(res.json().message).toMatch(new RegExp(`hk-moving-${change}.lab changed during the import`));
      expect((await pinned(d.id)).some(([f]) => f === fp(key))).toBe(false);
    }
  });

  it('refuses with 413, before hashing, a file whose hashed names × device names pass the cap', async () => {
    // A large inventory: 20 000 hashed lines against it would be tens of millions of HMACs.
    await fleet(40, 150);
    const devices = await h.database.db.device.count();
    const lines = Math.ceil(MAX_HASH_MATCHES / (2 * devices)) + 1;
    expect(lines).toBeLessThan(20_000);
    const started = Date.now();
    const res = await importText(admin, hashedLines(lines));
    expect(res.statusCode, res.body).toBe(413);
    expect(res.json()).toMatchObject({ code: 'PAYLOAD_TOO_LARGE' });
    expect(res.json().message).toMatch(
      new RegExp(`${lines} hashed host names against ${devices} devices is too much to match in one import`),
    );
    expect(Date.now() - started).toBeLessThan(10_000);
  });
});
