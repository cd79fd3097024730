// How runs look wherever they appear: status badges and procedure names.
import { RunStatus, type ProcedureKind } from '@hitless/contracts';

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

/** Every status, in the schema's order (the filter's options). */
export const RUN_STATUSES = RunStatus.options;

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
