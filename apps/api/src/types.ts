import type { Config } from '@hitless/config';
import type { Role } from '@hitless/contracts';
import type { Permission } from '@hitless/core';
import type { Actor, Db } from '@hitless/db';
import type { EventPublisher, Queue, Redis } from '@hitless/messaging';
import type { FastifyBaseLogger } from 'fastify';
import type { ImageStore } from './services/image-store.ts';

/** Everything the app needs from outside; built by server.ts (or a test), owned by the caller. */
export interface AppDeps {
  config: Config;
  db: Db;
  redis: Redis;
  events: EventPublisher;
  /** Where device-upgrade jobs go. */
  upgrades: Queue;
  /** Where device-discovery jobs go (workers read devices; the API never does). */
  discoveries: Queue;
  /** Where campaign-tick jobs go (the scheduler looks at a campaign). */
  campaignTicks: Queue;
  /** Where campaign-precheck jobs go (the preview's read-only pre-checks of one device). */
  campaignPrechecks: Queue;
  logger?: FastifyBaseLogger;
  version?: string;
}

/** The authenticated caller of a request. */
export interface Principal {
  userId: string;
  username: string;
  role: Role;
  mustChangePassword: boolean;
  via: 'session' | 'token';
  sessionId?: string;
  tokenId?: string;
}

export type { Actor };

declare module 'fastify' {
  interface FastifyInstance {
    deps: AppDeps;
    /** Image files and uploads under way (services/image-store.ts). */
    imageStore: ImageStore;
  }
  interface FastifyRequest {
    principal: Principal | null;
  }
  interface FastifyContextConfig {
    /** Reachable without authentication (login, health). */
    public?: boolean;
    /** Required permission; defaults to `read`. Every mutating route must name one. */
    permission?: Permission;
    /** Allowed even while the caller must still change a one-time password. */
    allowPasswordChangePending?: boolean;
  }
}

/** What a state-changing application function needs: the database, the live-event outlet, who. */
export interface MutationContext {
  db: Db;
  events: EventPublisher;
  actor: Actor;
  log: FastifyBaseLogger;
}
