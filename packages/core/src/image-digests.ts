// Whether a received image file is the one registered: the digests the image store computed while
// the bytes came in, against the ones the operator typed or the vendor published. Pure.

export type DigestAlgorithm = 'sha256' | 'md5' | 'sha512';
export const DIGEST_ALGORITHMS: readonly DigestAlgorithm[] = ['sha256', 'sha512', 'md5'];

export type Digests = Record<DigestAlgorithm, string>;
export type RegisteredDigests = Partial<Record<DigestAlgorithm, string | null>>;

export interface DigestMismatch {
  algorithm: DigestAlgorithm;
  expected: string;
  actual: string;
}

export type DigestVerdict =
  | { ok: true; compared: DigestAlgorithm[] }
  /** `compared` is empty when nothing was registered to compare with: the file cannot be trusted. */
  | { ok: false; compared: DigestAlgorithm[]; mismatches: DigestMismatch[] };

/**
 * Every registered digest must equal the computed one (case-insensitive hex); at least one must be
 * registered. A file with no digest to compare with is refused, not trusted.
 */
export function verifyDigests(registered: RegisteredDigests, computed: Digests): DigestVerdict {
  const compared = DIGEST_ALGORITHMS.filter((a) => Boolean(registered[a]));
  const mismatches = compared
    .map((algorithm) => ({ algorithm, expected: registered[algorithm]!.toLowerCase(), actual: computed[algorithm] }))
    .filter((m) => m.expected !== m.actual.toLowerCase());
  if (compared.length === 0 || mismatches.length > 0) return { ok: false, compared, mismatches };
  return { ok: true, compared };
}

/** "sha256 expected ab12… but the file's is cd34…; md5 …", or why nothing could be compared. */
export function describeDigestVerdict(verdict: DigestVerdict): string {
  if (verdict.ok) return `the file matches its ${verdict.compared.join(', ')}`;
  if (verdict.compared.length === 0) return 'the image has no registered checksum to compare the file with';
  return verdict.mismatches
    .map((m) => `${m.algorithm} expected ${m.expected} but the file's is ${m.actual}`)
    .join('; ');
}
