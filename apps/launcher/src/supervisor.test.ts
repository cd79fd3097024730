import { eventually } from '@hitless/testkit/poll';
import { describe, expect, it } from 'vitest';
import { RestartPolicy, Supervisor } from './supervisor.ts';

describe('restart policy', () => {
  it('restarts with a pause that doubles each time, up to a cap', () => {
    const p = new RestartPolicy({ baseDelayMs: 1000, maxDelayMs: 8000, limit: 10, windowMs: 1e9, healthyAfterMs: 1e9 });
    const delays = [0, 1, 2, 3, 4]
      .map((i) => p.onExit(i * 100, i * 100 - 50))
      .map((d) => (d.restart ? d.delayMs : null));
    expect(delays).toEqual([1000, 2000, 4000, 8000, 8000]);
  });

  it('gives up on a crash loop: more restarts than the limit within the window', () => {
    const p = new RestartPolicy({ limit: 3, windowMs: 60_000 });
    for (const t of [1000, 2000, 3000]) expect(p.onExit(t, t - 500)).toMatchObject({ restart: true });
    expect(p.onExit(4000, 3500)).toEqual({ restart: false, reason: '4 exits within 60 s' });
  });

  it('forgets old exits, and starts the pause afresh after the service stayed up a while', () => {
    const p = new RestartPolicy({ baseDelayMs: 1000, limit: 2, windowMs: 60_000, healthyAfterMs: 30_000 });
    expect(p.onExit(0, -100)).toMatchObject({ restart: true, delayMs: 1000 });
    expect(p.onExit(1000, 500)).toMatchObject({ restart: true, delayMs: 2000 });
    // Two minutes later, after 90 s of running: neither a crash loop nor a long pause.
    expect(p.onExit(121_000, 31_000)).toMatchObject({ restart: true, delayMs: 1000, count: 1 });
  });
});

describe('supervisor', () => {
  /** A service whose every start lives until `kill` (or dies at once when `crash` says so). */
  function service(crash: () => boolean, startDelay: () => Promise<void> = async () => undefined) {
    let starts = 0;
    let stops = 0;
    const exits: (() => void)[] = [];
    return {
      starts: () => starts,
      stops: () => stops,
      kill: () => exits.shift()?.(),
      service: {
        name: 'lab',
        start: async () => {
          starts++;
          await startDelay();
          let exit!: () => void;
          const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => {
            exit = () => resolve({ code: null, signal: 'SIGKILL' });
          });
          exits.push(exit);
          if (starts > 1 && crash()) exit();
          return { pid: 1000 + starts, exited, stop: async () => void stops++, lastWords: () => 'TypeError: boom' };
        },
      },
    };
  }

  it('restarts a service that exits, saying why', async () => {
    const lines: string[] = [];
    const s = service(() => false);
    const sup = new Supervisor(
      (l) => lines.push(l),
      () => undefined,
      { baseDelayMs: 1 },
    );
    await sup.add(s.service);
    s.kill();
    await eventually(() => lines.length === 2, { timeoutMs: 2000, intervalMs: 5, what: 'two lines' });
    expect(s.starts()).toBe(2);
    expect(lines).toEqual([
      'lab exited unexpectedly (killed by SIGKILL): TypeError: boom; restarting in 0 s (restart 1)',
      'lab restarted (pid 1002)',
    ]);
  });

  it('stops trying in a crash loop and says so, once', async () => {
    const lines: string[] = [];
    let loops = 0;
    const s = service(() => true);
    const sup = new Supervisor(
      (l) => lines.push(l),
      () => loops++,
      { baseDelayMs: 1, limit: 3 },
    );
    await sup.add(s.service);
    s.kill();
    await eventually(() => loops === 1, { timeoutMs: 2000, intervalMs: 5, what: 'the crash loop' });
    expect(s.starts()).toBe(4);
    expect(lines.at(-1)).toMatch(
      /^lab exited unexpectedly .*; it keeps failing \(4 exits within 120 s\): stopping everything/,
    );
  });

  it('stopping while a restart is starting waits for it and stops what it started', async () => {
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    let calls = 0;
    const s = service(
      () => false,
      () => (++calls === 2 ? gate : Promise.resolve()),
    );
    const sup = new Supervisor(
      () => undefined,
      () => undefined,
      { baseDelayMs: 1 },
    );
    await sup.add(s.service);
    s.kill();
    await eventually(() => s.starts() === 2, { timeoutMs: 2000, intervalMs: 5, what: 'the restart under way' });
    const stopping = sup.stopAll(() => undefined);
    release();
    await stopping;
    expect(s.stops()).toBe(1);
    expect(s.starts()).toBe(2);
  });
});
