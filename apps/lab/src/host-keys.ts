// The lab's device identities across restarts: with a state directory, each device's SSH host
// key is generated once, written there (owner-only, 0600, in a 0700 directory) and read again
// on the next start, so restarting the lab is not a key change to the inventory that pinned it.
// A device with a key per routing engine keeps one file per engine: re0 / rp0 uses the
// chassis file (so turning per-engine keys on keeps the key already pinned), the other gets its own.
import { mkdir, open, readFile } from 'node:fs/promises';
import path from 'node:path';
import ssh2 from 'ssh2';
import { generateHostKey, type SshProfile } from './ssh.ts';

const { utils } = ssh2;

/**
 * One file per device (and routing engine, past the first) and key type: a device switched to the
 * legacy profile needs an RSA key. `engine`: its slot index, 0 for a chassis-wide key.
 */
export function hostKeyFile(stateDir: string, hostname: string, profile: SshProfile, engine = 0): string {
  if (!/^[A-Za-z0-9][\w.-]*$/.test(hostname)) throw new Error(`not a usable host name for a key file: ${hostname}`);
  if (!Number.isInteger(engine) || engine < 0) throw new Error(`not a routing engine slot: ${engine}`);
  const slot = engine === 0 ? '' : `.engine${engine}`;
  return path.join(stateDir, 'ssh-host-keys', `${hostname}${slot}.${profile === 'legacy' ? 'rsa' : 'ed25519'}`);
}

/** The device's (or one of its routing engines') key from the state directory, generated and stored there the first time. */
export async function persistentHostKey(
  stateDir: string,
  hostname: string,
  profile: SshProfile,
  engine = 0,
): Promise<string> {
  const file = hostKeyFile(stateDir, hostname, profile, engine);
  const existing = await readKey(file);
  if (existing !== null) return existing;
  return storeHostKey(stateDir, hostname, profile, generateHostKey(profile), { replace: false, engine });
}

/** Writes a key for the device (a new one replaces the old when `replace`); returns the key now stored. */
export async function storeHostKey(
  stateDir: string,
  hostname: string,
  profile: SshProfile,
  key: string,
  { replace, engine = 0 }: { replace: boolean; engine?: number },
): Promise<string> {
  const file = hostKeyFile(stateDir, hostname, profile, engine);
  await mkdir(path.dirname(file), { recursive: true, mode: 0o700 });
  try {
    // Created owner-only from the start: the private key is never readable by others, not even briefly.
    const handle = await open(file, replace ? 'w' : 'wx', 0o600);
    try {
      await handle.chmod(0o600);
      await handle.writeFile(key);
    } finally {
      await handle.close();
    }
    return key;
  } catch (err) {
    // Another lab process wrote it first: use that one.
    if ((err as NodeJS.ErrnoException).code === 'EEXIST') return (await readKey(file))!;
    throw err;
  }
}

async function readKey(file: string): Promise<string | null> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw err;
  }
  if (utils.parseKey(text) instanceof Error)
    throw new Error(`${file} is not an SSH private key; remove it and the lab generates a new one`);
  return text;
}
