// The software the lab's chassis know: per platform family, the images (file names as the
// vendors name them, sizes, checksums, release dates) and the compatibility matrix between
// them. Checksums are derived from the file name, so the lab and any inventory that registers
// the same images agree without sharing state.
import { createHash } from 'node:crypto';

export type PlatformFamily = 'c10k' | 'asr1000' | 'cat4500' | 'mx';
export type VendorId = 'CISCO_IOS' | 'CISCO_IOSXE' | 'JUNOS';
export type CompatLevel = 'C' | 'B' | 'I';

export interface LabImage {
  family: PlatformFamily;
  vendor: VendorId;
  version: string;
  fileName: string;
  sizeBytes: number;
  md5: string;
  sha256: string;
  releaseDate: string;
  /** The first line of `show version` for Cisco images. */
  banner?: string;
}

const digest = (alg: 'md5' | 'sha256', fileName: string) =>
  createHash(alg).update(`hitless-lab-image:${fileName}`).digest('hex');

function image(
  family: PlatformFamily,
  vendor: VendorId,
  version: string,
  fileName: string,
  sizeBytes: number,
  releaseDate: string,
  banner?: string,
): LabImage {
  return {
    family,
    vendor,
    version,
    fileName,
    sizeBytes,
    releaseDate,
    md5: digest('md5', fileName),
    sha256: digest('sha256', fileName),
    ...(banner && { banner }),
  };
}

/** Checksums of a file that got corrupted in transfer (the image-corrupt fault). */
export function corruptDigests(fileName: string): { md5: string; sha256: string } {
  return { md5: digest('md5', `corrupt:${fileName}`), sha256: digest('sha256', `corrupt:${fileName}`) };
}

export const LAB_IMAGES: readonly LabImage[] = [
  image(
    'c10k',
    'CISCO_IOS',
    '12.2(33)SB8',
    'c10k3-p11-mz.122-33.SB8.bin',
    41_203_716,
    '2010-05-14',
    'Cisco IOS Software, 10000 Software (C10K3-P11-M), Version 12.2(33)SB8, RELEASE SOFTWARE (fc2)',
  ),
  image(
    'c10k',
    'CISCO_IOS',
    '12.2(33)SB9',
    'c10k3-p11-mz.122-33.SB9.bin',
    41_877_512,
    '2011-02-21',
    'Cisco IOS Software, 10000 Software (C10K3-P11-M), Version 12.2(33)SB9, RELEASE SOFTWARE (fc1)',
  ),
  image(
    'c10k',
    'CISCO_IOS',
    '12.2(33)SB10',
    'c10k3-p11-mz.122-33.SB10.bin',
    42_110_348,
    '2012-01-30',
    'Cisco IOS Software, 10000 Software (C10K3-P11-M), Version 12.2(33)SB10, RELEASE SOFTWARE (fc3)',
  ),
  image(
    'asr1000',
    'CISCO_IOSXE',
    '03.16.05.S',
    'asr1000rp2-adventerprisek9.03.16.05.S.155-3.S5-ext.bin',
    517_264_104,
    '2017-03-27',
    'Cisco IOS Software, ASR1000 Software (X86_64_LINUX_IOSD-ADVENTERPRISEK9-M), Version 15.5(3)S5, RELEASE SOFTWARE (fc2)',
  ),
  image(
    'asr1000',
    'CISCO_IOSXE',
    '03.16.06.S',
    'asr1000rp2-adventerprisek9.03.16.06.S.155-3.S6-ext.bin',
    518_016_228,
    '2017-08-28',
    'Cisco IOS Software, ASR1000 Software (X86_64_LINUX_IOSD-ADVENTERPRISEK9-M), Version 15.5(3)S6, RELEASE SOFTWARE (fc1)',
  ),
  image(
    'asr1000',
    'CISCO_IOSXE',
    '03.16.08.S',
    'asr1000rp2-adventerprisek9.03.16.08.S.155-3.S8-ext.bin',
    518_722_496,
    '2018-07-16',
    'Cisco IOS Software, ASR1000 Software (X86_64_LINUX_IOSD-ADVENTERPRISEK9-M), Version 15.5(3)S8, RELEASE SOFTWARE (fc2)',
  ),
  image(
    'cat4500',
    'CISCO_IOSXE',
    '03.05.01.E',
    'cat4500e-universalk9.SPA.03.05.01.E.152-1.E1.bin',
    189_263_712,
    '2013-12-02',
    'Cisco IOS Software, IOS-XE Software, Catalyst 4500 L3 Switch Software (cat4500e-UNIVERSALK9-M), Version 03.05.01.E RELEASE SOFTWARE (fc1)',
  ),
  image(
    'cat4500',
    'CISCO_IOSXE',
    '03.06.00.E',
    'cat4500e-universalk9.SPA.03.06.00.E.152-2.E.bin',
    198_617_436,
    '2014-06-30',
    'Cisco IOS Software, IOS-XE Software, Catalyst 4500 L3 Switch Software (cat4500e-UNIVERSALK9-M), Version 03.06.00.E RELEASE SOFTWARE (fc3)',
  ),
  image(
    'cat4500',
    'CISCO_IOSXE',
    '03.06.04.E',
    'cat4500e-universalk9.SPA.03.06.04.E.152-2.E4.bin',
    199_504_120,
    '2016-03-09',
    'Cisco IOS Software, IOS-XE Software, Catalyst 4500 L3 Switch Software (cat4500e-UNIVERSALK9-M), Version 03.06.04.E RELEASE SOFTWARE (fc2)',
  ),
  image('mx', 'JUNOS', '10.1R1.8', 'jinstall-10.1R1.8-domestic-signed.tgz', 382_914_560, '2010-02-16'),
  image('mx', 'JUNOS', '10.3R2.11', 'jinstall-10.3R2.11-domestic-signed.tgz', 401_637_376, '2010-11-30'),
  image('mx', 'JUNOS', '10.4R3.4', 'jinstall-10.4R3.4-domestic-signed.tgz', 409_862_144, '2011-03-22'),
];

export function imagesOf(family: PlatformFamily): LabImage[] {
  return LAB_IMAGES.filter((i) => i.family === family);
}

/** Release order within a family (catalogue order), not string order: SB10 comes after SB9. */
export function isNewer(family: PlatformFamily, version: string, than: string): boolean {
  const list = imagesOf(family).map((i) => i.version);
  return list.indexOf(version) > list.indexOf(than);
}

export function findImage(family: PlatformFamily, fileOrVersion: string): LabImage | undefined {
  const base = fileOrVersion.replace(/^.*[:/]/, '');
  return imagesOf(family).find((i) => i.fileName === base || i.version === fileOrVersion);
}

/** The Catalyst 4500 ISSU barrier (seed 003): no ISSU across IOS XE 3.6.0E. */
const BARRIER = '03.06.00.E';

/**
 * The stored matrix: neighbouring releases are compatible (C), releases two apart keep only
 * base-level compatibility (B), and nothing crosses the Catalyst 4500 barrier (I).
 */
export function compatibility(family: PlatformFamily, from: string, to: string): CompatLevel {
  if (from === to) return 'C';
  const list = imagesOf(family).map((i) => i.version);
  const a = list.indexOf(from);
  const b = list.indexOf(to);
  if (a < 0 || b < 0) return 'I';
  if (family === 'cat4500') {
    const barrier = list.indexOf(BARRIER);
    if (a < barrier !== b < barrier) return 'I';
  }
  return Math.abs(a - b) === 1 ? 'C' : 'B';
}
