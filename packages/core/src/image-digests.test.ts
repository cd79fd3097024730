import { describe, expect, it } from 'vitest';
import { describeDigestVerdict, verifyDigests } from './image-digests.ts';

const computed = { sha256: 'a'.repeat(64), md5: 'b'.repeat(32), sha512: 'c'.repeat(128) };

describe('verifyDigests', () => {
  it('accepts a file whose every registered digest matches, whatever the case', () => {
    expect(verifyDigests({ sha256: 'A'.repeat(64), md5: null }, computed)).toEqual({ ok: true, compared: ['sha256'] });
    expect(verifyDigests({ sha256: 'a'.repeat(64), md5: 'b'.repeat(32), sha512: 'c'.repeat(128) }, computed)).toEqual({
      ok: true,
      compared: ['sha256', 'sha512', 'md5'],
    });
  });

  it('refuses a file when any registered digest differs, naming each', () => {
    const v = verifyDigests({ sha256: 'a'.repeat(64), md5: 'd'.repeat(32) }, computed);
    expect(v).toEqual({
      ok: false,
      compared: ['sha256', 'md5'],
      mismatches: [{ algorithm: 'md5', expected: 'd'.repeat(32), actual: 'b'.repeat(32) }],
    });
    expect(describeDigestVerdict(v)).toBe(`md5 expected ${'d'.repeat(32)} but the file's is ${'b'.repeat(32)}`);
  });

  it('refuses a file with nothing registered to compare it with', () => {
    const v = verifyDigests({ sha256: null, md5: null, sha512: null }, computed);
    expect(v.ok).toBe(false);
    expect(describeDigestVerdict(v)).toBe('the image has no registered checksum to compare the file with');
  });
});
