// What the Junos procedure reads from a device and the commands it may send: one closed union
// for the vendor. Several commands share a driver action (a reboot of the other RE, a
// mastership switch) but each writes its own checkpoint, so the run's record says which one it
// was without reading step names.
import type { RunOptions } from '@hitless/contracts';
import type { Checkpoints, RunContext } from '../run-context.ts';
import type { CommandSpec, Timing } from './procedure.ts';

export interface JunosObserved {
  master: { slot: number; version: string | null };
  /** The other RE; state Backup when up, Present (or missing) while it reboots. */
  backup: { slot: number; version: string | null; state: string } | null;
  /** An in-service upgrade is running on the device right now. */
  issuInProgress: boolean;
}

export interface JunosRunState {
  original: string;
  target: string;
  originalMaster: number;
  rebootOldMaster: boolean;
  restoreMastership: boolean;
  checkpoints: Checkpoints;
  timing: Timing;
}

/** Driver operations the Junos command sender knows. */
export type JunosAction = 'in-service-upgrade' | 'reboot-other' | 'master-switch' | 'rollback-other' | 'rollback-self';

export const JUNOS_COMMANDS = {
  // Decided again only when it was never seen running (it never arrived), after the settle window;
  // the device refuses an upgrade while another runs.
  'in-service-upgrade': {
    action: 'in-service-upgrade',
    checkpoint: 'issuStartedAt',
    disruptive: true,
    resend: 'after-settle',
  },
  'reboot-old-master': {
    action: 'reboot-other',
    checkpoint: 'rebootOldMasterAt',
    disruptive: false,
    resend: 'after-settle',
  },
  'restore-mastership': {
    action: 'master-switch',
    checkpoint: 'mastershipRestoredAt',
    disruptive: true,
    resend: 'after-settle',
  },
  'switch-back': { action: 'master-switch', checkpoint: 'recoverySwitchAt', disruptive: true, resend: 'after-settle' },
  // Software rollbacks toggle (a second one undoes the first): never sent again blindly.
  'roll-back-other': { action: 'rollback-other', checkpoint: 'recoveryRollbackAt', disruptive: false, resend: 'never' },
  'reboot-rolled-back': {
    action: 'reboot-other',
    checkpoint: 'recoveryRebootAt',
    disruptive: false,
    resend: 'after-settle',
  },
  'recovery-restore-mastership': {
    action: 'master-switch',
    checkpoint: 'recoveryMastershipAt',
    disruptive: true,
    resend: 'after-settle',
  },
  'clear-pending': {
    action: 'rollback-self',
    checkpoint: 'recoveryPendingClearedAt',
    disruptive: false,
    resend: 'never',
  },
} as const satisfies Record<string, CommandSpec<JunosAction>>;
export type JunosCommand = keyof typeof JUNOS_COMMANDS;

export function junosStateOf(
  ctx: RunContext,
  options: Pick<RunOptions, 'rebootOldMaster' | 'restoreMastership'>,
  timing: Timing,
): JunosRunState {
  if (!ctx.original || !ctx.target)
    throw new Error('the run has no original and target release yet (pre-checks did not finish)');
  return {
    original: ctx.original,
    target: ctx.target,
    originalMaster: ctx.originalMaster ?? 0,
    rebootOldMaster: options.rebootOldMaster,
    restoreMastership: options.restoreMastership,
    checkpoints: ctx.checkpoints,
    timing,
  };
}
