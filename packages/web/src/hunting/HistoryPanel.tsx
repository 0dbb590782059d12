import { useState } from 'react';
import { useHttp } from '../api/http-context.ts';
import { FormError } from '../components/FormError.tsx';
import { ResourceView } from '../components/ResourceView.tsx';
import { useResource } from '../hooks/useResource.ts';
import { countOf, relativeTime } from '../lib/format.ts';
import { huntApi } from './hunt-api.ts';

/** The caller's recent queries, newest first; `refreshKey` changes after each run. */
export function HistoryPanel({
  refreshKey,
  onLoad,
}: {
  refreshKey: number;
  onLoad: (query: string) => void;
}) {
  const http = useHttp();
  const [cleared, setCleared] = useState(0);
  const [error, setError] = useState<unknown>(null);
  const history = useResource((signal) => huntApi.history(http, signal), [refreshKey, cleared]);
  return (
    <section className="card" aria-labelledby="history-title">
      <div className="card-header">
        <h2 id="history-title">History</h2>
        <button
          type="button"
          className="button small"
          onClick={async () => {
            setError(null);
            try {
              await huntApi.clearHistory(http);
              setCleared((n) => n + 1);
            } catch (err) {
              setError(err);
            }
          }}
        >
          Clear history
        </button>
      </div>
      <FormError error={error} />
      <ResourceView state={history} feature="Query history" onRetry={history.reload}>
        {(page) =>
          page.items.length === 0 ? (
            <p className="muted">No queries run yet.</p>
          ) : (
            <ol className="query-list">
              {page.items.map((h) => (
                <li key={h.id}>
                  <button
                    type="button"
                    className="link-button mono"
                    title={h.query}
                    onClick={() => onLoad(h.query)}
                    aria-label={`Load query from history: ${h.query}`}
                  >
                    {h.query.length > 80 ? `${h.query.slice(0, 79)}…` : h.query}
                  </button>
                  <span className="muted small">
                    {relativeTime(h.created_at)} ·{' '}
                    {h.status === 'ok' || h.status === 'success'
                      ? countOf(h.row_count ?? 0, 'row')
                      : (h.error_code ?? h.status)}
                  </span>
                </li>
              ))}
            </ol>
          )
        }
      </ResourceView>
    </section>
  );
}
