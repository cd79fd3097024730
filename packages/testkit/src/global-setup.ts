// Once per `vitest run` (integration project): a throwaway PostgreSQL and Redis on free
// loopback ports, and a migrated template database that each test file clones (fast: a file
// copy inside PostgreSQL). Nothing here touches the machine's own PostgreSQL or Redis.
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { applyMigrations } from '@hitless/db';
import { startEmbeddedPostgres, startRedis } from '@hitless/runtime';
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
  await admin.query(`CREATE DATABASE ${TEMPLATE_DB}`);
  await admin.end();
  await applyMigrations(postgres.urlFor(TEMPLATE_DB));

  project.provide('pgAdminUrl', postgres.adminUrl);
  project.provide('redisUrl', redis.url);

  return async () => {
    await Promise.all([postgres.stop(), redis.stop()]);
    await rm(dir, { recursive: true, force: true });
  };
}
