// Longer than 300 lines: the compose file, the Prometheus configuration and the Grafana dashboard are
// one deployment, checked against each other (ports, token, mounts, metric names) in one place.
// docker-compose.yml cannot run here (no Docker engine); this checks it is a sound deployment,
// with the Prometheus configuration and the Grafana dashboard it ships.
import { readdir, readFile } from 'node:fs/promises';
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
  secrets?: string[];
}

interface Compose {
  services: Record<string, Service>;
  volumes: Record<string, unknown>;
  secrets?: Record<string, { environment?: string; file?: string }>;
}

const readCompose = async () => {
  const text = await readFile(path.join(repoRoot, 'docker-compose.yml'), 'utf8');
  return { text, compose: parse(text, { merge: true }) as Compose };
};

/** Where a bind mount of `source` (a path in the repository) appears inside the service. */
const mountTarget = (svc: Service, source: string) =>
  svc.volumes?.find((v) => v.split(':')[0] === source)?.split(':')[1];

/** The metrics the dashboard may name: those the services export (histograms by their series), and Prometheus's `up`. */
const METRICS = [
  'hitless_runs',
  'hitless_campaigns',
  'hitless_step_duration_seconds',
  'hitless_queue_jobs',
  'hitless_job_wait_seconds',
  'hitless_ssh_sessions_open',
  'hitless_ssh_command_duration_seconds',
  'hitless_syslog_received_total',
  'hitless_syslog_stored_total',
  'hitless_syslog_dropped_total',
  'hitless_syslog_unparsed_total',
  'hitless_syslog_queue_depth',
  'hitless_http_request_duration_seconds',
  'hitless_socketio_clients',
];
const HISTOGRAM_SERIES = /_(bucket|sum|count)$/;
const PROMQL_WORDS = new Set([
  'by',
  'without',
  'on',
  'ignoring',
  'group_left',
  'group_right',
  'offset',
  'bool',
  'and',
  'or',
  'unless',
]);

/** The metric names a PromQL expression reads: identifiers that are not functions, keywords, labels or ranges. */
function metricsOf(expr: string): string[] {
  const bare = expr
    .replace(/"(?:[^"\\]|\\.)*"/g, '""')
    .replace(/\{[^}]*\}/g, '')
    .replace(/\[[^\]]*\]/g, '')
    .replace(/\b(by|without|on|ignoring|group_left|group_right)\s*\([^)]*\)/g, '');
  return [...bare.matchAll(/([A-Za-z_:][A-Za-z0-9_:]*)(\s*\()?/g)]
    .filter((m) => !m[2] && !PROMQL_WORDS.has(m[1]!))
    .map((m) => m[1]!);
}

interface Panel {
  type: string;
  title: string;
  datasource?: { type: string; uid: string };
  targets?: { expr: string; datasource?: { uid: string } }[];
  panels?: Panel[];
}

