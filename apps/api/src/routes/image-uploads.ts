// Image files come in by the tus resumable-upload protocol (tus.io, @tus/server): POST
// /api/v1/uploads with `Upload-Length` and `Upload-Metadata: imageId <base64>` creates the upload
// at /api/v1/uploads/<imageId>; PATCH appends from `Upload-Offset`; HEAD says how much arrived, so
// a cut upload resumes where it stopped; DELETE abandons it. The bytes stream to disk. The last
// PATCH answers 204 when the file matches the image's registered checksums, or 400 naming each
// digest expected and found (the file is deleted). Our own authentication, roles and origin
// check run first, as for every route; tus only sees requests they let through.
import type { IncomingMessage } from 'node:http';
import { Server, type ServerOptions } from '@tus/server';
import { DomainError, httpStatusFor } from '@hitless/core';
import { IdParams, SoftwareImage } from '@hitless/contracts';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { checkUploadStart, deleteContent, finishUpload } from '../services/image-content.ts';
import { contextOf } from './context.ts';
import { AUTHED, errors } from './responses.ts';

const UPLOADS = '/api/v1/uploads';
const uuid = z.uuid();

type TusRequest = Parameters<NonNullable<ServerOptions['onUploadCreate']>>[0];

/** A refusal in tus's shape, with our error body (statusCode, code, message, issues). */
function refusal(err: unknown): { status_code: number; body: string } {
  if (!(err instanceof DomainError)) throw err;
  const status = httpStatusFor(err.code);
  return {
    status_code: status,
    body: JSON.stringify({ statusCode: status, code: err.code, message: err.message, issues: err.issues }),
  };
}

export default async function imageUploadRoutes(fastify: FastifyInstance) {
  const app = fastify.withTypeProvider<ZodTypeProvider>();
  const store = app.imageStore;
  // The Fastify request each raw request came with: the hooks below need its caller.
  const callers = new WeakMap<IncomingMessage, FastifyRequest>();
  const callerOf = (req: TusRequest) => {
    const raw = (req as { runtime?: { node?: { req?: IncomingMessage } } }).runtime?.node?.req;
    const request = raw && callers.get(raw);
    if (!request) throw new Error('an upload request without its caller');
    return request;
  };

  const tus = new Server({
    path: UPLOADS,
    datastore: store.uploads,
    relativeLocation: true,
    disableTerminationForFinishedUploads: true,
    // One upload per image, at a URL a client can find again: /api/v1/uploads/<imageId>.
    namingFunction: (_req, metadata) => {
      const id = uuid.safeParse(metadata?.imageId);
      if (!id.success)
        throw refusal(
          new DomainError('VALIDATION_FAILED', 'Upload-Metadata must name the image: imageId <its id, base64>', [
            { path: 'Upload-Metadata.imageId', message: 'must be an image id' },
          ]),
        );
      return id.data;
    },
    onUploadCreate: async (req, upload) => {
      try {
        await checkUploadStart(app.deps.db, store, upload.id, upload.size);
      } catch (err) {
        throw refusal(err);
      }
      callerOf(req).log.info({ imageId: upload.id, size: upload.size }, 'image upload started');
      return {};
    },
    onUploadFinish: async (req, upload) => {
      try {
        await finishUpload(contextOf(callerOf(req)), store, upload.id, upload.offset);
      } catch (err) {
        throw refusal(err);
      }
      return {};
    },
  });

  // tus reads the request body itself, as a stream: Fastify must leave it alone.
  app.addContentTypeParser('application/offset+octet-stream', (_request, _payload, done) => done(null));
  const handle = async (request: FastifyRequest, reply: FastifyReply) => {
    callers.set(request.raw, request);
    reply.hijack();
    await tus.handle(request.raw, reply.raw);
  };
  const config = { permission: 'images:write' } as const;
  const tusHeaders = { 'tus-resumable': z.literal('1.0.0', { error: 'must be 1.0.0 (the tus protocol version)' }) };
  const bytes = z.string().regex(/^\d{1,16}$/, { error: 'must be a number of bytes' });
  const answers = { 204: z.null(), ...errors(400, 404, 409, ...AUTHED) };
  app.post(
    '/uploads',
    {
      config,
      schema: {
        tags: ['images'],
        summary: "Start an upload of an image's file (tus creation): at /api/v1/uploads/<imageId>",
        headers: z.object({
          ...tusHeaders,
          'upload-length': bytes,
          'upload-metadata': z.string().max(1000, { error: 'is too long' }),
        }),
        response: { 201: z.null(), ...errors(400, 404, 409, ...AUTHED) },
      },
    },
    handle,
  );
  app.route({
    method: 'HEAD',
    url: '/uploads/:id',
    config,
    schema: {
      tags: ['images'],
      summary: 'How many bytes of an upload arrived (Upload-Offset), to resume it',
      params: IdParams,
      headers: z.object(tusHeaders),
      response: { 200: z.null(), ...errors(400, 404, ...AUTHED) },
    },
    handler: handle,
  });
  app.patch(
    '/uploads/:id',
    {
      config,
      schema: {
        tags: ['images'],
        summary:
          "Append bytes at Upload-Offset; the last piece answers 204 once the file matches the image's checksums, or 400 naming each digest",
        params: IdParams,
        headers: z.object({
          ...tusHeaders,
          'upload-offset': bytes,
          'content-type': z.literal('application/offset+octet-stream', {
            error: 'must be application/offset+octet-stream',
          }),
        }),
        response: answers,
      },
    },
    handle,
  );
  app.delete(
    '/uploads/:id',
    {
      config,
      schema: {
        tags: ['images'],
        summary: 'Abandon an upload under way (its bytes are deleted)',
        params: IdParams,
        headers: z.object(tusHeaders),
        response: answers,
      },
    },
    handle,
  );

  app.delete(
    '/images/:id/content',
    {
      config,
      schema: {
        tags: ['images'],
        summary: "Delete the image's stored file, or the upload of it under way; the image stays registered",
        params: IdParams,
        response: { 200: SoftwareImage, ...errors(400, 404, ...AUTHED) },
      },
    },
    async (request) => deleteContent(contextOf(request), store, request.params.id),
  );
}
