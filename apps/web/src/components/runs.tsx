// How runs look wherever they appear: status badges and procedure names.
import type { ProcedureKind, RunStatus } from '@hitless/contracts';

export const PROCEDURE_LABEL: Record<ProcedureKind, string> = {
  CISCO_ISSU: 'Cisco ISSU',
  CISCO_FSU: 'Cisco Fast Software Upgrade (disruptive)',
  JUNOS_ISSU: 'Junos unified ISSU',
};

const STATUS_LABEL: Record<RunStatus, string> = {
  PENDING: 'Pending',
  QUEUED: 'Queued',
  RUNNING: 'Running',
  WAITING_ACCEPT: 'Waiting for accept',
  COMPLETED: 'Completed',
  FAILED: 'Failed',
  ROLLED_BACK: 'Rolled back',
  ABORTED: 'Aborted',
  REFUSED: 'Refused',
};

export const RUN_STATUSES = Object.keys(STATUS_LABEL) as RunStatus[];

export function runStatusLabel(status: RunStatus): string {
  return STATUS_LABEL[status];
}

export function RunStatusBadge({ status }: { status: RunStatus }) {
  return (
    <span className={`status status-${status.toLowerCase()}`} data-status={status}>
      {STATUS_LABEL[status]}
    </span>
  );
}
