// Syslog end to end: the real util-linux `logger` client sends over UDP and TCP (RFC 3164 and
// 5424, octet counting and newline framing) to a running collector; every message is stored,
// matched to its device, searchable through GET /api/v1/syslog and seen live by a socket.io client.
import { execFile } from 'node:child_process';
import dgram from 'node:dgram';
import { promisify } from 'node:util';
import { startCollector, type Collector } from '@hitless/collector';
import type { SyslogMessage, SyslogMessageEvent } from '@hitless/contracts';
import { createRegistry } from '@hitless/metrics';
import { eventually } from '@hitless/testkit/poll';
import { pino } from 'pino';
import { io as connect, type Socket } from 'socket.io-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { deviceBody, startHarness, type Client, type Harness } from './harness.ts';

const run = promisify(execFile);

let h: Harness;
let base: string;
let collector: Collector;
let operator: Client;
let viewer: Client;
let socket: Socket;
const live: SyslogMessageEvent[] = [];
/** The device `logger` speaks for: logger sends from 127.0.0.1. */
let local: { id: string; hostname: string };
/** A device found by the hostname in its messages (they come from an address it does not have). */
let named: { id: string; hostname: string };

beforeAll(async () => {
  h = await startHarness();
  base = await h.app.listen({ host: '127.0.0.1', port: 0 });
  collector = await startCollector({
    syslog: { ...h.config.syslog, udpPort: 0, tcpPort: 0, flushMs: 20 },
    db: h.database.db,
    redis: h.redis,
    prefix: h.config.redis.prefix,
    events: h.app.deps.events,
    registry: createRegistry('collector'),
    logger: pino({ level: 'silent' }),
  });
  operator = await h.as('OPERATOR');
  viewer = await h.as('VIEWER');
  local = (
    await operator.post('/api/v1/devices', deviceBody({ hostname: 'edge-local.lab', mgmtAddress: '127.0.0.1' }))
  ).json();
  named = (await operator.post('/api/v1/devices', deviceBody({ hostname: 'core-named.lab.example.net' }))).json();
  socket = connect(base, {
    path: '/socket.io',
    transports: ['websocket'],
    reconnection: false,
    extraHeaders: { cookie: viewer.cookie, origin: h.origin },
  });
  await new Promise<void>((resolve, reject) => {
    socket.once('connect', () => resolve());
    socket.once('connect_error', reject);
  });
  const joined = await socket.emitWithAck('subscribe', `device:${local.id}`);
  expect(joined).toEqual({ ok: true });
  socket.on('syslog.message', (e: SyslogMessageEvent) => live.push(e));
});
afterAll(async () => {
  socket?.disconnect();
  await collector?.close();
  await h?.close();
});

async function logger(args: string[], text: string) {
  await run('logger', ['-n', '127.0.0.1', ...args, '-t', 'hitless-test', '--', text]);
}

async function search(query: string): Promise<SyslogMessage[]> {
  const res = await viewer.get(`/api/v1/syslog?${query}`);
  expect(res.statusCode).toBe(200);
  return res.json().items;
}

