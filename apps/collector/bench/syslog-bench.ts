// npm run bench:syslog [-- --transport udp|tcp|both --steps 1000,2000,5000 --seconds 10 --rsyslog auto|on|off]
// How much syslog the collector stores in PostgreSQL. A token-bucket generator (this process)
// sends realistic Cisco and Junos messages from a few hundred 127.x sources, most of them devices
// in the inventory, in steps of rising rate; the collector runs as its own process against a
// throwaway PostgreSQL and Redis. After each step the bench waits for the collector's queue to
// empty and reads its metrics, a SELECT count and the kernel's drops for its port. UDP escalates
// until the first step that loses messages (or the generator tops out); TCP, which pushes back
// instead of dropping, until the generator is held back. The reference is Debian's rsyslogd
// (imudp → omfile, the collector's receive buffer) under the same UDP steps, run first, alone.
// "Sustained with zero drops" is the highest rate sent in a step that lost nothing and left no
// backlog: what was queued when the sending stopped was stored within 2 s (or a fifth of the
// step). A step that lost nothing but left more is listed apart: the queue (HITLESS_SYSLOG_QUEUE_MAX,
// passed through like every HITLESS_SYSLOG_* variable) hid the shortfall, and a longer step would drop.
// The whole run is capped (--max-seconds); whatever it started is stopped on every way out.
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { inheritedEnv, loadConfig } from '@hitless/config';
import { generateSecretKey } from '@hitless/crypto';
import { applyMigrations, createPrisma, deriveAuditKey } from '@hitless/db';
import { startEmbeddedPostgres, startRedis } from '@hitless/runtime';
import { startCollectorProcess } from './collector-process.ts';
import { makeSources, tcpSender, udpSender, type Source } from './generator.ts';
import { runPhase, summary, type Phase, type PhaseOptions } from './phases.ts';
import { grantedRecvBuffer, RSYSLOGD, startRsyslog } from './rsyslog.ts';
import { collectorTarget, rsyslogTarget } from './targets.ts';

const { values } = parseArgs({
  options: {
    transport: { type: 'string', default: 'udp' },
    steps: { type: 'string', default: '1000,2000,5000,10000,20000,40000,80000' },
    seconds: { type: 'string', default: '10' },
    devices: { type: 'string', default: '300' },
    unknown: { type: 'string', default: '30' },
    connections: { type: 'string', default: '4' },
    rsyslog: { type: 'string', default: 'auto' },
    'max-seconds': { type: 'string', default: '300' },
    'drain-seconds': { type: 'string', default: '60' },
  },
});
const STEPS = values.steps.split(',').map(Number);
const SECONDS = Number(values.seconds);
const MAX_S = Number(values['max-seconds']);
const TRANSPORTS = values.transport === 'both' ? ['udp', 'tcp'] : [values.transport];
// The reference takes UDP only, so `auto` runs it when the collector is measured over UDP.
const RSYSLOG =
  values.rsyslog === 'on' || (values.rsyslog === 'auto' && TRANSPORTS.includes('udp') && existsSync(RSYSLOGD));
const out = (line: string) => process.stdout.write(`${line}\n`);
const t0 = Date.now();
const deadline = t0 + MAX_S * 1000;

/** Everything started so far, stopped in reverse order, once, whichever way the bench ends. */
const cleanups: { what: string; run: () => Promise<unknown> }[] = [];
let cleaning: Promise<void> | null = null;
function cleanUp(): Promise<void> {
  cleaning ??= (async () => {
    for (const c of cleanups.splice(0).reverse()) {
      try {
        await c.run();
      } catch (err) {
        process.stderr.write(`bench: could not stop ${c.what}: ${(err as Error).message}\n`);
      }
    }
  })();
  return cleaning;
}
let interrupted = false;
const endWith = (code: number) => () => void cleanUp().then(() => process.exit(code));
for (const [signal, code] of [
  ['SIGINT', 130],
  ['SIGTERM', 143],
] as const) {
  process.on(signal, () => {
    interrupted = true;
    endWith(code)();
  });
}
for (const event of ['uncaughtException', 'unhandledRejection'] as const) {
  process.on(event, (err: unknown) => {
    process.stderr.write(`bench:syslog: ${event}: ${(err as Error)?.stack ?? String(err)}\n`);
    endWith(1)();
  });
}
// The cap is checked before every step; this is the backstop if something hangs past it.
setTimeout(
  () => {
    process.stderr.write(`bench:syslog: still running ${MAX_S + 60} s after the start; stopping\n`);
    void cleanUp().then(() => process.exit(2));
  },
  (MAX_S + 60) * 1000,
).unref();

