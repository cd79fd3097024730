// Which image family a device belongs to: images are registered per platform family, devices
// by the model they report.
import type { Vendor } from '@hitless/contracts';

const RULES: [Vendor[], RegExp, string][] = [
  [['CISCO_IOS'], /^(c10k|10\d{3}|ubr10k)/i, 'c10k'],
  [['CISCO_IOSXE'], /^asr ?1\d{3}/i, 'asr1000'],
  [['CISCO_IOSXE', 'CISCO_IOS'], /^(ws-c45|cat ?45|c45|catalyst ?45)/i, 'cat4500'],
  [['JUNOS'], /^mx\d+/i, 'mx'],
];

/** The platform family of a device (c10k, asr1000, cat4500, mx), or the platform itself lower-cased. */
export function platformFamily(vendor: Vendor, platform: string): string {
  for (const [vendors, re, family] of RULES) if (vendors.includes(vendor) && re.test(platform.trim())) return family;
  return platform.trim().toLowerCase();
}

/** File systems of the active and the standby RP, by family. */
export function ciscoFilesystems(family: string): { active: string; standby: string } {
  if (family === 'c10k') return { active: 'disk0:', standby: 'stby-disk0:' };
  if (family === 'cat4500') return { active: 'bootflash:', standby: 'slavebootflash:' };
  return { active: 'bootflash:', standby: 'stby-bootflash:' };
}
