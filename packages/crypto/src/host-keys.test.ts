import { describe, expect, it } from 'vitest';
import { hostKeyAlgorithmOf, hostKeyFingerprint } from './host-keys.ts';

// A key made with `ssh-keygen -t ed25519`; `ssh-keygen -lf` on it printed the fingerprint below.
const ED25519 = 'AAAAC3NzaC1lZDI1NTE5AAAAIGeR1/8XIWl2dXvuJgUBdsQmXvUvMP08C/ZY12mni6oP';
const ED25519_FP = 'SHA256:5wm8yQXJtjwheq11TB2/8k+QPhNlPXwjcVmL0afZuDE';

describe('host key fingerprints', () => {
  it('reads the algorithm from the blob', () => {
    expect(hostKeyAlgorithmOf(Buffer.from(ED25519, 'base64'))).toBe('ssh-ed25519');
    expect(hostKeyAlgorithmOf(Buffer.from('nonsense'))).toBeNull();
  });
  it('is what ssh-keygen -lf prints, for the blob and for its base64', () => {
    expect(hostKeyFingerprint(ED25519)).toBe(ED25519_FP);
    expect(hostKeyFingerprint(Buffer.from(ED25519, 'base64'))).toBe(ED25519_FP);
  });
});
