import { lazy, type ReactNode, Suspense, useEffect, useMemo, useRef, useState } from 'react';
import { ApiError } from '../api/api-error.ts';
import { useHttp } from '../api/http-context.ts';
import { DataTable } from '../components/DataTable.tsx';
import { FormError } from '../components/FormError.tsx';
import { LoadingState } from '../components/LoadingState.tsx';
import { PageHeader } from '../components/PageHeader.tsx';
import type { Column } from '../components/table-types.ts';
import { useResource } from '../hooks/useResource.ts';
import { HistoryPanel } from '../hunting/HistoryPanel.tsx';
import { type HuntResult, huntApi, TIME_RANGES, type TimeRangeId } from '../hunting/hunt-api.ts';
import { JsonViewer } from '../hunting/JsonViewer.tsx';
import { QueryEditor, type QueryProblem } from '../hunting/QueryEditor.tsx';
import { SavedQueriesPanel } from '../hunting/SavedQueriesPanel.tsx';
import { SchemaPanel } from '../hunting/SchemaPanel.tsx';
import { catalogFromSchema } from '../hunting/schema.ts';
import { type Row, text } from '../lib/fields.ts';
import { countOf } from '../lib/format.ts';
import '../styles/controls.css';
import '../styles/hunting.css';

const HistogramChart = lazy(() => import('../charts/HistogramChart.tsx'));

const DEFAULT_QUERY = 'Events\n| sort by Timestamp desc\n| take 50';

/** A key no query column can have (column names never contain a NUL). */
const ROW_KEY = '\u0000row';

/** Result rows come as arrays in column order; the table wants records. */
function toRecords(result: HuntResult): { names: string[]; rows: Row[] } {
  const names = result.columns.map((c) => c.name);
  const rows = result.rows.map((r, i) => {
    const rec: Row = Object.fromEntries(names.map((n, j) => [n, r[j]]));
    rec[ROW_KEY] = i;
    return rec;
  });
  return { names, rows };
}

/** The position of a refused query, when the server gave one. */
export function problemOf(err: unknown): QueryProblem | null {
  if (!(err instanceof ApiError) || err.status !== 400) return null;
  const d = err.details as Partial<QueryProblem> | null;
  if (!d || typeof d.line !== 'number' || typeof d.column !== 'number') return null;
  return {
    message: typeof d.message === 'string' ? d.message : err.message,
    line: d.line,
    column: d.column,
    offset: typeof d.offset === 'number' ? d.offset : 0,
    expected: Array.isArray(d.expected) ? d.expected : [],
  };
}

type RunState =
  | { status: 'idle' }
  | { status: 'running' }
  | { status: 'done'; result: HuntResult; query: string; range: TimeRangeId }
  | { status: 'failed'; error: unknown };

export function HuntingPage() {
  const http = useHttp();
  const [query, setQuery] = useState(DEFAULT_QUERY);
  const [range, setRange] = useState<TimeRangeId>('24h');
  const [run, setRun] = useState<RunState>({ status: 'idle' });
  const [problem, setProblem] = useState<QueryProblem | null>(null);
  const [runs, setRuns] = useState(0);
  const [openRow, setOpenRow] = useState<Row | null>(null);
  const inFlight = useRef<AbortController | null>(null);
  const schema = useResource((signal) => huntApi.schema(http, signal), []);
  const tables = schema.status === 'ready' ? schema.data : undefined;
  const catalog = useMemo(() => (tables ? catalogFromSchema(tables) : undefined), [tables]);

  /** Runs `text` (the editor's query unless another is given, e.g. a saved one). */
  const execute = async (text: string = query) => {
    inFlight.current?.abort();
    const controller = new AbortController();
    inFlight.current = controller;
    setRun({ status: 'running' });
    setProblem(null);
    setOpenRow(null);
    try {
      const result = await huntApi.run(http, text, range, controller.signal);
      if (!controller.signal.aborted) setRun({ status: 'done', result, query: text, range });
    } catch (error) {
      if (controller.signal.aborted) return;
      setProblem(problemOf(error));
      setRun({ status: 'failed', error });
    } finally {
      if (!controller.signal.aborted) setRuns((n) => n + 1);
    }
  };
  // A query left running when the page closes is abandoned.
  useEffect(() => () => inFlight.current?.abort(), []);
  const load = (q: string) => {
    setQuery(q);
    setProblem(null);
    document.getElementById('hunt-query')?.focus();
  };

  return (
    <>
      <PageHeader title="Hunting" />
      <div className="hunt-layout">
        <div className="hunt-main">
          <form
            className="hunt-form"
            aria-label="Hunting query"
            onSubmit={(e) => {
              e.preventDefault();
              void execute();
            }}
          >
            <QueryEditor
              value={query}
              onChange={(q) => {
                setQuery(q);
                setProblem(null);
              }}
              onRun={() => void execute()}
              problem={problem}
              catalog={catalog}
            />
            <div className="hunt-controls">
              <label>
                Time range{' '}
                <select value={range} onChange={(e) => setRange(e.target.value as TimeRangeId)}>
                  {TIME_RANGES.map((r) => (
                    <option key={r.id} value={r.id}>
                      {r.label}
                    </option>
                  ))}
                </select>
              </label>
              <button type="submit" className="button primary" disabled={run.status === 'running'}>
                Run
              </button>
            </div>
          </form>
          {run.status === 'idle' && (
            <p className="state-message">Write a query, or pick a saved one, and run it with Ctrl+Enter.</p>
          )}
          {run.status === 'running' && <LoadingState label="Running the query" />}
          {run.status === 'failed' && !problem && <FormError error={run.error} />}
          {run.status === 'done' && (
            <Results
              result={run.result}
              openRow={openRow}
              onOpenRow={setOpenRow}
              toolbar={<ExportButtons query={run.query} range={run.range} />}
            />
          )}
        </div>
        <aside className="hunt-side" aria-label="Saved queries and history">
          <SavedQueriesPanel
            current={query}
            onLoad={load}
            onRun={(q) => {
              load(q);
              void execute(q);
            }}
          />
          <HistoryPanel refreshKey={runs} onLoad={load} />
          <SchemaPanel state={schema} />
        </aside>
      </div>
    </>
  );
}

