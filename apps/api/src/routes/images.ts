import {
  IdParams,
  ImageListQuery,
  ImageUsage,
  ImageUsageReport,
  SoftwareImage,
  SoftwareImageCreate,
  SoftwareImageUpdate,
} from '@hitless/contracts';
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { markGolden, unmarkGolden } from '../services/image-golden.ts';
import { imageUsage, imageUsageReport } from '../services/image-usage.ts';
import { createImage, deleteImage, getImage, listImages, updateImage } from '../services/images.ts';
import { contextOf } from './context.ts';
import { AUTHED, errors } from './responses.ts';

/** Software images, what uses each, and the golden (recommended) release of each platform family. */
export default async function imageRoutes(fastify: FastifyInstance) {
  const app = fastify.withTypeProvider<ZodTypeProvider>();
  const { db } = app.deps;
  const write = { permission: 'images:write' } as const;

  app.get(
    '/images',
    {
      schema: {
        tags: ['images'],
        summary: 'Software images',
        querystring: ImageListQuery,
        response: { 200: z.object({ items: z.array(SoftwareImage) }), ...errors(400, ...AUTHED) },
      },
    },
    async (request) => ({ items: await listImages(db, request.query) }),
  );
  app.get(
    '/images/:id',
    {
      schema: {
        tags: ['images'],
        summary: 'One image',
        params: IdParams,
        response: { 200: SoftwareImage, ...errors(400, 404, ...AUTHED) },
      },
    },
    async (request) => getImage(db, request.params.id),
  );
  app.get(
    '/images/usage',
    {
      schema: {
        tags: ['images'],
        summary:
          "What uses every image (devices running it or headed to it, campaigns, runs) and each family's golden compliance",
        response: { 200: ImageUsageReport, ...errors(...AUTHED) },
      },
    },
    async () => imageUsageReport(db),
  );
  app.get(
    '/images/:id/usage',
    {
      schema: {
        tags: ['images'],
        summary: 'What uses one image: devices running it or headed to it, campaigns targeting it, runs to it',
        params: IdParams,
        response: { 200: ImageUsage, ...errors(400, 404, ...AUTHED) },
      },
    },
    async (request) => imageUsage(db, request.params.id),
  );
  app.post(
    '/images/:id/golden',
    {
      config: write,
      schema: {
        tags: ['images'],
        summary: "Mark the image its family's golden (recommended) release, replacing the family's previous one",
        params: IdParams,
        response: { 200: SoftwareImage, ...errors(400, 404, ...AUTHED) },
      },
    },
    async (request) => markGolden(contextOf(request), request.params.id),
  );
  app.delete(
    '/images/:id/golden',
    {
      config: write,
      schema: {
        tags: ['images'],
        summary: 'Clear the golden mark: the family then has no recommended release',
        params: IdParams,
        response: { 200: SoftwareImage, ...errors(400, 404, ...AUTHED) },
      },
    },
    async (request) => unmarkGolden(contextOf(request), request.params.id),
  );
  app.post(
    '/images',
    {
      config: write,
      schema: {
        tags: ['images'],
        summary: 'Register an image',
        body: SoftwareImageCreate,
        response: { 201: SoftwareImage, ...errors(400, 409, ...AUTHED) },
      },
    },
    async (request, reply) => reply.status(201).send(await createImage(contextOf(request), request.body)),
  );
  app.patch(
    '/images/:id',
    {
      config: write,
      schema: {
        tags: ['images'],
        summary: 'Change an image',
        params: IdParams,
        body: SoftwareImageUpdate,
        response: { 200: SoftwareImage, ...errors(400, 404, 409, ...AUTHED) },
      },
    },
    async (request) => updateImage(contextOf(request), request.params.id, request.body),
  );
  app.delete(
    '/images/:id',
    {
      config: write,
      schema: {
        tags: ['images'],
        summary: 'Delete an unused image',
        params: IdParams,
        response: { 204: z.null(), ...errors(400, 404, 409, ...AUTHED) },
      },
    },
    async (request, reply) => {
      await deleteImage(contextOf(request), app.imageStore, request.params.id);
      return reply.status(204).send(null);
    },
  );
}
