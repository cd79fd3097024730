// What Cisco procedures (ISSU and its Fast Software Upgrade fallback) read from a device and
// the commands they may send: one closed union for the vendor, each command with the driver
// action it performs and the checkpoint written just before it goes out.
import type { Checkpoints, RunContext } from '../run-context.ts';
import type { CommandSpec, Timing } from './procedure.ts';

export interface CiscoObserved {
  issuState: 'Init' | 'Load Version' | 'Run Version';
  active: { slot: string; image: string | null };
  /** The standby RP; image null while it has not said (booting). */
  standby: { slot: string; image: string | null; state: string };
  rollback: { inProgress: boolean; remainingSeconds: number | null; configuredSeconds: number | null };
  /** The active RP's boot variable, file names in order. */
  bootImages: string[];
}

/** What a Cisco run works from: image file names (without file system) and its checkpoints. */
export interface CiscoRunState {
  original: string;
  target: string;
  checkpoints: Checkpoints;
  timing: Timing;
}

/** Driver operations the Cisco command sender knows. */
export type CiscoAction =
  | 'loadversion'
  | 'runversion'
  | 'acceptversion'
  | 'commitversion'
  | 'abortversion'
  | 'set-boot'
  | 'restore-boot'
  | 'reload-peer'
  | 'force-switchover';

export const CISCO_COMMANDS = {
  loadversion: { action: 'loadversion', checkpoint: 'loadversionAt', disruptive: false, resend: 'after-settle' },
  runversion: { action: 'runversion', checkpoint: 'runversionAt', disruptive: true, resend: 'after-settle' },
  acceptversion: { action: 'acceptversion', checkpoint: 'acceptedAt', disruptive: false, resend: 'after-settle' },
  commitversion: { action: 'commitversion', checkpoint: 'commitAt', disruptive: false, resend: 'after-settle' },
  /** Before runversion: the standby reloads on the original image. */
  abortversion: { action: 'abortversion', checkpoint: 'abortversionAt', disruptive: false, resend: 'after-settle' },
  /** After runversion: the same command switches back to the RP on the original image. */
  'abortversion-switch-back': {
    action: 'abortversion',
    checkpoint: 'switchBackAt',
    disruptive: true,
    resend: 'after-settle',
  },
  'set-boot': { action: 'set-boot', checkpoint: 'bootSetAt', disruptive: false, resend: 'after-settle' },
  'restore-boot': { action: 'restore-boot', checkpoint: 'bootRestoredAt', disruptive: false, resend: 'after-settle' },
  'reload-peer': { action: 'reload-peer', checkpoint: 'peerReloadAt', disruptive: false, resend: 'after-settle' },
  'reload-peer-back': {
    action: 'reload-peer',
    checkpoint: 'peerReloadBackAt',
    disruptive: false,
    resend: 'after-settle',
  },
  'force-switchover': {
    action: 'force-switchover',
    checkpoint: 'forceSwitchoverAt',
    disruptive: true,
    resend: 'after-settle',
  },
} as const satisfies Record<string, CommandSpec<CiscoAction>>;
export type CiscoCommand = keyof typeof CISCO_COMMANDS;

export function ciscoStateOf(ctx: RunContext, timing: Timing): CiscoRunState {
  if (!ctx.original || !ctx.target)
    throw new Error('the run has no original and target image yet (pre-checks did not finish)');
  return { original: ctx.original, target: ctx.target, checkpoints: ctx.checkpoints, timing };
}

/** Post-checks must be able to finish before the rollback timer: never start them with less than this share left. */
export const ROLLBACK_MARGIN = 0.15;
