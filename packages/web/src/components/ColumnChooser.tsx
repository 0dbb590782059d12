import { useId, useState } from 'react';
import type { Column } from './table-types.ts';

interface Props<T> {
  columns: readonly Column<T>[];
  hidden: ReadonlySet<string>;
  onToggle: (id: string) => void;
}

export function ColumnChooser<T>({ columns, hidden, onToggle }: Props<T>) {
  const [open, setOpen] = useState(false);
  const menuId = useId();
  const visibleCount = columns.length - hidden.size;
  return (
    <div className="column-chooser">
      <button
        type="button"
        className="button ghost"
        aria-expanded={open}
        aria-controls={menuId}
        onClick={() => setOpen((o) => !o)}
        onKeyDown={(e) => {
          if (e.key === 'Escape') setOpen(false);
        }}
      >
        Columns
      </button>
      {open && (
        <fieldset id={menuId} className="column-menu">
          <legend className="visually-hidden">Visible columns</legend>
          {columns.map((c) => (
            <label key={c.id}>
              <input
                type="checkbox"
                checked={!hidden.has(c.id)}
                // The last visible column stays: an empty table helps nobody.
                disabled={!hidden.has(c.id) && visibleCount === 1}
                onChange={() => onToggle(c.id)}
                onKeyDown={(e) => {
                  if (e.key === 'Escape') setOpen(false);
                }}
              />
              {c.header}
            </label>
          ))}
        </fieldset>
      )}
    </div>
  );
}
