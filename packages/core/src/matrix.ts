// The compatibility matrix as a grid: the releases of a family in order, and what the ISSU rules
// beside the matrix's own level say about a pair (the Catalyst 4500 barrier, the 18-month window),
// so the dashboard marks the same pairs the pre-checks would stop or warn on.
import { crossesIssuBarrier, ISSU_WINDOW_MONTHS, monthsBetween } from './issu/checks.ts';

const collator = new Intl.Collator('en', { numeric: true, sensitivity: 'base' });

/** A total order of release strings, numbers as numbers: 03.05.01.E < 03.06.00.E, SB9 < SB10. */
export const compareReleases = (a: string, b: string): number => collator.compare(a, b) || (a < b ? -1 : a > b ? 1 : 0);

/** Every release the entries and images of one family name, each once, oldest first. */
export function matrixReleases(
  entries: readonly { fromVersion: string; toVersion: string }[],
  images: readonly { version: string }[] = [],
): string[] {
  const all = new Set<string>();
  for (const e of entries) all.add(e.fromVersion).add(e.toVersion);
  for (const i of images) all.add(i.version);
  return [...all].sort(compareReleases);
}

export interface PairLimits {
  /** The pair crosses the family's permanent ISSU barrier: no ISSU whatever the matrix says. */
  barrier: boolean;
  /** Whole months between the two releases' dates; null when either date is unknown. */
  months: number | null;
  /** The releases are further apart than the 18-month window ISSU is supported in. */
  outsideWindow: boolean;
}

/** What the barrier and window rules say about upgrading `from` → `to` in `family`. */
export function issuPairLimits(
  family: string,
  from: string,
  to: string,
  releaseDates: ReadonlyMap<string, string | null>,
): PairLimits {
  const a = releaseDates.get(from) ?? null;
  const b = releaseDates.get(to) ?? null;
  const months = a && b ? Math.abs(monthsBetween(a, b)) : null;
  return {
    barrier: crossesIssuBarrier(family, from, to),
    months,
    outsideWindow: months !== null && months > ISSU_WINDOW_MONTHS,
  };
}

/** Indexes i of `releases` (in order) with the family's ISSU barrier between releases[i - 1] and releases[i]. */
export function barrierBoundaries(family: string, releases: readonly string[]): number[] {
  const out: number[] = [];
  for (let i = 1; i < releases.length; i++) if (crossesIssuBarrier(family, releases[i - 1]!, releases[i]!)) out.push(i);
  return out;
}
