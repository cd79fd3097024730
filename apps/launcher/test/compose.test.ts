// docker-compose.yml cannot run here (no Docker engine); this checks it is a sound deployment.
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { repoRoot } from '@hitless/config';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';

interface Service {
  image?: string;
  build?: { context: string; dockerfile: string };
  command?: string[];
  environment?: Record<string, string>;
  ports?: string[];
  depends_on?: Record<string, { condition: string }>;
  healthcheck?: { test: string[] };
}

describe('docker-compose.yml', () => {
  it('declares postgres, redis, api, worker and web, wired to each other', async () => {
    const text = await readFile(path.join(repoRoot, 'docker-compose.yml'), 'utf8');
    const compose = parse(text, { merge: true }) as {
      services: Record<string, Service>;
      volumes: Record<string, unknown>;
    };
    const s = compose.services;
    expect(Object.keys(s)).toEqual(expect.arrayContaining(['postgres', 'redis', 'api', 'worker', 'web', 'lab']));

    expect(s.postgres!.image).toMatch(/^postgres:/);
    expect(s.redis!.command).toEqual(
      expect.arrayContaining(['--appendonly', 'yes', '--maxmemory-policy', 'noeviction']),
    );
    expect(Object.keys(compose.volumes)).toEqual(expect.arrayContaining(['postgres-data', 'redis-data']));

    for (const name of ['api', 'worker']) {
      const svc = s[name]!;
      // The application role, never the owner or the superuser.
      expect(svc.environment!.DATABASE_URL).toMatch(/^postgresql:\/\/hitless_app:.*@postgres:5432\/hitless$/);
      expect(svc.environment!.REDIS_URL).toBe('redis://redis:6379');
      expect(svc.environment!.HITLESS_SECRET_KEY).toMatch(/^\$\{HITLESS_SECRET_KEY:\?/);
      expect(svc.depends_on).toMatchObject({
        migrate: { condition: 'service_completed_successfully' },
        redis: { condition: 'service_healthy' },
      });
    }
    expect(s.api!.command).toContain('apps/api/src/server.ts');
    expect(s.worker!.command).toContain('apps/worker/src/main.ts');
    expect(s.migrate!.command).toEqual(expect.arrayContaining(['packages/db/src/cli.ts', 'migrate']));
    expect(s.migrate!.environment!.DATABASE_OWNER_URL).toMatch(
      /^postgresql:\/\/hitless_owner:.*@postgres:5432\/hitless$/,
    );
    // The roles the migrations grant to are made on the first start, by a script that exists.
    const init = (s.postgres as { volumes: string[] }).volumes.find((v) => v.includes('docker-entrypoint-initdb.d'))!;
    const script = await readFile(path.join(repoRoot, init.split(':')[0]!), 'utf8');
    expect(script).toMatch(/CREATE ROLE hitless_owner[\s\S]*CREATE ROLE hitless_app[\s\S]*OWNER hitless_owner/);
    expect(s.api!.environment!.HITLESS_AUDIT_CHECKPOINT_FILE).toMatch(/^\/var\/lib\/hitless\//);
    expect(s.lab!.command).toEqual(expect.arrayContaining(['apps/lab/src/main.ts', '--api-token']));

    // Only the web entry point is published, and only on loopback.
    const published = Object.entries(s).filter(([, v]) => v.ports?.length);
    expect(published.map(([k]) => k)).toEqual(['web']);
    expect(s.web!.ports).toEqual(['127.0.0.1:8080:80']);

    // Every file the compose file builds from exists, and every command's entry point too.
    for (const svc of Object.values(s)) {
      if (svc.build)
        await expect(readFile(path.join(repoRoot, svc.build.context, svc.build.dockerfile), 'utf8')).resolves.toContain(
          'FROM ',
        );
      const entry = svc.command?.find((c) => c.endsWith('.ts'));
      if (entry) await expect(readFile(path.join(repoRoot, entry), 'utf8')).resolves.toBeTruthy();
    }
    // No secret is written into the file itself: they all come from the deployer's environment.
    for (const svc of Object.values(s)) {
      for (const [k, v] of Object.entries(svc.environment ?? {})) {
        if (/PASSWORD|SECRET/.test(k)) expect(v, k).toMatch(/^\$\{[A-Z_]+:\?/);
      }
    }
  });
});
