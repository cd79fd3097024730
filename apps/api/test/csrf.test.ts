// Cross-site request forgery: a page on another origin (another port of the same host is the same
// "site" to the browser, so the SameSite=Strict cookie goes along) must not change anything with
// the user's session cookie, nor read the live events over socket.io. The dashboard's own origin
// and bearer-token clients work as before.
import type { Lab } from '@hitless/lab';
import { io as connect, type Socket } from 'socket.io-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { labInInventory, startHarness, type Client, type Harness } from './harness.ts';

/** Another port on the same host: the same site, another origin. */
const EVIL = 'http://127.0.0.1:8081';
const CSV = 'hostname,mgmt_address,vendor,platform\ncsrf-1.lab,127.49.0.1,JUNOS,MX480\n';

let h: Harness;
let lab: Lab;
let ids: Record<string, string>;
beforeAll(async () => {
  h = await startHarness();
  ({ lab, ids } = await labInInventory(h, ['c10k']));
});
afterAll(async () => {
  await lab?.stop();
  await h?.close();
});

/** A run of the lab's c10k waiting for an operator's accept. */
async function runWaitingForAccept(op: Client): Promise<string> {
  const image = await h.database.db.softwareImage.findFirstOrThrow({ where: { version: '12.2(33)SB9' } });
  const existing = await h.database.db.deviceRun.findMany({ where: { deviceId: ids['c10k']! } });
  for (const r of existing)
    await h.database.db.deviceRun.update({ where: { id: r.id }, data: { status: 'COMPLETED', endedAt: new Date() } });
  const res = await op.post('/api/v1/runs', { deviceId: ids['c10k']!, imageId: image.id, acceptMode: 'MANUAL' });
  expect(res.statusCode, res.body).toBe(201);
  const id = (res.json() as { id: string }).id;
  await h.database.db.deviceRun.update({ where: { id }, data: { status: 'WAITING_ACCEPT' } });
  return id;
}

const imported = () => h.database.db.device.count({ where: { hostname: 'csrf-1.lab' } });

