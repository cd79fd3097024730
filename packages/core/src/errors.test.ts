import { ErrorCode } from '@hitless/contracts';
import { describe, expect, it } from 'vitest';
import { httpStatusFor, invalid, notFound } from './errors.ts';

describe('errors', () => {
  it('maps every error code to a 4xx or 5xx status', () => {
    for (const code of ErrorCode.options) {
      const status = httpStatusFor(code);
      expect(status).toBeGreaterThanOrEqual(400);
      expect(status).toBeLessThan(600);
    }
    expect(httpStatusFor('NOT_FOUND')).toBe(404);
    expect(httpStatusFor('CONFLICT')).toBe(409);
    expect(httpStatusFor('VALIDATION_FAILED')).toBe(400);
  });

  it('names fields in validation messages', () => {
    const err = invalid([
      { path: 'hostname', message: 'is required' },
      { path: 'port', message: 'must be between 1 and 65535' },
    ]);
    expect(err.message).toBe('hostname: is required; port: must be between 1 and 65535');
    expect(err.issues).toHaveLength(2);
  });

  it('says what was not found', () => {
    expect(notFound('device', 'abc').message).toBe('device abc was not found');
  });
});
