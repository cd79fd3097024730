// How each simulated device is configured to log, chosen from its hostname so a lab of any size
// holds every variant real fleets show, the same way on every run:
// - Cisco: `service sequence-numbers`, `service timestamps log datetime msec show-timezone` on every
//   box; `logging origin-id hostname` (or `ip`) on some (the syslog-ng Cisco parser documents both shapes,
//   `<189>29: foo: *Apr 29 13:58:40.411: %SYS-5-CONFIG_I: …` and `<189>35: *Apr 29 …`, in
//   syslog-ng/syslog-ng scl/cisco/plugin.conf); and a minority whose clock IOS marks as not
//   authoritative (`*`, never set) or set but not in sync (`.`).
// - Junos: `structured-data` on the syslog host for some, the BSD format for the rest.
import { createHash } from 'node:crypto';
import type { VendorId } from './catalog.ts';

/** The clock state IOS marks before a timestamp: '' synced, '.' set but not in sync, '*' never set. */
export type ClockMark = '' | '.' | '*';

export interface LoggingProfile {
  /** `logging origin-id hostname|ip`: the hostname or management address precedes the timestamp (Cisco). */
  originId: 'hostname' | 'ip' | null;
  clockMark: ClockMark;
}

/** A number in [0, mod) derived from `seed`, the same on every run. */
export function stableNumber(seed: string, mod: number): number {
  return createHash('sha256').update(seed).digest().readUInt32BE(0) % mod;
}

export function loggingProfileOf(hostname: string, vendor: VendorId): LoggingProfile {
  if (vendor === 'JUNOS') return { originId: null, clockMark: '' };
  const n = stableNumber(`logging:${hostname}`, 10);
  // 1 in 10 never had its clock set, 1 in 10 lost NTP sync.
  const clockMark: ClockMark = n === 0 ? '*' : n === 1 ? '.' : '';
  // About half name themselves, a few by address, the rest not at all (the IOS default).
  const o = stableNumber(`origin:${hostname}`, 8);
  return { originId: o < 4 ? 'hostname' : o === 4 ? 'ip' : null, clockMark };
}
