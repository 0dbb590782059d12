/** One page of a cursor-paginated collection. */
export interface Page<T> {
  items: T[];
  nextCursor: string | null;
  /** Present when the API counts the whole filtered collection. */
  total: number | null;
}

type Body = Record<string, unknown>;

/**
 * Reads a list response. The native API pages with `?cursor=&limit=`; the
 * collection sits under `items` or under the resource's own name (e.g.
 * `users`), the next cursor under `next_cursor`. A bare array is one page.
 */
export function toPage<T>(body: unknown, key?: string): Page<T> {
  if (Array.isArray(body)) return { items: body as T[], nextCursor: null, total: null };
  const b = (typeof body === 'object' && body !== null ? body : {}) as Body;
  const list = (
    key !== undefined && Array.isArray(b[key]) ? b[key] : Array.isArray(b.items) ? b.items : b.data
  ) as T[] | undefined;
  const cursor = b.next_cursor ?? b.nextCursor ?? null;
  const total = typeof b.total === 'number' ? b.total : typeof b.count === 'number' ? b.count : null;
  return {
    items: Array.isArray(list) ? list : [],
    nextCursor: typeof cursor === 'string' && cursor !== '' ? cursor : null,
    total,
  };
}
