// The golden (recommended) image of a platform family, what uses an image, and the refusal to
// delete one in use, against the real api and database.
import { describe, expect, it } from 'vitest';
import { campaignBody, device, image } from './campaigns-fixtures.ts';
import { fileHarness } from './harness.ts';

const t = fileHarness();

const goldenAudits = (action: string, targetId: string) =>
  t.h.database.db.auditEvent.findMany({ where: { action, targetId }, orderBy: { id: 'asc' } });

describe('golden image', () => {
  it('marks one image per family, replaces it in one step, and clears it, audited', async () => {
    const sb8 = await image(t.h, { family: 'golden-a', version: 'SB8' });
    const sb9 = await image(t.h, { family: 'golden-a', version: 'SB9' });
    const other = await image(t.h, { family: 'golden-b', version: 'SB9' });

    const marked = await t.op.post(`/api/v1/images/${sb8.id}/golden`);
    expect(marked.statusCode, marked.body).toBe(200);
    expect(marked.json()).toMatchObject({ id: sb8.id, golden: true });
    await t.op.post(`/api/v1/images/${other.id}/golden`);

    // Marking SB9 takes the mark off SB8 (same family) and leaves the other family's alone.
    expect((await t.op.post(`/api/v1/images/${sb9.id}/golden`)).json().golden).toBe(true);
    const list = (await t.op.get('/api/v1/images')).json().items as { id: string; golden: boolean }[];
    const golden = (id: string) => list.find((i) => i.id === id)?.golden;
    expect([golden(sb8.id), golden(sb9.id), golden(other.id)]).toEqual([false, true, true]);
    expect(await t.h.database.db.goldenImage.count({ where: { platformFamily: 'golden-a' } })).toBe(1);

    const [replace] = await goldenAudits('image.golden.marked', sb9.id);
    expect(replace!.details).toMatchObject({
      platformFamily: 'golden-a',
      version: 'SB9',
      replaced: { imageId: sb8.id, version: 'SB8' },
    });
    expect(replace!.actorName).toBe(t.op.username);

    // Marking it again changes nothing and writes no second event.
    expect((await t.op.post(`/api/v1/images/${sb9.id}/golden`)).statusCode).toBe(200);
    expect(await goldenAudits('image.golden.marked', sb9.id)).toHaveLength(1);

    const cleared = await t.op.delete(`/api/v1/images/${sb9.id}/golden`);
    expect(cleared.statusCode).toBe(200);
    expect(cleared.json().golden).toBe(false);
    expect((await t.op.get(`/api/v1/images/${sb9.id}`)).json().golden).toBe(false);
    expect(await goldenAudits('image.golden.cleared', sb9.id)).toHaveLength(1);
    expect(await t.h.database.db.goldenImage.count({ where: { platformFamily: 'golden-a' } })).toBe(0);
  });

  it('refuses viewers, and answers 404 for an unknown image', async () => {
    const img = await image(t.h, { family: 'golden-c', version: 'V1' });
    expect((await t.viewer.post(`/api/v1/images/${img.id}/golden`)).statusCode).toBe(403);
    await t.op.post(`/api/v1/images/${img.id}/golden`);
    expect((await t.viewer.delete(`/api/v1/images/${img.id}/golden`)).statusCode).toBe(403);
    expect((await t.viewer.get(`/api/v1/images/${img.id}`)).json().golden).toBe(true);
    const missing = '00000000-0000-4000-8000-000000000000';
    expect((await t.op.post(`/api/v1/images/${missing}/golden`)).statusCode).toBe(404);
  });

  it('an image moved to another family leaves the golden mark behind', async () => {
    const img = await image(t.h, { family: 'golden-d', version: 'V1' });
    await t.op.post(`/api/v1/images/${img.id}/golden`);
    const moved = await t.op.patch(`/api/v1/images/${img.id}`, { platformFamily: 'golden-e' });
    expect(moved.statusCode, moved.body).toBe(200);
    expect(moved.json()).toMatchObject({ platformFamily: 'golden-e', golden: false });
    expect(await t.h.database.db.goldenImage.count({ where: { imageId: img.id } })).toBe(0);
    const audit = await t.h.database.db.auditEvent.findFirst({ where: { action: 'image.updated', targetId: img.id } });
    expect(audit!.details).toMatchObject({ goldenDropped: 'CISCO_IOS/golden-d' });
    // A change within the family keeps it.
    await t.op.post(`/api/v1/images/${img.id}/golden`);
    expect((await t.op.patch(`/api/v1/images/${img.id}`, { notes: 'still golden' })).json().golden).toBe(true);
  });
});

