import type { FastifyRequest } from 'fastify';
import { actorOf } from '../plugins/auth.ts';
import type { MutationContext } from '../types.ts';

export function contextOf(request: FastifyRequest): MutationContext {
  const { db, events } = request.server.deps;
  return { db, events, actor: actorOf(request), log: request.log };
}
