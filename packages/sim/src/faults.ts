// Faults the lab can inject into a device, each standing for a way a real upgrade goes wrong.

export const FAULTS = {
  'standby-never-hot': 'the standby RP (backup RE) booting the target image never reaches STANDBY HOT (never comes back)',
  'image-corrupt': 'the target image fails verification: wrong checksum, refused by loadversion / ISSU validation',
  'incompatible': 'the compatibility matrix says the image pair is incompatible (I)',
  'disk-full': 'the standby file system (Junos: /var) is full and the target image is missing from it',
  'session-drop-after-runversion': 'the SSH session dies the moment runversion (Junos: the in-service-upgrade) is entered',
  'post-check-failure': 'after the switchover a BGP neighbour and an interface are down on the new active',
  'unreachable-until-rollback': 'after runversion the device is unreachable until its own rollback timer rolls it back',
  'slow-standby-boot': 'standby reloads take four times longer than usual',
} as const;

export type FaultName = keyof typeof FAULTS;
export const FAULT_NAMES = Object.keys(FAULTS) as FaultName[];

export function isFaultName(v: string): v is FaultName {
  return v in FAULTS;
}