describe('cross-origin requests with the session cookie', () => {
  it('refuses a form post, a text/plain post and a bodiless post from another origin: CSV import, run accept, logout', async () => {
    const op = await h.as('OPERATOR');
    const runId = await runWaitingForAccept(op);
    const attacks = [
      // <form enctype="text/plain"> carrying CSV lines; the import reads text/plain.
      { method: 'POST', url: '/api/v1/devices/import', payload: CSV, headers: { 'content-type': 'text/plain' } },
      {
        method: 'POST',
        url: `/api/v1/runs/${runId}/accept`,
        payload: 'comment=ok',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
      },
      // fetch(url, { method: 'POST', mode: 'no-cors', credentials: 'include' }): no body at all.
      { method: 'POST', url: `/api/v1/runs/${runId}/accept` },
      { method: 'POST', url: '/api/v1/auth/logout', payload: 'x=1', headers: { 'content-type': 'text/plain' } },
      { method: 'POST', url: '/api/v1/auth/logout' },
    ] as const;
    const origins: Record<string, string | undefined>[] = [
      { origin: EVIL },
      { origin: EVIL, 'sec-fetch-site': 'same-site' },
      // A sandboxed frame or a no-referrer form sends "null"; Sec-Fetch-Site still tells.
      { origin: 'null', 'sec-fetch-site': 'cross-site' },
      // No Origin, and the browser says the request came from the same site but not the same origin.
      { origin: undefined, 'sec-fetch-site': 'same-site' },
    ];
    for (const attack of attacks) {
      for (const from of origins) {
        const headers = { ...('headers' in attack ? attack.headers : {}), ...from };
        const res = await op.request({ ...attack, headers });
        const what = `${attack.method} ${attack.url} ${JSON.stringify(from)}`;
        expect(res.statusCode, what).toBe(403);
        expect(res.json(), what).toMatchObject({
          statusCode: 403,
          code: 'FORBIDDEN',
          message: expect.stringMatching(/^cross-origin request refused: /),
        });
      }
    }
    const refused = await op.request({ method: 'POST', url: '/api/v1/auth/logout', headers: { origin: EVIL } });
    expect(refused.json().message).toContain(`Origin ${EVIL} is not the dashboard's origin (${h.origin}`);
    // None of it happened: nothing imported, the run not accepted, the session still alive.
    expect(await imported()).toBe(0);
    const run = await h.database.db.deviceRun.findUniqueOrThrow({ where: { id: runId } });
    expect(run.acceptRequestedAt).toBeNull();
    expect((await op.get('/api/v1/auth/me')).statusCode).toBe(200);
  });

  it('refuses a cookie request with neither Origin nor Sec-Fetch-Site: it cannot show where it came from', async () => {
    const op = await h.as('OPERATOR');
    const res = await op.request({
      method: 'POST',
      url: '/api/v1/devices/import',
      payload: CSV,
      headers: { origin: undefined, 'content-type': 'text/csv' },
    });
    expect(res.statusCode, res.body).toBe(403);
    expect(res.json().message).toMatch(/must carry the dashboard's Origin.*API token/);
    expect(await imported()).toBe(0);
    const logout = await op.request({ method: 'POST', url: '/api/v1/auth/logout', headers: { origin: undefined } });
    expect(logout.statusCode).toBe(403);
    expect((await op.get('/api/v1/auth/me')).statusCode).toBe(200);
  });

  it("lets the dashboard's own origin do all of it (by Origin, or by Sec-Fetch-Site: same-origin alone)", async () => {
    const op = await h.as('OPERATOR');
    const runId = await runWaitingForAccept(op);
    const csv = await op.request({
      method: 'POST',
      url: '/api/v1/devices/import',
      payload: CSV,
      headers: { 'content-type': 'text/csv' },
    });
    expect(csv.statusCode, csv.body).toBe(200);
    expect(await imported()).toBe(1);
    const accepted = await op.request({
      method: 'POST',
      url: `/api/v1/runs/${runId}/accept`,
      headers: { origin: undefined, 'sec-fetch-site': 'same-origin' },
    });
    expect(accepted.statusCode, accepted.body).toBe(200);
    // A same-origin form under Referrer-Policy: no-referrer says Origin: null, and same-origin.
    const viaNull = await op.request({
      method: 'POST',
      url: '/api/v1/auth/logout',
      headers: { origin: 'null', 'sec-fetch-site': 'same-origin' },
    });
    expect(viaNull.statusCode).toBe(204);
    const again = await h.as('VIEWER');
    expect((await again.post('/api/v1/auth/logout')).statusCode).toBe(204);
    expect((await again.get('/api/v1/auth/me')).statusCode).toBe(401);
  });

  it('leaves bearer-token clients alone, whatever Origin they send or not', async () => {
    const op = await h.as('OPERATOR');
    const { token } = (await op.post('/api/v1/tokens', { name: 'csrf-bot' })).json() as { token: string };
    for (const extra of [{}, { origin: EVIL }, { 'sec-fetch-site': 'cross-site' }]) {
      const res = await h.app.inject({
        method: 'POST',
        url: '/api/v1/devices/import?dryRun=true',
        payload: CSV.replace('csrf-1', 'csrf-2').replace('127.49.0.1', '127.49.0.2'),
        headers: { authorization: `Bearer ${token}`, 'content-type': 'text/csv', ...extra },
      });
      expect(res.statusCode, `${JSON.stringify(extra)} ${res.body}`).toBe(200);
    }
  });

  it('checks the origin of a login too (login CSRF), but lets scripts without a cookie log in', async () => {
    const u = await h.createUser('VIEWER');
    const login = (headers: Record<string, string>) =>
      h.app.inject({
        method: 'POST',
        url: '/api/v1/auth/login',
        payload: { username: u.username, password: u.password },
        headers,
      });
    const forged = await login({ origin: EVIL });
    expect(forged.statusCode).toBe(403);
    expect(forged.cookies).toHaveLength(0);
    expect((await login({ 'sec-fetch-site': 'cross-site' })).statusCode).toBe(403);
    expect((await login({ origin: h.origin })).statusCode).toBe(200);
    expect((await login({})).statusCode).toBe(200);
  });
});

describe('socket.io handshakes', () => {
  let origin: string;
  let live: Harness;
  const sockets: Socket[] = [];
  beforeAll(async () => {
    live = await startHarness({ HITLESS_PORT: '0' });
    const base = await live.app.listen({ host: '127.0.0.1', port: 0 });
    origin = new URL(base).origin;
  });
  afterAll(async () => {
    for (const s of sockets) s.disconnect();
    await live?.close();
  });

  const open = (headers: Record<string, string>) => {
    const socket = connect(origin, {
      path: '/socket.io',
      transports: ['websocket'],
      reconnection: false,
      extraHeaders: headers,
    });
    sockets.push(socket);
    return new Promise<Socket>((resolve, reject) => {
      socket.once('connect', () => resolve(socket));
      socket.once('connect_error', reject);
    });
  };

  it('refuses a cross-origin handshake even with a valid cookie, and accepts the same-origin one', async () => {
    const u = await live.createUser('VIEWER');
    const cookie = await live.login(u.username, u.password);
    await expect(open({ cookie, origin: EVIL })).rejects.toThrow();
    await expect(open({ cookie, origin: `http://localhost:${new URL(origin).port}0` })).rejects.toThrow();
    await expect(open({ cookie, 'sec-fetch-site': 'same-site' })).rejects.toThrow();
    // The refusal is logged with its reason.
    expect(live.logs.join('')).toMatch(
      /socket handshake refused: cross-origin request refused: Origin http:\/\/127\.0\.0\.1:8081/,
    );
    const ok = await open({ cookie, origin });
    expect(ok.connected).toBe(true);
    // A handshake with the cookie must say where it comes from; one without it (a script that
    // authenticates with a token) has no ambient authority to abuse.
    await expect(open({ cookie })).rejects.toThrow();
    const viewer = await live.as('VIEWER');
    const created = await viewer.request({
      method: 'POST',
      url: '/api/v1/tokens',
      payload: { name: 'socket' },
      headers: { origin },
    });
    expect(created.statusCode, created.body).toBe(201);
    const { token } = created.json();
    const scripted = connect(origin, {
      path: '/socket.io',
      transports: ['websocket'],
      reconnection: false,
      auth: { token },
    });
    sockets.push(scripted);
    await new Promise<void>((resolve, reject) => {
      scripted.once('connect', () => resolve());
      scripted.once('connect_error', reject);
    });
  });
});
