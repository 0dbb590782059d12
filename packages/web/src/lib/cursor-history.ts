/**
 * Server-side cursor pagination only knows "the next page"; going back needs
 * the cursors that led to each earlier page. This keeps that trail.
 */
export interface CursorHistory {
  /** Cursor of each visited page; the first page's is null. */
  readonly trail: ReadonlyArray<string | null>;
  readonly index: number;
}

export const firstPage = (): CursorHistory => ({ trail: [null], index: 0 });

export const currentCursor = (h: CursorHistory): string | null => h.trail[h.index] ?? null;

export function nextPage(h: CursorHistory, nextCursor: string | null): CursorHistory {
  if (nextCursor === null) return h;
  // Moving forward after going back drops the pages beyond: they may have changed.
  return { trail: [...h.trail.slice(0, h.index + 1), nextCursor], index: h.index + 1 };
}

export function previousPage(h: CursorHistory): CursorHistory {
  return h.index === 0 ? h : { trail: h.trail, index: h.index - 1 };
}
