// The traffic lost at a switchover, as the lab measured it, in the evidence of the step that
// switched over: only when the worker is told where the lab's API is, only for a switchover
// newer than the step, and never at the cost of the run when the lab cannot be asked.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Writable } from 'node:stream';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { switchoverTraffic } from '../src/traffic.ts';
import { startBed, type Bed } from './harness.ts';

const SB9 = '12.2(33)SB9';

let bed: Bed;
beforeAll(async () => {
  bed = await startBed(['c10k', 'c10k', 'c10k']);
});
afterAll(async () => bed?.close());

const host = (i: number) => bed.devices[i]!.hostname;
const labApi = () => ({ url: bed.lab.apiUrl!, token: bed.lab.apiToken });
const stepOf = (runId: string, name: string) => bed.db.runStep.findFirstOrThrow({ where: { runId, name } });
const evidenceOf = (s: { evidence: unknown }) => (s.evidence ?? {}) as Record<string, unknown>;

/** A logger whose lines the test reads. */
function capturedLog() {
  const lines: { level: number; msg: string }[] = [];
  const stream = new Writable({
    write(chunk: Buffer, _enc, done) {
      for (const l of chunk.toString().split('\n').filter(Boolean)) lines.push(JSON.parse(l) as never);
      done();
    },
  });
  return { log: pino({ level: 'info' }, stream), lines, warnings: () => lines.filter((l) => l.level === 40) };
}

describe('traffic lost at the switchover', () => {
  it("records the lab's figure in the runversion step's evidence when the worker knows the lab", async () => {
    const h = host(0);
    await bed.api.setForwarding(h, 1234);
    const id = await bed.createRun(h, SB9, { rollbackTimerSeconds: 7200 });
    await bed.drive(id, { labApi: labApi() });
    expect((await bed.db.deviceRun.findUniqueOrThrow({ where: { id } })).status).toBe('COMPLETED');
    const runversion = await stepOf(id, 'runversion');
    const lab = await bed.api.forwarding(h);
    expect(lab.lastSwitchover!.lossMs).toBe(1234);
    expect(runversion.evidence).toEqual({ trafficLossMs: lab.lastSwitchover!.lossMs, trafficLossSource: 'lab' });
    // Only the step that switched over carries it.
    const steps = await bed.db.runStep.findMany({ where: { runId: id } });
    expect(steps.filter((s) => 'trafficLossMs' in evidenceOf(s)).map((s) => s.name)).toEqual(['runversion']);
  });

  it('asks nothing and records nothing without the lab in the configuration', async () => {
    const h = host(1);
    await bed.api.setForwarding(h, 777);
    const id = await bed.createRun(h, SB9, { rollbackTimerSeconds: 7200 });
    await bed.drive(id, { labApi: null });
    expect((await bed.db.deviceRun.findUniqueOrThrow({ where: { id } })).status).toBe('COMPLETED');
    const runversion = await stepOf(id, 'runversion');
    // The lab did measure this switchover; the run just was not told where the lab is.
    const lab = await bed.api.forwarding(h);
    expect(Date.parse(lab.lastSwitchover!.at)).toBeGreaterThan(runversion.startedAt.getTime());
    expect(lab.lastSwitchover!.lossMs).toBe(777);
    const steps = await bed.db.runStep.findMany({ where: { runId: id } });
    expect(steps.some((s) => 'trafficLossMs' in evidenceOf(s))).toBe(false);
  });

  it('completes the run, without the figure, when the lab refuses to answer', async () => {
    const h = host(2);
    const id = await bed.createRun(h, SB9, { rollbackTimerSeconds: 7200 });
    await bed.drive(id, { labApi: { ...labApi(), token: 'not-the-lab-token' } });
    expect((await bed.db.deviceRun.findUniqueOrThrow({ where: { id } })).status).toBe('COMPLETED');
    expect(evidenceOf(await stepOf(id, 'runversion'))).not.toHaveProperty('trafficLossMs');
  });

  it('ignores a switchover older than the step, finds a device by its address, and warns when the lab is unusable', async () => {
    const h = host(0);
    const lab = await bed.api.forwarding(h);
    const at = new Date(lab.lastSwitchover!.at);
    const address = bed.devices[0]!.address;
    const c = capturedLog();
    // An older switchover is not this step's.
    expect(await switchoverTraffic(labApi(), { hostname: h, mgmtAddress: address }, at, c.log)).toBeUndefined();
    expect(c.warnings().at(-1)?.msg).toMatch(/no switchover since the step started/);
    // Renamed in the inventory: found by the address the engine reached it at.
    const before = new Date(at.getTime() - 1);
    expect(
      await switchoverTraffic(labApi(), { hostname: 'renamed-in-inventory', mgmtAddress: address }, before, c.log),
    ).toEqual({ trafficLossMs: lab.lastSwitchover!.lossMs, trafficLossSource: 'lab' });
    // Not a lab device at all: nothing, said at info level.
    expect(
      await switchoverTraffic(labApi(), { hostname: 'real-box', mgmtAddress: '192.0.2.1' }, before, c.log),
    ).toBeUndefined();
    expect(c.lines.at(-1)).toMatchObject({ level: 30, msg: expect.stringMatching(/the lab has no such device/) });
    // A wrong token: a warning.
    const wrong = { ...labApi(), token: 'wrong' };
    expect(await switchoverTraffic(wrong, { hostname: h, mgmtAddress: address }, before, c.log)).toBeUndefined();
    expect(c.warnings().at(-1)?.msg).toMatch(/could not be asked/);
  });

  it('gives up on a lab that does not answer within the timeout', async () => {
    const silent: Server = createServer(() => undefined);
    await new Promise<void>((r) => silent.listen(0, '127.0.0.1', r));
    try {
      const { port } = silent.address() as AddressInfo;
      const c = capturedLog();
      const t0 = Date.now();
      const got = await switchoverTraffic(
        { url: `http://127.0.0.1:${port}`, token: 't' },
        { hostname: host(0), mgmtAddress: bed.devices[0]!.address },
        new Date(0),
        c.log,
        500,
      );
      expect(got).toBeUndefined();
      expect(Date.now() - t0).toBeLessThan(1500);
      expect(c.warnings().at(-1)?.msg).toMatch(/did not answer within 500 ms/);
    } finally {
      silent.closeAllConnections();
      await new Promise((r) => silent.close(r));
    }
  });
});
