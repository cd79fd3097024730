// Run statuses and what an operator may do to a run in each.
import type { CiscoCheckpoints } from './issu/cisco.ts';
import type { JunosCheckpoints } from './issu/junos.ts';
import type { ProcedureKind } from './issu/procedures.ts';

export const RUN_STATUSES = [
  'PENDING',
  'QUEUED',
  'RUNNING',
  'WAITING_ACCEPT',
  'COMPLETED',
  'FAILED',
  'ROLLED_BACK',
  'ABORTED',
  'REFUSED',
] as const;
export type RunStatus = (typeof RUN_STATUSES)[number];

export const ACTIVE_STATUSES: readonly RunStatus[] = ['PENDING', 'QUEUED', 'RUNNING', 'WAITING_ACCEPT'];
export const isActive = (s: RunStatus) => ACTIVE_STATUSES.includes(s);
export const isTerminal = (s: RunStatus) => !isActive(s);

/** The run's own record of what it did; the device's state is read afresh every turn. */
export type Checkpoints = CiscoCheckpoints & JunosCheckpoints;

/**
 * An abort is possible until the point of no return: Cisco ISSU until commitversion, FSU until
 * the forced switchover, Junos until the old master reboots onto the new release.
 */
export function canAbort(
  status: RunStatus,
  procedure: ProcedureKind,
  cp: Checkpoints,
): { ok: true } | { ok: false; reason: string } {
  if (isTerminal(status)) return { ok: false, reason: `the run is already ${status}` };
  if (cp.abortAt) return { ok: false, reason: 'an abort is already under way' };
  if (procedure === 'CISCO_ISSU' && cp.commitAt)
    return { ok: false, reason: 'commitversion was issued: the upgrade can only complete now' };
  if (procedure === 'CISCO_FSU' && cp.forceSwitchoverAt)
    return { ok: false, reason: 'the disruptive switchover happened: the upgrade can only complete now' };
  if (procedure === 'JUNOS_ISSU' && cp.rebootOldMasterAt)
    return { ok: false, reason: 'the old master is rebooting onto the new release: the upgrade can only complete now' };
  return { ok: true };
}

export function canAccept(status: RunStatus): { ok: true } | { ok: false; reason: string } {
  return status === 'WAITING_ACCEPT'
    ? { ok: true }
    : { ok: false, reason: `only a run waiting for acceptance can be accepted; this one is ${status}` };
}
