import { describe, expect, it } from 'vitest';
import { compareVersions, complianceOf } from './compliance.ts';

describe('compareVersions', () => {
  it('orders releases of one train by their numbers, not as text', () => {
    expect(compareVersions('12.2(33)SB9', '12.2(33)SB10')).toBe(-1);
    expect(compareVersions('12.2(33)SB10', '12.2(33)SB8')).toBe(1);
    expect(compareVersions('03.16.05.S', '03.16.08.S')).toBe(-1);
    expect(compareVersions('3.16.8.S', '03.16.08.S')).toBe(0);
    expect(compareVersions('17.3R3-S1', '17.4R1')).toBe(-1);
    expect(compareVersions('17.3R3-S1', '17.3R3')).toBe(1);
    expect(compareVersions('03.06.00.E', '03.05.01.E')).toBe(1);
  });

  it('is case-insensitive and treats a prefix as older', () => {
    expect(compareVersions('17.3r1', '17.3R1')).toBe(0);
    expect(compareVersions('17.3', '17.3R1')).toBe(-1);
  });

  it('refuses to order different trains or empty versions', () => {
    expect(compareVersions('12.2(33)SA1', '12.2(33)SB1')).toBeNull();
    expect(compareVersions('17.3R1', '17.3X48')).toBeNull();
    expect(compareVersions('', '1.0')).toBeNull();
    expect(compareVersions('---', '1.0')).toBeNull();
  });
});

describe('complianceOf', () => {
  it('says compliant, behind or ahead against the golden release', () => {
    expect(complianceOf('12.2(33)SB10', '12.2(33)SB10')).toEqual({
      status: 'compliant',
      goldenVersion: '12.2(33)SB10',
    });
    expect(complianceOf('12.2(33)SB8', '12.2(33)SB10')).toEqual({ status: 'behind', goldenVersion: '12.2(33)SB10' });
    expect(complianceOf('17.4R1', '17.3R3')).toEqual({ status: 'ahead', goldenVersion: '17.3R3' });
  });

  it('says no-golden when the family has none, whatever the device runs', () => {
    expect(complianceOf('17.4R1', null)).toEqual({ status: 'no-golden', goldenVersion: null });
    expect(complianceOf(null, null)).toEqual({ status: 'no-golden', goldenVersion: null });
  });

  it('says unknown when the release is not known or cannot be ordered', () => {
    expect(complianceOf(null, '17.3R3')).toEqual({ status: 'unknown', goldenVersion: '17.3R3' });
    expect(complianceOf('  ', '17.3R3')).toEqual({ status: 'unknown', goldenVersion: '17.3R3' });
    expect(complianceOf('17.3X48-D10', '17.3R3')).toEqual({ status: 'unknown', goldenVersion: '17.3R3' });
  });
});
