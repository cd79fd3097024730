// Runs and steps as the API answers them and as live events carry them. Both the api (REST) and
// the workers (events after each change) build them here, from the same rows, so a browser that
// refetches sees exactly what an event told it.
import { RunOptions, type Run, type RunDetail, type RunStep as RunStepDto } from '@hitless/contracts';
import { abortPlanOfRun, canAccept, RunContext, type AbortPlan } from '@hitless/core';
import type { DeviceRun, Prisma, RunStep } from '@hitless/db';

export const runInclude = {
  device: { select: { hostname: true } },
  createdBy: { select: { username: true } },
} as const satisfies Prisma.DeviceRunInclude;

export type RunRow = DeviceRun & { device: { hostname: string }; createdBy: { username: string } };

const iso = (d: Date | null) => (d ? d.toISOString() : null);

export function toRunDto(run: RunRow, now = new Date()): Run {
  // One run whose stored record cannot be read must not break every list it is in.
  const ctx = RunContext.safeParse(run.context ?? {});
  const options = RunOptions.safeParse(run.options ?? {});
  const plan: AbortPlan = ctx.success
    ? abortPlanOfRun(run, ctx.data)
    : {
        possible: false,
        reason: `the run's stored record cannot be read (${ctx.error.issues[0]?.message ?? 'invalid'})`,
      };
  return {
    id: run.id,
    deviceId: run.deviceId,
    deviceHostname: run.device.hostname,
    imageId: run.imageId,
    procedure: run.procedure,
    status: run.status,
    acceptMode: run.acceptMode,
    allowDisruptive: run.allowDisruptive,
    currentStep: run.currentStep,
    fromVersion: run.fromVersion,
    toVersion: run.toVersion,
    rollbackDeadline: iso(run.rollbackDeadline),
    summary: run.summary,
    options: options.success ? options.data : { rebootOldMaster: true, restoreMastership: true },
    createdBy: run.createdBy.username,
    createdAt: run.createdAt.toISOString(),
    startedAt: iso(run.startedAt),
    endedAt: iso(run.endedAt),
    updatedAt: run.updatedAt.toISOString(),
    acceptRequestedAt: iso(run.acceptRequestedAt),
    abortRequestedAt: iso(run.abortRequestedAt),
    canAccept: canAccept(run.status).ok && !run.acceptRequestedAt,
    canAbort: plan.possible && !run.abortRequestedAt,
    abortPlan: plan,
    serverTime: now.toISOString(),
  };
}

export function toStepDto(step: RunStep): RunStepDto {
  return {
    id: step.id,
    seq: step.seq,
    name: step.name,
    status: step.status,
    attempt: step.attempt,
    startedAt: step.startedAt.toISOString(),
    endedAt: iso(step.endedAt),
    outcome: step.outcome,
    evidence: step.evidence,
    transcript: step.transcript,
  };
}

export function toRunDetail(run: RunRow & { steps: RunStep[] }, now = new Date()): RunDetail {
  const ctx = RunContext.safeParse(run.context ?? {});
  return {
    ...toRunDto(run, now),
    steps: run.steps.map(toStepDto),
    prechecks: (ctx.success && ctx.data.prechecks) || null,
  };
}
