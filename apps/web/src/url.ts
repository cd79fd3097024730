// List pages keep their filters in the address, so a view can be bookmarked and shared.

/** Sets (or, for an empty value, removes) one parameter; any filter change goes back to page 1. */
export function withParam(p: URLSearchParams, key: string, value: string | null): URLSearchParams {
  if (value) p.set(key, value);
  else p.delete(key);
  if (key !== 'page') p.delete('page');
  return p;
}
