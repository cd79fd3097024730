import { parseArgs } from 'node:util';
import { describe, expect, it } from 'vitest';
import { demoEngineEnv, labApiEnv, labArguments } from './services.ts';

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

describe("the lab's command line", () => {
  it('survives a token that starts with a dash (a random base64url token does, one time in 64)', () => {
    const args = labArguments({
      devices: 4,
      timeScale: 30,
      sshPort: 22,
      baseAddress: '127.10.0.0',
      api: '127.0.0.1:0',
      apiToken: '-Xy_dash-first',
      stateDir: '/data/lab',
      syslog: '127.0.0.1:5514',
    });
    // Parsed as the lab parses its arguments (strict node:util parseArgs, string options).
    const names = ['devices', 'time-scale', 'port', 'base-address', 'api', 'api-token', 'state-dir', 'syslog'];
    const { values } = parseArgs({
      args,
      strict: true,
      options: {
        ...Object.fromEntries(names.map((n) => [n, { type: 'string' as const }])),
        quiet: { type: 'boolean' },
      },
    });
    expect(values).toMatchObject({
      'api-token': '-Xy_dash-first',
      devices: '4',
      'state-dir': '/data/lab',
      syslog: '127.0.0.1:5514',
      quiet: true,
    });
  });
});

describe("the worker's way to the lab", () => {
  it("is the lab API's URL and token, unless there is no lab or the user named a lab API", () => {
    expect(labApiEnv('http://127.0.0.1:4100', 'tok', {})).toEqual({
      HITLESS_LAB_API_URL: 'http://127.0.0.1:4100',
      HITLESS_LAB_API_TOKEN: 'tok',
    });
    expect(labApiEnv(null, 'tok', {})).toEqual({});
    expect(labApiEnv('http://127.0.0.1:4100', 'tok', { HITLESS_LAB_API_URL: 'http://lab.example:80' })).toEqual({});
  });
});
