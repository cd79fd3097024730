import { timingSafeEqual } from 'node:crypto';

/**
 * Compares two strings (hashes, signatures) in time that does not depend on where they differ.
 * Different lengths return false at once: the length of a hex digest is no secret.
 */
export function timingSafeEqualText(a: string, b: string): boolean {
  const x = Buffer.from(a, 'utf8');
  const y = Buffer.from(b, 'utf8');
  return x.length === y.length && timingSafeEqual(x, y);
}