async function main() {
  if (STEPS.some((s) => !Number.isFinite(s) || s <= 0)) throw new Error('--steps: positive rates, comma-separated');
  if (!(SECONDS > 0) || !(MAX_S > 0)) throw new Error('--seconds and --max-seconds must be positive');
  if (TRANSPORTS.some((t) => t !== 'udp' && t !== 'tcp')) throw new Error('--transport: udp, tcp or both');
  const sources = makeSources(Number(values.devices), Number(values.unknown));
  const key = generateSecretKey();
  const dir = await mkdtemp(path.join(os.tmpdir(), 'hitless-syslog-bench-'));
  cleanups.push({ what: 'the scratch directory', run: () => rm(dir, { recursive: true, force: true }) });
  const env = {
    NODE_ENV: 'production',
    DATABASE_URL: 'postgresql://placeholder/hitless',
    REDIS_URL: 'redis://placeholder',
    HITLESS_SECRET_KEY: key.toString('base64'),
    HITLESS_SYSLOG_HOST: '127.0.0.1',
    HITLESS_SYSLOG_UDP_PORT: '0',
    HITLESS_SYSLOG_TCP_PORT: '0',
    HITLESS_METRICS_HOST: '127.0.0.1',
    HITLESS_METRICS_PORT: '0',
    HITLESS_LOG_LEVEL: 'warn',
  };
  const syslog = loadConfig(inheritedEnv(env)).syslog;
  const rcvbuf = await grantedRecvBuffer(syslog.recvBufferBytes);
  const [l1, l5, l15] = os.loadavg().map((l) => l.toFixed(2));
  out(`bench:syslog — ${os.cpus().length} cores, load average ${l1} ${l5} ${l15}, node ${process.version}`);
  out(
    `${sources.length} sources (${sources.filter((s) => s.known).length} in the inventory), steps of ${SECONDS} s, cap ${MAX_S} s; ` +
      `collector batch ${syslog.batchSize}, flush ${syslog.flushMs} ms, queue max ${syslog.queueMax}, ` +
      `UDP receive buffer asked ${syslog.recvBufferBytes}, granted ${rcvbuf} (net.core.rmem_max ${(await readFile('/proc/sys/net/core/rmem_max', 'utf8')).trim()})`,
  );
  const phases: Phase[] = [];
  const phasesLeft = () => TRANSPORTS.length + (RSYSLOG ? 1 : 0) - phases.length;
  const until = () => Date.now() + (deadline - Date.now()) / Math.max(1, phasesLeft());

  // The reference drains at once: it needs about a step's time per step, the collector the rest.
  const rsyslogUntil = () => Math.min(until(), Date.now() + STEPS.length * (SECONDS + 4) * 1000);
  if (RSYSLOG) phases.push(await rsyslogPhase(dir, sources, rcvbuf, rsyslogUntil()));
  else
    out(
      `\nrsyslog reference skipped (${
        values.rsyslog === 'off'
          ? '--rsyslog off'
          : !TRANSPORTS.includes('udp')
            ? 'it takes UDP only'
            : `${RSYSLOGD} missing: apt-get install -y rsyslog`
      })`,
    );

  const postgres = await startEmbeddedPostgres({ baseDir: dir, durable: false });
  cleanups.push({ what: 'PostgreSQL', run: () => postgres.stop() });
  const redisServer = await startRedis({ dir: path.join(dir, 'redis'), durable: false });
  cleanups.push({ what: 'Redis', run: () => redisServer.stop() });
  await applyMigrations(postgres.ownerUrl);
  const db = createPrisma(postgres.url, { auditKey: deriveAuditKey(key) });
  cleanups.push({ what: 'the database client', run: () => db.$disconnect() });
  await db.device.createMany({
    data: sources
      .filter((s) => s.known)
      .map((s) => ({
        hostname: s.hostname,
        mgmtAddress: s.address,
        vendor: s.vendor === 'cisco' ? ('CISCO_IOSXE' as const) : ('JUNOS' as const),
        platform: s.vendor === 'cisco' ? 'C9500-48Y4C' : 'MX480',
      })),
  });

  const collector = await startCollectorProcess(
    { ...env, DATABASE_URL: postgres.url, REDIS_URL: redisServer.url },
    path.join(dir, 'collector.log'),
    (stop) => cleanups.push({ what: 'the collector', run: stop }),
  );

  for (const transport of TRANSPORTS as ('udp' | 'tcp')[]) {
    const tcp = transport === 'tcp';
    const tcpOne = tcp ? await tcpSender(sources, collector.tcpPort, Number(values.connections)) : null;
    const sender = tcpOne ?? (await udpSender(sources, collector.udpPort));
    cleanups.push({ what: `the ${transport} generator`, run: () => sender.close() });
    const target = collectorTarget({
      metricsPort: collector.metricsPort,
      udpPort: collector.udpPort,
      db,
      alive: collector.alive,
      ...(tcpOne && { pending: tcpOne.buffered }),
    });
    const title = tcp
      ? `TCP (octet counting, ${Number(values.connections)} connections) → collector → PostgreSQL`
      : 'UDP → collector → PostgreSQL';
    const phase = await runPhase({
      ...common(),
      title,
      target,
      collector: true,
      transport,
      send: sender.run,
      receiverPid: collector.pid,
      until: until(),
    });
    phases.push(phase);
    await sender.close();
    if (!collector.alive()) out(`collector log:\n${await collector.tail()}`);
  }

  out('\nsummary');
  const load = os.loadavg().map((l) => l.toFixed(2));
  out(`load average at the end: ${load.join(' ')}; ${((Date.now() - t0) / 1000).toFixed(0)} s in all`);
  for (const line of summary(phases)) out(line);
}

