// Image files uploaded by the tus protocol against the real api: streamed to the store with their
// digests computed on the way in, refused (and deleted) when they are not the registered file,
// resumed after a cut mid-request over a real socket, and dropped with their image.
import { createHash, randomBytes } from 'node:crypto';
import { readFile, stat } from 'node:fs/promises';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { eventually } from '@hitless/testkit/poll';
import { describe, expect, it } from 'vitest';
import { fileHarness, type Client } from './harness.ts';

const t = fileHarness();
const TUS = { 'tus-resumable': '1.0.0' };
let counter = 0;

const digest = (algorithm: string, data: Buffer) => createHash(algorithm).update(data).digest('hex');

/** A registered image for `data` (its sha256 unless told otherwise). */
async function register(data: Buffer, checksums: Record<string, string> = { sha256: digest('sha256', data) }) {
  const n = ++counter;
  const res = await t.op.post('/api/v1/images', {
    vendor: 'CISCO_IOSXE',
    platformFamily: 'upload-test',
    version: `1.${n}`,
    fileName: `upload-test-1.${n}.bin`,
    sizeBytes: data.length,
    ...checksums,
  });
  expect(res.statusCode, res.body).toBe(201);
  return res.json().id as string;
}

const create = (who: Client, imageId: string, length: number) =>
  who.request({
    method: 'POST',
    url: '/api/v1/uploads',
    headers: {
      ...TUS,
      'upload-length': String(length),
      'upload-metadata': `imageId ${Buffer.from(imageId).toString('base64')}`,
    },
  });
const patch = (who: Client, imageId: string, offset: number, body: Buffer) =>
  who.request({
    method: 'PATCH',
    url: `/api/v1/uploads/${imageId}`,
    headers: { ...TUS, 'content-type': 'application/offset+octet-stream', 'upload-offset': String(offset) },
    payload: body,
  });
const offsetOf = async (imageId: string) => {
  const res = await t.op.request({ method: 'HEAD', url: `/api/v1/uploads/${imageId}`, headers: TUS });
  return res.statusCode === 200 ? Number(res.headers['upload-offset']) : res.statusCode;
};
const audits = (imageId: string, action: string) =>
  t.h.database.db.auditEvent.findMany({ where: { targetId: imageId, action } });

