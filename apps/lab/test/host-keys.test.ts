// The lab keeps its devices' SSH host keys across restarts when it has a state directory (and
// writes them there as an OpenSSH known_hosts file, rewritten after a re-key), and a dual-RE
// device with a key per routing engine presents the master's, the other after a switch.
import { mkdtemp, readdir, readFile, rm, stat } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { hostKeyFingerprint } from '@hitless/crypto';
import { generateFleet } from '@hitless/sim';
import ssh2 from 'ssh2';
import { eventually } from '@hitless/testkit/poll';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startLab, type LabOptions } from '../src/lab.ts';
import { connect, exec, uniqueBase } from './helpers.ts';

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

    // The known_hosts file OpenSSH reads: one line per key, `[address]:port` off port 22.
    const knownHosts = path.join(dir, 'known_hosts');
    expect(second.knownHostsFile).toBe(knownHosts);
    const lines = async () =>
      (await readFile(knownHosts, 'utf8')).split('\n').filter((l) => l.trim() && !l.startsWith('#'));
    const expected = (lab: typeof second) =>
      lab.info().flatMap((d) => d.hostKeys.map((k) => `[${d.address}]:${d.port} ${k.algorithm} ${k.key}`));
    expect(await lines()).toEqual(expected(second));
    expect((await stat(knownHosts)).mode & 0o777).toBe(0o644);

    // A re-keyed device keeps its new key too, and known_hosts follows.
    const rekeyed = await second.rekey('lab-bng001');
    expect(rekeyed).not.toBe(before[0]);
    expect(await presentedFingerprint(again!.address, again!.port)).toBe(rekeyed);
    expect(await lines()).toEqual(expected(second));
    expect((await lines())[0]).toContain(second.info()[0]!.hostKey.key);
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

  it("with a key per routing engine presents the master RE's, the other after a mastership switch, both kept", async () => {
    const base = uniqueBase();
    const stateDir = await mkdtemp(path.join(os.tmpdir(), 'hitless-lab-engines-'));
    const options = (): LabOptions => ({
      devices: generateFleet({ devices: 2, families: ['mx', 'mx'], port: 0, baseAddress: base }),
      timeScale: 600,
      engineHostKeys: ['lab-mx001'],
      stateDir,
    });
    try {
      const lab = await startLab(options());
      const [dual, single] = lab.info();
      expect(dual!.hostKeys.map((k) => k.engine)).toEqual(['re0', 're1']);
      const [re0, re1] = dual!.hostKeys.map((k) => k.fingerprint);
      expect(re0).not.toBe(re1);
      expect(dual!.hostKey.fingerprint).toBe(re0);
      expect(single!.hostKeys).toEqual([{ engine: null, ...single!.hostKey }]);
      expect(await presentedFingerprint(dual!.address, dual!.port)).toBe(re0);

      const client = await connect(dual!);
      await exec(client, 'request chassis routing-engine master switch no-confirm').catch(() => undefined);
      client.end();
      await eventually(async () => (await presentedFingerprint(dual!.address, dual!.port).catch(() => '')) === re1, {
        what: "re1's key after the mastership switch",
      });
      expect(lab.info()[0]!.hostKey.fingerprint).toBe(re1);
      await lab.stop();

      const again = await startLab(options());
      expect(again.info()[0]!.hostKeys.map((k) => k.fingerprint)).toEqual([re0, re1]);
      await again.stop();
      expect((await readdir(path.join(stateDir, 'ssh-host-keys'))).sort()).toEqual([
        'lab-mx001.ed25519',
        'lab-mx001.engine1.ed25519',
        'lab-mx002.ed25519',
      ]);
    } finally {
      await rm(stateDir, { recursive: true, force: true });
    }
  });

  it('generates new keys on every start without a state directory', async () => {
    const base = uniqueBase();
    const devices = () => generateFleet({ devices: 1, families: ['c10k'], port: 0, baseAddress: base });
    const a = await startLab({ devices: devices(), timeScale: 600 });
    const fa = a.info()[0]!.hostKey.fingerprint;
    await a.stop();
    const b = await startLab({ devices: devices(), timeScale: 600 });
    expect(b.info()[0]!.hostKey.fingerprint).not.toBe(fa);
    expect(b.knownHostsFile).toBeNull();
    await b.stop();
  });
});
