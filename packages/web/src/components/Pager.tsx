interface Props {
  pageNumber: number;
  hasPrevious: boolean;
  hasNext: boolean;
  onPrevious: () => void;
  onNext: () => void;
  limit: number;
  onLimit: (limit: number) => void;
  total: number | null;
}

export const PAGE_SIZES = [25, 50, 100, 200] as const;

export function Pager({
  pageNumber,
  hasPrevious,
  hasNext,
  onPrevious,
  onNext,
  limit,
  onLimit,
  total,
}: Props) {
  return (
    <nav className="pager" aria-label="Pagination">
      <label>
        Rows per page{' '}
        <select value={limit} onChange={(e) => onLimit(Number(e.target.value))}>
          {PAGE_SIZES.map((n) => (
            <option key={n} value={n}>
              {n}
            </option>
          ))}
        </select>
      </label>
      <span aria-live="polite">
        Page {pageNumber}
        {total !== null ? ` · ${total.toLocaleString('en-US')} in all` : ''}
      </span>
      <button type="button" className="button" disabled={!hasPrevious} onClick={onPrevious}>
        ‹ Previous
      </button>
      <button type="button" className="button" disabled={!hasNext} onClick={onNext}>
        Next ›
      </button>
    </nav>
  );
}
