// What health checks look at: interfaces and BGP neighbours, generated per device from its
// hostname so every device is different but the same across restarts.
import { createHash } from 'node:crypto';

export interface SimInterface {
  name: string;
  address: string;
  up: boolean;
}

export interface SimNeighbor {
  address: string;
  remoteAs: number;
  prefixes: number;
  up: boolean;
  upSinceMs: number;
  msgRcvd: number;
  msgSent: number;
}

export interface NetworkState {
  routerId: string;
  localAs: number;
  interfaces: SimInterface[];
  neighbors: SimNeighbor[];
}

function seeded(seed: string): () => number {
  let h = createHash('sha256').update(seed).digest();
  let i = 0;
  return () => {
    if (i + 4 > h.length) {
      h = createHash('sha256').update(h).digest();
      i = 0;
    }
    const v = h.readUInt32BE(i);
    i += 4;
    return v / 0x1_0000_0000;
  };
}

export function generateNetwork(hostname: string, style: 'cisco' | 'junos', now: number): NetworkState {
  const rnd = seeded(hostname);
  const octet = () => 1 + Math.floor(rnd() * 250);
  const base = `10.${octet()}.${octet()}`;
  const interfaces: SimInterface[] =
    style === 'cisco'
      ? ['GigabitEthernet1/0/0', 'GigabitEthernet1/0/1', 'GigabitEthernet2/0/0', 'TenGigabitEthernet3/0/0'].map(
          (name, i) => ({
            name,
            address: `${base}.${i * 4 + 1}`,
            up: true,
          }),
        )
      : ['ge-0/0/0', 'ge-0/0/1', 'xe-1/0/0', 'xe-1/1/0'].map((name, i) => ({
          name,
          address: `${base}.${i * 4 + 1}`,
          up: true,
        }));
  const neighbors: SimNeighbor[] = interfaces.slice(0, 3).map((itf, i) => ({
    address: itf.address.replace(/\d+$/, (d) => String(Number(d) + 1)),
    remoteAs: 65001 + i + Math.floor(rnd() * 100),
    prefixes: 100 + Math.floor(rnd() * 4000),
    up: true,
    upSinceMs: now - Math.floor((1 + rnd() * 30) * 86_400_000),
    msgRcvd: 10_000 + Math.floor(rnd() * 90_000),
    msgSent: 10_000 + Math.floor(rnd() * 90_000),
  }));
  return { routerId: `${base}.255`, localAs: 65000, interfaces, neighbors };
}

/** The post-check-failure fault: the second interface and its neighbour go down. */
export function degrade(net: NetworkState, degraded: boolean, now: number): void {
  const itf = net.interfaces[1];
  const nb = net.neighbors[1];
  if (itf) itf.up = !degraded;
  if (nb) {
    if (nb.up === degraded) nb.upSinceMs = now;
    nb.up = !degraded;
  }
}

/** Deterministic traffic-loss window of a device's switchovers, within the seed's "less than 2 seconds". */
export function defaultLossWindowMs(hostname: string, family: string): number {
  const rnd = seeded(`loss:${hostname}`);
  // The 10000 loses up to 2 s; the Catalyst 4500 and ASR 1000 lose less (seed 004).
  return family === 'c10k' ? 300 + Math.floor(rnd() * 1500) : 50 + Math.floor(rnd() * 450);
}
