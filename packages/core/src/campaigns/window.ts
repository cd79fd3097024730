// The maintenance window: local wall-clock start and end in an IANA time zone (luxon does the
// zone arithmetic, DST included), minus blackout dates (whole local days on which no run starts).
import type { MaintenanceWindow } from '@hitless/contracts';

export interface Interval {
  start: Date;
  end: Date;
}

/**
 * The window's start and end as instants. Throws DomainError VALIDATION_FAILED naming the field
 * (`window.timeZone`, `window.start`, `window.end`) for an unknown zone, a local time that does not
 * exist (the hour skipped when clocks go forward), or an end not after the start. A local time that
 * occurs twice (clocks go back) is taken at its first occurrence.
 */
export function resolveWindow(w: MaintenanceWindow): Interval {
  void w;
  throw new Error('not implemented');
}

/** The parts of the window outside blackout dates, in order. */
export function openIntervals(w: MaintenanceWindow): Interval[] {
  void w;
  throw new Error('not implemented');
}

/** Whether a new device run may start at `at`: inside the window and not on a blackout date. */
export function isOpenAt(w: MaintenanceWindow, at: Date): boolean {
  void w;
  void at;
  throw new Error('not implemented');
}

/** The next instant at or after `at` when the window is open, or null when it never is again. */
export function nextOpenAt(w: MaintenanceWindow, at: Date): Date | null {
  void w;
  void at;
  throw new Error('not implemented');
}
