// Chaos testing: HITLESS_CHAOS_KILL_AFTER_STEP="runversion" (or "standby hot#2" for the second
// time that step succeeds) makes the worker SIGKILL itself right after the step is recorded,
// the way a crashed host would vanish. Off unless configured.
import type { Logger } from 'pino';

export function chaosHook(spec: string | null, logger: Logger): ((step: string) => void) | undefined {
  if (!spec) return undefined;
  const [name, nth] = spec.split('#');
  let seen = 0;
  return (step) => {
    if (step !== name) return;
    seen++;
    if (seen < Number(nth ?? 1)) return;
    logger.warn({ step }, 'chaos: killing this worker after the step');
    process.kill(process.pid, 'SIGKILL');
  };
}
