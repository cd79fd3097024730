// Live transcript text of a run's steps in the browser. `step.output` events carry the offset
// their text starts at, so a chunk seen twice (after a refetch) is applied once and a missed
// chunk is noticed (and the page refetches) instead of showing a transcript with a hole.

/** The longer of two views of one transcript (both are prefixes of the same text). */
export function longer(a: string | undefined, b: string | undefined): string {
  return (a?.length ?? 0) >= (b?.length ?? 0) ? (a ?? '') : (b ?? '');
}

/** `current` with `chunk` written at `offset`; null when text before `offset` is missing. */
export function applyOutput(current: string, offset: number, chunk: string): string | null {
  if (offset > current.length) return null;
  if (offset + chunk.length <= current.length) return current;
  return current.slice(0, offset) + chunk;
}

/** mm:ss, or h:mm:ss from an hour up; zero and below read 0:00. */
export function formatCountdown(ms: number): string {
  const total = Math.max(0, Math.ceil(ms / 1000));
  const h = Math.floor(total / 3600);
  const m = Math.floor((total % 3600) / 60);
  const s = total % 60;
  const ss = String(s).padStart(2, '0');
  return h > 0 ? `${h}:${String(m).padStart(2, '0')}:${ss}` : `${m}:${ss}`;
}

/** "4 min 12 s", "1 h 03 min", "12 s": how long something took. */
export function formatDuration(ms: number): string {
  const s = Math.max(0, Math.round(ms / 1000));
  if (s < 60) return `${s} s`;
  if (s < 3600) return `${Math.floor(s / 60)} min ${String(s % 60).padStart(2, '0')} s`;
  return `${Math.floor(s / 3600)} h ${String(Math.floor((s % 3600) / 60)).padStart(2, '0')} min`;
}
