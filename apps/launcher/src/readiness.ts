// A child is ready when its /readyz says so (PostgreSQL and Redis reachable), not merely when it
// said "ready" over IPC: the launcher polls it with a deadline before starting what depends on it.
import { isIPv6 } from 'node:net';

export class NotReady extends Error {
  override name = 'NotReady';
}

export async function waitForReadyz(url: string, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let last = 'no answer';
  while (Date.now() < deadline) {
    try {
      const res = await fetch(url, { signal: AbortSignal.timeout(2000) });
      if (res.ok) return;
      last = `${res.status} ${await res.text()}`;
    } catch (err) {
      last = (err as Error).message;
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new NotReady(`${url} did not answer ready within ${timeoutMs / 1000} s (last: ${last})`);
}

/**
 * The address to reach a listener on `host` from this machine: a wildcard (`0.0.0.0`, `::`) as
 * 127.0.0.1, anything else as it is. IPv4 also for `::`: a `::` socket is dual-stack, and the
 * lab's devices send syslog from 127.x addresses, which cannot reach `::1`.
 */
export function loopbackFor(host: string): string {
  const wildcard = host === '0.0.0.0' || (isIPv6(host) && /^[0:]+$/.test(host));
  return wildcard ? '127.0.0.1' : host;
}

/** `http://host:port/readyz`, with IPv6 hosts bracketed and a wildcard host read as loopback. */
export function readyzUrl(host: string, port: number): string {
  const h = loopbackFor(host);
  return `http://${h.includes(':') ? `[${h}]` : h}:${port}/readyz`;
}
