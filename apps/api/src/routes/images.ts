import {
  CompatibilityCreate,
  CompatibilityEntry,
  CompatibilityListQuery,
  CompatibilityUpdate,
  IdParams,
  ImageListQuery,
  SoftwareImage,
  SoftwareImageCreate,
  SoftwareImageUpdate,
} from '@hitless/contracts';
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import {
  createCompatibility,
  deleteCompatibility,
  getCompatibility,
  listCompatibility,
  updateCompatibility,
} from '../services/compatibility.ts';
import { createImage, deleteImage, getImage, listImages, updateImage } from '../services/images.ts';
import { contextOf } from './context.ts';
import { AUTHED, errors } from './responses.ts';

/** Software images and the compatibility matrix between their versions. */
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
      await deleteImage(contextOf(request), request.params.id);
      return reply.status(204).send(null);
    },
  );

  const tags = ['compatibility'];
  app.get(
    '/compatibility',
    {
      schema: {
        tags,
        summary: 'Compatibility matrix entries (C / B / I per version pair)',
        querystring: CompatibilityListQuery,
        response: { 200: z.object({ items: z.array(CompatibilityEntry) }), ...errors(400, ...AUTHED) },
      },
    },
    async (request) => ({ items: await listCompatibility(db, request.query) }),
  );
  app.get(
    '/compatibility/:id',
    {
      schema: {
        tags,
        summary: 'One matrix entry',
        params: IdParams,
        response: { 200: CompatibilityEntry, ...errors(400, 404, ...AUTHED) },
      },
    },
    async (request) => getCompatibility(db, request.params.id),
  );
  app.post(
    '/compatibility',
    {
      config: write,
      schema: {
        tags,
        summary: 'Add a matrix entry',
        body: CompatibilityCreate,
        response: { 201: CompatibilityEntry, ...errors(400, 409, ...AUTHED) },
      },
    },
    async (request, reply) => reply.status(201).send(await createCompatibility(contextOf(request), request.body)),
  );
  app.patch(
    '/compatibility/:id',
    {
      config: write,
      schema: {
        tags,
        summary: 'Change a matrix entry',
        params: IdParams,
        body: CompatibilityUpdate,
        response: { 200: CompatibilityEntry, ...errors(400, 404, 409, ...AUTHED) },
      },
    },
    async (request) => updateCompatibility(contextOf(request), request.params.id, request.body),
  );
  app.delete(
    '/compatibility/:id',
    {
      config: write,
      schema: {
        tags,
        summary: 'Delete a matrix entry',
        params: IdParams,
        response: { 204: z.null(), ...errors(400, 404, ...AUTHED) },
      },
    },
    async (request, reply) => {
      await deleteCompatibility(contextOf(request), request.params.id);
      return reply.status(204).send(null);
    },
  );
}
