// Compliance: a device's current release against the golden (recommended) image of its platform
// family. Pure: the caller reads the device's version and the family's golden version.

/** How a device's release stands against its family's golden release. */
export type ComplianceStatus = 'compliant' | 'behind' | 'ahead' | 'no-golden' | 'unknown';

export interface Compliance {
  status: ComplianceStatus;
  /** The family's golden release, or null when the family has none. */
  goldenVersion: string | null;
}

type Token = number | string;

/** "12.2(33)SB10" → [12, 2, 33, "sb", 10]; "17.3R3-S1.2" → [17, 3, "r", 3, "s", 1, 2]. */
function tokens(version: string): Token[] {
  return (
    version
      .trim()
      .toLowerCase()
      .match(/\d+|[a-z]+/g) ?? []
  ).map((t) => (/^\d/.test(t) ? Number(t) : t));
}

/**
 * Orders two release strings of one family, segment by segment: numbers as numbers (so SB9 < SB10
 * and 03.16.05 < 03.16.08), letters as the same train. Null when they cannot be ordered: a
 * different train at the first difference (SB vs SA, R vs X), or a version with no segments.
 * A version that is a prefix of the other is the older (17.3 < 17.3R1).
 */
export function compareVersions(a: string, b: string): -1 | 0 | 1 | null {
  const x = tokens(a);
  const y = tokens(b);
  if (x.length === 0 || y.length === 0) return null;
  for (let i = 0; i < Math.min(x.length, y.length); i++) {
    const p = x[i]!;
    const q = y[i]!;
    if (p === q) continue;
    if (typeof p === 'number' && typeof q === 'number') return p < q ? -1 : 1;
    return null;
  }
  return x.length === y.length ? 0 : x.length < y.length ? -1 : 1;
}

/** The device's current release against its family's golden release. */
export function complianceOf(currentVersion: string | null, goldenVersion: string | null): Compliance {
  if (goldenVersion === null) return { status: 'no-golden', goldenVersion: null };
  if (currentVersion === null || currentVersion.trim() === '') return { status: 'unknown', goldenVersion };
  const order = compareVersions(currentVersion, goldenVersion);
  const status: ComplianceStatus =
    order === null ? 'unknown' : order === 0 ? 'compliant' : order < 0 ? 'behind' : 'ahead';
  return { status, goldenVersion };
}
