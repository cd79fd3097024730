// Every procedure the engine can drive, by the kind a run records. Adding a procedure is one
// module and one line here; the engine binds each vendor's procedures to its command sender.
import type { ProcedureKind } from '@hitless/contracts';
import type { Checkpoints } from '../run-context.ts';
import { ciscoFsu } from './cisco-fsu.ts';
import { ciscoIssu } from './cisco-issu.ts';
import { junosIssu } from './junos-issu.ts';
import type { AbortPlan, RunVersions, StepSpec } from './procedure.ts';

export const PROCEDURES = {
  CISCO_ISSU: ciscoIssu,
  CISCO_FSU: ciscoFsu,
  JUNOS_ISSU: junosIssu,
} as const satisfies Record<ProcedureKind, { kind: ProcedureKind }>;

export function stepsOf(kind: ProcedureKind): readonly StepSpec[] {
  return PROCEDURES[kind].steps;
}

export function abortPlanOf(kind: ProcedureKind, cp: Checkpoints, versions: RunVersions): AbortPlan {
  return PROCEDURES[kind].abortPlan(cp, versions);
}
