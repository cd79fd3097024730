// A lab per test file: the given platform families on a 127.x block of their own (by pid and
// order, so files running in parallel never share addresses), free ports, time scale 600.
import { generateFleet, type PlatformFamily } from '@hitless/sim';
import { startLab, type Lab, type LabOptions } from './lab.ts';

let nextBase = 0;

export function uniqueBase(): string {
  const block = 20 + ((process.pid * 7 + nextBase++) % 230);
  return `127.${block}.0.0`;
}

export async function labOf(families: PlatformFamily[], options: Partial<LabOptions> = {}): Promise<Lab> {
  const devices = generateFleet({ devices: families.length, families, port: 0, baseAddress: uniqueBase() });
  return startLab({ devices, timeScale: 600, api: { host: '127.0.0.1', port: 0 }, ...options });
}
