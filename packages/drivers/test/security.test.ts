// The transport against hostile and broken servers: a rogue server with another host key gets
// no secret, strict mode refuses an unpinned device, a question answered once that comes back
// is a failed login (never answered twice), and the legacy algorithms only where marked.
import { hostKeyFingerprint } from '@hitless/crypto';
import { afterEach, describe, expect, it } from 'vitest';
import { HostKeyError, TransportError } from '../src/errors.ts';
import { CliSession, type SshTarget } from '../src/transport/session.ts';
import { fakeDevice, newHostKey, publicKeyOf, type FakeDevice } from './fake-device.ts';

const PASSWORD = 'the-login-password';
const SECRET = 'the-enable-secret';
const devices: FakeDevice[] = [];

afterEach(async () => {
  await Promise.all(devices.splice(0).map((d) => d.close()));
});

async function device(options: Parameters<typeof fakeDevice>[0] = {}): Promise<FakeDevice> {
  const d = await fakeDevice(options);
  devices.push(d);
  return d;
}

function target(d: FakeDevice, hostKeys: SshTarget['hostKeys'] = { pinned: [], strict: false }): SshTarget {
  return { host: d.address, port: d.port, username: 'admin', password: PASSWORD, enableSecret: SECRET, hostKeys };
}

const pinnedTo = (...privateKeys: string[]) => ({
  pinned: privateKeys.map((k) => ({ algorithm: 'ssh-ed25519', key: publicKeyOf(k) })),
  strict: false,
});

/** Nothing secret reached the server: no authentication at all, nothing typed. */
function receivedNothing(d: FakeDevice) {
  expect(d.received.methods).toEqual([]);
  expect(d.received.passwords).toEqual([]);
  expect(d.received.kiAnswers).toEqual([]);
  expect(d.received.typed).toBe('');
}

