// Once per `vitest run` (integration project): a throwaway PostgreSQL and Redis on free
// loopback ports, and a migrated template database that each test file clones (fast: a file
// copy inside PostgreSQL). Nothing here touches the machine's own PostgreSQL or Redis.
// The template is owned by, and migrated as, the owner role; clones keep that ownership and
// every grant (CREATE DATABASE … TEMPLATE copies the catalog; roles are cluster-wide), so tests
// run the product as the application role with exactly the privileges it has in production.
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { applyMigrations } from '@hitless/db';
import { OWNER_ROLE, startEmbeddedPostgres, startRedis } from '@hitless/runtime';
import pg from 'pg';
import type { TestProject } from 'vitest/node';
import { TEMPLATE_DB } from './constants.ts';
import './provided.ts';

export default async function setup(project: TestProject) {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'hitless-test-'));
  const [postgres, redis] = await Promise.all([
    startEmbeddedPostgres({ baseDir: dir, durable: false }),
    startRedis({ dir: path.join(dir, 'redis'), durable: false }),
  ]);
  const admin = new pg.Client({ connectionString: postgres.adminUrl });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${TEMPLATE_DB} OWNER ${OWNER_ROLE}`);
  await admin.end();
  await applyMigrations(postgres.urlFor(TEMPLATE_DB, 'owner'));

  project.provide('pgAdminUrl', postgres.adminUrl);
  project.provide('pgOwnerUrl', postgres.urlFor('postgres', 'owner'));
  project.provide('pgAppUrl', postgres.urlFor('postgres', 'app'));
  project.provide('redisUrl', redis.url);

  return async () => {
    await Promise.all([postgres.stop(), redis.stop()]);
    await rm(dir, { recursive: true, force: true });
  };
}
