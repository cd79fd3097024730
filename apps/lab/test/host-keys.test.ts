// The lab keeps its devices' SSH host keys across restarts when it has a state directory.
import { mkdtemp, readdir, rm, stat } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { hostKeyFingerprint } from '@hitless/crypto';
import { generateFleet } from '@hitless/sim';
import ssh2 from 'ssh2';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startLab, type LabOptions } from '../src/lab.ts';
import { uniqueBase } from './helpers.ts';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'hitless-lab-state-'));
});
afterAll(async () => rm(dir, { recursive: true, force: true }));

/** The host key a device presents on the wire, as an SSH client sees it. */
function presentedFingerprint(address: string, port: number, legacy = false): Promise<string> {
  return new Promise((resolve, reject) => {
    const client = new ssh2.Client();
    client.on('error', () => undefined);
    client.connect({
      host: address,
      port,
      username: 'probe',
      readyTimeout: 5000,
      ...(legacy && { algorithms: { kex: ['diffie-hellman-group14-sha1'], serverHostKey: ['ssh-rsa'] } }),
      hostVerifier: (key: Buffer) => {
        resolve(hostKeyFingerprint(key));
        return false;
      },
    });
    client.once('close', () => reject(new Error('closed before the host key')));
  });
}

describe('lab host keys', () => {
  it('presents the same host key after a restart with the same state directory, kept owner-only', async () => {
    const base = uniqueBase();
    const options = (): LabOptions => ({
      devices: generateFleet({ devices: 2, families: ['c10k', 'cat4500'], port: 0, baseAddress: base }),
      timeScale: 600,
      legacySsh: ['lab-agg001'],
      stateDir: dir,
    });
    const first = await startLab(options());
    const before = first.info().map((d) => d.hostKey.fingerprint);
    const [c10k, cat] = first.info();
    expect(await presentedFingerprint(c10k!.address, c10k!.port)).toBe(before[0]);
    expect(await presentedFingerprint(cat!.address, cat!.port, true)).toBe(before[1]);
    await first.stop();

    const second = await startLab(options());
    expect(second.info().map((d) => d.hostKey.fingerprint)).toEqual(before);
    const [again] = second.info();
    expect(await presentedFingerprint(again!.address, again!.port)).toBe(before[0]);

    // A re-keyed device keeps its new key too.
    const rekeyed = await second.rekey('lab-bng001');
    expect(rekeyed).not.toBe(before[0]);
    expect(await presentedFingerprint(again!.address, again!.port)).toBe(rekeyed);
    await second.stop();
    const third = await startLab(options());
    expect(third.info()[0]!.hostKey.fingerprint).toBe(rekeyed);
    await third.stop();

    const keys = path.join(dir, 'ssh-host-keys');
    expect((await stat(keys)).mode & 0o777).toBe(0o700);
    const files = await readdir(keys);
    expect(files.sort()).toEqual(['lab-agg001.rsa', 'lab-bng001.ed25519']);
    for (const f of files) expect((await stat(path.join(keys, f))).mode & 0o777).toBe(0o600);
  });

  it('generates new keys on every start without a state directory', async () => {
    const base = uniqueBase();
    const devices = () => generateFleet({ devices: 1, families: ['c10k'], port: 0, baseAddress: base });
    const a = await startLab({ devices: devices(), timeScale: 600 });
    const fa = a.info()[0]!.hostKey.fingerprint;
    await a.stop();
    const b = await startLab({ devices: devices(), timeScale: 600 });
    expect(b.info()[0]!.hostKey.fingerprint).not.toBe(fa);
    await b.stop();
  });
});
