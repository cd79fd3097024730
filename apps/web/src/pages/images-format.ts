// Formatting shared by the Images and Matrix pages: sizes, checksums, families, copying.
import { VENDOR_LABELS, type SoftwareImage, type Vendor } from '@hitless/contracts';

const UNITS = ['bytes', 'kB', 'MB', 'GB', 'TB'];

/** "41.2 MB" (decimal units, as vendors print them); the exact count goes in a title. */
export function humanSize(bytes: number): string {
  let v = bytes;
  let u = 0;
  while (v >= 1000 && u < UNITS.length - 1) {
    v /= 1000;
    u++;
  }
  return u === 0 ? `${bytes} bytes` : `${v >= 100 ? v.toFixed(0) : v.toFixed(1)} ${UNITS[u]}`;
}

/** "1a2b3c4d…9f0e": enough to tell checksums apart at a glance; the whole one is copied. */
export const shortHash = (hash: string) => (hash.length > 16 ? `${hash.slice(0, 8)}…${hash.slice(-4)}` : hash);

/** Copies text; falls back to a hidden textarea where the Clipboard API is missing (plain http). */
export async function copyText(text: string): Promise<boolean> {
  try {
    if (navigator.clipboard && window.isSecureContext) {
      await navigator.clipboard.writeText(text);
      return true;
    }
  } catch {
    // fall through to the old way
  }
  const area = document.createElement('textarea');
  area.value = text;
  area.setAttribute('readonly', '');
  area.style.position = 'fixed';
  area.style.opacity = '0';
  document.body.appendChild(area);
  area.select();
  const ok = document.execCommand('copy');
  area.remove();
  return ok;
}

export interface Family {
  key: string;
  vendor: Vendor;
  platformFamily: string;
}

export const familyKey = (vendor: Vendor, platformFamily: string) => `${vendor}/${platformFamily}`;
export const familyLabel = (f: { vendor: Vendor; platformFamily: string }) =>
  `${VENDOR_LABELS[f.vendor]} · ${f.platformFamily}`;

/** Images grouped by vendor and family, in the order the API lists them. */
export function byFamily(images: readonly SoftwareImage[]): (Family & { images: SoftwareImage[] })[] {
  const groups = new Map<string, Family & { images: SoftwareImage[] }>();
  for (const i of images) {
    const key = familyKey(i.vendor, i.platformFamily);
    const g = groups.get(key) ?? { key, vendor: i.vendor, platformFamily: i.platformFamily, images: [] };
    g.images.push(i);
    groups.set(key, g);
  }
  return [...groups.values()];
}

export const plural = (n: number, one: string, many = `${one}s`) => `${n} ${n === 1 ? one : many}`;
