// Run statuses and what an operator may do to a run in each. The statuses themselves are
// declared once, as the Prisma enum (a test proves contracts' zod enum equals it); this module
// says which of them are still moving, and everything else asks it.
import { RunStatus, type ProcedureKind } from '@hitless/contracts';
import { abortPlanOf } from './issu/registry.ts';
import type { AbortPlan, RunVersions } from './issu/procedure.ts';
import type { Checkpoints, RunContext } from './run-context.ts';

/** Statuses of a run that has yet to end: a worker should be driving it (or about to). */
export const ACTIVE_RUN_STATUSES = [
  'PENDING',
  'QUEUED',
  'RUNNING',
  'WAITING_ACCEPT',
] as const satisfies readonly RunStatus[];
export type ActiveRunStatus = (typeof ACTIVE_RUN_STATUSES)[number];

/** Active statuses of a run a worker has started (the others still wait for one). */
export const STARTED_RUN_STATUSES = ['RUNNING', 'WAITING_ACCEPT'] as const satisfies readonly ActiveRunStatus[];

/** Statuses a run ends in: everything that is not active. */
export const TERMINAL_RUN_STATUSES = RunStatus.options.filter(
  (s): s is Exclude<RunStatus, ActiveRunStatus> => !isActive(s),
);

export function isActive(s: RunStatus): s is ActiveRunStatus {
  return (ACTIVE_RUN_STATUSES as readonly RunStatus[]).includes(s);
}
export const isTerminal = (s: RunStatus) => !isActive(s);

/**
 * Whether an abort requested now would be taken, and what it would do: until the point of no
 * return (Cisco commitversion, FSU's forced switchover, Junos's old-master reboot).
 */
export function abortPlan(
  status: RunStatus,
  procedure: ProcedureKind,
  cp: Checkpoints,
  versions: RunVersions,
): AbortPlan {
  if (isTerminal(status)) return { possible: false, reason: `the run is already ${status}` };
  return abortPlanOf(procedure, cp, versions);
}

/** The abort plan of a stored run: the one way the API, the read model and the worker build it. */
export function abortPlanOfRun(
  run: { status: RunStatus; procedure: ProcedureKind; fromVersion: string | null; toVersion: string },
  ctx: RunContext,
): AbortPlan {
  return abortPlan(run.status, ctx.procedure ?? run.procedure, ctx.checkpoints, {
    original: run.fromVersion ?? 'the original release',
    target: run.toVersion,
  });
}

export function canAccept(status: RunStatus): { ok: true } | { ok: false; reason: string } {
  return status === 'WAITING_ACCEPT'
    ? { ok: true }
    : { ok: false, reason: `only a run waiting for acceptance can be accepted; this one is ${status}` };
}

/** What accepting a run that waits for it will do next, in words for the Accept dialog. */
export function acceptEffect(
  procedure: ProcedureKind,
  /** The run's options; a Junos choice left out is the engine's default (true). */
  options: { rebootOldMaster?: boolean | undefined; restoreMastership?: boolean | undefined },
  target: string,
): string {
  switch (procedure) {
    case 'CISCO_ISSU':
      return `issu acceptversion stops the rollback timer, then issu commitversion reloads the other route processor on ${target}. From commitversion on, the upgrade can only complete.`;
    case 'CISCO_FSU':
      return 'A Fast Software Upgrade does not wait for acceptance.';
    case 'JUNOS_ISSU':
      return options.rebootOldMaster !== false
        ? `The old master reboots onto ${target}, the point of no return${options.restoreMastership !== false ? ', then mastership goes back to the original master routing engine' : ''}.`
        : `The run ends here; the old master stays on its original release until it is rebooted.`;
    default: {
      const unreachable: never = procedure;
      return String(unreachable);
    }
  }
}
