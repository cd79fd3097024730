// A known_hosts file for the lab's devices, written into the state directory at every start (and
// after a re-key), so OpenSSH can check the lab's host keys instead of asking "Are you sure you
// want to continue connecting?" — which sshpass cannot answer (it exits 6). Pass it with
// `ssh -o UserKnownHostsFile=<state dir>/known_hosts`. A device with a key per routing engine
// gets one line per key: OpenSSH accepts any key listed for the host.
import { rename, writeFile } from 'node:fs/promises';
import path from 'node:path';

export interface KnownHost {
  address: string;
  port: number;
  hostKeys: { algorithm: string; key: string }[];
}

export const knownHostsFile = (stateDir: string) => path.join(stateDir, 'known_hosts');

/** OpenSSH's host pattern: the bare address on port 22, `[address]:port` on any other. */
export function knownHostsPattern(address: string, port: number): string {
  return port === 22 ? address : `[${address}]:${port}`;
}

export function knownHostsText(devices: KnownHost[]): string {
  const lines = devices.flatMap((d) =>
    d.hostKeys.map((k) => `${knownHostsPattern(d.address, d.port)} ${k.algorithm} ${k.key}`),
  );
  return `# The Hitless lab's SSH host keys, rewritten at every lab start: ssh -o UserKnownHostsFile=<this file>\n${lines.join('\n')}\n`;
}

/** Writes the file whole (a temporary file renamed over it), so a reader never sees half of it. */
export async function writeKnownHosts(stateDir: string, devices: KnownHost[]): Promise<string> {
  const file = knownHostsFile(stateDir);
  const tmp = `${file}.${process.pid}.tmp`;
  await writeFile(tmp, knownHostsText(devices), { mode: 0o644 });
  await rename(tmp, file);
  return file;
}

const shellWord = (s: string) => (/^[\w./:@=+-]+$/.test(s) ? s : `'${s.replaceAll("'", `'\\''`)}'`);

/**
 * A command line that logs in to a lab device as pasted: with the lab's known_hosts file when
 * it has one, else (keys new at every start) without remembering the key at all, since a key
 * changed since an earlier start makes OpenSSH refuse password logins.
 */
export function labSshCommand(
  device: { address: string; port: number; username: string; password: string },
  knownHosts: string | null,
): string {
  const check = knownHosts
    ? `-o UserKnownHostsFile=${shellWord(knownHosts)}`
    : '-o StrictHostKeyChecking=no -o UserKnownHostsFile=/dev/null';
  const port = device.port === 22 ? '' : ` -p ${device.port}`;
  return `sshpass -p ${shellWord(device.password)} ssh ${check}${port} ${device.username}@${device.address}`;
}

/**
 * What a new user needs beside the command: a Cisco device's interactive session starts
 * unprivileged (`>`), as on a real box, so `issu …`, `show running-config` and the like need
 * `enable` first; a command given on the ssh line runs privileged (an AAA-authorised exec).
 */
export function labEnableHint(enableSecret: string | null): string | null {
  return enableSecret
    ? `Cisco: an interactive session starts unprivileged (>); type enable (secret ${enableSecret}) before privileged commands; a command on the ssh line ("show version") needs none`
    : null;
}
