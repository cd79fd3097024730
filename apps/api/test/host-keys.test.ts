// SSH host key pinning, the API side: the device DTO, an admin accepting a changed key, forgetting a
// pinned key, and the known_hosts import. The worker's pinning on first use is simulated by writing
// the columns it writes (packages/engine owns that path and its own tests). Past 300 lines because
// the import's cases share one inventory and one file, each line's outcome checked.
import { execFileSync } from 'node:child_process';
import { generateKeyPairSync } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { hostKeyFingerprint } from '@hitless/crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
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

/** What the worker writes when it pins a key on first use. */
async function pin(id: string, key: string, at = new Date('2026-01-02T03:04:05Z')) {
  await h.database.db.device.update({
    where: { id },
    data: {
      hostKeyAlgorithm: 'ssh-ed25519',
      hostKey: key,
      hostKeyFingerprint: hostKeyFingerprint(key),
      hostKeyPinnedAt: at,
      hostKeySource: 'tofu',
    },
  });
}

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
  it('shows fingerprints, the source and legacySsh, never a key blob or a secret; legacySsh edits are audited', async () => {
    const secret = 'Dev1ce-Secret-never-shown';
    const cred = await admin.post('/api/v1/credentials', { name: 'hk-cred', username: 'netops', secret });
    expect(cred.statusCode).toBe(201);
    const device = await newDevice({ legacySsh: true, credentialId: cred.json().id });
    const created = await auditOf('device.created');
    expect(created.find((a) => a.targetId === device.id)!.details).toMatchObject({ legacySsh: true });

    const one = await viewer.get(`/api/v1/devices/${device.id}`);
    expect(one.json()).toMatchObject({ legacySsh: true, hostKey: null, offeredHostKey: null });

    const key = ed25519Key();
    const offered = ed25519Key();
    await pin(device.id, key);
    await offer(device.id, offered);
    const single = await viewer.get(`/api/v1/devices/${device.id}`);
    const list = await viewer.get(`/api/v1/devices?q=${device.hostname}`);
    expect(single.json()).toMatchObject({
      hostKey: {
        algorithm: 'ssh-ed25519',
        fingerprint: hostKeyFingerprint(key),
        pinnedAt: '2026-01-02T03:04:05.000Z',
        source: 'tofu',
      },
      offeredHostKey: { algorithm: 'ssh-ed25519', fingerprint: hostKeyFingerprint(offered) },
    });
    expect(list.json().items[0]).toEqual(single.json());
    for (const res of [single, list]) {
      for (const hidden of [key, offered, secret]) expect(res.body).not.toContain(hidden);
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

describe('accepting a changed host key', () => {
  it('refuses non-admins, a device offering nothing and a wrong fingerprint; pins the offered key, audited', async () => {
    const device = await newDevice();
    const url = `/api/v1/devices/${device.id}/host-key/accept`;
    const old = ed25519Key();
    const next = ed25519Key();
    await pin(device.id, old);

    const nothing = await admin.post(url, { fingerprint: hostKeyFingerprint(next) });
    expect(nothing.statusCode).toBe(409);
    expect(nothing.json().message).toMatch(/has not offered a different host key; there is nothing to accept/);

    await offer(device.id, next);
    for (const who of [operator, viewer]) {
      const res = await who.post(url, { fingerprint: hostKeyFingerprint(next) });
      expect(res.statusCode).toBe(403);
      expect(res.json().message).toMatch(/host-keys:trust requires role ADMIN/);
    }
    const wrong = await admin.post(url, { fingerprint: hostKeyFingerprint(ed25519Key()) });
    expect(wrong.statusCode).toBe(409);
    expect(wrong.json().message).toContain(`has the fingerprint ${hostKeyFingerprint(next)}, not `);
    const malformed = await admin.post(url, { fingerprint: 'MD5:aa:bb' });
    expect(malformed.statusCode).toBe(400);
    expect(malformed.json().message).toContain('body.fingerprint: must be an OpenSSH fingerprint');
    expect(await auditOf('device.host_key.accepted')).toEqual([]);
    const unchanged = await h.database.db.device.findUniqueOrThrow({ where: { id: device.id } });
    expect(unchanged).toMatchObject({ hostKey: old, offeredHostKey: next });

    const accepted = await admin.post(url, { fingerprint: hostKeyFingerprint(next) });
    expect(accepted.statusCode, accepted.body).toBe(200);
    expect(accepted.json()).toMatchObject({
      hostKey: { fingerprint: hostKeyFingerprint(next), source: 'accepted', algorithm: 'ssh-ed25519' },
      offeredHostKey: null,
    });
    const row = await h.database.db.device.findUniqueOrThrow({ where: { id: device.id } });
    expect(row).toMatchObject({
      hostKey: next,
      hostKeySource: 'accepted',
      offeredHostKey: null,
      offeredHostKeyAt: null,
    });
    const [event] = await auditOf('device.host_key.accepted');
    expect(event).toMatchObject({
      actorName: admin.username,
      targetId: device.id,
      details: {
        hostname: device.hostname,
        previousFingerprint: hostKeyFingerprint(old),
        fingerprint: hostKeyFingerprint(next),
      },
    });

    expect((await admin.post(url, { fingerprint: hostKeyFingerprint(next) })).statusCode).toBe(409);
    const missing = await admin.post('/api/v1/devices/00000000-0000-4000-8000-000000000000/host-key/accept', {
      fingerprint: hostKeyFingerprint(next),
    });
    expect(missing.statusCode).toBe(404);
  });
});

describe('accepting the key a strict-mode refusal recorded', () => {
  it('pins an offered key on a device that had none pinned', async () => {
    const device = await newDevice();
    const key = ed25519Key();
    await offer(device.id, key);
    const res = await admin.post(`/api/v1/devices/${device.id}/host-key/accept`, {
      fingerprint: hostKeyFingerprint(key),
    });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toMatchObject({ hostKey: { fingerprint: hostKeyFingerprint(key) }, offeredHostKey: null });
    const event = (await auditOf('device.host_key.accepted')).find((e) => e.targetId === device.id);
    expect(event!.details).toMatchObject({ previousFingerprint: null, fingerprint: hostKeyFingerprint(key) });
  });
});

describe('forgetting a pinned host key', () => {
  it('clears the pinned and any offered key, audited; refuses non-admins and a device with nothing pinned', async () => {
    const device = await newDevice();
    const url = `/api/v1/devices/${device.id}/host-key`;
    expect((await admin.delete(url)).statusCode).toBe(409);
    const key = ed25519Key();
    await pin(device.id, key);
    await offer(device.id, ed25519Key());
    expect((await operator.delete(url)).statusCode).toBe(403);

    const res = await admin.delete(url);
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toMatchObject({ hostKey: null, offeredHostKey: null });
    const row = await h.database.db.device.findUniqueOrThrow({ where: { id: device.id } });
    expect(row).toMatchObject({ hostKey: null, hostKeyFingerprint: null, hostKeySource: null, offeredHostKey: null });
    const events = (await auditOf('device.host_key.forgotten')).filter((e) => e.targetId === device.id);
    expect(events).toHaveLength(1);
    expect(events[0]!.details).toMatchObject({ fingerprint: hostKeyFingerprint(key), source: 'tofu' });
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

  it('pins, reports unchanged, conflicts, unknown hosts and skipped lines; dry run and replace', async () => {
    const a = await newDevice({ hostname: 'hk-a.lab', mgmtAddress: '127.41.0.1' });
    const b = await newDevice({ hostname: 'hk-b.lab', mgmtAddress: '127.41.0.2', port: 2222 });
    const c = await newDevice({ hostname: 'hk-c.lab', mgmtAddress: '127.41.0.3' });
    const e = await newDevice({ hostname: 'hk-e.lab', mgmtAddress: '127.41.0.5' });
    const [ka, kb, kc, kcOld, ke, kx, krsa] = Array.from({ length: 7 }, ed25519Key);
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
    ].join('\n');

    const before = await h.database.db.device.findMany({ orderBy: { id: 'asc' } });
    const dry = await importText(admin, text, '?dryRun=true');
    expect(dry.statusCode, dry.body).toBe(200);
    expect(dry.json()).toMatchObject({
      dryRun: true,
      replace: false,
      counts: { pinned: 2, replaced: 0, unchanged: 1, conflict: 1, unknown_host: 2, skipped: 2 },
    });
    expect(await h.database.db.device.findMany({ orderBy: { id: 'asc' } })).toEqual(before);
    expect(await auditOf('device.host_keys.imported')).toEqual([]);

    const res = await importText(admin, text);
    expect(res.statusCode, res.body).toBe(200);
    const lines = res.json().lines as { line: number; status: string; hostname: string | null; reason: string }[];
    expect(lines.map((l) => [l.line, l.status, l.hostname])).toEqual([
      [2, 'pinned', 'hk-a.lab'],
      [3, 'unchanged', 'hk-b.lab'],
      [4, 'unknown_host', null],
      [5, 'conflict', 'hk-c.lab'],
      [6, 'unknown_host', null],
      [7, 'skipped', null],
      [8, 'pinned', 'hk-e.lab'],
      [9, 'skipped', 'hk-a.lab'],
    ]);
    expect(lines[3]).toMatchObject({
      previousFingerprint: hostKeyFingerprint(kcOld!),
      fingerprint: hostKeyFingerprint(kc!),
    });
    expect(lines[5]!.reason).toMatch(/@cert-authority/);
    expect(lines[7]!.reason).toBe('the same key as line 2');
    const rows = await h.database.db.device.findMany({ where: { id: { in: [a.id, c.id, e.id] } } });
    const byId = Object.fromEntries(rows.map((r) => [r.id, r]));
    expect(byId[a.id]).toMatchObject({
      hostKey: ka,
      hostKeySource: 'import',
      hostKeyFingerprint: hostKeyFingerprint(ka!),
    });
    expect(byId[e.id]).toMatchObject({ hostKey: ke, hostKeySource: 'import' });
    expect(byId[c.id]).toMatchObject({ hostKey: kcOld, hostKeySource: 'tofu' });
    const [event] = await auditOf('device.host_keys.imported');
    expect(event).toMatchObject({
      actorName: admin.username,
      details: {
        replace: false,
        counts: { pinned: 2, conflict: 1 },
        pins: [
          { deviceId: a.id, fingerprint: hostKeyFingerprint(ka!), previousFingerprint: null },
          { deviceId: e.id, fingerprint: hostKeyFingerprint(ke!), previousFingerprint: null },
        ],
      },
    });

    // replace=true pins over the conflict; the rest is now unchanged. Two keys for one device: ed25519 first
    // (the ssh-rsa line needs only a blob that says ssh-rsa: the import checks the type, not the RSA numbers).
    const rsaLine = `hk-c.lab ssh-rsa ${Buffer.concat([Buffer.from([0, 0, 0, 7]), Buffer.from('ssh-rsa'), Buffer.from(krsa!, 'base64')]).toString('base64')}`;
    const replaced = await importText(admin, `${rsaLine}\n${text}`, '?replace=true');
    expect(replaced.statusCode, replaced.body).toBe(200);
    expect(replaced.json().counts).toMatchObject({ pinned: 0, replaced: 1, unchanged: 3 });
    const forC = (replaced.json().lines as { line: number; status: string; hostname: string; reason: string }[]).filter(
      (l) => l.hostname === 'hk-c.lab',
    );
    expect(forC.map((l) => [l.line, l.status])).toEqual([
      [1, 'skipped'],
      [6, 'replaced'],
    ]);
    expect(forC[0]!.reason).toMatch(/takes the ssh-ed25519 key on line 6; one key is pinned per device/);
    expect(await h.database.db.device.findUniqueOrThrow({ where: { id: c.id } })).toMatchObject({
      hostKey: kc,
      hostKeySource: 'import',
    });
    const events = await auditOf('device.host_keys.imported');
    expect(events).toHaveLength(2);
    expect(events[1]!.details).toMatchObject({
      replace: true,
      pins: [{ deviceId: c.id, previousFingerprint: hostKeyFingerprint(kcOld!), fingerprint: hostKeyFingerprint(kc!) }],
    });
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
    expect((await h.database.db.device.findUniqueOrThrow({ where: { id: d.id } })).hostKey).toBeNull();

    const good = `hk-bad.lab ssh-ed25519 ${key}`;
    for (const who of [operator, viewer]) expect((await importText(who, good)).statusCode).toBe(403);
    const json = await admin.post('/api/v1/devices/host-keys/import', { text: good });
    expect(json.statusCode).toBe(415);
    expect((await importText(admin, '')).statusCode).toBe(400);
    expect((await importText(admin, '# only a comment\n')).json().errors[0].message).toMatch(/no key lines/);
    expect((await h.database.db.device.findUniqueOrThrow({ where: { id: d.id } })).hostKey).toBeNull();
  });
});
