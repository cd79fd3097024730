// Fresh rows for DELETE routes (so deletions never run out of rows to delete), made through the
// API as the seeding admin, and the SSH keys the known_hosts import is fed.
import { generateKeyPairSync } from 'node:crypto';
import type { Fresh } from './world.ts';

let serial = 0;
/** A short suffix no other row of this run has. */
export const next = () => `${Date.now().toString(36)}${(++serial).toString(36)}`;

let freshCount = 0;

/** A new row of each kind a DELETE route can remove, made through the API as the seeding admin. */
export const fresh: Record<string, Fresh> = {
  devices: async (w) => {
    const n = ++freshCount;
    const body = (await w.seed({
      method: 'POST',
      url: '/api/v1/devices',
      payload: {
        hostname: `fz-fresh-${n}.lab`,
        mgmtAddress: `127.78.${Math.floor(n / 250)}.${(n % 250) + 1}`,
        vendor: 'CISCO_IOS',
        platform: 'c10k',
      },
    })) as { id: string };
    return body.id;
  },
  credentials: async (w) => {
    const secret = `fzS-${next()}-fresh-credential`;
    w.secrets.add(secret, 'a fresh credential secret');
    return (
      (await w.seed({
        method: 'POST',
        url: '/api/v1/credentials',
        payload: { name: `fz-fresh-${next()}`, username: 'u', secret },
      })) as { id: string }
    ).id;
  },
  images: async (w) =>
    (
      (await w.seed({
        method: 'POST',
        url: '/api/v1/images',
        payload: {
          vendor: 'CISCO_IOS',
          platformFamily: 'c10k',
          version: `fz-${next()}`,
          fileName: `fz-${next()}.bin`,
          sizeBytes: 1000,
          md5: 'cd'.repeat(16),
        },
      })) as { id: string }
    ).id,
  compatibility: async (w) =>
    (
      (await w.seed({
        method: 'POST',
        url: '/api/v1/compatibility',
        payload: { vendor: 'JUNOS', platformFamily: 'mx', fromVersion: `fz-${next()}`, toVersion: 'fz-to', level: 'B' },
      })) as { id: string }
    ).id,
  users: async (w) => {
    const password = `fzP-${next()}-victim-password`;
    w.secrets.add(password, 'a victim user password');
    return (
      (await w.seed({
        method: 'POST',
        url: '/api/v1/users',
        payload: { username: `fz-victim-${next()}`, role: 'VIEWER', password },
      })) as { id: string }
    ).id;
  },
  campaigns: async (w) => w.campaigns.fresh(),
  tokens: async (w) => {
    // A token of one of the callers (not its own credential), so its owner's DELETE can succeed.
    const owners = w.principals.filter((p) => p.role && !p.pending);
    const owner = owners[freshCount++ % owners.length]!;
    const res = await w.request({
      method: 'POST',
      url: '/api/v1/tokens',
      headers: w.headersOf(owner),
      payload: { name: `fz-fresh-${next()}` },
    });
    if (res.statusCode !== 201) throw new Error(`fresh token: ${res.statusCode} ${res.body}`);
    const { id, token } = res.json() as { id: string; token: string };
    w.secrets.add(token, `a fresh token of ${owner.username}`);
    return id;
  },
};

/** An OpenSSH public key line body: `ssh-ed25519 AAAA…`. */
export function ed25519PublicKey(): string {
  const raw = generateKeyPairSync('ed25519').publicKey.export({ format: 'der', type: 'spki' }).subarray(-32);
  const part = (b: Buffer) => {
    const len = Buffer.alloc(4);
    len.writeUInt32BE(b.length);
    return Buffer.concat([len, b]);
  };
  return `ssh-ed25519 ${Buffer.concat([part(Buffer.from('ssh-ed25519')), part(raw)]).toString('base64')}`;
}
