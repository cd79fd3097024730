import { describe, expect, it } from 'vitest';
import { findUnstorableText } from './text-input.ts';

describe('findUnstorableText', () => {
  it('passes ordinary text, including characters outside the BMP', () => {
    expect(
      findUnstorableText({ a: 'pe1.example.net', b: ['naïve', '日本', '🚀 rocket'], n: 3, z: null }, 'body'),
    ).toBeNull();
  });

  it('names the field holding a NUL character', () => {
    expect(findUnstorableText({ device: { notes: 'ok', platform: 'c10\u0000k' } }, 'body')).toEqual({
      path: 'body.device.platform',
      message: 'contains a NUL character at position 3; remove it',
    });
  });

  it('finds unpaired surrogates of either half, in arrays and in keys', () => {
    expect(findUnstorableText({ tags: ['a', 'x\ud800'] }, 'body')?.path).toBe('body.tags.1');
    expect(findUnstorableText('\udc00x', 'query.q')?.message).toMatch(/unpaired UTF-16 surrogate at position 0/);
    expect(findUnstorableText({ ['k\u0000']: 1 }, 'body')?.path).toBe('body');
    expect(findUnstorableText('\ud83d\ude80', 'body')).toBeNull();
  });

  it('walks bodies nested far deeper than the call stack would allow', () => {
    let deep: unknown = 'bottom\u0000';
    for (let i = 0; i < 200_000; i++) deep = [deep];
    expect(findUnstorableText(deep, 'body')?.message).toMatch(/NUL/);
    expect(findUnstorableText(JSON.parse('['.repeat(100_000) + ']'.repeat(100_000)), 'body')).toBeNull();
  });
});
