export type SortDirection = 'asc' | 'desc';
export interface SortState {
  column: string;
  direction: SortDirection;
}

/** Clicking a header: a new column sorts ascending, the same column flips. */
export function toggleSort(current: SortState | null, column: string): SortState {
  if (current?.column !== column) return { column, direction: 'asc' };
  return { column, direction: current.direction === 'asc' ? 'desc' : 'asc' };
}

export type SortValue = string | number | boolean | null | undefined;

/** Nulls last in both directions; numbers numerically; strings by locale with numeric collation. */
export function compareValues(a: SortValue, b: SortValue, direction: SortDirection): number {
  const aMissing = a === null || a === undefined || a === '';
  const bMissing = b === null || b === undefined || b === '';
  if (aMissing || bMissing) return aMissing === bMissing ? 0 : aMissing ? 1 : -1;
  let c: number;
  if (typeof a === 'number' && typeof b === 'number') c = a - b;
  else c = String(a).localeCompare(String(b), undefined, { numeric: true, sensitivity: 'base' });
  return direction === 'asc' ? c : -c;
}

/** A sorted copy; ties keep their server order. */
export function sortRows<T>(rows: readonly T[], value: (row: T) => SortValue, direction: SortDirection): T[] {
  return rows
    .map((row, i) => ({ row, i }))
    .sort((x, y) => compareValues(value(x.row), value(y.row), direction) || x.i - y.i)
    .map((x) => x.row);
}

/** The `sort` query parameter in the `field` / `-field` convention. */
export const toSortParam = (s: SortState | null): string | undefined =>
  s ? `${s.direction === 'desc' ? '-' : ''}${s.column}` : undefined;
