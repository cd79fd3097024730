// The "ops server" of a process that has no HTTP server of its own (worker, collector): a small
// node:http listener for /metrics (Prometheus text; who may read it: scrape.ts), /healthz (the
// process is alive) and /readyz (its dependencies answer; 503 when one does not). GET and HEAD
// only; nothing else is served. The api serves the same three paths on its own port.
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Registry } from 'prom-client';
import { checkReadiness, type ReadinessCheck } from './readiness.ts';
import { scrapeRefusal } from './scrape.ts';

export interface OpsLogger {
  info(o: object, m: string): void;
  warn(o: object, m: string): void;
}

export interface OpsServerOptions {
  host: string;
  /** 0: an ephemeral port (the real one is logged and returned). */
  port: number;
  token: string | null;
  registry: Registry;
  checks: ReadinessCheck[];
  logger: OpsLogger;
}

export interface OpsServer {
  port: number;
  close(): Promise<void>;
}

function send(res: ServerResponse, status: number, type: string, body: string, head: boolean): void {
  res.writeHead(status, {
    'content-type': type,
    'content-length': Buffer.byteLength(body),
    'cache-control': 'no-store',
    'x-content-type-options': 'nosniff',
  });
  res.end(head ? undefined : body);
}

const json = (res: ServerResponse, status: number, body: object, head: boolean) =>
  send(res, status, 'application/json; charset=utf-8', JSON.stringify(body), head);

async function handle(o: OpsServerOptions, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const head = req.method === 'HEAD';
  if (req.method !== 'GET' && !head) {
    res.setHeader('allow', 'GET, HEAD');
    return json(res, 405, { statusCode: 405, message: 'only GET and HEAD' }, false);
  }
  const path = (req.url ?? '/').split('?')[0];
  switch (path) {
    case '/healthz':
      return json(res, 200, { status: 'ok' }, head);
    case '/readyz': {
      const { ready, checks } = await checkReadiness(o.checks);
      return json(res, ready ? 200 : 503, { status: ready ? 'ok' : 'unavailable', ...checks }, head);
    }
    case '/metrics': {
      const refusal = scrapeRefusal({ token: o.token, headers: req.headers, peer: req.socket.remoteAddress });
      if (refusal) {
        if (refusal.status === 401) res.setHeader('www-authenticate', 'Bearer');
        return json(res, refusal.status, { statusCode: refusal.status, message: refusal.message }, head);
      }
      return send(res, 200, o.registry.contentType, await o.registry.metrics(), head);
    }
    default:
      return json(res, 404, { statusCode: 404, message: 'not found' }, head);
  }
}

export async function startOpsServer(o: OpsServerOptions): Promise<OpsServer> {
  const server = createServer((req, res) => {
    handle(o, req, res).catch((err: unknown) => {
      o.logger.warn({ err, path: req.url }, 'ops server request failed');
      if (!res.headersSent) json(res, 500, { statusCode: 500, message: 'internal error' }, false);
      else res.destroy();
    });
  });
  // Scrapers keep connections open; they must not hold a shutdown.
  server.keepAliveTimeout = 5000;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(o.port, o.host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  server.on('error', (err) => o.logger.warn({ err }, 'ops server error'));
  const port = (server.address() as AddressInfo).port;
  o.logger.info(
    { host: o.host, port },
    `ops server listening on http://${o.host.includes(':') ? `[${o.host}]` : o.host}:${port} (/metrics, /healthz, /readyz)`,
  );
  return {
    port,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.close((err) => (err ? reject(err) : resolve()));
        server.closeAllConnections();
      }),
  };
}

/**
 * `startOpsServer` for a process whose work does not need it (worker, collector): a port already
 * taken (a second process on this host with the default port) costs the metrics, not the process,
 * so a launcher does not restart it into the same taken port. It warns and answers null.
 */
export async function startOpsServerOrWarn(o: OpsServerOptions): Promise<OpsServer | null> {
  try {
    return await startOpsServer(o);
  } catch (err) {
    o.logger.warn(
      { err, host: o.host, port: o.port },
      'ops server not started: no /metrics, /healthz or /readyz from this process (set HITLESS_METRICS_PORT)',
    );
    return null;
  }
}
