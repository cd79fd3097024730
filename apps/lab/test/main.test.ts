// `npm run lab` as a user runs it.
import { execFile, spawn } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LabClient } from '../src/client.ts';
import type { LabDeviceInfo } from '../src/lab.ts';
import { uniqueBase } from './helpers.ts';

const run = promisify(execFile);
const main = path.resolve(import.meta.dirname, '../src/main.ts');
let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'hitless-lab-cli-'));
});
afterAll(async () => rm(dir, { recursive: true, force: true }));

function lab(args: string[]) {
  return run(process.execPath, ['--import', 'tsx', main, ...args], { timeout: 30_000 });
}

describe('npm run lab', () => {
  it('starts the devices and prints, per device, address, port, vendor, platform and credentials as JSON', async () => {
    const faults = path.join(dir, 'faults.json');
    await writeFile(faults, JSON.stringify({ 'lab-pe001': ['post-check-failure'] }));
    const child = spawn(
      process.execPath,
      [
        '--import',
        'tsx',
        main,
        '--devices',
        '5',
        '--time-scale',
        '40',
        '--port',
        '0',
        '--base-address',
        uniqueBase(),
        '--faults',
        faults,
        '--json',
      ],
      { stdio: ['ignore', 'pipe', 'pipe'] },
    );
    const line = await new Promise<string>((resolve, reject) => {
      let out = '';
      child.stdout.on('data', (d: Buffer) => {
        out += d.toString();
        if (out.includes('\n')) resolve(out.split('\n')[0]!);
      });
      child.once('exit', (code) => reject(new Error(`lab exited ${code}`)));
    });
    const summary = JSON.parse(line) as {
      apiUrl: string;
      apiToken: string;
      timeScale: number;
      startMs: number;
      devices: LabDeviceInfo[];
    };
    expect(summary.timeScale).toBe(40);
    expect(summary.devices).toHaveLength(5);
    expect(summary.devices.map((d) => d.platform)).toEqual(['c10k', 'ASR1006', 'MX480', 'WS-C4507R+E', 'ASR1006']);
    for (const d of summary.devices) {
      expect(d).toMatchObject({
        address: expect.stringMatching(/^127\./),
        port: expect.any(Number),
        username: 'admin',
        password: expect.any(String),
      });
      expect(d.port).toBeGreaterThan(0);
    }
    const api = new LabClient(summary.apiUrl, summary.apiToken);
    expect((await api.device('lab-pe001')).faults).toEqual(['post-check-failure']);
    child.kill('SIGTERM');
    expect(await new Promise((r) => child.once('exit', r))).toBe(0);
  });

  it('explains bad arguments and bad fault files', async () => {
    const bad = await lab(['--devices', 'many']).catch((e: { code: number; stderr: string }) => e);
    expect(bad).toMatchObject({ code: 2, stderr: expect.stringContaining('--devices must be a whole number') });
    const faults = path.join(dir, 'bad.json');
    await writeFile(faults, JSON.stringify({ 'lab-bng001': ['gremlins'] }));
    const badFault = await lab(['--devices', '1', '--port', '0', '--faults', faults]).catch(
      (e: { code: number; stderr: string }) => e,
    );
    expect(badFault).toMatchObject({
      code: 2,
      stderr: expect.stringContaining('unknown fault(s) for lab-bng001: gremlins'),
    });
    await writeFile(faults, JSON.stringify({ 'no-such-host': ['disk-full'] }));
    const badHost = await lab([
      '--devices',
      '1',
      '--port',
      '0',
      '--base-address',
      uniqueBase(),
      '--faults',
      faults,
    ]).catch((e: { code: number; stderr: string }) => e);
    expect(badHost).toMatchObject({
      code: 1,
      stderr: expect.stringContaining('no-such-host, which is not a device of this lab'),
    });
  });
});
