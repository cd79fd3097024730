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
  volumes?: string[];
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
    expect(s.lab!.command).toEqual(expect.arrayContaining(['apps/lab/src/main.ts']));
    expect(s.lab!.command!.some((a) => a.startsWith('--api-token=${HITLESS_LAB_TOKEN'))).toBe(true);

    // The migrate service re-keys the audit trail (once: cli.ts does it only in the run that
    // applies the roles migration) into the api's own checkpoint file, on the same volume.
    expect(s.migrate!.command).toEqual(expect.arrayContaining(['migrate', '--rekey']));
    expect(s.migrate!.environment!.HITLESS_AUDIT_CHECKPOINT_FILE).toBe(
      s.api!.environment!.HITLESS_AUDIT_CHECKPOINT_FILE,
    );
    const mountOf = (svc: Service, file: string) =>
      svc.volumes?.find((v) => file.startsWith(`${v.split(':')[1]}/`) && !v.startsWith('.'));
    const checkpoints = s.api!.environment!.HITLESS_AUDIT_CHECKPOINT_FILE!;
    expect(mountOf(s.api!, checkpoints)).toBe('audit-checkpoints:/var/lib/hitless');
    expect(mountOf(s.migrate!, checkpoints)).toBe('audit-checkpoints:/var/lib/hitless');
    // The lab keeps its devices' host keys on a volume: a restart is not a key change.
    const stateDir = s.lab!.command![s.lab!.command!.indexOf('--state-dir') + 1]!;
    expect(stateDir).toBe('/var/lib/hitless-lab');
    expect(s.lab!.volumes).toContain(`lab-state:${stateDir}`);
    expect(Object.keys(compose.volumes)).toEqual(expect.arrayContaining(['audit-checkpoints', 'lab-state']));
    // The image runs as node; every volume's mount point exists in it and is node's, made before
    // USER node (else Docker makes the volume root's and every write fails with EACCES).
    const dockerfile = await readFile(path.join(repoRoot, 'apps/api/Dockerfile'), 'utf8');
    const beforeUser = dockerfile.slice(0, dockerfile.indexOf('USER node'));
    expect(dockerfile).toMatch(/^USER node$/m);
    for (const dir of ['/var/lib/hitless', '/var/lib/hitless-lab']) {
      expect(beforeUser).toMatch(new RegExp(`mkdir -p [^\\n]*${dir}( |$)`, 'm'));
      expect(beforeUser).toMatch(new RegExp(`chown node:node [^\\n]*${dir}( |$)`, 'm'));
    }
    // Existing data from before the roles: an upgrade script, mounted where the header says.
    expect((s.postgres as { volumes: string[] }).volumes).toContain(
      './deploy/postgres/upgrade-roles.sql:/hitless/upgrade-roles.sql:ro',
    );
    expect(text).toMatch(/psql -U hitless -d hitless[\s\S]*-f \/hitless\/upgrade-roles\.sql/);

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
