// The image store (directory backend): uploads under way in `<dir>/uploads` (tus's file store, one
// data file and one JSON record per upload, so an upload resumes across api restarts), received
// images in `<dir>/images/<imageId>`. The digests (SHA-256, SHA-512, MD5) are computed while the
// bytes arrive, never by holding the file in memory; after a restart, or a cut that left the
// file and the digests apart, they are rebuilt from the bytes on disk before more are added.
import { createHash, type Hash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { mkdir, rename, rm, stat } from 'node:fs/promises';
import type http from 'node:http';
import path from 'node:path';
import { pipeline } from 'node:stream/promises';
import { Transform, type Readable } from 'node:stream';
import { FileStore } from '@tus/file-store';
import type { Digests } from '@hitless/core';

class Hashing {
  offset = 0;
  readonly sha256: Hash = createHash('sha256');
  readonly sha512: Hash = createHash('sha512');
  readonly md5: Hash = createHash('md5');
  update(chunk: Buffer) {
    this.sha256.update(chunk);
    this.sha512.update(chunk);
    this.md5.update(chunk);
    this.offset += chunk.length;
  }
  digests(): Digests {
    return { sha256: this.sha256.digest('hex'), sha512: this.sha512.digest('hex'), md5: this.md5.digest('hex') };
  }
}

/** tus's file store, hashing what it writes. */
class HashingFileStore extends FileStore {
  private readonly hashing = new Map<string, Hashing>();

  /** The hash state for an upload at `offset`: kept from the last write, or rebuilt from disk. */
  private async at(id: string, offset: number): Promise<Hashing> {
    const kept = this.hashing.get(id);
    if (kept && kept.offset === offset) return kept;
    const h = new Hashing();
    if (offset > 0) {
      await pipeline(
        createReadStream(path.join(this.directory, id), { start: 0, end: offset - 1 }),
        new Transform({
          transform(chunk: Buffer, _enc, done) {
            h.update(chunk);
            done();
          },
        }),
      );
    }
    this.hashing.set(id, h);
    return h;
  }

  override async write(readable: http.IncomingMessage | Readable, id: string, offset: number): Promise<number> {
    const h = await this.at(id, offset);
    const hasher = new Transform({
      transform(chunk: Buffer, _enc, done) {
        h.update(chunk);
        done(null, chunk);
      },
    });
    // An error on the request (a cut) reaches the file store's own pipeline through the hasher.
    readable.on('error', (err) => hasher.destroy(err));
    readable.pipe(hasher);
    try {
      const written = await super.write(hasher, id, offset);
      if (written !== h.offset) this.hashing.delete(id);
      return written;
    } catch (err) {
      // What reached the disk is unknown: the next write rebuilds the digests from the file.
      this.hashing.delete(id);
      throw err;
    }
  }

  /** The digests of a whole upload (its file has `size` bytes). */
  async digestsOf(id: string, size: number): Promise<Digests> {
    const h = await this.at(id, size);
    this.hashing.delete(id);
    return h.digests();
  }

  override async remove(id: string): Promise<void> {
    this.hashing.delete(id);
    await super.remove(id);
  }
}

export class ImageStore {
  readonly uploads: HashingFileStore;
  private readonly imagesDir: string;

  constructor(dir: string) {
    this.uploads = new HashingFileStore({ directory: path.join(dir, 'uploads') });
    this.imagesDir = path.join(dir, 'images');
  }

  /** Where a received image's file lives. */
  pathOf(imageId: string): string {
    return path.join(this.imagesDir, imageId);
  }

  /** Bytes received so far of an upload under way, or null when there is none. */
  async uploadOffset(imageId: string): Promise<number | null> {
    try {
      return (await this.uploads.getUpload(imageId)).offset;
    } catch {
      return null;
    }
  }

  /** A finished upload becomes the image's file; its upload record goes. */
  async keep(imageId: string): Promise<void> {
    await mkdir(this.imagesDir, { recursive: true });
    await rename(path.join(this.uploads.directory, imageId), this.pathOf(imageId));
    await this.uploads.configstore.delete(imageId);
  }

  /** Drops the image's file and any upload of it under way. */
  async discard(imageId: string): Promise<void> {
    await rm(this.pathOf(imageId), { force: true });
    if ((await this.uploadOffset(imageId)) !== null) await this.uploads.remove(imageId);
  }

  async sizeOf(imageId: string): Promise<number | null> {
    try {
      return (await stat(this.pathOf(imageId))).size;
    } catch {
      return null;
    }
  }
}
