// Which image family a device belongs to: images are registered per platform family, devices
// by the model they report.
import type { Vendor } from '@hitless/contracts';

const RULES: [Vendor[], RegExp, string][] = [
  [['CISCO_IOS'], /^(c10k|10\d{3}|ubr10k)/i, 'c10k'],
  [['CISCO_IOSXE'], /^asr ?1\d{3}/i, 'asr1000'],
  [['CISCO_IOSXE', 'CISCO_IOS'], /^(ws-c45|cat ?45|c45|catalyst ?45)/i, 'cat4500'],
  [['JUNOS'], /^mx\d+/i, 'mx'],
];

/** The platform families the product knows (their procedures, file systems, images), for pickers. */
export const PLATFORM_FAMILIES: readonly { family: string; label: string; vendors: readonly Vendor[] }[] = [
  { family: 'c10k', label: 'Cisco 10000', vendors: ['CISCO_IOS'] },
  { family: 'asr1000', label: 'Cisco ASR 1000', vendors: ['CISCO_IOSXE'] },
  { family: 'cat4500', label: 'Cisco Catalyst 4500', vendors: ['CISCO_IOSXE', 'CISCO_IOS'] },
  { family: 'mx', label: 'Juniper MX', vendors: ['JUNOS'] },
];

/** The known families a device of `vendor` can belong to. */
export const platformFamiliesOf = (vendor: Vendor) => PLATFORM_FAMILIES.filter((f) => f.vendors.includes(vendor));

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

/**
 * Families whose every software release speaks only the legacy SSH algorithms, so every device of
 * the family is offered them (others only when the device is marked `legacySsh`):
 * - `c10k`: the Cisco 10000 runs only IOS 12.2(33)SB trains (the last in 2012); their SSH server
 *   knows Diffie-Hellman group1/group14 with SHA-1, CBC and 3DES ciphers, HMAC-SHA1/MD5 and
 *   ssh-rsa host keys, nothing newer.
 * Not marked: the ASR 1000 and the MX (current IOS-XE and Junos releases have modern SSH), nor
 * the Catalyst 4500 (its IOS and IOS-XE releases differ): a device of theirs still on an old
 * release is marked on its own (`legacySsh`), so the rest of the family keeps the modern set.
 */
export const LEGACY_SSH_FAMILIES: readonly string[] = ['c10k'];

/** Whether a device of this family is offered the legacy SSH algorithms whatever its own flag says. */
export function familyNeedsLegacySsh(family: string): boolean {
  return LEGACY_SSH_FAMILIES.includes(family);
}
