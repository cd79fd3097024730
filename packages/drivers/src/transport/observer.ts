// What a session tells whoever watches it (the worker's metrics): sessions opening and closing,
// each command's latency, each failed connection attempt with why. The driver knows nothing of
// metrics libraries; an observer must not throw (it is called inside the session's I/O).
import type { TransportError } from '../errors.ts';
import type { Vendor } from './session.ts';

export interface SessionObserver {
  /** A session is up (shell, prompt, enable, paging off): it will report `sessionClosed` once. */
  sessionOpened?(vendor: Vendor): void;
  sessionClosed?(vendor: Vendor): void;
  /** One command's round trip, answered or not (a timeout, a drop), in seconds. */
  commandDone?(vendor: Vendor, seconds: number): void;
  /** One connection attempt failed (each attempt of a retry counts). */
  connectFailed?(vendor: Vendor, reason: TransportError['kind']): void;
}
