import { type FormEvent, lazy, Suspense, useState } from 'react';
import { useHttp } from '../api/http-context.ts';
import type { HistogramBucket } from '../charts/HistogramChart.tsx';
import { DataTable } from '../components/DataTable.tsx';
import { LoadingState } from '../components/LoadingState.tsx';
import { PageHeader } from '../components/PageHeader.tsx';
import { ResourceView } from '../components/ResourceView.tsx';
import type { Column } from '../components/table-types.ts';
import { useResource } from '../hooks/useResource.ts';
import { type Row, text } from '../lib/fields.ts';

/** `POST /api/v1/hunt` (packages/server/src/presenters/hunt-presenter.ts). */
interface HuntResult {
  columns: Array<{ name: string; type: string }>;
  rows: unknown[][];
  histogram: { bucket_ms: number; buckets: HistogramBucket[] } | null;
  statistics: { row_count: number; truncated: boolean; query_ms: number };
  warnings: Array<{ message: string; line: number; column: number }>;
  elapsed_ms: number;
}

const HistogramChart = lazy(() => import('../charts/HistogramChart.tsx'));

const DEFAULT_QUERY = 'Events | sort by ts desc | take 50';

/** Result rows come as arrays (in column order) or as records; the table wants records. */
function toRecords(result: HuntResult): { names: string[]; rows: Row[] } {
  const names = result.columns.map((c) => c.name);
  const rows = result.rows.map((r, i) => {
    const rec: Row = Object.fromEntries(names.map((n, j) => [n, r[j]]));
    rec[ROW_KEY] = i;
    return rec;
  });
  return { names, rows };
}

/** A key no query column can have (column names never contain a NUL). */
const ROW_KEY = '\u0000row';

export function HuntingPage() {
  const http = useHttp();
  const [draft, setDraft] = useState(DEFAULT_QUERY);
  const [query, setQuery] = useState(DEFAULT_QUERY);
  const [run, setRun] = useState(0);
  const result = useResource(
    (signal) => http.post<HuntResult>('/api/v1/hunt', { query, limit: 500 }, { signal }),
    [query, run],
  );
  const submit = (e?: FormEvent) => {
    e?.preventDefault();
    setQuery(draft);
    setRun((n) => n + 1);
  };
  return (
    <>
      <PageHeader title="Hunting" />
      <form className="hunt-form" onSubmit={submit}>
        <label htmlFor="hunt-query">Query</label>
        <textarea
          id="hunt-query"
          className="code"
          rows={4}
          spellCheck={false}
          value={draft}
          onChange={(e) => setDraft(e.target.value)}
          onKeyDown={(e) => {
            // Ctrl/Cmd+Enter runs, as in the query workbenches analysts know.
            if (e.key === 'Enter' && (e.ctrlKey || e.metaKey)) submit();
          }}
        />
        <button type="submit" className="button primary">
          Run <kbd>Ctrl</kbd>+<kbd>Enter</kbd>
        </button>
      </form>
      <ResourceView state={result} feature="The hunting API" onRetry={result.reload}>
        {(data) => {
          const { names, rows } = toRecords(data);
          const columns: Column<Row>[] = names.map((n) => ({
            id: n,
            header: n,
            render: (r) => text(r[n]),
            sortValue: (r) => {
              const v = r[n];
              return typeof v === 'number' ? v : text(v);
            },
          }));
          return (
            <>
              {data.warnings.map((w) => (
                <p key={`${w.line}:${w.column}:${w.message}`} className="notice">
                  Line {w.line}, column {w.column}: {w.message}
                </p>
              ))}
              {data.histogram && data.histogram.buckets.length > 0 && (
                <section className="card" aria-label="Events over time">
                  <Suspense fallback={<LoadingState label="Loading chart" />}>
                    <HistogramChart buckets={data.histogram.buckets} />
                  </Suspense>
                </section>
              )}
              <DataTable
                id={`hunt-${names.join(',')}`}
                caption="Query results"
                columns={columns}
                rows={rows}
                rowKey={(r) => String(r[ROW_KEY])}
                empty="The query matched nothing."
                toolbar={
                  <span className="muted" data-testid="hunt-stats">
                    {data.statistics.row_count.toLocaleString('en-US')} rows
                    {data.statistics.truncated ? ' (truncated at the limit)' : ''} in {data.elapsed_ms} ms
                  </span>
                }
              />
            </>
          );
        }}
      </ResourceView>
    </>
  );
}
