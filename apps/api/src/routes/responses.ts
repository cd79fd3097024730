import { ErrorBody } from '@hitless/contracts';

type Status = 400 | 401 | 403 | 404 | 409 | 413 | 415 | 422 | 429 | 502;

/** Declares the error responses a route can give, all with the one ErrorBody shape. */
export function errors<S extends Status>(...statuses: S[]): Record<S, typeof ErrorBody> {
  return Object.fromEntries(statuses.map((s) => [s, ErrorBody])) as Record<S, typeof ErrorBody>;
}

/** What every authenticated route can answer besides its own errors. */
export const AUTHED = [401, 403] as const;
