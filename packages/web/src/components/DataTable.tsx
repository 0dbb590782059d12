import { type ReactNode, useMemo, useState } from 'react';
import { loadHiddenColumns, saveHiddenColumns } from '../lib/column-prefs.ts';
import { type SortState, sortRows, toggleSort } from '../lib/sorting.ts';
import { ColumnChooser } from './ColumnChooser.tsx';
import type { Column } from './table-types.ts';

interface Props<T> {
  /** Names the table for its remembered column choice. */
  id: string;
  caption: string;
  columns: readonly Column<T>[];
  rows: readonly T[];
  rowKey: (row: T) => string;
  /**
   * Controlled sort for server-side sorting; when absent the table sorts the
   * rows it was given (one page) by itself.
   */
  sort?: SortState | null;
  onSortChange?: (sort: SortState) => void;
  empty?: ReactNode;
  toolbar?: ReactNode;
  footer?: ReactNode;
}

export function DataTable<T>(props: Props<T>) {
  const { id, caption, columns, rows, rowKey, empty, toolbar, footer } = props;
  const [hidden, setHidden] = useState(() =>
    loadHiddenColumns(
      id,
      columns.filter((c) => c.hiddenByDefault).map((c) => c.id),
    ),
  );
  const [localSort, setLocalSort] = useState<SortState | null>(null);
  const controlled = props.onSortChange !== undefined;
  const sort = controlled ? (props.sort ?? null) : localSort;

  const visible = columns.filter((c) => !hidden.has(c.id));
  const shown = useMemo(() => {
    if (controlled || !localSort) return rows;
    const col = columns.find((c) => c.id === localSort.column);
    return col?.sortValue ? sortRows(rows, col.sortValue, localSort.direction) : rows;
  }, [controlled, localSort, rows, columns]);

  const onSort = (column: string) => {
    const next = toggleSort(sort, column);
    if (controlled) props.onSortChange?.(next);
    else setLocalSort(next);
  };
  const toggleColumn = (colId: string) => {
    const next = new Set(hidden);
    if (next.has(colId)) next.delete(colId);
    else next.add(colId);
    setHidden(next);
    saveHiddenColumns(id, next);
  };

  return (
    <div className="table-panel">
      <div className="table-toolbar">
        {toolbar}
        <ColumnChooser columns={columns} hidden={hidden} onToggle={toggleColumn} />
      </div>
      <div className="table-scroll">
        <table className="data-table">
          <caption className="visually-hidden">{caption}</caption>
          <thead>
            <tr>
              {visible.map((c) => {
                const active = sort?.column === c.id;
                const ariaSort = active
                  ? sort?.direction === 'asc'
                    ? 'ascending'
                    : 'descending'
                  : undefined;
                return (
                  <th
                    key={c.id}
                    scope="col"
                    aria-sort={ariaSort}
                    className={c.numeric ? 'numeric' : undefined}
                  >
                    {c.sortValue ? (
                      <button type="button" className="sort-button" onClick={() => onSort(c.id)}>
                        {c.header}
                        <span aria-hidden="true" className="sort-mark">
                          {active ? (sort?.direction === 'asc' ? '▲' : '▼') : '↕'}
                        </span>
                      </button>
                    ) : (
                      c.header
                    )}
                  </th>
                );
              })}
            </tr>
          </thead>
          <tbody>
            {shown.length === 0 ? (
              <tr>
                <td colSpan={visible.length} className="empty-cell">
                  {empty ?? 'Nothing to show.'}
                </td>
              </tr>
            ) : (
              shown.map((row) => (
                <tr key={rowKey(row)}>
                  {visible.map((c) => (
                    <td key={c.id} className={c.numeric ? 'numeric' : undefined}>
                      {c.render(row)}
                    </td>
                  ))}
                </tr>
              ))
            )}
          </tbody>
        </table>
      </div>
      {footer}
    </div>
  );
}
