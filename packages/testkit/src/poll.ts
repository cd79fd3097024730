// The one way tests wait for an asynchronous effect: poll with a deadline, never sleep. Takes no
// dependencies, so any test (lab, drivers, engine, api, crash tests) can import it.

export interface PollOptions {
  /** Give up after this long (default 10 s). */
  timeoutMs?: number;
  /** Pause between tries (default 100 ms). */
  intervalMs?: number;
  /** What is awaited, for the error message. */
  what?: string;
}

/**
 * Calls `fn` until it returns a truthy value, and returns that value. A throw counts as "not
 * yet" (the last error is quoted when the deadline passes), so `fn` may read something that
 * does not exist yet.
 */
export async function eventually<T>(
  fn: () => T | undefined | null | false | Promise<T | undefined | null | false>,
  options: PollOptions = {},
): Promise<T> {
  const { timeoutMs = 10_000, intervalMs = 100, what = 'condition' } = options;
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  for (;;) {
    try {
      const v = await fn();
      if (v) return v;
    } catch (err) {
      last = err;
    }
    if (Date.now() > deadline) {
      throw new Error(`${what}: not within ${timeoutMs} ms${last ? ` (last error: ${(last as Error).message})` : ''}`);
    }
    await new Promise((r) => setTimeout(r, intervalMs));
  }
}
