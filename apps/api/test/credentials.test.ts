import { openSecret } from '@hitless/crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { deviceBody, startHarness, type Client, type Harness } from './harness.ts';

let h: Harness;
let admin: Client;
beforeAll(async () => {
  h = await startHarness();
  admin = await h.as('ADMIN');
});
afterAll(async () => h.close());

const SECRET = 'S3cr3t-Enable-Pa55!';
const ENABLE = 'En4ble-S3cret-xyz';

describe('credentials', () => {
  it('never returns, stores in clear, audits or logs a secret', async () => {
    const created = await admin.post('/api/v1/credentials', {
      name: 'core',
      username: 'netops',
      secret: SECRET,
      enableSecret: ENABLE,
      description: 'core routers',
    });
    expect(created.statusCode).toBe(201);
    const { id } = created.json();
    expect(created.json()).toMatchObject({
      name: 'core',
      username: 'netops',
      hasSecret: true,
      hasEnableSecret: true,
      deviceCount: 0,
    });

    const patched = await admin.patch(`/api/v1/credentials/${id}`, { secret: `${SECRET}-2`, enableSecret: null });
    expect(patched.json()).toMatchObject({ hasEnableSecret: false, secretRotatedAt: expect.any(String) });
    expect(created.json().secretRotatedAt).toBeNull();
    const responses = [
      created,
      patched,
      await admin.get('/api/v1/credentials'),
      await admin.get(`/api/v1/credentials/${id}`),
    ];
    for (const r of responses) {
      expect(r.body).not.toContain(SECRET);
      expect(r.body).not.toContain(ENABLE);
      expect(r.body).not.toMatch(/secretEnc|v1\.[0-9a-f]{8}\./);
    }

    const row = await h.database.db.credential.findUniqueOrThrow({ where: { id } });
    expect(row.secretEnc).not.toContain(SECRET);
    expect(openSecret(h.config.secrets.key, row.secretEnc)).toBe(`${SECRET}-2`);
    expect(row.enableSecretEnc).toBeNull();

    const audit = await h.database.db.auditEvent.findMany({ where: { targetId: id } });
    expect(audit.map((a) => a.action)).toEqual(['credential.created', 'credential.updated']);
    expect(JSON.stringify(audit, (_k, v: unknown) => (typeof v === 'bigint' ? v.toString() : v))).not.toContain(SECRET);
    expect(audit[1]!.details).toMatchObject({ changed: ['secret', 'enableSecret'] });

    const logs = h.logs.join('');
    expect(logs.length).toBeGreaterThan(0);
    expect(logs).not.toContain(SECRET);
    expect(logs).not.toContain(ENABLE);
  });

  it('is readable by any role but writable by admins only', async () => {
    const { id } = (await admin.post('/api/v1/credentials', { name: 'readable', username: 'u', secret: 'x' })).json();
    const viewer = await h.as('VIEWER');
    expect((await viewer.get(`/api/v1/credentials/${id}`)).statusCode).toBe(200);
    const op = await h.as('OPERATOR');
    expect((await op.patch(`/api/v1/credentials/${id}`, { username: 'v' })).statusCode).toBe(403);
    expect((await op.delete(`/api/v1/credentials/${id}`)).statusCode).toBe(403);
  });

  it('refuses duplicate names and deleting a credential in use', async () => {
    const { id } = (await admin.post('/api/v1/credentials', { name: 'edge', username: 'u', secret: 'x' })).json();
    const dup = await admin.post('/api/v1/credentials', { name: 'EDGE', username: 'u', secret: 'x' });
    expect(dup.statusCode).toBe(409);
    const device = (await admin.post('/api/v1/devices', deviceBody({ credentialId: id }))).json();
    expect(device.credentialName).toBe('edge');
    expect((await admin.get(`/api/v1/credentials/${id}`)).json().deviceCount).toBe(1);
    const del = await admin.delete(`/api/v1/credentials/${id}`);
    expect(del.statusCode).toBe(409);
    expect(del.json().message).toBe(
      `credential edge is used by 1 device (${device.hostname}); give them another credential first`,
    );
    await admin.delete(`/api/v1/devices/${device.id}`);
    expect((await admin.delete(`/api/v1/credentials/${id}`)).statusCode).toBe(204);
  });

  it('names the devices using it: the first ten in the list, every one on its own, and in a refused delete', async () => {
    const { id } = (await admin.post('/api/v1/credentials', { name: 'fleet', username: 'u', secret: 'x' })).json();
    const hostnames = Array.from({ length: 12 }, (_, i) => `fleet-${String(i).padStart(2, '0')}`);
    const devices = [];
    for (const hostname of [...hostnames].reverse())
      devices.push((await admin.post('/api/v1/devices', deviceBody({ hostname, credentialId: id }))).json());
    const viewer = await h.as('VIEWER');
    const listed = (await viewer.get('/api/v1/credentials')).json().items.find((c: { id: string }) => c.id === id);
    expect(listed.deviceCount).toBe(12);
    expect(listed.usedBy.map((d: { hostname: string }) => d.hostname)).toEqual(hostnames.slice(0, 10));
    const one = devices.find((d) => d.hostname === 'fleet-00');
    expect(listed.usedBy[0]).toEqual({ id: one.id, hostname: 'fleet-00' });
    const all = await viewer.get(`/api/v1/credentials/${id}/devices`);
    expect(all.statusCode).toBe(200);
    expect(all.json().items.map((d: { hostname: string }) => d.hostname)).toEqual(hostnames);
    const del = await admin.delete(`/api/v1/credentials/${id}`);
    expect(del.statusCode).toBe(409);
    expect(del.json().message).toBe(
      `credential fleet is used by 12 devices (${hostnames.slice(0, 10).join(', ')} and 2 more); give them another credential first`,
    );
    expect((await viewer.get(`/api/v1/credentials/00000000-0000-4000-8000-000000000000/devices`)).statusCode).toBe(404);
  });

  it('rotates the secret (admins only): sealed anew, the time kept, audited without the value', async () => {
    const created = (
      await admin.post('/api/v1/credentials', { name: 'rot', username: 'u', secret: SECRET, enableSecret: ENABLE })
    ).json();
    expect(created.secretRotatedAt).toBeNull();
    const op = await h.as('OPERATOR');
    expect((await op.post(`/api/v1/credentials/${created.id}/rotate`, { secret: 'nope' })).statusCode).toBe(403);
    const rotated = await admin.post(`/api/v1/credentials/${created.id}/rotate`, { secret: `${SECRET}-rotated` });
    expect(rotated.statusCode).toBe(200);
    expect(rotated.body).not.toContain(SECRET);
    const dto = rotated.json();
    expect(dto).toMatchObject({ hasSecret: true, hasEnableSecret: true });
    expect(Date.parse(dto.secretRotatedAt)).toBeGreaterThanOrEqual(Date.parse(created.createdAt));
    const row = await h.database.db.credential.findUniqueOrThrow({ where: { id: created.id } });
    expect(openSecret(h.config.secrets.key, row.secretEnc)).toBe(`${SECRET}-rotated`);
    expect(openSecret(h.config.secrets.key, row.enableSecretEnc!)).toBe(ENABLE);
    await admin.post(`/api/v1/credentials/${created.id}/rotate`, { secret: 'third', enableSecret: 'enable-3' });
    const again = await h.database.db.credential.findUniqueOrThrow({ where: { id: created.id } });
    expect(openSecret(h.config.secrets.key, again.enableSecretEnc!)).toBe('enable-3');
    const audit = await h.database.db.auditEvent.findMany({
      where: { targetId: created.id, action: 'credential.rotated' },
      orderBy: { id: 'asc' },
    });
    expect(audit.map((a) => a.details)).toEqual([
      { name: 'rot', enableSecret: false, devices: 0 },
      { name: 'rot', enableSecret: true, devices: 0 },
    ]);
    expect(JSON.stringify(audit, (_k, v: unknown) => (typeof v === 'bigint' ? v.toString() : v))).not.toMatch(
      /S3cr3t|third|enable-3/,
    );
    const bad = await admin.post(`/api/v1/credentials/${created.id}/rotate`, { secret: '' });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().issues).toEqual([{ path: 'body.secret', message: 'must not be empty' }]);
    const missing = await admin.post(`/api/v1/credentials/00000000-0000-4000-8000-000000000000/rotate`, {
      secret: 'x',
    });
    expect(missing.statusCode).toBe(404);
  });

  it('validates its input', async () => {
    const res = await admin.post('/api/v1/credentials', { name: '', username: 'u' });
    expect(res.statusCode).toBe(400);
    expect(res.json().issues.map((i: { path: string }) => i.path)).toEqual(['body.name', 'body.secret']);
  });
});
