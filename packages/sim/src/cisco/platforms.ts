import type { PlatformFamily } from '../catalog.ts';

export type CiscoFamily = Exclude<PlatformFamily, 'mx'>;

export interface CiscoPlatform {
  family: CiscoFamily;
  vendor: 'CISCO_IOS' | 'CISCO_IOSXE';
  /** What the inventory calls it. */
  model: string;
  /** RP slot names as `issu` commands and `show issu state` name them. */
  slots: readonly [string, string];
  /** `show redundancy` location of a slot. */
  location: (slot: string) => string;
  /** File systems seen from the active RP: its own, then the standby's. */
  fs: readonly [string, string];
  /** `show issu state detail` flavour: the seed's classic blocks or IOS-XE text blocks. */
  issuDetail: 'classic' | 'iosxe';
  diskBytes: number;
  /** Standby reload to STANDBY HOT at time scale 1. */
  reloadMs: number;
  /** How long the management address is gone during a switchover. */
  switchoverGapMs: number;
  processorLine: string;
  romLine: string;
}

export const CISCO_PLATFORMS: Record<CiscoFamily, CiscoPlatform> = {
  c10k: {
    family: 'c10k',
    vendor: 'CISCO_IOS',
    model: 'c10k',
    slots: ['A', 'B'],
    location: (slot) => `slot ${slot}`,
    fs: ['disk0:', 'stby-disk0:'],
    issuDetail: 'classic',
    diskBytes: 512 * 1024 * 1024,
    reloadMs: 6 * 60_000,
    switchoverGapMs: 30_000,
    processorLine: 'cisco 10000 (PRE3) processor (revision 1.1) with 1048576K/131072K bytes of memory.',
    romLine: 'ROM: System Bootstrap, Version 12.2(33r)SB2, RELEASE SOFTWARE (fc1)',
  },
  asr1000: {
    family: 'asr1000',
    vendor: 'CISCO_IOSXE',
    model: 'ASR1006',
    slots: ['R0', 'R1'],
    location: (slot) => (slot === 'R0' ? 'slot 6' : 'slot 7'),
    fs: ['bootflash:', 'stby-bootflash:'],
    issuDetail: 'iosxe',
    diskBytes: 8 * 1024 * 1024 * 1024,
    reloadMs: 8 * 60_000,
    switchoverGapMs: 20_000,
    processorLine: 'cisco ASR1006 (RP2) processor (revision RP2) with 4194304K/6147K bytes of memory.',
    romLine: 'ROM: IOS-XE ROMMON',
  },
  cat4500: {
    family: 'cat4500',
    vendor: 'CISCO_IOSXE',
    model: 'WS-C4507R+E',
    slots: ['1', '2'],
    location: (slot) => `slot ${slot}`,
    fs: ['bootflash:', 'slavebootflash:'],
    issuDetail: 'classic',
    diskBytes: 1024 * 1024 * 1024,
    reloadMs: 7 * 60_000,
    switchoverGapMs: 15_000,
    processorLine: 'cisco WS-C4507R+E (MPC8572) processor (revision 11) with 2097152K/20480K bytes of memory.',
    romLine: 'ROM: 15.0(1r)SG10',
  },
};
