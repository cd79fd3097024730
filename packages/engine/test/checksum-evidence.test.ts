// A failed checksum pre-check records both digests, the registered one and the one the device
// computed, in the pre-checks step's evidence and the run's context (the run page shows both).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startBed, type Bed } from './harness.ts';

let bed: Bed;
beforeAll(async () => {
  bed = await startBed(['c10k', 'mx']);
});
afterAll(async () => bed?.close());

interface Check {
  rule: string;
  verdict: string;
  evidence?: { expected?: unknown; actual?: unknown };
}

async function refusedChecks(hostname: string, version: string): Promise<{ context: Check[]; step: Check[] }> {
  await bed.api.setFaults(hostname, ['image-corrupt']);
  const id = await bed.createRun(hostname, version);
  await bed.drive(id);
  const run = await bed.db.deviceRun.findUniqueOrThrow({ where: { id } });
  expect(run.status, run.summary ?? '').toBe('REFUSED');
  const step = await bed.db.runStep.findFirstOrThrow({ where: { runId: id, name: 'pre-checks' } });
  return {
    context: (run.context as unknown as { prechecks: Check[] }).prechecks,
    step: (step.evidence as unknown as { results: Check[] }).results,
  };
}

describe('checksum pre-check evidence', () => {
  it.each([
    ['Cisco', 0, '12.2(33)SB9'],
    ['Junos', 1, '10.3R2.11'],
  ])('%s: expected and actual digests are recorded', async (_vendor, index, version) => {
    const device = bed.devices[index]!;
    const image = await bed.db.softwareImage.findFirstOrThrow({ where: { version } });
    const registered = image.md5 ?? image.sha256;
    const { context, step } = await refusedChecks(device.hostname, version);
    for (const results of [context, step]) {
      const failed = results.filter((c) => c.rule.startsWith('checksum') && c.verdict === 'fail');
      expect(failed.length).toBeGreaterThan(0);
      for (const c of failed) {
        expect(c.evidence?.expected).toBe(registered);
        expect(c.evidence?.actual).toEqual(expect.any(String));
        expect(c.evidence?.actual).not.toBe(registered);
      }
    }
  });
});
