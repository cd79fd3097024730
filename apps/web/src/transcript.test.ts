import { describe, expect, it } from 'vitest';
import { applyOutput, formatCountdown, formatDuration, longer } from './transcript.ts';

describe('live transcript', () => {
  it('appends a chunk at its offset, once', () => {
    expect(applyOutput('', 0, 'Router#')).toBe('Router#');
    expect(applyOutput('Router#', 7, 'show ver')).toBe('Router#show ver');
    // The same chunk again (seen live and in a refetch) changes nothing.
    expect(applyOutput('Router#show ver', 7, 'show ver')).toBe('Router#show ver');
    // A chunk overlapping the end adds only what is new.
    expect(applyOutput('Router#show', 7, 'show ver')).toBe('Router#show ver');
  });

  it('reports a gap instead of showing a transcript with a hole', () => {
    expect(applyOutput('Router#', 12, 'later text')).toBeNull();
  });

  it('keeps the longer of the fetched and the live view', () => {
    expect(longer('abc', 'abcdef')).toBe('abcdef');
    expect(longer('abcdef', undefined)).toBe('abcdef');
    expect(longer(undefined, undefined)).toBe('');
  });

  it('formats countdowns and durations', () => {
    expect(formatCountdown(45 * 60_000)).toBe('45:00');
    expect(formatCountdown(3_600_000 + 61_000)).toBe('1:01:01');
    expect(formatCountdown(1)).toBe('0:01');
    expect(formatCountdown(-5000)).toBe('0:00');
    expect(formatDuration(12_400)).toBe('12 s');
    expect(formatDuration(252_000)).toBe('4 min 12 s');
    expect(formatDuration(3_780_000)).toBe('1 h 03 min');
  });
});
