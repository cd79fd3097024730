import type { DeviceUpdatedEvent } from '@hitless/contracts';
import { io as connect, type Socket } from 'socket.io-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../src/app.ts';
import { deviceBody, startHarness, type Harness } from './harness.ts';
import { eventually } from '@hitless/testkit/poll';

let h: Harness;
let base: string;
const sockets: Socket[] = [];
beforeAll(async () => {
  h = await startHarness();
  base = await h.app.listen({ host: '127.0.0.1', port: 0 });
});
afterAll(async () => {
  for (const s of sockets) s.disconnect();
  await h.close();
});

function open(options: { cookie?: string; token?: string } = {}, url = base): Socket {
  const socket = connect(url, {
    path: '/socket.io',
    transports: ['websocket'],
    reconnection: false,
    // A browser names the page's origin on the handshake: the dashboard's.
    ...(options.cookie && { extraHeaders: { cookie: options.cookie, origin: h.origin } }),
    ...(options.token && { auth: { token: options.token } }),
  });
  sockets.push(socket);
  return socket;
}

const connected = (s: Socket) =>
  new Promise<void>((resolve, reject) => {
    s.once('connect', () => resolve());
    s.once('connect_error', reject);
  });

/** A viewer's socket collecting device.updated events, and an operator to make changes. */
async function watchInventory() {
  const watcher = await h.as('VIEWER');
  const editor = await h.as('OPERATOR');
  const socket = open({ cookie: watcher.cookie });
  await connected(socket);
  const received: DeviceUpdatedEvent[] = [];
  socket.on('device.updated', (e: DeviceUpdatedEvent) => received.push(e));
  return { editor, received };
}

describe('live events', () => {
  it('tells other browsers about device changes as they happen', async () => {
    const { editor, received } = await watchInventory();

    const created = (await editor.post('/api/v1/devices', deviceBody({ hostname: 'live-1.lab' }))).json();
    await eventually(() => received.length === 1, { timeoutMs: 5000, what: 'one event' });
    expect(received[0]).toMatchObject({ action: 'created', id: created.id, device: { hostname: 'live-1.lab' } });

    await editor.patch(`/api/v1/devices/${created.id}`, { site: 'NEW' });
    await editor.delete(`/api/v1/devices/${created.id}`);
    await expect
      .poll(() => received.map((e) => e.action), { timeout: 5000 })
      .toEqual(['created', 'updated', 'deleted']);
    expect(received[1]!.device!.site).toBe('NEW');
    expect(received[2]!.device).toBeUndefined();
  });

  it('tells other browsers once about a CSV import, however many devices it wrote', async () => {
    const { editor, received } = await watchInventory();
    const csv =
      'hostname,mgmt_address,vendor,platform\nbulk-1.lab,127.48.0.1,JUNOS,MX480\nbulk-2.lab,127.48.0.2,JUNOS,MX480\n';
    const res = await editor.request({
      method: 'POST',
      url: '/api/v1/devices/import',
      payload: csv,
      headers: { 'content-type': 'text/csv' },
    });
    expect(res.json()).toMatchObject({ created: 2 });
    await eventually(() => received.length === 1, { timeoutMs: 5000, what: 'one event' });
    expect(received[0]).toMatchObject({ action: 'bulk' });
    // A dry run writes nothing and tells nobody.
    await editor.request({
      method: 'POST',
      url: '/api/v1/devices/import?dryRun=true',
      payload: csv.replace(/bulk-/g, 'dry-').replace(/127\.48/g, '127.49'),
      headers: { 'content-type': 'text/csv' },
    });
    // The stream is ordered: an event for the dry run would arrive before the next change's.
    const marker = (await editor.post('/api/v1/devices', deviceBody({ hostname: 'after-dry-run.lab' }))).json();
    await eventually(() => received.some((e) => e.id === marker.id), { timeoutMs: 5000, what: 'the next change' });
    expect(received.map((e) => e.action)).toEqual(['bulk', 'created']);
  });

  it('accepts an API token and refuses sockets without credentials or with a bad session', async () => {
    const op = await h.as('OPERATOR');
    const { token } = (await op.post('/api/v1/tokens', { name: 'socket' })).json();
    await connected(open({ token }));
    await expect(connected(open())).rejects.toThrow('unauthenticated');
    await expect(connected(open({ cookie: 'hitless_session=hls_forged' }))).rejects.toThrow('unauthenticated');
  });

  it('refuses a socket to a user who must still change a one-time password', async () => {
    const u = await h.createUser('VIEWER', { mustChangePassword: true });
    const cookie = await h.login(u.username, u.password);
    await expect(connected(open({ cookie }))).rejects.toThrow('unauthenticated');
  });
});