describe('host keys', () => {
  it('refuses a rogue server with another key than the pinned one before sending any secret', async () => {
    const genuine = newHostKey();
    const rogue = await device();
    const err = await CliSession.open(target(rogue, pinnedTo(genuine)), { vendor: 'cisco' }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(HostKeyError);
    expect(err).toMatchObject({ kind: 'hostkey', pinnedFingerprints: [hostKeyFingerprint(publicKeyOf(genuine))] });
    const e = err as HostKeyError;
    expect(e.offered).toEqual({
      algorithm: 'ssh-ed25519',
      key: rogue.publicKey,
      fingerprint: hostKeyFingerprint(rogue.publicKey),
    });
    // Both fingerprints, and what to do.
    expect(e.message).toContain(hostKeyFingerprint(publicKeyOf(genuine)));
    expect(e.message).toContain(hostKeyFingerprint(rogue.publicKey));
    expect(e.message).toMatch(/an admin must accept the new key/);
    receivedNothing(rogue);
    // openWithRetry does not retry it either.
    const attempts: number[] = [];
    await expect(
      CliSession.openWithRetry(
        target(rogue, pinnedTo(genuine)),
        { vendor: 'cisco' },
        { deadline: Date.now() + 5000, intervalMs: 50, onAttempt: (a) => attempts.push(a) },
      ),
    ).rejects.toBeInstanceOf(HostKeyError);
    expect(attempts).toEqual([]);
    receivedNothing(rogue);
  });

  it('connects to the pinned key, and on first use hands back the key it saw', async () => {
    const d = await device();
    const pinned = await CliSession.open(target(d, pinnedTo(d.hostKey)), { vendor: 'cisco' });
    expect(pinned.hostKey.fingerprint).toBe(hostKeyFingerprint(d.publicKey));
    pinned.close();
    const first = await CliSession.open(target(d), { vendor: 'cisco' });
    expect(first.hostKey).toEqual({
      algorithm: 'ssh-ed25519',
      key: d.publicKey,
      fingerprint: hostKeyFingerprint(d.publicKey),
    });
    expect(await first.run('show clock')).toBe('');
    first.close();
  });

  it('accepts any key of a pinned set (one per routing engine) and names them all when the offered one is none', async () => {
    // A dual-RE box: the management address answers with the master's key, either RE's.
    const re0 = newHostKey();
    const re1 = await device();
    const both = await CliSession.open(target(re1, pinnedTo(re0, re1.hostKey)), { vendor: 'cisco' });
    expect(both.hostKey.fingerprint).toBe(hostKeyFingerprint(re1.publicKey));
    both.close();
    const other = newHostKey();
    const err = await CliSession.open(target(re1, pinnedTo(re0, other)), { vendor: 'cisco' }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(HostKeyError);
    const pins = [hostKeyFingerprint(publicKeyOf(re0)), hostKeyFingerprint(publicKeyOf(other))];
    expect((err as HostKeyError).pinnedFingerprints).toEqual(pins);
    for (const fp of [...pins, hostKeyFingerprint(re1.publicKey)]) expect((err as Error).message).toContain(fp);
  });

  it('in strict mode refuses a device with no pinned key without sending a secret', async () => {
    const d = await device();
    const err = await CliSession.open(target(d, { pinned: [], strict: true }), { vendor: 'cisco' }).catch(
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(HostKeyError);
    expect((err as HostKeyError).pinnedFingerprints).toEqual([]);
    expect((err as Error).message).toMatch(/no pinned host key and strict host key checking is on/);
    expect((err as Error).message).toContain(hostKeyFingerprint(d.publicKey));
    receivedNothing(d);
  });
});

describe('questions answered once', () => {
  it('gives the password once to keyboard-interactive that asks again, and fails as a refused login', async () => {
    const twice = await device({ auth: 'ki-twice' });
    await expect(CliSession.open(target(twice), { vendor: 'cisco' })).rejects.toMatchObject({
      kind: 'auth',
      message: expect.stringMatching(/asked for the password again/),
    });
    expect(twice.received.kiAnswers).toEqual([[PASSWORD]]);
    expect(twice.received.passwords).toEqual([]);
    expect(twice.received.typed).toBe('');

    // Refused, then offered keyboard-interactive again: not a second try with the same password.
    const again = await device({ auth: 'ki-again' });
    await expect(CliSession.open(target(again), { vendor: 'cisco' })).rejects.toMatchObject({ kind: 'auth' });
    expect(again.received.kiAnswers).toEqual([[PASSWORD]]);
  });

  it('gives a refused password once, not again by keyboard-interactive', async () => {
    const d = await device({ auth: 'refuse' });
    await expect(CliSession.open(target(d), { vendor: 'cisco' })).rejects.toMatchObject({ kind: 'auth' });
    expect(d.received.passwords).toEqual([PASSWORD]);
    expect(d.received.kiAnswers).toEqual([]);
    expect(d.received.methods).toEqual(['none', 'password']);
  });

  it('types the enable secret once into a shell that keeps asking Password:, and fails as a refused login', async () => {
    const d = await device({ enableLoop: true });
    const err = await CliSession.open(target(d), { vendor: 'cisco', connectTimeoutMs: 5000 }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(TransportError);
    expect(err).toMatchObject({
      kind: 'auth',
      message: expect.stringMatching(/^enable refused on .*never typed twice/),
    });
    expect(d.received.typed.split(SECRET)).toHaveLength(2);
    expect(d.received.typed).toBe(`enable\r${SECRET}\r`);
  });

  it('answers a confirmation once per command, unless the answer is marked repeatable', async () => {
    const d = await device();
    const confirm = { prompt: /\[confirm\]\s*$/, reply: 'y' };
    const session = await CliSession.open(target(d), { vendor: 'cisco' });
    await expect(session.exec('reload', { answers: [confirm], timeoutMs: 5000 })).rejects.toMatchObject({
      kind: 'auth',
      message: expect.stringMatching(/asked "Proceed with reload\? \[confirm\]" again/),
    });
    expect(session.isClosed).toBe(true);
    expect(d.received.typed.endsWith('reload\ry\r')).toBe(true);

    const limited = await device({ confirmTimes: 3 });
    const s2 = await CliSession.open(target(limited), { vendor: 'cisco' });
    await s2.exec('reload', { answers: [{ ...confirm, repeatable: true }], timeoutMs: 5000 });
    expect(limited.received.typed.endsWith('reload\ry\ry\ry\r')).toBe(true);
    s2.close();
  });
});

describe('legacy algorithms', () => {
  const LEGACY_ONLY = {
    kex: ['diffie-hellman-group14-sha1', 'diffie-hellman-group1-sha1'],
    serverHostKey: ['ssh-rsa'],
    cipher: ['aes128-cbc', '3des-cbc'],
    hmac: ['hmac-sha1'],
    compress: ['none'],
  };
  const rsaKey = async () => (await import('ssh2')).default.utils.generateKeyPairSync('rsa', { bits: 2048 }).private;

  it('refuses a server that offers only legacy algorithms, saying to mark it, and works once it is marked', async () => {
    const d = await device({ hostKey: await rsaKey(), algorithms: LEGACY_ONLY as never });
    const err = await CliSession.open(target(d), { vendor: 'cisco' }).catch((e: unknown) => e);
    expect(err).toMatchObject({
      kind: 'algorithms',
      message: expect.stringMatching(/offers only legacy SSH algorithms.*mark the device as needing legacy SSH/),
    });
    receivedNothing(d);
    const old = await CliSession.open({ ...target(d), legacySsh: true }, { vendor: 'cisco' });
    expect(d.received.negotiated).toMatchObject({ kex: 'diffie-hellman-group14-sha1', serverHostKey: 'ssh-rsa' });
    expect(old.hostKey.algorithm).toBe('ssh-rsa');
    old.close();
  });

  it('negotiates modern algorithms with a device that has both, marked or not', async () => {
    const d = await device();
    for (const legacySsh of [false, true]) {
      const s = await CliSession.open({ ...target(d), legacySsh }, { vendor: 'cisco' });
      expect(d.received.negotiated?.kex).toMatch(/^curve25519-sha256/);
      expect(d.received.negotiated?.cs.mac ?? '').not.toMatch(/sha1|md5/);
      s.close();
    }
  });
});