describe('image usage and delete refusals', () => {
  it('says which devices run, and which are headed to, an image; and the family compliance', async () => {
    const img = await image(t.h, { family: 'c10k', version: '12.2(33)SB77' });
    const onIt = await device(t.h, { platform: 'c10k', version: '12.2(33)SB77' });
    await device(t.h, { platform: 'c10k', version: '12.2(33)SB77', vendor: 'CISCO_IOSXE' }); // another vendor
    const headed = await device(t.h, { platform: 'c10k', version: '12.2(33)SB8' });
    await t.h.database.db.deviceRun.create({
      data: {
        deviceId: headed.id,
        imageId: img.id,
        procedure: 'CISCO_ISSU',
        toVersion: img.version,
        status: 'RUNNING',
        createdById: t.op.userId,
      },
    });
    const usage = await t.viewer.get(`/api/v1/images/${img.id}/usage`);
    expect(usage.statusCode, usage.body).toBe(200);
    expect(usage.json()).toMatchObject({
      running: { count: 1, devices: [{ id: onIt.id, hostname: onIt.hostname }] },
      targeting: { count: 1, devices: [{ id: headed.id }] },
      activeRuns: [{ deviceId: headed.id, status: 'RUNNING' }],
      runCount: 1,
    });
    await t.op.post(`/api/v1/images/${img.id}/golden`);
    const report = (await t.viewer.get('/api/v1/images/usage')).json();
    expect(report.images.find((u: { imageId: string }) => u.imageId === img.id).running.count).toBe(1);
    const family = report.families.find((f: { platformFamily: string }) => f.platformFamily === 'c10k');
    expect(family).toMatchObject({ vendor: 'CISCO_IOS', goldenImageId: img.id, onGolden: 1 });
    expect(family.devices).toBeGreaterThanOrEqual(2);

    const refused = await t.op.delete(`/api/v1/images/${img.id}`);
    expect(refused.statusCode).toBe(409);
    expect(refused.json().message).toMatch(/1 active on .*cmp.*\.lab/);
    expect(refused.json().message).toContain(`1 device runs its version: ${onIt.hostname}`);
  });

  it('refuses to delete an image a campaign targets, naming the campaigns and counting beyond five', async () => {
    const img = await image(t.h, { family: 'c10k', version: '12.2(33)SB88' });
    const d = await device(t.h, { platform: 'c10k', version: '12.2(33)SB8' });
    const names: string[] = [];
    for (let i = 1; i <= 7; i++) {
      const res = await t.op.post('/api/v1/campaigns', campaignBody([d.id], [img.id], { name: `Night ${i}` }));
      expect(res.statusCode, res.body).toBe(201);
      names.push(`Night ${i}`);
    }
    const refused = await t.op.delete(`/api/v1/images/${img.id}`);
    expect(refused.statusCode).toBe(409);
    const message: string = refused.json().message;
    expect(message).toMatch(/^image 12\.2\(33\)SB88 is in use and cannot be deleted: it is a target of campaigns /);
    expect(message).toContain('"Night 7", "Night 6"');
    expect(message).toContain('and 2 more');
    expect((await t.op.get(`/api/v1/images/${img.id}`)).statusCode).toBe(200);
    const usage = (await t.op.get(`/api/v1/images/${img.id}/usage`)).json();
    expect(usage.campaigns).toHaveLength(7);
    expect(usage.campaigns[0]).toMatchObject({ name: 'Night 7', status: 'DRAFT' });
  });
});

describe('image clashes', () => {
  it('name the field they are about, so a form shows them there', async () => {
    const first = await image(t.h, { family: 'clash-a', version: 'V1' });
    const body = { vendor: 'CISCO_IOS', platformFamily: 'clash-a', sizeBytes: 10, sha256: 'c'.repeat(64) };
    const version = await t.op.post('/api/v1/images', { ...body, version: 'V1', fileName: 'other.bin' });
    expect(version.statusCode).toBe(409);
    expect(version.json().issues).toEqual([{ path: 'body.version', message: expect.stringMatching(/V1 is already/) }]);
    const file = await t.op.post('/api/v1/images', { ...body, version: 'V2', fileName: first.fileName });
    expect(file.statusCode).toBe(409);
    expect(file.json().issues[0].path).toBe('body.fileName');
  });
});
