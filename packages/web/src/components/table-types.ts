import type { ReactNode } from 'react';
import type { SortValue } from '../lib/sorting.ts';

export interface Column<T> {
  id: string;
  header: string;
  render: (row: T) => ReactNode;
  /** Present when the column can be sorted. */
  sortValue?: (row: T) => SortValue;
  /** Hidden until chosen in the column menu. */
  hiddenByDefault?: boolean;
  /** Right-aligned figures. */
  numeric?: boolean;
}