describe('sockets end with the credentials that opened them', () => {
  /** Resolves with the reason once the socket is disconnected. */
  const ended = (s: Socket) => new Promise<string>((resolve) => s.once('disconnect', (reason) => resolve(reason)));
  // The revocation travels through the Redis event stream: milliseconds, with room for a busy machine.
  const within = <T>(p: Promise<T>) =>
    Promise.race([
      p,
      new Promise<never>((_, reject) => setTimeout(() => reject(new Error('socket still open')), 2000)),
    ]);
  /** Called after a revocation has ended other sockets, so a wrongly ended one is already gone. */
  async function stillOpen(s: Socket, end: Promise<string>) {
    expect(await Promise.race([end, new Promise<'open'>((r) => setTimeout(() => r('open'), 300))])).toBe('open');
    expect(s.connected).toBe(true);
  }

  it('ends the sockets of a session that logs out, not those of other sessions or users', async () => {
    const u = await h.createUser('VIEWER');
    const first = await h.login(u.username, u.password);
    const second = await h.login(u.username, u.password);
    const other = await h.as('VIEWER');
    const [a, b, c] = [open({ cookie: first }), open({ cookie: second }), open({ cookie: other.cookie })];
    await Promise.all([a, b, c].map(connected));
    const [aEnded, bEnded, cEnded] = [ended(a), ended(b), ended(c)];

    const res = await h.app.inject({
      method: 'POST',
      url: '/api/v1/auth/logout',
      headers: { cookie: first, origin: h.origin },
    });
    expect(res.statusCode).toBe(204);
    expect(await within(aEnded)).toBe('io server disconnect');
    await stillOpen(b, bEnded);
    await stillOpen(c, cEnded);
    // And they still hear about changes.
    const received: string[] = [];
    c.on('device.updated', (e: DeviceUpdatedEvent) => received.push(e.id));
    const editor = await h.as('OPERATOR');
    const created = (await editor.post('/api/v1/devices', deviceBody())).json();
    await eventually(() => received.includes(created.id), { timeoutMs: 5000, what: 'the created device event' });
  });

  it('ends the sockets of every other session when a user changes their own password', async () => {
    const u = await h.createUser('VIEWER');
    const mine = await h.login(u.username, u.password);
    const elsewhere = await h.login(u.username, u.password);
    const [kept, dropped] = [open({ cookie: mine }), open({ cookie: elsewhere })];
    await Promise.all([kept, dropped].map(connected));
    const [keptEnded, droppedEnded] = [ended(kept), ended(dropped)];

    const res = await h.app.inject({
      method: 'POST',
      url: '/api/v1/auth/password',
      headers: { cookie: mine, origin: h.origin },
      payload: { currentPassword: u.password, newPassword: `${u.password}-new` },
    });
    expect(res.statusCode).toBe(204);
    expect(await within(droppedEnded)).toBe('io server disconnect');
    await stillOpen(kept, keptEnded);
  });

  it.each([
    ['disabled', { disabled: true }],
    ['given a new password', { password: 'an-admin-reset-password' }],
    ['deleted', null],
  ])('ends every socket of a user an admin has %s', async (_what, body) => {
    const admin = await h.as('ADMIN');
    const u = await h.createUser('OPERATOR');
    const cookie = await h.login(u.username, u.password);
    const { token } = (
      await h.app.inject({
        method: 'POST',
        url: '/api/v1/tokens',
        headers: { cookie, origin: h.origin },
        payload: { name: 'socket' },
      })
    ).json();
    const [bySession, byToken, onlooker] = [open({ cookie }), open({ token }), open({ cookie: admin.cookie })];
    await Promise.all([bySession, byToken, onlooker].map(connected));
    const ends = [ended(bySession), ended(byToken)];
    const onlookerEnded = ended(onlooker);
    // A user's room is the server's to join, not a client's.
    expect(await onlooker.emitWithAck('subscribe', `user:${u.id}`)).toEqual({ ok: false, error: 'unknown room' });

    const res = body ? await admin.patch(`/api/v1/users/${u.id}`, body) : await admin.delete(`/api/v1/users/${u.id}`);
    expect(res.statusCode).toBeLessThan(300);
    expect(await within(Promise.all(ends))).toEqual(['io server disconnect', 'io server disconnect']);
    await stillOpen(onlooker, onlookerEnded);
  });

  it('ends the sockets of a revoked API token, not the rest of its user', async () => {
    const op = await h.as('OPERATOR');
    const revoked = (await op.post('/api/v1/tokens', { name: 'revoked' })).json();
    const kept = (await op.post('/api/v1/tokens', { name: 'kept' })).json();
    const [a, b, c] = [open({ token: revoked.token }), open({ token: kept.token }), open({ cookie: op.cookie })];
    await Promise.all([a, b, c].map(connected));
    const [aEnded, bEnded, cEnded] = [ended(a), ended(b), ended(c)];

    expect((await op.delete(`/api/v1/tokens/${revoked.id}`)).statusCode).toBe(200);
    expect(await within(aEnded)).toBe('io server disconnect');
    await stillOpen(b, bEnded);
    await stillOpen(c, cEnded);
  });

  it('ends a session’s sockets on every api instance, not just the one that logged it out', async () => {
    const second = await buildApp(h.app.deps);
    let socket: Socket | undefined;
    try {
      const u = await h.as('VIEWER');
      socket = open({ cookie: u.cookie }, await second.listen({ host: '127.0.0.1', port: 0 }));
      await connected(socket);
      const end = ended(socket);
      expect((await u.post('/api/v1/auth/logout')).statusCode).toBe(204);
      expect(await within(end)).toBe('io server disconnect');
    } finally {
      // The instance's HTTP server only closes once its sockets are gone.
      socket?.disconnect();
      await second.close();
    }
  });
});
