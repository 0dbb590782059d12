import type { MatchedEvent } from '../api/alerts-api.ts';
import { formatUtc } from '../lib/format.ts';

/** One event that matched: its fields as a table, and the whole record as JSON for copying. */
export function MatchedEventView({ event }: { event: MatchedEvent }) {
  const fields = Object.entries(event.fields);
  return (
    <details className="event-view">
      <summary>
        <time>{formatUtc(event.ts)}</time> · {event.title ?? event.source}{' '}
        <span className="muted">
          {Object.values(event.logsource).join(' / ')} · {fields.length} fields
        </span>
      </summary>
      <table className="data-table compact">
        <caption className="visually-hidden">Fields of event {event.id}</caption>
        <tbody>
          {fields.map(([k, v]) => (
            <tr key={k}>
              <th scope="row">{k}</th>
              <td className="mono wrap">{typeof v === 'string' ? v : JSON.stringify(v)}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <details>
        <summary>Raw JSON</summary>
        <pre className="code-block">{JSON.stringify(event, null, 2)}</pre>
      </details>
    </details>
  );
}
