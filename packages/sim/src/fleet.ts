// Fleets of simulated devices: the demo fleet of `npm start` and generated fleets of any size.
import type { PlatformFamily } from './catalog.ts';
import type { DeviceSpec } from './device.ts';

/** The lab's login on every simulated device. Test credentials, not secrets. */
export const LAB_USERNAME = 'admin';
export const LAB_PASSWORD = 'lab-admin-pw';
export const LAB_ENABLE_SECRET = 'lab-enable-pw';

/** 127.10.0.1, 127.10.0.2, … 127.10.0.254, 127.10.1.1, … (Linux routes all of 127/8 to loopback). */
export function labAddress(index: number, base = '127.10.0.0'): string {
  const [a, b, c] = base.split('.').map(Number) as [number, number, number];
  const host = (index % 254) + 1;
  const third = c + Math.floor(index / 254);
  return `${a}.${b + Math.floor(third / 256)}.${third % 256}.${host}`;
}

const MIX: readonly PlatformFamily[] = ['c10k', 'asr1000', 'mx', 'cat4500', 'asr1000', 'mx', 'c10k', 'cat4500'];
const PREFIX: Record<PlatformFamily, string> = { c10k: 'bng', asr1000: 'pe', cat4500: 'agg', mx: 'mx' };

export interface FleetOptions {
  devices: number;
  port?: number;
  baseAddress?: string;
  families?: readonly PlatformFamily[];
}

/** N devices cycling through the platforms, with stable names and addresses. */
export function generateFleet(options: FleetOptions): DeviceSpec[] {
  const families = options.families ?? MIX;
  const counters: Partial<Record<PlatformFamily, number>> = {};
  return Array.from({ length: options.devices }, (_, i) => {
    const family = families[i % families.length]!;
    const n = (counters[family] = (counters[family] ?? 0) + 1);
    const hostname = `lab-${PREFIX[family]}${String(n).padStart(3, '0')}`;
    return {
      id: hostname,
      hostname,
      family,
      address: labAddress(i, options.baseAddress),
      port: options.port ?? 22,
      username: LAB_USERNAME,
      password: LAB_PASSWORD,
      enableSecret: family === 'mx' ? null : LAB_ENABLE_SECRET,
    };
  });
}
