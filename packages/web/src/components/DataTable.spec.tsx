import { fireEvent, render, screen, within } from '@testing-library/react';
import { beforeEach, describe, expect, test } from 'vitest';
import { DataTable } from './DataTable.tsx';
import type { Column } from './table-types.ts';

interface Host {
  id: string;
  name: string;
  risk: number | null;
}

const COLUMNS: Column<Host>[] = [
  { id: 'name', header: 'Name', render: (h) => h.name, sortValue: (h) => h.name },
  {
    id: 'risk',
    header: 'Risk',
    render: (h) => String(h.risk ?? '—'),
    sortValue: (h) => h.risk,
    numeric: true,
  },
  { id: 'secret', header: 'Hidden one', render: () => 'x', hiddenByDefault: true },
];
const ROWS: Host[] = [
  { id: '1', name: 'b-host', risk: 10 },
  { id: '2', name: 'a-host', risk: null },
  { id: '3', name: 'c-host', risk: 80 },
];

const names = () =>
  screen
    .getAllByRole('row')
    .slice(1)
    .map((r) => within(r).getAllByRole('cell')[0]?.textContent);

describe('DataTable', () => {
  beforeEach(() => localStorage.clear());

  test('sorts one page locally by clicking headers, announcing the order', () => {
    render(<DataTable id="t1" caption="Hosts" columns={COLUMNS} rows={ROWS} rowKey={(h) => h.id} />);
    expect(names()).toEqual(['b-host', 'a-host', 'c-host']);
    fireEvent.click(screen.getByRole('button', { name: /Risk/ }));
    expect(names()).toEqual(['b-host', 'c-host', 'a-host']);
    expect(screen.getByRole('columnheader', { name: /Risk/ }).getAttribute('aria-sort')).toBe('ascending');
    fireEvent.click(screen.getByRole('button', { name: /Risk/ }));
    expect(names()).toEqual(['c-host', 'b-host', 'a-host']);
  });

  test('column choice hides and shows columns and is remembered', () => {
    const { unmount } = render(
      <DataTable id="t2" caption="Hosts" columns={COLUMNS} rows={ROWS} rowKey={(h) => h.id} />,
    );
    expect(screen.queryByRole('columnheader', { name: 'Hidden one' })).toBeNull();
    fireEvent.click(screen.getByRole('button', { name: 'Columns' }));
    fireEvent.click(screen.getByRole('checkbox', { name: 'Hidden one' }));
    fireEvent.click(screen.getByRole('checkbox', { name: 'Risk' }));
    expect(screen.getByRole('columnheader', { name: 'Hidden one' })).toBeTruthy();
    expect(screen.queryByRole('columnheader', { name: /Risk/ })).toBeNull();
    unmount();
    render(<DataTable id="t2" caption="Hosts" columns={COLUMNS} rows={ROWS} rowKey={(h) => h.id} />);
    expect(screen.queryByRole('columnheader', { name: /Risk/ })).toBeNull();
  });

  test('an empty page shows its message', () => {
    render(
      <DataTable
        id="t3"
        caption="Hosts"
        columns={COLUMNS}
        rows={[]}
        rowKey={(h) => h.id}
        empty="No hosts."
      />,
    );
    expect(screen.getByText('No hosts.')).toBeTruthy();
  });
});
