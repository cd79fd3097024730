// Faults the lab can inject into a device, each standing for a way a real upgrade goes wrong.
import type { VendorId } from './catalog.ts';

export const FAULTS = {
  'standby-never-hot':
    'the standby RP (backup RE) booting the target image never reaches STANDBY HOT (never comes back)',
  'image-corrupt': 'the target image fails verification: wrong checksum, refused by loadversion / ISSU validation',
  incompatible: 'the compatibility matrix says the image pair is incompatible (I)',
  'disk-full': 'the standby file system (Junos: /var) is full and the target image is missing from it',
  'session-drop-after-runversion':
    'the SSH session dies the moment runversion (Junos: the in-service-upgrade) is entered',
  'post-check-failure': 'after the switchover a BGP neighbour and an interface are down on the new active',
  'unreachable-until-rollback': 'after runversion the device is unreachable until its own rollback timer rolls it back',
  'slow-standby-boot': 'standby reloads take four times longer than usual',
} as const;

export type FaultName = keyof typeof FAULTS;
export const FAULT_NAMES = Object.keys(FAULTS) as FaultName[];

export function isFaultName(v: string): v is FaultName {
  return v in FAULTS;
}

/** Faults that exist on one vendor only: Junos ISSU has no rollback timer to wait out. */
const CISCO_ONLY: readonly FaultName[] = ['unreachable-until-rollback'];

/** The faults in `faults` that a device of `vendor` cannot have, each with the reason. */
export function unsupportedFaults(vendor: VendorId, faults: readonly FaultName[]): string[] {
  if (vendor !== 'JUNOS') return [];
  return faults
    .filter((f) => CISCO_ONLY.includes(f))
    .map((f) => `${f} applies to Cisco devices only (Junos ISSU has no rollback timer)`);
}
