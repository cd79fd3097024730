import { describe, expect, it } from 'vitest';
import { timingSafeEqualText } from './compare.ts';

describe('timingSafeEqualText', () => {
  it('is true only for equal strings, whatever their lengths', () => {
    expect(timingSafeEqualText('ab12', 'ab12')).toBe(true);
    expect(timingSafeEqualText('ab12', 'ab13')).toBe(false);
    expect(timingSafeEqualText('ab12', 'ab1')).toBe(false);
    expect(timingSafeEqualText('', '')).toBe(true);
    expect(timingSafeEqualText('é', 'e\u0301')).toBe(false);
  });
});
