import { useState } from 'react';
import type { Page } from '../api/pages.ts';
import {
  type CursorHistory,
  currentCursor,
  firstPage,
  nextPage,
  previousPage,
} from '../lib/cursor-history.ts';
import type { SortState } from '../lib/sorting.ts';
import { useTick } from './useInterval.ts';
import { useResource } from './useResource.ts';

export interface PageRequest {
  cursor: string | null;
  limit: number;
  sort: SortState | null;
  signal: AbortSignal;
}

/**
 * A server-paginated list: cursor trail, page size and sort. Changing the
 * sort, the size or the `filterKey` returns to the first page.
 */
export function usePagedList<T>(
  fetchPage: (req: PageRequest) => Promise<Page<T>>,
  filterKey: string,
  initial: { limit?: number; sort?: SortState | null; refreshMs?: number } = {},
) {
  const [history, setHistory] = useState<CursorHistory>(firstPage);
  const [limit, setLimitState] = useState(initial.limit ?? 50);
  const [sort, setSortState] = useState<SortState | null>(initial.sort ?? null);
  const [lastFilterKey, setLastFilterKey] = useState(filterKey);
  if (lastFilterKey !== filterKey) {
    // Adjusting state during render (React's documented pattern) avoids a fetch of a stale page.
    setLastFilterKey(filterKey);
    setHistory(firstPage());
  }
  const cursor = currentCursor(history);
  // A live list reloads the page in view: new records show up without losing the analyst's place.
  const tick = useTick(initial.refreshMs ?? 0);
  const resource = useResource(
    (signal) => fetchPage({ cursor, limit, sort, signal }),
    [cursor, limit, sort?.column, sort?.direction, filterKey, tick],
  );
  const page = resource.status === 'ready' ? resource.data : null;
  return {
    resource,
    pager: {
      pageNumber: history.index + 1,
      hasPrevious: history.index > 0,
      hasNext: page?.nextCursor != null,
      onPrevious: () => setHistory(previousPage),
      onNext: () => {
        if (page?.nextCursor) setHistory(nextPage(history, page.nextCursor));
      },
      limit,
      onLimit: (n: number) => {
        setLimitState(n);
        setHistory(firstPage());
      },
      total: page?.total ?? null,
    },
    sort,
    setSort: (s: SortState) => {
      setSortState(s);
      setHistory(firstPage());
    },
  };
}
