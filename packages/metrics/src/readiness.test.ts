import { describe, expect, it } from 'vitest';
import { checkReadiness } from './readiness.ts';

describe('checkReadiness', () => {
  it('is ready when every check answers, and names each', async () => {
    const r = await checkReadiness([
      { name: 'database', check: async () => undefined },
      { name: 'redis', check: async () => undefined },
    ]);
    expect(r).toEqual({ ready: true, checks: { database: 'up', redis: 'up' } });
  });

  it('is not ready when a check throws (also synchronously), and says which', async () => {
    const r = await checkReadiness([
      { name: 'database', check: async () => undefined },
      { name: 'redis', check: async () => Promise.reject(new Error('ECONNREFUSED')) },
      {
        name: 'sync',
        check: () => {
          throw new Error('boom');
        },
      },
    ]);
    expect(r).toEqual({ ready: false, checks: { database: 'up', redis: 'down', sync: 'down' } });
  });

  it('counts a check that does not answer in time as down, without waiting for it', async () => {
    const t0 = Date.now();
    const r = await checkReadiness([{ name: 'hangs', check: () => new Promise<void>(() => undefined) }], {
      timeoutMs: 50,
    });
    expect(r).toEqual({ ready: false, checks: { hangs: 'down' } });
    expect(Date.now() - t0).toBeLessThan(1000);
  });

  it('with no checks is ready', async () => {
    expect(await checkReadiness([])).toEqual({ ready: true, checks: {} });
  });
});
