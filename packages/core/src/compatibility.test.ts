import { describe, expect, it } from 'vitest';
import { decideCompatibility } from './compatibility.ts';

describe('decideCompatibility', () => {
  it('goes on C and warns on B', () => {
    expect(decideCompatibility('C', { allowDisruptive: false }).verdict).toBe('go');
    expect(decideCompatibility('B', { allowDisruptive: false })).toMatchObject({ verdict: 'warn', procedure: 'ISSU' });
  });

  it('refuses I unless a disruptive upgrade is allowed, then uses FSU', () => {
    expect(decideCompatibility('I', { allowDisruptive: false })).toMatchObject({ verdict: 'refuse', procedure: null });
    expect(decideCompatibility('I', { allowDisruptive: true })).toMatchObject({ verdict: 'fsu', procedure: 'FSU' });
  });

  it('refuses an unknown pair, even when disruption is allowed', () => {
    expect(decideCompatibility(null, { allowDisruptive: true }).verdict).toBe('refuse');
  });
});
