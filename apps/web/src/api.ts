// The REST client: same-origin fetch with the session cookie, JSON in and out, and one error
// type carrying the API's ErrorBody so forms can show field messages.
import type { ErrorBody, ImportRowError, Issue } from '@hitless/contracts';

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly body: ErrorBody & { errors?: ImportRowError[] },
  ) {
    super(body.message);
  }

  /** The message for people: field paths without the `body.` / `querystring.` prefix. */
  get friendly(): string {
    const issues = this.body.issues;
    if (!issues?.length) return this.body.message;
    return issues.map((i) => `${i.path.replace(/^(body|querystring|params)\./, '')}: ${i.message}`).join('; ');
  }

  /** Field → message, with the `body.` / `querystring.` prefix removed. */
  fieldErrors(): Record<string, string> {
    const out: Record<string, string> = {};
    for (const i of this.body.issues ?? ([] as Issue[])) {
      const field = i.path.replace(/^(body|querystring|params)\./, '').split('.')[0] ?? '';
      out[field] ??= i.message;
    }
    return out;
  }
}

/** What to tell people about a failed request: the API's own message, or `fallback` when there is none. */
export const friendlyError = (err: unknown, fallback: string): string =>
  err instanceof ApiError ? err.friendly : fallback;

/** Sent when any request finds the session gone, so the app can show the login page. */
export const SESSION_EXPIRED = 'hitless:session-expired';

async function request<T>(method: string, url: string, body?: unknown, contentType = 'application/json'): Promise<T> {
  const init: RequestInit = { method, credentials: 'same-origin', headers: {} };
  if (body !== undefined) {
    init.body = contentType === 'application/json' ? JSON.stringify(body) : (body as string);
    (init.headers as Record<string, string>)['content-type'] = contentType;
  }
  let res: Response;
  try {
    res = await fetch(url, init);
  } catch {
    throw new ApiError(0, {
      statusCode: 0,
      code: 'UNAVAILABLE',
      message: 'the server cannot be reached; check your connection',
    });
  }
  if (res.status === 204) return undefined as T;
  const text = await res.text();
  const data: unknown = text && res.headers.get('content-type')?.includes('json') ? JSON.parse(text) : text;
  if (!res.ok) {
    const errorBody =
      data && typeof data === 'object' && 'message' in data
        ? (data as ErrorBody)
        : { statusCode: res.status, code: 'INTERNAL' as const, message: `request failed (${res.status})` };
    if (res.status === 401 && !url.endsWith('/auth/login')) window.dispatchEvent(new Event(SESSION_EXPIRED));
    throw new ApiError(res.status, errorBody);
  }
  return data as T;
}

export const api = {
  get: <T>(url: string) => request<T>('GET', url),
  post: <T>(url: string, body?: unknown) => request<T>('POST', url, body),
  patch: <T>(url: string, body: unknown) => request<T>('PATCH', url, body),
  delete: (url: string) => request<undefined>('DELETE', url),
  postText: <T>(url: string, text: string, contentType: string) => request<T>('POST', url, text, contentType),
};

/** Query string from an object, skipping empty values and repeating arrays. */
export function qs(params: Record<string, string | number | string[] | undefined | null>): string {
  const sp = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) {
    if (v === undefined || v === null || v === '') continue;
    if (Array.isArray(v)) v.forEach((x) => sp.append(k, x));
    else sp.set(k, String(v));
  }
  const s = sp.toString();
  return s ? `?${s}` : '';
}