/** What every phase shares: the steps, and the cap (10 s of it kept for stopping everything). */
const common = (): Pick<PhaseOptions, 'steps' | 'seconds' | 'drainMaxMs' | 'deadline' | 'out'> => ({
  steps: STEPS,
  seconds: SECONDS,
  drainMaxMs: Number(values['drain-seconds']) * 1000,
  deadline: deadline - 10_000,
  out,
});

async function rsyslogPhase(dir: string, sources: Source[], rcvbuf: number, until: number): Promise<Phase> {
  const rs = await startRsyslog(path.join(dir, 'rsyslog'), rcvbuf);
  cleanups.push({ what: 'rsyslogd', run: () => rs.stop() });
  const sender = await udpSender(sources, rs.port);
  cleanups.push({ what: 'the rsyslog generator', run: () => sender.close() });
  const phase = await runPhase({
    ...common(),
    title: `UDP → rsyslogd ${RSYSLOGD} (imudp → omfile, pid ${rs.pid}) → file`,
    target: rsyslogTarget(rs),
    collector: false,
    transport: 'udp',
    send: sender.run,
    receiverPid: rs.pid,
    until,
  });
  // Stopped now, so nothing of the reference runs while the collector is measured.
  await sender.close();
  await rs.stop();
  await rm(path.join(dir, 'rsyslog'), { recursive: true, force: true });
  return phase;
}

try {
  await main();
} catch (err) {
  if (interrupted) process.stderr.write('bench:syslog: interrupted; stopping what it started\n');
  else process.stderr.write(`bench:syslog failed: ${(err as Error).stack ?? String(err)}\n`);
  process.exitCode = 1;
} finally {
  await cleanUp();
}
