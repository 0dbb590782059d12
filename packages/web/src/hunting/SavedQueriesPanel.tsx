import { type FormEvent, useState } from 'react';
import { useHttp } from '../api/http-context.ts';
import { useCan } from '../auth/session-context.ts';
import { FormError } from '../components/FormError.tsx';
import { ResourceView } from '../components/ResourceView.tsx';
import { useChange } from '../hooks/useChange.ts';
import { useResource } from '../hooks/useResource.ts';
import { huntApi } from './hunt-api.ts';

interface Props {
  /** The query in the editor: what "Save" stores. */
  current: string;
  onLoad: (query: string) => void;
  /** Loads the query into the editor and runs it. */
  onRun: (query: string) => void;
}

/** The caller's saved queries and the organization's shared ones: load, save, share, delete. */
export function SavedQueriesPanel({ current, onLoad, onRun }: Props) {
  const http = useHttp();
  const canWrite = useCan('queries:write');
  // A schedule turns the query into a detection: that takes the rule authors' permission too.
  const canSchedule = useCan('rules:write');
  const [version, setVersion] = useState(0);
  const list = useResource((signal) => huntApi.saved(http, signal), [version]);
  const [name, setName] = useState('');
  const [shared, setShared] = useState(false);
  const [scheduled, setScheduled] = useState(false);
  const [intervalSeconds, setIntervalSeconds] = useState('900');
  const [threshold, setThreshold] = useState('0');
  const [severity, setSeverity] = useState('medium');
  const { busy, error, run: act } = useChange(() => setVersion((v) => v + 1));
  const save = (e: FormEvent) => {
    e.preventDefault();
    void act(async () => {
      await huntApi.save(http, {
        name: name.trim(),
        query: current,
        visibility: shared ? 'shared' : 'private',
        ...(scheduled
          ? {
              schedule: {
                interval_seconds: Number(intervalSeconds),
                threshold: Math.max(0, Math.floor(Number(threshold) || 0)),
                severity,
              },
            }
          : {}),
      });
      setName('');
      setScheduled(false);
    });
  };

  return (
    <section className="card" aria-labelledby="saved-queries-title">
      <h2 id="saved-queries-title">Saved queries</h2>
      {canWrite && (
        <form className="stacked-form" aria-label="Save the query" onSubmit={save}>
          <label>
            Name
            <input required maxLength={200} value={name} onChange={(e) => setName(e.target.value)} />
          </label>
          <label className="check">
            <input type="checkbox" checked={shared} onChange={(e) => setShared(e.target.checked)} /> Share
            with the organization
          </label>
          {canSchedule && (
            <label className="check">
              <input type="checkbox" checked={scheduled} onChange={(e) => setScheduled(e.target.checked)} />{' '}
              Run on a schedule as a detection
            </label>
          )}
          {scheduled && (
            <fieldset className="field-group">
              <legend>Schedule</legend>
              <label>
                Every
                <select value={intervalSeconds} onChange={(e) => setIntervalSeconds(e.target.value)}>
                  <option value="300">5 minutes</option>
                  <option value="900">15 minutes</option>
                  <option value="3600">hour</option>
                  <option value="86400">day</option>
                </select>
              </label>
              <label>
                Alert when rows are more than
                <input
                  type="number"
                  min={0}
                  max={1_000_000}
                  value={threshold}
                  onChange={(e) => setThreshold(e.target.value)}
                />
              </label>
              <label>
                Alert severity
                <select value={severity} onChange={(e) => setSeverity(e.target.value)}>
                  <option value="low">Low</option>
                  <option value="medium">Medium</option>
                  <option value="high">High</option>
                  <option value="critical">Critical</option>
                </select>
              </label>
            </fieldset>
          )}
          <button type="submit" className="button" disabled={busy || !name.trim() || !current.trim()}>
            Save query
          </button>
        </form>
      )}
      <FormError error={error} />
      <ResourceView state={list} feature="Saved queries" onRetry={list.reload}>
        {(page) =>
          page.items.length === 0 ? (
            <p className="muted">No saved queries yet.</p>
          ) : (
            <ul className="query-list">
              {page.items.map((q) => (
                <li key={q.id}>
                  <button
                    type="button"
                    className="link-button"
                    title={q.query}
                    onClick={() => onLoad(q.query)}
                    aria-label={`Load saved query ${q.name}`}
                  >
                    {q.name}
                  </button>
                  <span className="muted small">
                    {q.visibility === 'shared' ? 'shared' : 'private'}
                    {q.schedule
                      ? ` · every ${Math.round(q.schedule.interval_seconds / 60)} min, alert over ${q.schedule.threshold} rows${
                          q.schedule.last_status ? ` · last run ${q.schedule.last_status}` : ''
                        }`
                      : ''}
                    {q.owned ? '' : ' · by a colleague'}
                  </span>
                  <span className="row-actions">
                    <button
                      type="button"
                      className="button small"
                      onClick={() => onRun(q.query)}
                      aria-label={`Run ${q.name}`}
                    >
                      Run
                    </button>
                    {q.owned && canWrite && (
                      <>
                        <button
                          type="button"
                          className="button small"
                          disabled={busy}
                          onClick={() =>
                            act(() =>
                              huntApi.share(http, q.id, q.visibility === 'shared' ? 'private' : 'shared'),
                            )
                          }
                          aria-label={`${q.visibility === 'shared' ? 'Stop sharing' : 'Share'} ${q.name}`}
                        >
                          {q.visibility === 'shared' ? 'Unshare' : 'Share'}
                        </button>
                        <button
                          type="button"
                          className="button small danger"
                          disabled={busy}
                          onClick={() => {
                            if (window.confirm(`Delete the saved query "${q.name}"?`)) {
                              void act(() => huntApi.remove(http, q.id));
                            }
                          }}
                          aria-label={`Delete ${q.name}`}
                        >
                          Delete
                        </button>
                      </>
                    )}
                  </span>
                </li>
              ))}
            </ul>
          )
        }
      </ResourceView>
    </section>
  );
}
