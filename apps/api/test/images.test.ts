import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHarness, type Client, type Harness } from './harness.ts';

let h: Harness;
let op: Client;
beforeAll(async () => {
  h = await startHarness();
  op = await h.as('OPERATOR');
});
afterAll(async () => h.close());

const image = (o: Record<string, unknown> = {}) => ({
  vendor: 'CISCO_IOS',
  platformFamily: 'c10k',
  version: '12.2(33)SB10',
  fileName: 'c10k2-p11-mz.2.20040830',
  sizeBytes: 20171492,
  sha256: 'a'.repeat(64),
  releaseDate: '2004-08-30',
  ...o,
});

describe('software images', () => {
  it('registers, lists, changes and deletes images', async () => {
    const created = await op.post('/api/v1/images', image({ sha256: 'A'.repeat(64) }));
    expect(created.statusCode).toBe(201);
    const img = created.json();
    expect(img).toMatchObject({ sizeBytes: 20171492, sha256: 'a'.repeat(64), releaseDate: '2004-08-30' });
    expect((await op.get('/api/v1/images?vendor=CISCO_IOS&platformFamily=C10K')).json().items).toHaveLength(1);
    const patched = await op.patch(`/api/v1/images/${img.id}`, {
      md5: 'b'.repeat(32),
      sha256: null,
      sizeBytes: 6_000_000_000,
    });
    expect(patched.json()).toMatchObject({ md5: 'b'.repeat(32), sha256: null, sizeBytes: 6_000_000_000 });
    const noChecksum = await op.patch(`/api/v1/images/${img.id}`, { md5: null });
    expect(noChecksum.statusCode).toBe(400);
    expect(noChecksum.json().message).toMatch(/sha256 or an md5/);
    expect((await op.delete(`/api/v1/images/${img.id}`)).statusCode).toBe(204);
    expect((await op.get(`/api/v1/images/${img.id}`)).statusCode).toBe(404);
  });

  it('validates checksums, dates and sizes, naming the field', async () => {
    const cases: [Record<string, unknown>, string][] = [
      [image({ sha256: 'xyz' }), 'body.sha256: must be 64 hexadecimal characters'],
      [image({ sha256: undefined }), 'body.sha256: give a sha256 or an md5 checksum'],
      [image({ releaseDate: '30/08/2004' }), 'body.releaseDate: must be a date as YYYY-MM-DD'],
      [image({ sizeBytes: -1 }), 'body.sizeBytes: must be positive'],
      [image({ fileName: 'disk0:/x.bin' }), 'body.fileName: must be a bare file name'],
    ];
    for (const [body, message] of cases) {
      const res = await op.post('/api/v1/images', body);
      expect(res.statusCode, message).toBe(400);
      expect(res.json().message).toContain(message);
    }
  });

  it('refuses a second image with the same version or file name on a platform family', async () => {
    await op.post('/api/v1/images', image({ version: 'V1', fileName: 'f1.bin' }));
    expect((await op.post('/api/v1/images', image({ version: 'V1', fileName: 'f2.bin' }))).statusCode).toBe(409);
    expect((await op.post('/api/v1/images', image({ version: 'V2', fileName: 'f1.bin' }))).statusCode).toBe(409);
    expect(
      (await op.post('/api/v1/images', image({ version: 'V1', fileName: 'f1.bin', platformFamily: 'asr1000' })))
        .statusCode,
    ).toBe(201);
    // A family has one spelling: C10K is c10k.
    expect(
      (await op.post('/api/v1/images', image({ version: 'V1', fileName: 'f3.bin', platformFamily: 'C10K' })))
        .statusCode,
    ).toBe(409);
    const upper = await op.post('/api/v1/images', image({ version: 'V3', fileName: 'f3.bin', platformFamily: 'C10K' }));
    expect(upper.json().platformFamily).toBe('c10k');
  });
});

describe('compatibility matrix', () => {
  const entry = (o: Record<string, unknown> = {}) => ({
    vendor: 'CISCO_IOSXE',
    platformFamily: 'cat4500',
    fromVersion: '03.05.01.E',
    toVersion: '03.06.00.E',
    level: 'I',
    source: 'ISSU barrier (seed 003)',
    ...o,
  });

  it('stores one level per version pair and filters by pair', async () => {
    const created = await op.post('/api/v1/compatibility', entry());
    expect(created.statusCode).toBe(201);
    const dup = await op.post('/api/v1/compatibility', entry({ level: 'C' }));
    expect(dup.statusCode).toBe(409);
    expect(dup.json().message).toMatch(/already has an entry \(level I\)/);
    await op.post('/api/v1/compatibility', entry({ fromVersion: '03.06.00.E', toVersion: '03.06.01.E', level: 'C' }));
    const found = (await op.get('/api/v1/compatibility?fromVersion=03.06.00.E&toVersion=03.06.01.E')).json().items;
    expect(found).toHaveLength(1);
    expect(found[0].level).toBe('C');
    const patched = await op.patch(`/api/v1/compatibility/${created.json().id}`, { level: 'B' });
    expect(patched.json().level).toBe('B');
    const audit = await h.database.db.auditEvent.findFirst({ where: { action: 'compatibility.updated' } });
    expect(audit!.details).toMatchObject({ level: { from: 'I', to: 'B' } });
    expect((await op.delete(`/api/v1/compatibility/${created.json().id}`)).statusCode).toBe(204);
  });

  it('rejects unknown levels and identical versions', async () => {
    expect((await op.post('/api/v1/compatibility', entry({ level: 'X' }))).json().message).toMatch(/body.level/);
    expect((await op.post('/api/v1/compatibility', entry({ toVersion: '03.05.01.E' }))).json().message).toBe(
      'body.toVersion: from and to versions must differ',
    );
  });
});
