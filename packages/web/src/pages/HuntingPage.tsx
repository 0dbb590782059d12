import { type FormEvent, useState } from 'react';
import { useHttp } from '../api/http-context.ts';
import { DataTable } from '../components/DataTable.tsx';
import { PageHeader } from '../components/PageHeader.tsx';
import { ResourceView } from '../components/ResourceView.tsx';
import type { Column } from '../components/table-types.ts';
import { useResource } from '../hooks/useResource.ts';
import { type Row, text } from '../lib/fields.ts';

interface HuntResult {
  columns: Array<string | { name: string }>;
  rows: Array<unknown[] | Row>;
  elapsed_ms?: number;
}

const DEFAULT_QUERY = 'Events | sort by ts desc | take 50';

/** Result rows come as arrays (in column order) or as records; the table wants records. */
function toRecords(result: HuntResult): { names: string[]; rows: Row[] } {
  const names = result.columns.map((c) => (typeof c === 'string' ? c : c.name));
  const rows = result.rows.map((r, i) => {
    const rec: Row = Array.isArray(r) ? Object.fromEntries(names.map((n, j) => [n, r[j]])) : { ...r };
    rec.__row = i;
    return rec;
  });
  return { names, rows };
}

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
            <DataTable
              id={`hunt-${names.join(',')}`}
              caption="Query results"
              columns={columns}
              rows={rows}
              rowKey={(r) => String(r.__row)}
              empty="The query matched nothing."
              toolbar={
                <span className="muted">
                  {rows.length} rows{data.elapsed_ms !== undefined ? ` in ${data.elapsed_ms} ms` : ''}
                </span>
              }
            />
          );
        }}
      </ResourceView>
    </>
  );
}
