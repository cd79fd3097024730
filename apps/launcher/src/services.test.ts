import { describe, expect, it } from 'vitest';
import { demoEngineEnv } from './services.ts';

describe("the demo's engine timeouts", () => {
  it("divide the device timeouts by the lab's time scale, never below 30 s", () => {
    expect(demoEngineEnv(30, {})).toEqual({
      HITLESS_ENGINE_RELOAD_TIMEOUT_S: '90',
      HITLESS_ENGINE_ISSU_TIMEOUT_S: '360',
      HITLESS_ENGINE_RECONNECT_TIMEOUT_S: '120',
      HITLESS_ENGINE_SETTLE_S: '5',
    });
    expect(demoEngineEnv(1000, {}).HITLESS_ENGINE_RELOAD_TIMEOUT_S).toBe('30');
    expect(demoEngineEnv(1, {}).HITLESS_ENGINE_RELOAD_TIMEOUT_S).toBe('2700');
  });

  it('leave alone whatever the user set', () => {
    expect(demoEngineEnv(30, { HITLESS_ENGINE_RELOAD_TIMEOUT_S: '600' })).toEqual({
      HITLESS_ENGINE_ISSU_TIMEOUT_S: '360',
      HITLESS_ENGINE_RECONNECT_TIMEOUT_S: '120',
      HITLESS_ENGINE_SETTLE_S: '5',
    });
  });
});
