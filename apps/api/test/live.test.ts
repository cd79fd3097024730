import type { DeviceUpdatedEvent } from '@hitless/contracts';
import { io as connect, type Socket } from 'socket.io-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { deviceBody, startHarness, type Harness } from './harness.ts';

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

function open(options: { cookie?: string; token?: string } = {}): Socket {
  const socket = connect(base, {
    path: '/socket.io',
    transports: ['websocket'],
    reconnection: false,
    ...(options.cookie && { extraHeaders: { cookie: options.cookie } }),
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

describe('live events', () => {
  it('tells other browsers about device changes as they happen', async () => {
    const watcher = await h.as('VIEWER');
    const editor = await h.as('OPERATOR');
    const socket = open({ cookie: watcher.cookie });
    await connected(socket);
    const received: DeviceUpdatedEvent[] = [];
    socket.on('device.updated', (e: DeviceUpdatedEvent) => received.push(e));

    const created = (await editor.post('/api/v1/devices', deviceBody({ hostname: 'live-1.lab' }))).json();
    await expect.poll(() => received.length, { timeout: 5000 }).toBe(1);
    expect(received[0]).toMatchObject({ action: 'created', id: created.id, device: { hostname: 'live-1.lab' } });

    await editor.patch(`/api/v1/devices/${created.id}`, { site: 'NEW' });
    await editor.delete(`/api/v1/devices/${created.id}`);
    await expect.poll(() => received.map((e) => e.action), { timeout: 5000 }).toEqual(['created', 'updated', 'deleted']);
    expect(received[1]!.device!.site).toBe('NEW');
    expect(received[2]!.device).toBeUndefined();
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
