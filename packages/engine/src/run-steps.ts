// The steps that judge rather than act: pre-checks (the verdicts, the snapshot, the procedure
// chosen), post-checks (health against the snapshot), verify (the device's final state), and
// the end of the run. Each reads the device through the port and writes its result whole.
import type { RunStatus } from '@hitless/contracts';
import { comparePostchecks, failed, type HealthSnapshot } from '@hitless/core';
import type { Device, Prisma, SoftwareImage } from '@hitless/db';
import type { Logger } from 'pino';
import { discover } from './discovery.ts';
import type { VendorPort } from './ports.ts';
import type { LoadedRun, RunRecorder } from './recorder.ts';
import type { DeviceSession } from './session.ts';

export interface StepContext {
  rec: RunRecorder;
  session: DeviceSession;
  port: VendorPort<unknown, never>;
  device: Device;
  image: SoftwareImage;
  family: string;
  log: Logger;
  /** Closes a wait step the run had open, saying what came next (a run's end). */
  endWait: (next?: string) => Promise<void>;
}

const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;

/** Returns true when the run ended (refused). */
export async function prechecksStep(c: StepContext, run: LoadedRun): Promise<boolean> {
  const step = await c.rec.startStep('pre-checks');
  step.attach(c.session.transcript);
  try {
    const r = await c.port.prechecks(run);
    const snapshot = await c.port.snapshot();
    const context = {
      procedure: r.procedure,
      family: c.family,
      original: r.original,
      target: c.device.vendor === 'JUNOS' ? c.image.version : c.image.fileName,
      ...(r.originalMaster !== undefined && { originalMaster: r.originalMaster }),
      snapshot,
      prechecks: r.results,
    };
    const bad = failed(r.results);
    if (r.decision === 'REFUSE') {
      const why = bad.length ? bad.map((x) => `${x.title}: ${x.detail}`).join('; ') : 'no procedure fits these images';
      await step.end('FAILED', `refused: ${why}`, { results: r.results });
      await c.rec.context(context);
      await c.rec.update({ fromVersion: r.fromVersion });
      await finishRun(c, 'REFUSED', `refused by pre-checks: ${why}`);
      return true;
    }
    // Options chosen at start that change the device come after the checks, before anything else.
    await c.port.applyOptions(run, step);
    await c.rec.context({ ...context, checkpoints: { prechecksAt: new Date().toISOString() } });
    await c.rec.update({ fromVersion: r.fromVersion, procedure: r.procedure });
    const warnings = r.results.filter((x) => x.verdict === 'warn').length;
    const fsu = r.decision === 'FSU' ? ' — images incompatible: Fast Software Upgrade (disruptive), as allowed' : '';
    await step.end('SUCCEEDED', `${r.results.length - warnings} passed, ${plural(warnings, 'warning')}${fsu}`, {
      results: r.results,
    });
    return false;
  } catch (err) {
    await step.end('FAILED', (err as Error).message);
    throw err;
  }
}

/** Returns the abort reason when the checks failed (the caller starts the abort). */
export async function postchecksStep(c: StepContext, run: LoadedRun): Promise<'post-checks failed' | null> {
  const step = await c.rec.startStep('post-checks');
  step.attach(c.session.transcript);
  const before: HealthSnapshot = run.ctx.snapshot ?? { interfaces: [], bgp: [] };
  const after = await c.port.snapshot();
  const actual = await c.port.activeVersion(run);
  const results = comparePostchecks(before, after, { expected: run.ctx.target!, actual });
  const bad = failed(results);
  if (bad.length > 0) {
    await step.end('FAILED', `post-checks failed: ${bad.map((r) => r.detail).join('; ')}`, { results, before, after });
    return 'post-checks failed';
  }
  await c.rec.checkpoint({ postchecksAt: new Date().toISOString() });
  await step.end('SUCCEEDED', results.map((r) => `${r.title}: ${r.verdict}`).join('; '), { results, before, after });
  return null;
}

/** Success is judged from the device: every RP / RE on the target (or as the run chose). */
export async function verifyStep(c: StepContext, run: LoadedRun): Promise<void> {
  const step = await c.rec.startStep('verify');
  step.attach(c.session.transcript);
  const facts = await c.session.read((a) => discover(c.device, a));
  const versions = facts.processors.map((p) => p.version);
  const target = c.image.version;
  const allNew = versions.every((v) => v === target);
  const junos = run.ctx.procedure === 'JUNOS_ISSU';
  const junosPartial = junos && !run.options.rebootOldMaster && versions.includes(target);
  const shown = facts.processors.map((p) => `${p.slot} ${p.version}`).join(', ');
  if (!allNew && !junosPartial) {
    await step.end('FAILED', `the device does not show the upgrade: ${shown}`, { facts });
    return finishRun(
      c,
      'FAILED',
      `final state check failed: expected ${target} everywhere, the device shows ${shown}`,
      {
        facts,
      },
    );
  }
  await c.rec.db.device.update({
    where: { id: c.device.id },
    data: { currentVersion: target, facts: facts as unknown as Prisma.InputJsonValue, factsUpdatedAt: new Date() },
  });
  await step.end(
    'SUCCEEDED',
    facts.processors.map((p) => `${p.slot} ${p.role} ${p.state} on ${p.version}`).join('; '),
    {
      facts,
    },
  );
  const summary = allNew
    ? `upgraded to ${target} on every ${junos ? 'routing engine' : 'route processor'}`
    : `upgraded to ${target}; the old master stays on ${run.ctx.original} until rebooted`;
  return finishRun(c, 'COMPLETED', summary);
}

/** A rolled-back run's summary names the release the device is back on, unless it already does. */
async function namingRelease(c: StepContext, status: RunStatus, summary: string): Promise<string> {
  if (status !== 'ROLLED_BACK') return summary;
  const { row } = await c.rec.load();
  const release = row.fromVersion ?? c.device.currentVersion;
  return release && !summary.includes(release) ? `${summary}; the device runs ${release} again` : summary;
}

export async function finishRun(c: StepContext, status: RunStatus, decided: string, evidence?: unknown): Promise<void> {
  const summary = await namingRelease(c, status, decided);
  await c.endWait(`the run ended ${status}: ${summary}`);
  await c.rec.closeOpenSteps(`ended with the run: ${summary}`.slice(0, 2000));
  const run = await c.rec.update({
    status,
    summary: summary.slice(0, 2000),
    endedAt: new Date(),
    currentStep: null,
    rollbackDeadline: null,
    ...(evidence !== undefined && status === 'FAILED' && { error: evidence as Prisma.InputJsonValue }),
  });
  await c.rec.audit(`run.${status.toLowerCase()}`, {
    summary,
    device: c.device.hostname,
    from: run.row.fromVersion,
    to: run.row.toVersion,
  });
  c.rec.observer?.runFinished?.({ procedure: run.row.procedure, status });
  c.log.info({ runId: run.row.id, device: c.device.hostname, status }, 'run finished');
}