describe('image upload (tus)', () => {
  it('takes a file in pieces, says how much arrived, and keeps it with the digests it computed', async () => {
    const data = randomBytes(3 * 1024 * 1024 + 17);
    const id = await register(data, { md5: digest('md5', data), sha512: digest('sha512', data) });
    const created = await create(t.op, id, data.length);
    expect(created.statusCode, created.body).toBe(201);
    expect(created.headers.location).toBe(`/api/v1/uploads/${id}`);

    const first = await patch(t.op, id, 0, data.subarray(0, 1_000_000));
    expect(first.statusCode, first.body).toBe(204);
    expect(await offsetOf(id)).toBe(1_000_000);
    // A second creation while this one is under way is refused and says where to resume.
    const again = await create(t.op, id, data.length);
    expect(again.statusCode).toBe(409);
    expect(again.body).toContain(`resume it at /api/v1/uploads/${id}`);
    // The image says nothing is stored until the whole file arrived.
    expect((await t.viewer.get(`/api/v1/images/${id}`)).json().content).toBeNull();

    const last = await patch(t.op, id, 1_000_000, data.subarray(1_000_000));
    expect(last.statusCode, last.body).toBe(204);
    const image = (await t.viewer.get(`/api/v1/images/${id}`)).json();
    expect(image.content).toMatchObject({
      sha256: digest('sha256', data),
      md5: digest('md5', data),
      sha512: digest('sha512', data),
      storedBy: t.op.username,
    });
    expect((await readFile(t.h.app.imageStore.pathOf(id))).equals(data)).toBe(true);
    expect(await offsetOf(id)).toBe(404);
    const [stored] = await audits(id, 'image.content.stored');
    expect(stored!.details).toMatchObject({ sizeBytes: data.length, verified: ['sha512', 'md5'] });

    // Stored means verified against its size and checksums: those no longer change, and a new upload is refused.
    const resize = await t.op.patch(`/api/v1/images/${id}`, { sizeBytes: data.length + 1 });
    expect(resize.statusCode).toBe(409);
    expect(resize.json().message).toContain('delete its file before changing them');
    expect((await t.op.patch(`/api/v1/images/${id}`, { notes: 'fine' })).statusCode).toBe(200);
    expect((await create(t.op, id, data.length)).statusCode).toBe(409);

    // Dropping the file keeps the image; deleting the image deletes its file.
    const dropped = await t.op.delete(`/api/v1/images/${id}/content`);
    expect(dropped.statusCode, dropped.body).toBe(200);
    expect(dropped.json().content).toBeNull();
    await expect(stat(t.h.app.imageStore.pathOf(id))).rejects.toThrow();
    expect((await create(t.op, id, data.length)).statusCode).toBe(201);
    expect((await patch(t.op, id, 0, data)).statusCode).toBe(204);
    expect((await t.op.delete(`/api/v1/images/${id}`)).statusCode).toBe(204);
    await expect(stat(t.h.app.imageStore.pathOf(id))).rejects.toThrow();
  });

  it('refuses a file that is not the registered one, naming each digest, and deletes it', async () => {
    const data = randomBytes(200_000);
    const id = await register(data, { sha256: digest('sha256', data), md5: 'f'.repeat(32) });
    expect((await create(t.op, id, data.length)).statusCode).toBe(201);
    const res = await patch(t.op, id, 0, data);
    expect(res.statusCode).toBe(400);
    const body = JSON.parse(res.body);
    expect(body.code).toBe('VALIDATION_FAILED');
    expect(body.message).toContain(`md5 expected ${'f'.repeat(32)} but the file's is ${digest('md5', data)}`);
    expect(body.message).not.toContain('sha256 expected');
    expect((await t.viewer.get(`/api/v1/images/${id}`)).json().content).toBeNull();
    await expect(stat(t.h.app.imageStore.pathOf(id))).rejects.toThrow();
    expect(await offsetOf(id)).toBe(404);
    expect(await audits(id, 'image.content.rejected')).toHaveLength(1);
  });

  it('refuses what cannot become the image file before a byte is written, and readers', async () => {
    const data = randomBytes(1000);
    const id = await register(data);
    const wrongSize = await create(t.op, id, 999);
    expect(wrongSize.statusCode).toBe(400);
    expect(wrongSize.body).toContain('is 999 bytes but upload-test');
    const noMetadata = await t.op.request({
      method: 'POST',
      url: '/api/v1/uploads',
      headers: { ...TUS, 'upload-length': '5' },
    });
    expect(noMetadata.statusCode).toBe(400);
    expect(noMetadata.json().message).toContain('upload-metadata');
    const noImage = await t.op.request({
      method: 'POST',
      url: '/api/v1/uploads',
      headers: { ...TUS, 'upload-length': '5', 'upload-metadata': `name ${Buffer.from('x.bin').toString('base64')}` },
    });
    expect(noImage.statusCode).toBe(400);
    expect(noImage.body).toContain('Upload-Metadata must name the image');
    const oldTus = await t.op.request({
      method: 'HEAD',
      url: `/api/v1/uploads/${id}`,
      headers: { 'tus-resumable': '0.2.2' },
    });
    expect(oldTus.statusCode).toBe(400);
    const unknown = await create(t.op, '00000000-0000-4000-8000-000000000000', 5);
    expect(unknown.statusCode).toBe(404);
    expect((await create(t.viewer, id, data.length)).statusCode).toBe(403);
    const anonymous = await t.h.app.inject({
      method: 'POST',
      url: '/api/v1/uploads',
      headers: { ...TUS, 'upload-length': '1000', origin: t.h.origin },
    });
    expect(anonymous.statusCode).toBe(401);
    // A cross-origin upload is refused like any other mutation.
    const foreign = await t.op.request({
      method: 'POST',
      url: '/api/v1/uploads',
      headers: { ...TUS, origin: 'https://evil.example', 'upload-length': '1000' },
    });
    expect(foreign.statusCode).toBe(403);
    expect(await offsetOf(id)).toBe(404);
  });

  it('resumes after the connection is cut mid-request: the next piece starts where the bytes stopped', async () => {
    const data = randomBytes(4 * 1024 * 1024);
    const id = await register(data);
    expect((await create(t.op, id, data.length)).statusCode).toBe(201);
    await t.h.app.listen({ host: '127.0.0.1', port: 0 });
    const { port } = t.h.app.server.address() as AddressInfo;
    // A real client over a socket: sends 1.5 MB of the PATCH's 4 MB, then the line drops.
    await new Promise<void>((resolve) => {
      const req = http.request({
        host: '127.0.0.1',
        port,
        method: 'PATCH',
        path: `/api/v1/uploads/${id}`,
        headers: {
          ...TUS,
          cookie: t.op.cookie,
          origin: t.h.origin,
          'content-type': 'application/offset+octet-stream',
          'upload-offset': '0',
          'content-length': String(data.length),
        },
      });
      req.on('error', () => resolve());
      req.on('response', () => resolve());
      req.write(data.subarray(0, 1_500_000), () => setTimeout(() => req.destroy(), 50));
    });
    // The bytes that reached the disk are kept (tus's file store); how many is what HEAD says.
    const offset = await eventually(
      async () => {
        const o = await offsetOf(id);
        if (typeof o !== 'number' || o <= 0 || o > 1_500_000) throw new Error(`offset ${o}`);
        return o;
      },
      { timeoutMs: 10_000 },
    );
    const rest = await patch(t.op, id, offset, data.subarray(offset));
    expect(rest.statusCode, rest.body).toBe(204);
    expect((await t.viewer.get(`/api/v1/images/${id}`)).json().content.sha256).toBe(digest('sha256', data));
    expect((await readFile(t.h.app.imageStore.pathOf(id))).equals(data)).toBe(true);
  });
});
