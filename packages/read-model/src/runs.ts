// Runs and steps as the API answers them and as live events carry them. Both the api (REST) and
// the workers (events after each change) build them here, from the same rows, so a browser that
// refetches sees exactly what an event told it.
import {
  optionsOfProcedure,
  RunOptionsView,
  type Run,
  type RunDetail,
  type RunOperatorAction,
  type RunStep as RunStepDto,
} from '@hitless/contracts';
import { abortPlanOfRun, canAccept, RunContext, type AbortPlan } from '@hitless/core';
import type { AuditEvent, DeviceRun, Prisma, RunStep } from '@hitless/db';

export const runInclude = {
  device: { select: { hostname: true } },
  createdBy: { select: { username: true } },
} as const satisfies Prisma.DeviceRunInclude;

export type RunRow = DeviceRun & { device: { hostname: string }; createdBy: { username: string } };

const iso = (d: Date | null) => (d ? d.toISOString() : null);

/** What the device runs since the run ended (see Run.releaseAfter). */
function releaseAfter(run: Pick<DeviceRun, 'status' | 'fromVersion' | 'toVersion'>): string | null {
  switch (run.status) {
    case 'COMPLETED':
      return run.toVersion;
    // Each ends only with the device seen on its original release (or, refused, never moved off it).
    case 'ROLLED_BACK':
    case 'ABORTED':
    case 'REFUSED':
      return run.fromVersion;
    default:
      return null;
  }
}

export function toRunDto(run: RunRow, now = new Date()): Run {
  // One run whose stored record cannot be read must not break every list it is in.
  const ctx = RunContext.safeParse(run.context ?? {});
  const options = RunOptionsView.safeParse(run.options ?? {});
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
    releaseAfter: releaseAfter(run),
    // Runs stored before options were kept per procedure may carry another procedure's.
    options: optionsOfProcedure(run.procedure, options.success ? options.data : {}),
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

/** The audit actions that are an operator's accept or abort of a run. */
export const RUN_OPERATOR_AUDIT_ACTIONS = { 'run.accepted': 'accept', 'run.abort_requested': 'abort' } as const;

export type RunAuditRow = Pick<AuditEvent, 'action' | 'actorName' | 'at' | 'details'>;

/** Accepts and aborts from the run's audit events (oldest first), with the comment each carried. */
export function toOperatorActions(events: readonly RunAuditRow[]): RunOperatorAction[] {
  return [...events]
    .sort((a, b) => a.at.getTime() - b.at.getTime())
    .flatMap((e) => {
      const kind = RUN_OPERATOR_AUDIT_ACTIONS[e.action as keyof typeof RUN_OPERATOR_AUDIT_ACTIONS];
      if (!kind) return [];
      const details = e.details && typeof e.details === 'object' ? (e.details as Record<string, unknown>) : {};
      const comment = typeof details['comment'] === 'string' && details['comment'] ? details['comment'] : null;
      return [{ kind, by: e.actorName, at: e.at.toISOString(), comment }];
    });
}

export function toRunDetail(
  run: RunRow & { steps: RunStep[] },
  now = new Date(),
  audit: readonly RunAuditRow[] = [],
): RunDetail {
  const ctx = RunContext.safeParse(run.context ?? {});
  return {
    ...toRunDto(run, now),
    steps: run.steps.map(toStepDto),
    prechecks: (ctx.success && ctx.data.prechecks) || null,
    operatorActions: toOperatorActions(audit),
  };
}
