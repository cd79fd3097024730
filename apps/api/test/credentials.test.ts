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
    expect(patched.json()).toMatchObject({ hasEnableSecret: false });
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
    expect(del.json().message).toBe('credential edge is used by 1 device(s)');
    await admin.delete(`/api/v1/devices/${device.id}`);
    expect((await admin.delete(`/api/v1/credentials/${id}`)).statusCode).toBe(204);
  });

  it('validates its input', async () => {
    const res = await admin.post('/api/v1/credentials', { name: '', username: 'u' });
    expect(res.statusCode).toBe(400);
    expect(res.json().issues.map((i: { path: string }) => i.path)).toEqual(['body.name', 'body.secret']);
  });
});
