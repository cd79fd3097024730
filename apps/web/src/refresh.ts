// Refetching after a change. invalidateQueries alone reuses a fetch already in flight when the
// query has no data of its own yet (a new filter's first fetch, shown with the previous page's
// rows): that fetch may have been answered before the change committed, and the page would keep
// the old rows. Cancelling first makes the refetch start after the change.
import type { QueryClient, QueryKey } from '@tanstack/react-query';

export async function refreshQueries(queryClient: QueryClient, queryKey?: QueryKey): Promise<void> {
  const filters = queryKey ? { queryKey } : {};
  await queryClient.cancelQueries(filters);
  await queryClient.invalidateQueries(filters);
}
