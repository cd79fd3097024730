// How a run's work can go wrong, as the engine tells the cases apart.
import { DeviceError, ParseError, TransportError } from '@hitless/drivers';

/** The step failed as the device reported it; the run goes on to decide from the device's state. */
export class StepFailed extends Error {}

/** The device answered in a way that ends the run (as opposed to an outage of our own). */
export class RunFailure extends Error {
  constructor(
    message: string,
    readonly evidence?: unknown,
  ) {
    super(message);
  }
}

/**
 * The device's SSH host key is none of the pinned ones (or none is pinned, in strict mode): nothing
 * more goes to the device, no retry, until an admin accepts the key it offered.
 */
export class HostKeyRejected extends Error {
  override name = 'HostKeyRejected';
  constructor(
    message: string,
    readonly hostname: string,
    /** The pinned keys' fingerprints; empty when none is pinned (strict mode). */
    readonly pinnedFingerprints: readonly string[],
    readonly offeredFingerprint: string,
  ) {
    super(message);
  }
}

/** This driver stops (worker shutdown, or another driver holds the run now); the run stays active for the next. */
export class WorkerStopping extends Error {}

/** A device-side problem: a timed-out or refused command, output we cannot read, a dropped session. */
export function isDeviceProblem(err: unknown): err is DeviceError | ParseError | TransportError {
  return err instanceof DeviceError || err instanceof ParseError || err instanceof TransportError;
}

/** The first line of an error's message, for step outcomes and summaries. */
export const firstLine = (err: unknown): string => (err instanceof Error ? err.message : String(err)).split('\n')[0]!;
