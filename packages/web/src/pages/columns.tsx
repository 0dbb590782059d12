import { SeverityBadge } from '../components/SeverityBadge.tsx';
import { StatusBadge } from '../components/StatusBadge.tsx';
import type { Column } from '../components/table-types.ts';
import { pick, type Row, text } from '../lib/fields.ts';
import { formatUtc, relativeTime, toDate } from '../lib/format.ts';
import { severityRank } from '../lib/severity.ts';

/** Column builders shared by the list pages; each names the API fields it reads. */
export const textColumn = (id: string, header: string, ...keys: string[]): Column<Row> => ({
  id,
  header,
  render: (r) => text(pick(r, ...keys)),
  sortValue: (r) => {
    const v = pick(r, ...keys);
    return typeof v === 'number' ? v : text(v);
  },
});

export const severityColumn = (): Column<Row> => ({
  id: 'severity',
  header: 'Severity',
  render: (r) => <SeverityBadge value={pick(r, 'severity', 'level')} />,
  sortValue: (r) => severityRank(pick(r, 'severity', 'level')),
});

export const statusColumn = (): Column<Row> => ({
  id: 'status',
  header: 'Status',
  render: (r) => <StatusBadge value={pick(r, 'status')} />,
  sortValue: (r) => text(pick(r, 'status')),
});

export const timeColumn = (id: string, header: string, ...keys: string[]): Column<Row> => ({
  id,
  header,
  render: (r) => {
    const v = pick(r, ...keys);
    return <time title={formatUtc(v)}>{relativeTime(v)}</time>;
  },
  sortValue: (r) => toDate(pick(r, ...keys))?.getTime() ?? null,
});