describe('docker-compose.yml', () => {
  it('declares postgres, redis, api, worker and web, wired to each other', async () => {
    const { text, compose } = await readCompose();
    const s = compose.services;
    expect(Object.keys(s)).toEqual(
      expect.arrayContaining([
        'postgres',
        'redis',
        'api',
        'worker',
        'web',
        'lab',
        'collector',
        'prometheus',
        'grafana',
      ]),
    );

    expect(s.postgres!.image).toMatch(/^postgres:/);
    expect(s.redis!.command).toEqual(
      expect.arrayContaining(['--appendonly', 'yes', '--maxmemory-policy', 'noeviction']),
    );
    expect(Object.keys(compose.volumes)).toEqual(expect.arrayContaining(['postgres-data', 'redis-data']));

    for (const name of ['api', 'worker', 'collector']) {
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

    // Published: the web entry point, the collector's syslog, Prometheus and Grafana; all on loopback.
    const published = Object.entries(s).filter(([, v]) => v.ports?.length);
    expect(published.map(([k]) => k).sort()).toEqual(['collector', 'grafana', 'prometheus', 'web']);
    for (const [name, svc] of published) {
      for (const port of svc.ports!) expect(port, name).toMatch(/^127\.0\.0\.1:\d+:\d+(\/(udp|tcp))?$/);
    }
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
        if (/PASSWORD|SECRET|TOKEN/.test(k)) expect(v, k).toMatch(/^\$\{[A-Z_]+:\?/);
      }
    }
  });

  it('runs the syslog collector, and points the lab at it', async () => {
    const { compose } = await readCompose();
    const s = compose.services;
    const c = s.collector!;
    expect(c.command).toEqual(['node', '--import', 'tsx', 'apps/collector/src/main.ts']);
    // The node services' environment (the anchor), plus its own listeners on every interface.
    expect(c.environment).toMatchObject({
      NODE_ENV: 'production',
      HITLESS_LOG_LEVEL: 'info',
      HITLESS_SYSLOG_HOST: '0.0.0.0',
      HITLESS_METRICS_HOST: '0.0.0.0',
      HITLESS_METRICS_PORT: '9103',
    });
    const udp = c.environment!.HITLESS_SYSLOG_UDP_PORT ?? '5514';
    const tcp = c.environment!.HITLESS_SYSLOG_TCP_PORT ?? '5514';
    expect(c.ports).toEqual([`127.0.0.1:5514:${udp}/udp`, `127.0.0.1:5514:${tcp}/tcp`]);
    // Its metrics stay inside the compose network.
    expect(c.ports!.some((p) => p.includes(':9103'))).toBe(false);
    expect(c.healthcheck!.test.join(' ')).toContain('http://127.0.0.1:9103/readyz');
    // The lab's devices send their syslog there, in RFC 5424 (whose HOSTNAME names the device).
    const lab = s.lab!.command!;
    expect(lab[lab.indexOf('--syslog') + 1]).toBe(`collector:${udp}`);
    expect(lab[lab.indexOf('--syslog-format') + 1]).toBe('5424');
    expect(s.worker!.environment).toMatchObject({ HITLESS_METRICS_HOST: '0.0.0.0', HITLESS_METRICS_PORT: '9102' });
  });

  it('has Prometheus scrape the api, every worker replica and the collector with the shared bearer token', async () => {
    const { compose } = await readCompose();
    const s = compose.services;
    for (const name of ['api', 'worker', 'collector'])
      expect(s[name]!.environment!.HITLESS_METRICS_TOKEN, name).toMatch(/^\$\{HITLESS_METRICS_TOKEN:\?/);
    const prom = s.prometheus!;
    expect(prom.image).toMatch(/^prom\/prometheus:v\d+\.\d+\.\d+$/);
    expect(prom.ports).toEqual(['127.0.0.1:9090:9090']);
    const configAt = mountTarget(prom, './deploy/prometheus/prometheus.yml');
    expect(configAt).toBe('/etc/prometheus/prometheus.yml');
    // The token reaches Prometheus as a file, from the same variable the services read.
    expect(prom.secrets).toEqual(['metrics_token']);
    expect(compose.secrets!.metrics_token).toEqual({ environment: 'HITLESS_METRICS_TOKEN' });

    const config = parse(await readFile(path.join(repoRoot, 'deploy/prometheus/prometheus.yml'), 'utf8')) as {
      scrape_configs: {
        job_name: string;
        honor_labels?: boolean;
        authorization?: { type?: string; credentials_file?: string; credentials?: string };
        static_configs?: { targets: string[]; labels?: Record<string, string> }[];
        dns_sd_configs?: { names: string[]; type: string; port: number }[];
        relabel_configs?: { target_label: string; replacement: string }[];
      }[];
    };
    const jobs = Object.fromEntries(config.scrape_configs.map((j) => [j.job_name, j]));
    expect(Object.keys(jobs).sort()).toEqual(['api', 'collector', 'worker']);
    for (const job of Object.values(jobs)) {
      expect(job.authorization, job.job_name).toEqual({
        type: 'Bearer',
        credentials_file: '/run/secrets/metrics_token',
      });
      // The services export `service` themselves; kept as is, and given to `up` too.
      expect(job.honor_labels, job.job_name).toBe(true);
    }
    expect(jobs.api!.static_configs).toEqual([
      { targets: [`api:${s.api!.environment!.HITLESS_PORT}`], labels: { service: 'api' } },
    ]);
    expect(jobs.collector!.static_configs).toEqual([
      { targets: [`collector:${s.collector!.environment!.HITLESS_METRICS_PORT}`], labels: { service: 'collector' } },
    ]);
    // Scaled workers: every replica's address from Docker's DNS, on the workers' metrics port.
    expect(jobs.worker!.static_configs).toBeUndefined();
    expect(jobs.worker!.dns_sd_configs).toEqual([
      expect.objectContaining({
        names: ['worker'],
        type: 'A',
        port: Number(s.worker!.environment!.HITLESS_METRICS_PORT),
      }),
    ]);
    expect(jobs.worker!.relabel_configs).toEqual([{ target_label: 'service', replacement: 'worker' }]);
  });

  it('provisions Grafana with the Prometheus datasource and the dashboard, whose panels read only exported metrics', async () => {
    const { compose } = await readCompose();
    const g = compose.services.grafana!;
    expect(g.image).toMatch(/^grafana\/grafana:\d+\.\d+\.\d+$/);
    expect(g.ports).toEqual(['127.0.0.1:3000:3000']);
    expect(g.environment!.GF_SECURITY_ADMIN_PASSWORD).toMatch(/^\$\{GRAFANA_ADMIN_PASSWORD:\?/);
    expect(mountTarget(g, './deploy/grafana/provisioning')).toBe('/etc/grafana/provisioning');
    const dashboardsAt = mountTarget(g, './docs/grafana');

    const datasources = parse(
      await readFile(path.join(repoRoot, 'deploy/grafana/provisioning/datasources/prometheus.yml'), 'utf8'),
    ) as { datasources: { uid: string; type: string; url: string }[] };
    expect(datasources.datasources).toEqual([
      expect.objectContaining({ uid: 'prometheus', type: 'prometheus', url: 'http://prometheus:9090' }),
    ]);
    const providers = parse(
      await readFile(path.join(repoRoot, 'deploy/grafana/provisioning/dashboards/hitless.yml'), 'utf8'),
    ) as { providers: { type: string; options: { path: string } }[] };
    expect(providers.providers).toEqual([expect.objectContaining({ type: 'file', options: { path: dashboardsAt } })]);

    const text = await readFile(path.join(repoRoot, 'docs/grafana/hitless.json'), 'utf8');
    expect(text).not.toContain('DS_PROMETHEUS');
    const dashboard = JSON.parse(text) as { schemaVersion: number; uid: string; panels: Panel[] };
    expect(dashboard.schemaVersion).toBeGreaterThanOrEqual(39);
    const panels = dashboard.panels.flatMap((p) => [p, ...(p.panels ?? [])]).filter((p) => p.type !== 'row');
    const titles = panels.map((p) => p.title);
    expect(titles).toEqual(
      expect.arrayContaining([
        'Process up',
        'Runs by status',
        'Campaigns by status',
        'Step duration p50 / p95 per procedure and step',
        'Queue depth',
        'Job wait p95',
        'SSH sessions open',
        'SSH command latency p95',
        'Syslog messages per second',
        'Syslog queue depth',
        'HTTP p95 latency per route',
        'socket.io clients',
      ]),
    );
    // The services really export these names (a renamed metric fails here, not on a blank panel).
    const sources: string[] = [];
    for (const app of ['api', 'worker', 'collector']) {
      const dir = path.join(repoRoot, 'apps', app, 'src');
      for (const f of await readdir(dir, { recursive: true }))
        if (f.endsWith('.ts') && !f.endsWith('.test.ts')) sources.push(await readFile(path.join(dir, f), 'utf8'));
    }
    for (const m of METRICS)
      expect(
        sources.some((src) => src.includes(`name: '${m}'`)),
        m,
      ).toBe(true);

    const used = new Set<string>();
    for (const panel of panels) {
      expect(panel.datasource, panel.title).toEqual({ type: 'prometheus', uid: 'prometheus' });
      expect(panel.targets?.length, panel.title).toBeGreaterThan(0);
      for (const t of panel.targets!) {
        if (t.datasource) expect(t.datasource.uid, panel.title).toBe('prometheus');
        const names = metricsOf(t.expr);
        expect(names.length, t.expr).toBeGreaterThan(0);
        for (const n of names) {
          expect(
            n === 'up' || METRICS.includes(n.replace(HISTOGRAM_SERIES, '')) || METRICS.includes(n),
            `${panel.title}: ${n}`,
          ).toBe(true);
          used.add(n.replace(HISTOGRAM_SERIES, ''));
        }
      }
    }
    // Every listed metric has a panel, and so has `up`.
    expect([...used].sort()).toEqual([...METRICS, 'up'].sort());
    // The reader itself: functions, label matchers, groupings and ranges are not metrics.
    expect(
      metricsOf('histogram_quantile(0.95, sum by (le, route) (rate(x_bucket{a="b}"}[$__rate_interval])))'),
    ).toEqual(['x_bucket']);
  });
});
