// Typed failures of talking to devices. Callers branch on the class, never on message text.

/** The output of a command is not in any format this parser knows. Never guessed around. */
export class ParseError extends Error {
  override name = 'ParseError';
  constructor(
    readonly command: string,
    readonly text: string,
    readonly reason: string,
  ) {
    const excerpt = text.length > 1200 ? `${text.slice(0, 1200)}\n[… ${text.length - 1200} more characters]` : text;
    super(`cannot parse the output of "${command}": ${reason}\n--- output ---\n${excerpt}\n--------------`);
  }
}

/** The device answered, but refused or failed the command (an IOS `%` error, a Junos `error:`). */
export class DeviceError extends Error {
  override name = 'DeviceError';
  constructor(
    readonly command: string,
    readonly output: string,
  ) {
    super(`${command}: ${output.trim().split('\n').filter(Boolean).slice(0, 3).join(' / ') || 'failed'}`);
  }
}

/**
 * The SSH connection failed, dropped, or a command did not finish in time. `auth`: the login
 * (or `enable`, or a prompt answered once that came back) was refused; `hostkey`: see
 * HostKeyError; `algorithms`: the device speaks only algorithms this device is not allowed.
 */
export class TransportError extends Error {
  override name = 'TransportError';
  constructor(
    message: string,
    readonly kind: 'connect' | 'auth' | 'closed' | 'timeout' | 'protocol' | 'hostkey' | 'algorithms',
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

/** A host key as seen on the wire: its type, its public blob in base64, its OpenSSH SHA256 fingerprint. */
export interface SeenHostKey {
  algorithm: string;
  key: string;
  fingerprint: string;
}

/**
 * The server's host key is none of the pinned ones, or none is pinned and strict checking is on. Raised
 * during the key exchange, before any authentication: the server received no secret.
 */
export class HostKeyError extends TransportError {
  override name = 'HostKeyError';
  constructor(
    message: string,
    /** The key the server presented. */
    readonly offered: SeenHostKey,
    /** The pinned keys' fingerprints; empty when none is pinned (strict mode). */
    readonly pinnedFingerprints: readonly string[],
  ) {
    super(message, 'hostkey');
  }
}
