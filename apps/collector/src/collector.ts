// One collector: the UDP and TCP listeners, the store that batches into PostgreSQL and
// publishes live, the kernel-drop watch and the retention scheduler. main.ts runs one with the
// process's configuration; tests and the bench run one in-process against real services.
import type { SyslogConfig } from '@hitless/config';
import type { Db } from '@hitless/db';
import type { EventPublisher, Redis } from '@hitless/messaging';
import type { Registry } from '@hitless/metrics';
import { kernelUdpDrops } from './kernel-drops.ts';
import { DeviceMatcher } from './matcher.ts';
import { collectorMetrics, type CollectorMetrics } from './metrics.ts';
import { listenTcp, listenUdp } from './receivers.ts';
import { startRetention, type Retention } from './retention.ts';
import { SyslogStore } from './store.ts';

export interface CollectorOptions {
  syslog: SyslogConfig;
  db: Db;
  redis: Redis;
  prefix: string;
  events: EventPublisher | null;
  registry: Registry;
  logger: {
    info(obj: object, msg: string): void;
    warn(obj: object, msg: string): void;
    error(obj: object, msg: string): void;
  };
  /** Period of the retention job (hourly by default). */
  retentionEveryMs?: number;
}

export interface Collector {
  udpPort: number;
  tcpPort: number;
  recvBufferBytes: number;
  metrics: CollectorMetrics;
  store: SyslogStore;
  /** Kernel drops seen so far on the UDP socket (null where the kernel does not say). */
  kernelDrops(): Promise<number | null>;
  close(): Promise<void>;
}

const KERNEL_DROPS_POLL_MS = 1000;

export async function startCollector(o: CollectorOptions): Promise<Collector> {
  let tcpConnections = () => 0;
  const metrics = collectorMetrics(o.registry, { tcpConnections: () => tcpConnections() });
  const matcher = new DeviceMatcher(o.db);
  await matcher.refresh(true);
  const store = new SyslogStore({
    db: o.db,
    events: o.events,
    matcher,
    metrics,
    batchSize: o.syslog.batchSize,
    flushMs: o.syslog.flushMs,
    queueMax: o.syslog.queueMax,
    timeZone: o.syslog.timeZone,
    logger: o.logger,
  });
  const udp = await listenUdp({
    host: o.syslog.host,
    port: o.syslog.udpPort,
    recvBufferBytes: o.syslog.recvBufferBytes,
    maxMessageBytes: o.syslog.maxMessageBytes,
    sink: store,
    logger: o.logger,
  });
  const tcp = await listenTcp({
    host: o.syslog.host,
    port: o.syslog.tcpPort,
    maxMessageBytes: o.syslog.maxMessageBytes,
    sink: store,
    logger: o.logger,
  });
  store.onPressure = (full) => {
    tcp.pause(full);
    o.logger.warn(
      { queued: store.depth },
      full ? 'syslog queue nearly full: TCP reading paused' : 'TCP reading resumed',
    );
  };
  tcpConnections = () => tcp.connections();

  // The socket's drop count since it was opened; each increase is counted as kernel drops.
  let kernelSeen = 0;
  const watchKernel = async () => {
    const drops = await kernelUdpDrops(udp.port);
    if (drops !== null && drops > kernelSeen) {
      metrics.dropped.inc({ reason: 'kernel' }, drops - kernelSeen);
      kernelSeen = drops;
    }
    return drops;
  };
  const kernelTimer = setInterval(() => void watchKernel(), KERNEL_DROPS_POLL_MS);
  kernelTimer.unref();

  let retention: Retention | null = null;
  try {
    retention = await startRetention({
      db: o.db,
      redis: o.redis,
      prefix: o.prefix,
      retentionMs: o.syslog.retentionMs,
      ...(o.retentionEveryMs && { everyMs: o.retentionEveryMs }),
      logger: o.logger,
    });
  } catch (err) {
    await Promise.all([udp.close(), tcp.close()]);
    throw err;
  }
  o.logger.info(
    { udp: `${o.syslog.host}:${udp.port}`, tcp: `${o.syslog.host}:${tcp.port}`, recvBufferBytes: udp.recvBufferBytes },
    'syslog collector listening',
  );
  return {
    udpPort: udp.port,
    tcpPort: tcp.port,
    recvBufferBytes: udp.recvBufferBytes,
    metrics,
    store,
    kernelDrops: watchKernel,
    close: async () => {
      clearInterval(kernelTimer);
      await Promise.all([udp.close(), tcp.close()]);
      await store.close();
      await retention?.close();
    },
  };
}
