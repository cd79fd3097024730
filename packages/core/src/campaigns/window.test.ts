import type { MaintenanceWindow } from '@hitless/contracts';
import { describe, expect, it } from 'vitest';
import { DomainError } from '../errors.ts';
import { blackoutInterval, formatLocal, isOpenAt, nextOpenAt, openIntervals, openMs, resolveWindow } from './window.ts';

const H = 3_600_000;
const win = (start: string, end: string, timeZone: string, blackoutDates: string[] = []): MaintenanceWindow => ({
  start,
  end,
  timeZone,
  blackoutDates,
});
const hours = (w: MaintenanceWindow) => {
  const { start, end } = resolveWindow(w);
  return (end.getTime() - start.getTime()) / H;
};
const issues = (fn: () => unknown) => {
  try {
    fn();
  } catch (e) {
    expect(e).toBeInstanceOf(DomainError);
    expect((e as DomainError).code).toBe('VALIDATION_FAILED');
    return (e as DomainError).issues ?? [];
  }
  throw new Error('expected a validation error');
};

describe('resolveWindow', () => {
  it('resolves local times to instants in the zone', () => {
    const r = resolveWindow(win('2026-06-10T22:00', '2026-06-11T04:30:00', 'Europe/Berlin'));
    expect(r.start.toISOString()).toBe('2026-06-10T20:00:00.000Z');
    expect(r.end.toISOString()).toBe('2026-06-11T02:30:00.000Z');
  });

  it('counts the hour lost when New York springs forward (01:00–05:00 on 2026-03-08 is 3 h)', () => {
    expect(hours(win('2026-03-08T01:00', '2026-03-08T05:00', 'America/New_York'))).toBe(3);
    const r = resolveWindow(win('2026-03-08T01:00', '2026-03-08T05:00', 'America/New_York'));
    expect(r.start.toISOString()).toBe('2026-03-08T06:00:00.000Z');
    expect(r.end.toISOString()).toBe('2026-03-08T09:00:00.000Z');
  });

  it('counts the hour gained when New York falls back, taking an ambiguous time at its first occurrence', () => {
    expect(hours(win('2026-11-01T00:00', '2026-11-01T04:00', 'America/New_York'))).toBe(5);
    // 01:30 happens twice; the first (EDT, UTC−4) is taken.
    const r = resolveWindow(win('2026-11-01T01:30', '2026-11-01T03:00', 'America/New_York'));
    expect(r.start.toISOString()).toBe('2026-11-01T05:30:00.000Z');
    expect((r.end.getTime() - r.start.getTime()) / H).toBe(2.5);
  });

  it('handles Berlin spring-forward and fall-back', () => {
    expect(hours(win('2026-03-29T00:00', '2026-03-29T06:00', 'Europe/Berlin'))).toBe(5);
    expect(hours(win('2026-10-25T00:00', '2026-10-25T06:00', 'Europe/Berlin'))).toBe(7);
    const r = resolveWindow(win('2026-10-25T02:30', '2026-10-25T04:00', 'Europe/Berlin'));
    expect(r.start.toISOString()).toBe('2026-10-25T00:30:00.000Z'); // 02:30 CEST, the first one
  });

  it('handles the southern hemisphere (Sydney falls back in April, springs forward in October)', () => {
    expect(hours(win('2026-04-05T00:00', '2026-04-05T06:00', 'Australia/Sydney'))).toBe(7);
    expect(hours(win('2026-10-04T00:00', '2026-10-04T06:00', 'Australia/Sydney'))).toBe(5);
    expect(issues(() => resolveWindow(win('2026-10-04T02:30', '2026-10-04T06:00', 'Australia/Sydney')))).toEqual([
      expect.objectContaining({
        path: 'window.start',
        message: expect.stringContaining('clocks skip from 02:00 to 03:00'),
      }),
    ]);
  });

  it('refuses a local time that does not exist, naming the field and the skipped hour', () => {
    const [issue] = issues(() => resolveWindow(win('2026-03-08T02:30', '2026-03-08T05:00', 'America/New_York')));
    expect(issue?.path).toBe('window.start');
    expect(issue?.message).toContain('America/New_York');
    expect(issue?.message).toContain('the clocks skip from 02:00 to 03:00');
    expect(issues(() => resolveWindow(win('2026-03-29T00:00', '2026-03-29T02:15', 'Europe/Berlin')))[0]?.path).toBe(
      'window.end',
    );
  });

  it('refuses an unknown zone, an end not after the start, a window over 31 days, an impossible date', () => {
    expect(issues(() => resolveWindow(win('2026-03-08T01:00', '2026-03-08T05:00', 'Mars/Olympus')))[0]?.path).toBe(
      'window.timeZone',
    );
    expect(issues(() => resolveWindow(win('2026-03-08T05:00', '2026-03-08T05:00', 'UTC')))[0]?.path).toBe('window.end');
    expect(issues(() => resolveWindow(win('2026-03-08T05:00', '2026-03-08T04:00', 'UTC')))[0]?.path).toBe('window.end');
    expect(issues(() => resolveWindow(win('2026-03-01T00:00', '2026-04-01T00:01', 'UTC')))[0]?.message).toContain(
      '31 days',
    );
    expect(() => resolveWindow(win('2026-03-01T00:00', '2026-04-01T00:00', 'UTC'))).not.toThrow();
    expect(issues(() => resolveWindow(win('2026-02-30T01:00', '2026-03-01T00:00', 'UTC')))[0]?.path).toBe(
      'window.start',
    );
  });
});

