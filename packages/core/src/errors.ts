// Domain errors and their HTTP meaning. Application code throws these; the API's one error
// handler maps them to a status with `httpStatusFor` and never leaks anything else.
import type { ErrorCode, Issue } from '@hitless/contracts';

export class DomainError extends Error {
  override name = 'DomainError';
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly issues?: Issue[],
  ) {
    super(message);
  }
}

export const notFound = (what: string, id?: string) =>
  new DomainError('NOT_FOUND', id ? `${what} ${id} was not found` : `${what} was not found`);
export const conflict = (message: string) => new DomainError('CONFLICT', message);
export const forbidden = (message: string) => new DomainError('FORBIDDEN', message);
export const unauthenticated = (message = 'authentication required') => new DomainError('UNAUTHENTICATED', message);
export const invalid = (issues: Issue[]) =>
  new DomainError(
    'VALIDATION_FAILED',
    issues.map((i) => (i.path ? `${i.path}: ${i.message}` : i.message)).join('; '),
    issues,
  );
export const preconditionFailed = (message: string) => new DomainError('PRECONDITION_FAILED', message);
export const deviceError = (message: string) => new DomainError('DEVICE_ERROR', message);

export function httpStatusFor(code: ErrorCode): number {
  switch (code) {
    case 'VALIDATION_FAILED':
      return 400;
    case 'UNAUTHENTICATED':
      return 401;
    case 'FORBIDDEN':
      return 403;
    case 'NOT_FOUND':
      return 404;
    case 'CONFLICT':
      return 409;
    case 'PAYLOAD_TOO_LARGE':
      return 413;
    case 'UNSUPPORTED_MEDIA_TYPE':
      return 415;
    case 'PRECONDITION_FAILED':
      return 422;
    case 'RATE_LIMITED':
      return 429;
    case 'INTERNAL':
      return 500;
    case 'DEVICE_ERROR':
      return 502;
    case 'UNAVAILABLE':
      return 503;
    default: {
      const unreachable: never = code;
      throw new Error(`unmapped error code ${String(unreachable)}`);
    }
  }
}
