import { describe, expect, it } from 'vitest';
import { familyNeedsLegacySsh, platformFamily } from './platforms.ts';

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
