// Runs and steps as the API and the live events show them.
import { RunOptions, type Run, type RunStep as RunStepDto } from '@hitless/contracts';
import { canAbort, canAccept, type Checkpoints, type ProcedureKind, type RunStatus } from '@hitless/core';
import type { DeviceRun, RunStep } from '@hitless/db';

export type RunRow = DeviceRun & { device: { hostname: string }; createdBy: { username: string } };

export const runInclude = {
  device: { select: { hostname: true } },
  createdBy: { select: { username: true } },
} as const;

const iso = (d: Date | null) => (d ? d.toISOString() : null);

export function checkpointsOf(run: Pick<DeviceRun, 'context'>): Checkpoints {
  return ((run.context as { checkpoints?: Checkpoints } | null)?.checkpoints ?? {}) as Checkpoints;
}

export function toRunDto(run: RunRow, now = new Date()): Run {
  const status = run.status as RunStatus;
  const options = RunOptions.safeParse(run.options);
  return {
    id: run.id,
    deviceId: run.deviceId,
    deviceHostname: run.device.hostname,
    imageId: run.imageId,
    procedure: run.procedure,
    status,
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
    canAccept: canAccept(status).ok && !run.acceptRequestedAt,
    canAbort: canAbort(status, run.procedure as ProcedureKind, checkpointsOf(run)).ok && !run.abortRequestedAt,
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
