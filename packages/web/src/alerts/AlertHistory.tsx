import type { AlertHistoryEntry } from '../api/alerts-api.ts';
import { describeHistory } from '../lib/alert-triage.ts';
import { formatUtc, relativeTime } from '../lib/format.ts';

/** Who changed what on the alert, oldest first. */
export function AlertHistory({
  entries,
  nameOf,
  refName,
}: {
  entries: AlertHistoryEntry[];
  nameOf: (userId: string) => string;
  refName: (ref: { user_id?: unknown; group_id?: unknown } | undefined) => string;
}) {
  return (
    <section className="card" aria-labelledby="alert-history">
      <h2 id="alert-history">History</h2>
      {entries.length === 0 ? (
        <p className="muted">No changes yet.</p>
      ) : (
        <ol className="recent-list" aria-label="History">
          {entries.map((h) => (
            <li key={h.id}>
              <time title={formatUtc(h.at)}>{relativeTime(h.at)}</time>{' '}
              <strong>{h.actor_id ? nameOf(h.actor_id) : 'Harrier'}</strong> {describeHistory(h, refName)}
              {h.reason && <span className="muted"> — {h.reason}</span>}
            </li>
          ))}
        </ol>
      )}
    </section>
  );
}