describe('syslog from the real logger client', () => {
  const cases = [
    {
      name: 'UDP, RFC 3164',
      args: (p: Collector) => ['-d', '-P', String(p.udpPort), '--rfc3164'],
      transport: 'UDP',
      format: 'RFC3164',
    },
    {
      name: 'UDP, RFC 5424',
      args: (p: Collector) => ['-d', '-P', String(p.udpPort), '--rfc5424', '--msgid', 'ISSUTEST'],
      transport: 'UDP',
      format: 'RFC5424',
    },
    {
      name: 'TCP, RFC 5424, octet counting',
      args: (p: Collector) => ['-T', '-P', String(p.tcpPort), '--rfc5424', '--octet-count'],
      transport: 'TCP',
      format: 'RFC5424',
    },
    {
      name: 'TCP, RFC 3164, newline framing',
      args: (p: Collector) => ['-T', '-P', String(p.tcpPort), '--rfc3164'],
      transport: 'TCP',
      format: 'RFC3164',
    },
  ] as const;

  for (const c of cases) {
    it(`${c.name}: stored, matched to its device by source address, searchable and live`, async () => {
      const marker = `marker-${c.name.replace(/\W+/g, '-')}-${Date.now()}`;
      await logger([...c.args(collector), '-p', 'local7.warning'], `%ISSU-4-TEST: ${marker}`);
      const [stored] = await eventually(
        async () => {
          const items = await search(`q=${encodeURIComponent(marker)}`);
          return items.length > 0 && items;
        },
        { timeoutMs: 10_000, what: `the ${c.name} message stored` },
      );
      expect(stored).toMatchObject({
        deviceId: local.id,
        device: local.hostname,
        transport: c.transport,
        format: c.format,
        facility: 23,
        severity: 4,
        appName: 'hitless-test',
        parseError: null,
      });
      expect(stored!.message).toContain(marker);
      expect(stored!.raw).toContain(marker);
      // The device's room got it live, exactly as stored.
      const seen = await eventually(() => live.flatMap((e) => e.messages).find((m) => m.message.includes(marker)), {
        timeoutMs: 5000,
        what: 'the live event',
      });
      expect(seen).toEqual(stored);
    });
  }

  it('many messages over one TCP connection with octet counting: every one stored, in order', async () => {
    const lines = Array.from({ length: 200 }, (_, i) => `burst-${Date.now()}-${String(i).padStart(3, '0')}`);
    // logger reads one message per input line and sends them over one connection.
    await new Promise<void>((resolve, reject) => {
      const child = execFile(
        'logger',
        ['-n', '127.0.0.1', '-T', '-P', String(collector.tcpPort), '--rfc5424', '--octet-count', '-t', 'burst'],
        (err) => (err ? reject(err) : resolve()),
      );
      child.stdin!.end(lines.join('\n') + '\n');
    });
    const stored = await eventually(
      async () => {
        const items = await search(`q=${encodeURIComponent(lines[0]!.slice(0, 19))}&limit=500`);
        return items.length === lines.length && items;
      },
      { timeoutMs: 15_000, what: '200 messages stored' },
    );
    expect(stored.map((m) => m.message).reverse()).toEqual(lines);
  });
});

describe('matching and keeping everything', () => {
  async function sendFrom(address: string, text: string) {
    const s = dgram.createSocket('udp4');
    await new Promise<void>((resolve) => s.bind({ address, port: 0 }, () => resolve()));
    await new Promise<void>((resolve, reject) =>
      s.send(text, collector.udpPort, '127.0.0.1', (e) => (e ? reject(e) : resolve())),
    );
    s.close();
  }

  it('finds a device by the hostname it logs (its short name) when the source address is not its own', async () => {
    const marker = `named-${Date.now()}`;
    await sendFrom(
      '127.77.0.9',
      `<189>Dec  2 10:00:00 core-named %SYS-5-CONFIG_I: Configured from console by admin (${marker})`,
    );
    const [m] = await eventually(
      async () => {
        const items = await search(`deviceId=${named.id}&q=${marker}`);
        return items.length > 0 && items;
      },
      { what: 'the message on the named device' },
    );
    expect(m).toMatchObject({ sourceAddress: '127.77.0.9', hostname: 'core-named', event: 'SYS-5-CONFIG_I' });
  });

  it('keeps a message from an unknown source with no device, and a malformed one raw with its parse error', async () => {
    const marker = `unknown-${Date.now()}`;
    await sendFrom('127.77.0.10', `<13>Dec  2 10:00:00 nobody-knows app: ${marker}`);
    await sendFrom('127.77.0.10', `<999>garbage ${marker}`);
    const items = await eventually(
      async () => {
        const found = await search(`unknownSource=true&q=${marker}`);
        return found.length === 2 && found;
      },
      { what: 'both messages kept' },
    );
    expect(items.every((m) => m.deviceId === null)).toBe(true);
    const bad = items.find((m) => m.raw.startsWith('<999>'))!;
    expect(bad.parseError).toBeTruthy();
    expect(bad.raw).toBe(`<999>garbage ${marker}`);
    expect(await search(`parseError=true&q=${marker}`)).toHaveLength(1);
  });
});

