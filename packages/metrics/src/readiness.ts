// Readiness: every dependency a process cannot work without answers, each within a bound (a
// check that hangs, e.g. a PostgreSQL behind a dropped network, counts as down, not as slow).
export interface ReadinessCheck {
  name: string;
  /** Resolves when the dependency answers; throws when it is down. */
  check: () => Promise<void>;
}

export interface Readiness {
  ready: boolean;
  checks: Record<string, 'up' | 'down'>;
}

/** A check that takes longer than this is down. */
export const READINESS_TIMEOUT_MS = 2000;

export async function checkReadiness(
  checks: ReadinessCheck[],
  options: { timeoutMs?: number } = {},
): Promise<Readiness> {
  const timeoutMs = options.timeoutMs ?? READINESS_TIMEOUT_MS;
  const results = await Promise.all(
    checks.map(async (c) => {
      let timer: NodeJS.Timeout | undefined;
      const late = new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new Error(`${c.name}: no answer within ${timeoutMs} ms`)), timeoutMs);
      });
      try {
        // A check that throws synchronously is down as well.
        await Promise.race([Promise.resolve().then(c.check), late]);
        return [c.name, 'up'] as const;
      } catch {
        return [c.name, 'down'] as const;
      } finally {
        clearTimeout(timer);
      }
    }),
  );
  const byName: Record<string, 'up' | 'down'> = Object.fromEntries(results);
  return { ready: results.every(([, state]) => state === 'up'), checks: byName };
}