/** Downloads the whole result (up to the export cap) as CSV or JSON. */
function ExportButtons({ query, range }: { query: string; range: TimeRangeId }) {
  const http = useHttp();
  const [error, setError] = useState<unknown>(null);
  const download = async (format: 'csv' | 'json') => {
    setError(null);
    try {
      const text = await huntApi.export(http, query, range, format);
      const url = URL.createObjectURL(
        new Blob([text], { type: format === 'csv' ? 'text/csv' : 'application/json' }),
      );
      const a = document.createElement('a');
      a.href = url;
      a.download = `hunt-${new Date().toISOString().replace(/[:.]/g, '-')}.${format}`;
      a.click();
      URL.revokeObjectURL(url);
    } catch (err) {
      setError(err);
    }
  };
  return (
    <span className="row-actions">
      <button type="button" className="button small" onClick={() => download('csv')}>
        Export CSV
      </button>
      <button type="button" className="button small" onClick={() => download('json')}>
        Export JSON
      </button>
      <FormError error={error} />
    </span>
  );
}

function Results({
  result,
  openRow,
  onOpenRow,
  toolbar,
}: {
  result: HuntResult;
  openRow: Row | null;
  onOpenRow: (row: Row | null) => void;
  toolbar: ReactNode;
}) {
  const { names, rows } = toRecords(result);
  const columns: Column<Row>[] = [
    {
      id: '\u0000json',
      header: 'JSON',
      render: (r) => {
        const n = Number(r[ROW_KEY]) + 1;
        return (
          <button
            type="button"
            className="button small"
            aria-label={`Show row ${n} as JSON`}
            aria-pressed={openRow === r}
            onClick={() => onOpenRow(openRow === r ? null : r)}
          >
            {'{ }'}
          </button>
        );
      },
    },
    ...names.map(
      (n): Column<Row> => ({
        id: n,
        header: n,
        render: (r) => <span className="cell-text">{text(r[n])}</span>,
        sortValue: (r) => {
          const v = r[n];
          return typeof v === 'number' ? v : text(v);
        },
      }),
    ),
  ];
  const shown = openRow ? Object.fromEntries(Object.entries(openRow).filter(([k]) => k !== ROW_KEY)) : null;
  return (
    <>
      {result.warnings.map((w) => (
        <p key={`${w.line}:${w.column}:${w.message}`} className="notice">
          Line {w.line}, column {w.column}: {w.message}
        </p>
      ))}
      {result.histogram && result.histogram.buckets.length > 0 && (
        <section className="card" aria-label="Events over time">
          <Suspense fallback={<LoadingState label="Loading chart" />}>
            <HistogramChart buckets={result.histogram.buckets} />
          </Suspense>
        </section>
      )}
      <div className={shown ? 'hunt-results with-row' : 'hunt-results'}>
        <DataTable
          id={`hunt-${names.join(',')}`}
          caption="Query results"
          columns={columns}
          rows={rows}
          rowKey={(r) => String(r[ROW_KEY])}
          empty="The query matched nothing in this time range."
          toolbar={
            <span className="muted" data-testid="hunt-stats">
              {countOf(result.statistics.row_count, 'row')}
              {result.statistics.truncated ? ' (truncated at the limit)' : ''} in {result.elapsed_ms} ms
            </span>
          }
          footer={<div className="table-footer">{toolbar}</div>}
        />
        {shown && openRow && (
          <section className="card row-json" aria-labelledby="row-json-title">
            <div className="card-header">
              <h2 id="row-json-title">Row {Number(openRow[ROW_KEY]) + 1}</h2>
              <button type="button" className="button small" onClick={() => onOpenRow(null)}>
                Close
              </button>
            </div>
            <JsonViewer value={shown} label={`Fields of row ${Number(openRow[ROW_KEY]) + 1}`} />
          </section>
        )}
      </div>
    </>
  );
}
