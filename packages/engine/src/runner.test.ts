// What a driver that takes a run over writes on the steps it closes: what really happened.
import { describe, expect, it } from 'vitest';
import type { LoadedRun } from './recorder.ts';
import { interruption, type RunnerDeps } from './runner.ts';

const ME = 'host-b:200:bbbb#1111';
const A = 'host-a:100:aaaa';
const engine = { leaseStaleMs: 10_000 } as RunnerDeps['engine'];
const deps = (o: Partial<RunnerDeps> = {}) => ({ engine, ...o }) as RunnerDeps;
const run = (ctx: Partial<LoadedRun['ctx']> = {}) =>
  ({ row: { id: 'run-1' }, ctx: { checkpoints: {}, ...ctx } }) as unknown as LoadedRun;
const ago = (s: number) => new Date(Date.now() - s * 1000);

describe('interruption messages', () => {
  it('name the reason the previous driver left on the run', async () => {
    const lastStop = {
      holder: `${A}#9`,
      reason: 'it lost its connection to PostgreSQL: Connection terminated',
      at: 't',
    };
    expect(await interruption(deps(), { workerId: `${A}#9`, heartbeatAt: ago(12) }, ME, run({ lastStop }))).toBe(
      `interrupted: worker ${A} stopped driving the run (it lost its connection to PostgreSQL: Connection terminated); resumed by host-b:200:bbbb`,
    );
  });

  it('tell a hand-over, a dead worker and a live one that stopped holding the run apart', async () => {
    expect(await interruption(deps(), { workerId: `${A}#9`, heartbeatAt: null }, ME, run())).toMatch(
      /shut down and handed the run over/,
    );
    // Its heartbeat key still exists, but it said nothing after the run's last renew: dead.
    const dead = deps({ workerSeenAt: async () => ago(12.5) });
    expect(await interruption(dead, { workerId: `${A}#9`, heartbeatAt: ago(12) }, ME, run())).toMatch(
      /stopped answering \(no heartbeat for 12 s\)/,
    );
    const alive = deps({ workerSeenAt: async () => ago(1) });
    expect(await interruption(alive, { workerId: `${A}#9`, heartbeatAt: ago(12) }, ME, run())).toMatch(
      /is running but stopped holding the run/,
    );
  });

  it('say when it was this very worker, with what it remembers', async () => {
    const stops = new Map([['run-1', 'it lost its connection to PostgreSQL: ECONNREFUSED']]);
    expect(
      await interruption(deps({ stops }), { workerId: 'host-b:200:bbbb#0000', heartbeatAt: ago(11) }, ME, run()),
    ).toBe(
      "interrupted: this worker's previous attempt stopped (it lost its connection to PostgreSQL: ECONNREFUSED); resumed by the same worker",
    );
  });
});
