import { describe, expect, it } from 'vitest';
import { familyNeedsLegacySsh, PLATFORM_FAMILIES, platformFamiliesOf, platformFamily } from './platforms.ts';

describe('legacy SSH families', () => {
  it('offers the legacy algorithms to every Cisco 10000, and to no other family unmarked', () => {
    expect(familyNeedsLegacySsh(platformFamily('CISCO_IOS', '10008'))).toBe(true);
    for (const [vendor, platform] of [
      ['CISCO_IOSXE', 'ASR1006'],
      ['CISCO_IOSXE', 'WS-C4507R+E'],
      ['JUNOS', 'MX480'],
    ] as const) {
      expect(familyNeedsLegacySsh(platformFamily(vendor, platform))).toBe(false);
    }
  });
});

describe('known platform families', () => {
  it('are their own family, so a device registered by its family name is in it', () => {
    for (const f of PLATFORM_FAMILIES) for (const v of f.vendors) expect(platformFamily(v, f.family)).toBe(f.family);
    expect(platformFamiliesOf('JUNOS').map((f) => f.family)).toEqual(['mx']);
    expect(platformFamiliesOf('CISCO_IOSXE').map((f) => f.family)).toEqual(['asr1000', 'cat4500']);
  });
});