describe('openIntervals', () => {
  it('is the whole window without blackout dates', () => {
    const w = win('2026-06-10T22:00', '2026-06-12T04:00', 'Europe/Berlin');
    expect(openIntervals(w)).toEqual([resolveWindow(w)]);
    expect(openMs(w)).toBe(30 * H);
  });

  it('removes a blackout day, local midnight to midnight', () => {
    const w = win('2026-06-10T22:00', '2026-06-12T04:00', 'Europe/Berlin', ['2026-06-11', '2026-07-01']);
    expect(openIntervals(w).map((i) => [i.start.toISOString(), i.end.toISOString()])).toEqual([
      ['2026-06-10T20:00:00.000Z', '2026-06-10T22:00:00.000Z'],
      ['2026-06-11T22:00:00.000Z', '2026-06-12T02:00:00.000Z'],
    ]);
    expect(openMs(w)).toBe(6 * H);
  });

  it('removes a blackout on a DST day as a 23 h or 25 h day', () => {
    expect(blackoutInterval({ timeZone: 'America/New_York' }, '2026-03-08')).toEqual({
      start: new Date('2026-03-08T05:00:00Z'),
      end: new Date('2026-03-09T04:00:00Z'),
    });
    const spring = win('2026-03-07T20:00', '2026-03-09T04:00', 'America/New_York', ['2026-03-08']);
    // 4 h on the 7th, 4 h on the 9th; the 23-hour 8th is gone.
    expect(openMs(spring)).toBe(8 * H);
    const fall = win('2026-10-24T20:00', '2026-10-26T04:00', 'Europe/Berlin', ['2026-10-25']);
    const b = blackoutInterval(fall, '2026-10-25');
    expect((b.end.getTime() - b.start.getTime()) / H).toBe(25);
    expect(openMs(fall)).toBe(8 * H);
  });

  it('is empty when every day of the window is blacked out', () => {
    const w = win('2026-06-10T22:00', '2026-06-11T04:00', 'UTC', ['2026-06-11', '2026-06-10']);
    expect(openIntervals(w)).toEqual([]);
    expect(openMs(w)).toBe(0);
  });
});

describe('isOpenAt / nextOpenAt', () => {
  const w = win('2026-06-10T22:00', '2026-06-12T04:00', 'Europe/Berlin', ['2026-06-11']);

  it('is open inside the window, closed before, after and on a blackout day', () => {
    expect(isOpenAt(w, new Date('2026-06-10T19:59:59Z'))).toBe(false);
    expect(isOpenAt(w, new Date('2026-06-10T20:00:00Z'))).toBe(true);
    expect(isOpenAt(w, new Date('2026-06-10T21:59:59Z'))).toBe(true);
    expect(isOpenAt(w, new Date('2026-06-11T12:00:00Z'))).toBe(false);
    expect(isOpenAt(w, new Date('2026-06-12T01:59:59Z'))).toBe(true);
    expect(isOpenAt(w, new Date('2026-06-12T02:00:00Z'))).toBe(false);
  });

  it('gives the next open instant, skipping a blackout day', () => {
    expect(nextOpenAt(w, new Date('2026-06-01T00:00:00Z'))?.toISOString()).toBe('2026-06-10T20:00:00.000Z');
    expect(nextOpenAt(w, new Date('2026-06-10T21:00:00Z'))?.toISOString()).toBe('2026-06-10T21:00:00.000Z');
    expect(nextOpenAt(w, new Date('2026-06-10T22:00:00Z'))?.toISOString()).toBe('2026-06-11T22:00:00.000Z');
    expect(nextOpenAt(w, new Date('2026-06-12T02:00:00Z'))).toBeNull();
  });

  it('formats instants as local time and zone', () => {
    expect(formatLocal(w, new Date('2026-06-10T20:00:00Z'))).toBe('2026-06-10 22:00 Europe/Berlin');
  });
});
