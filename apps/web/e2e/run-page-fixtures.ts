// What e2e/run-page.spec.ts seeds: devices of a lab platform that no lab chassis answers for,
// and a run waiting for an operator, written into PostgreSQL the way a worker writes it with a
// lease that looks held by a live worker (so no worker takes it while the test reads it).
import type pg from 'pg';
import { expect, type Seed } from './fixtures.ts';

export const SB8 = '12.2(33)SB8';
export const SB9 = '12.2(33)SB9';

export async function labFaults(hostname: string, faults: string[]) {
  const res = await fetch(`${process.env.HITLESS_E2E_LAB_URL!.replace(/\/$/, '')}/api/devices/${hostname}/faults`, {
    method: 'PUT',
    headers: { authorization: `Bearer ${process.env.HITLESS_E2E_LAB_TOKEN}`, 'content-type': 'application/json' },
    body: JSON.stringify({ faults }),
  });
  expect(res.status, await res.text()).toBe(200);
}

export interface DeviceRow {
  id: string;
  hostname: string;
  platform: string;
  vendor: string;
  credentialId: string | null;
  currentVersion: string | null;
}
export const labDevice = async (seed: Seed, hostname: string): Promise<DeviceRow> =>
  ((await (await seed.admin.get(`/api/v1/devices?q=${hostname}`)).json()).items as DeviceRow[]).find(
    (d) => d.hostname === hostname,
  )!;
export const imageOf = async (seed: Seed, vendor: string, family: string, version: string) =>
  (
    (await (await seed.admin.get(`/api/v1/images?vendor=${vendor}&platformFamily=${family}`)).json()).items as {
      id: string;
      version: string;
      md5: string | null;
    }[]
  ).find((i) => i.version === version)!;

/** A device of the lab's platform that no lab chassis answers for (with the lab's credential). */
export async function offLabDevice(seed: Seed, like: DeviceRow, currentVersion: string): Promise<DeviceRow> {
  const octet = () => Math.floor(Math.random() * 250) + 1;
  const res = await seed.admin.post('/api/v1/devices', {
    data: {
      hostname: seed.unique('rp'),
      mgmtAddress: `127.76.${octet()}.${octet()}`,
      vendor: like.vendor,
      platform: like.platform,
      site: 'E2E',
      tags: ['e2e'],
      credentialId: like.credentialId,
      currentVersion,
    },
  });
  expect(res.status(), await res.text()).toBe(201);
  return res.json();
}

/** A Cisco ISSU waiting for an operator after post-checks, as the worker records it, held by a lease. */
export async function waitingRun(
  db: pg.Client,
  device: DeviceRow,
  imageId: string,
  createdBy: string,
): Promise<string> {
  const started = Date.now() - 5 * 60_000;
  const at = (s: number) => new Date(started + s * 1000);
  const checks = Array.from({ length: 14 }, (_, i) => ({
    rule: `rule-${i}`,
    title: `Pre-check number ${i + 1}`,
    verdict: i === 3 ? 'warn' : 'pass',
    detail: `what the device showed for check ${i + 1}, in words long enough to wrap once`,
  }));
  const { rows } = await db.query<{ id: string }>(
    `INSERT INTO "DeviceRun" (id, "deviceId", "imageId", procedure, status, "acceptMode", "fromVersion", "toVersion",
       context, options, "createdById", "updatedAt", "startedAt", "workerId", "heartbeatAt", "currentStep")
     VALUES (gen_random_uuid(), $1, $2, 'CISCO_ISSU', 'WAITING_ACCEPT', 'MANUAL', $3, $4, $5, '{}', $6, now(), $7,
       'e2e-run-page', now() + interval '1 hour', 'wait for accept')
     RETURNING id`,
    [device.id, imageId, SB8, SB9, JSON.stringify({ prechecks: checks, checkpoints: {} }), createdBy, at(0)],
  );
  const id = rows[0]!.id;
  const names = ['pre-checks', 'set rollback timer', 'loadversion', 'standby hot', 'runversion', 'reconnect'];
  for (let n = 0; n < 14; n++) {
    const name = names[n] ?? `post-check pass ${n - names.length + 1}`;
    const transcript = Array.from({ length: 50 }, (_, l) => `${device.hostname}#show step ${n} line ${l}\n`).join('');
    await db.query(
      `INSERT INTO "RunStep" (id, "runId", seq, name, status, "startedAt", "endedAt", outcome, transcript)
       VALUES (gen_random_uuid(), $1, $2, $3, 'SUCCEEDED', $4, $5, $6, $7)`,
      [id, n + 1, name, at(n * 20), at(n * 20 + 19), `step ${n + 1} done: what the device showed`, transcript],
    );
  }
  return id;
}
