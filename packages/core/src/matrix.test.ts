import { describe, expect, it } from 'vitest';
import { barrierBoundaries, compareReleases, issuPairLimits, matrixReleases } from './matrix.ts';

describe('matrixReleases', () => {
  it('lists each release once, numbers ordered as numbers', () => {
    const entries = [
      { fromVersion: '03.06.00.E', toVersion: '03.10.00.E' },
      { fromVersion: '03.05.01.E', toVersion: '03.06.00.E' },
    ];
    expect(matrixReleases(entries, [{ version: '03.08.05.E' }, { version: '03.05.01.E' }])).toEqual([
      '03.05.01.E',
      '03.06.00.E',
      '03.08.05.E',
      '03.10.00.E',
    ]);
    expect(['12.2(33)SB10', '12.2(33)SB9'].sort(compareReleases)).toEqual(['12.2(33)SB9', '12.2(33)SB10']);
  });
});

describe('issuPairLimits', () => {
  const dates = new Map<string, string | null>([
    ['03.05.01.E', '2013-06-01'],
    ['03.06.00.E', '2014-07-01'],
    ['03.08.05.E', '2016-09-01'],
    ['03.09.00.E', null],
  ]);

  it('marks the Catalyst 4500 barrier in both directions and nowhere else', () => {
    expect(issuPairLimits('cat4500', '03.05.01.E', '03.06.00.E', dates).barrier).toBe(true);
    expect(issuPairLimits('cat4500', '03.06.00.E', '03.05.01.E', dates).barrier).toBe(true);
    expect(issuPairLimits('cat4500', '03.06.00.E', '03.08.05.E', dates).barrier).toBe(false);
    expect(issuPairLimits('asr1000', '03.05.01.E', '03.06.00.E', dates).barrier).toBe(false);
  });

  it('marks pairs further apart than 18 months, and says nothing without both dates', () => {
    expect(issuPairLimits('cat4500', '03.05.01.E', '03.06.00.E', dates)).toMatchObject({
      months: 13,
      outsideWindow: false,
    });
    expect(issuPairLimits('cat4500', '03.08.05.E', '03.06.00.E', dates)).toMatchObject({
      months: 26,
      outsideWindow: true,
    });
    expect(issuPairLimits('cat4500', '03.06.00.E', '03.09.00.E', dates)).toEqual({
      barrier: false,
      months: null,
      outsideWindow: false,
    });
  });

  it('puts the barrier between the last release before 3.6.0E and the first from it', () => {
    expect(barrierBoundaries('cat4500', ['03.04.00.SG', '03.05.01.E', '03.06.00.E', '03.08.05.E'])).toEqual([2]);
    expect(barrierBoundaries('asr1000', ['03.05.01.E', '03.06.00.E'])).toEqual([]);
  });
});