describe('GET /api/v1/syslog', () => {
  it('filters by severity (that level and worse) and pages by cursor without overlap', async () => {
    const tag = `page-${Date.now()}`;
    for (let i = 0; i < 7; i++)
      await logger(['-d', '-P', String(collector.udpPort), '-p', `local7.${i % 2 ? 'info' : 'err'}`], `${tag} ${i}`);
    await eventually(async () => (await search(`q=${tag}`)).length === 7, { what: 'seven stored' });
    expect((await search(`q=${tag}&severity=err`)).map((m) => m.severity)).toEqual([3, 3, 3, 3]);
    expect(await search(`q=${tag}&severity=3`)).toHaveLength(4);
    const first = (await viewer.get(`/api/v1/syslog?q=${tag}&limit=3`)).json();
    const second = (await viewer.get(`/api/v1/syslog?q=${tag}&limit=3&before=${first.nextBefore}`)).json();
    const third = (await viewer.get(`/api/v1/syslog?q=${tag}&limit=3&before=${second.nextBefore}`)).json();
    const ids = [...first.items, ...second.items, ...third.items].map((m: SyslogMessage) => m.id);
    expect(new Set(ids).size).toBe(7);
    expect(third.nextBefore).toBeNull();
  });

  it('matches text literally and refuses bad filters with a clear 400', async () => {
    expect(await search(`q=${encodeURIComponent('100%_\\')}`)).toEqual([]);
    for (const [query, field] of [
      ['severity=loud', 'severity'],
      ['before=12x', 'before'],
      ['before=99999999999999999999', 'before'],
      ['deviceId=nope', 'deviceId'],
      ['from=2026-12-02T10:00:00Z&to=2026-12-01T10:00:00Z', 'to'],
      ['limit=100000', 'limit'],
    ]) {
      const res = await viewer.get(`/api/v1/syslog?${query}`);
      expect(res.statusCode, query).toBe(400);
      expect(JSON.stringify(res.json().issues), query).toContain(field);
    }
  });

  it('refuses instants PostgreSQL and Prisma cannot take: years 1 to 9999 after the offset', async () => {
    for (const [query, field] of [
      ['from=0000-01-01T00:00:00Z', 'from'],
      ['to=0000-01-01T00:00:00Z', 'to'],
      // 0001-01-01 at +01:00 is still year 0 in UTC.
      ['from=0001-01-01T00:00:00%2B01:00', 'from'],
      // 9999-12-31 at -23:59 is year 10000 in UTC.
      ['from=9999-12-31T23:59:59-23:59', 'from'],
      ['to=9999-12-31T23:59:59-23:59', 'to'],
    ]) {
      const res = await viewer.get(`/api/v1/syslog?${query}`);
      expect(res.statusCode, query).toBe(400);
      expect(res.json().message, query).toMatch(
        new RegExp(`^querystring\\.${field}: must be between the years 1 and 9999`),
      );
    }
    // The limits themselves are fine.
    const res = await viewer.get('/api/v1/syslog?from=0001-01-01T00:00:00Z&to=9999-12-31T23:59:59Z&limit=1');
    expect(res.statusCode).toBe(200);
  });

  it('refuses a device together with unknownSource instead of dropping one of them', async () => {
    for (const value of ['true', 'false']) {
      const res = await viewer.get(`/api/v1/syslog?deviceId=${local.id}&unknownSource=${value}`);
      expect(res.statusCode, value).toBe(400);
      expect(res.json().message, value).toMatch(/^querystring\.unknownSource: .*deviceId/);
    }
  });

  it('takes an empty parameter as no filter, as the other list routes take an empty q', async () => {
    const tag = `empty-${Date.now()}`;
    await logger(['-d', '-P', String(collector.udpPort), '-p', 'local7.err'], `${tag} err`);
    await logger(['-d', '-P', String(collector.udpPort), '-p', 'local7.debug'], `${tag} debug`);
    await eventually(async () => (await search(`q=${tag}`)).length === 2, { what: 'both stored' });
    expect(await search(`q=${tag}&severity=`)).toHaveLength(2);
    const empty = 'deviceId=&runId=&unknownSource=&severity=&from=&to=&parseError=&before=&limit=';
    expect(await search(`q=${tag}&${empty}`)).toHaveLength(2);
    expect(await search(`q=${tag}&severity=%20`)).toHaveLength(2);
    expect((await search('q=&limit=500')).length).toBeGreaterThanOrEqual(2);
    expect((await search('q=%20%20&limit=500')).length).toBeGreaterThanOrEqual(2);
  });

  it('refuses NUL in the text (the one hook for text PostgreSQL cannot store)', async () => {
    const res = await viewer.get('/api/v1/syslog?q=a%00b');
    expect(res.statusCode).toBe(400);
    expect(res.json()).toMatchObject({ code: 'VALIDATION_FAILED', issues: [{ path: 'querystring.q' }] });
  });

  it('needs a session', async () => {
    expect((await h.app.inject({ method: 'GET', url: '/api/v1/syslog' })).statusCode).toBe(401);
  });
});
