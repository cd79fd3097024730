// The api's Prometheus metrics (served by GET /metrics in routes/system.ts, who may read them:
// packages/metrics/src/scrape.ts). Request durations by the route's pattern, never the raw URL
// (a 404 is "unmatched"), so ids never become labels; connected sockets; and, read at scrape
// time, runs and campaigns by status (one groupBy each, every status present) and the job
// queues by state. A count that cannot be read is left out of that scrape, and logged.
import { CampaignStatus, RunStatus } from '@hitless/contracts';
import type { JobName, Queue } from '@hitless/messaging';
import { BUCKETS, createRegistry, Gauge, Histogram, type Registry } from '@hitless/metrics';
import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';

declare module 'fastify' {
  interface FastifyInstance {
    /** This app's registry (each app its own: tests build several in one process). */
    metrics: Registry;
  }
}

const QUEUE_STATES = ['waiting', 'active', 'delayed', 'failed', 'completed'] as const;

export default fp(
  async function metrics(app: FastifyInstance) {
    const registry = createRegistry('api');
    const registers = [registry];
    const { db } = app.deps;

    const http = new Histogram({
      name: 'hitless_http_request_duration_seconds',
      help: 'HTTP requests by method, route pattern ("unmatched" when none matched) and status code',
      labelNames: ['method', 'route', 'status_code'],
      buckets: [...BUCKETS.http],
      registers,
    });
    app.addHook('onResponse', async (request, reply) => {
      http.observe(
        {
          method: request.method,
          route: request.routeOptions.url ?? 'unmatched',
          status_code: String(reply.statusCode),
        },
        reply.elapsedTime / 1000,
      );
    });

    /** Runs `read` at scrape time; a failure leaves the gauge empty for this scrape instead of failing it. */
    const readInto = async (gauge: Gauge, what: string, read: () => Promise<void>) => {
      try {
        await read();
      } catch (err) {
        gauge.reset();
        app.log.warn({ err }, `metrics: ${what} not counted`);
      }
    };

    new Gauge({
      name: 'hitless_socketio_clients',
      help: 'Authenticated socket.io clients connected to this api instance',
      registers,
      collect() {
        this.set(app.hasDecorator('io') ? app.io.of('/').sockets.size : 0);
      },
    });

    new Gauge({
      name: 'hitless_runs',
      help: 'Runs by status (all of them, from PostgreSQL)',
      labelNames: ['status'],
      registers,
      async collect() {
        await readInto(this, 'runs', async () => {
          const rows = await db.deviceRun.groupBy({ by: ['status'], _count: { _all: true } });
          const counts = new Map<string, number>(rows.map((r) => [r.status, r._count._all]));
          for (const status of RunStatus.options) this.set({ status }, counts.get(status) ?? 0);
        });
      },
    });

    new Gauge({
      name: 'hitless_campaigns',
      help: 'Campaigns by status (all of them, from PostgreSQL)',
      labelNames: ['status'],
      registers,
      async collect() {
        await readInto(this, 'campaigns', async () => {
          const rows = await db.campaign.groupBy({ by: ['status'], _count: { _all: true } });
          const counts = new Map<string, number>(rows.map((r) => [r.status, r._count._all]));
          for (const status of CampaignStatus.options) this.set({ status }, counts.get(status) ?? 0);
        });
      },
    });

    const queues: [JobName, Queue][] = [
      ['device-upgrade', app.deps.upgrades],
      ['device-discovery', app.deps.discoveries],
      ['campaign-tick', app.deps.campaignTicks],
      ['campaign-precheck', app.deps.campaignPrechecks],
    ];
    new Gauge({
      name: 'hitless_queue_jobs',
      help: 'Jobs in each queue by state (BullMQ, read from Redis)',
      labelNames: ['queue', 'state'],
      registers,
      async collect() {
        await readInto(this, 'queue jobs', async () => {
          const all = await Promise.all(queues.map(([, q]) => q.getJobCounts(...QUEUE_STATES)));
          queues.forEach(([queue], i) => {
            for (const state of QUEUE_STATES) this.set({ queue, state }, all[i]![state] ?? 0);
          });
        });
      },
    });

    app.decorate('metrics', registry);
  },
  { name: 'metrics', dependencies: ['errors'] },
);
