import { Link } from 'react-router';
import { SeverityBadge } from '../components/SeverityBadge.tsx';
import type { ResourceState } from '../hooks/resource-state.ts';

/** `GET /api/v1/alerts/counts`. */
export interface AlertCounts {
  total: number;
  by_status: Record<string, number>;
  by_severity: Record<string, number>;
}

const SEVERITIES = ['critical', 'high', 'medium', 'low', 'informational'] as const;

/** Open alerts in total and by severity, each count a way into the queue. */
export function OpenAlertsKpi({ state }: { state: ResourceState<AlertCounts> }) {
  const ready = state.status === 'ready' ? state.data : null;
  return (
    <section className="kpi-card" aria-label="Open alerts">
      <h2>Open alerts</h2>
      <p className="kpi-value">
        {ready ? ready.total.toLocaleString('en-US') : state.status === 'loading' ? '…' : '—'}
      </p>
      {ready ? (
        <ul className="severity-counts">
          {SEVERITIES.filter((s) => (ready.by_severity[s] ?? 0) > 0 || s !== 'informational').map((s) => (
            <li key={s}>
              <Link to="/alerts" aria-label={`${ready.by_severity[s] ?? 0} ${s}`}>
                <SeverityBadge value={s} /> {ready.by_severity[s] ?? 0}
              </Link>
            </li>
          ))}
        </ul>
      ) : (
        state.status !== 'loading' && (
          <p className="kpi-note">
            {state.status === 'forbidden' ? 'Not allowed' : 'Not available on this server yet'}
          </p>
        )
      )}
    </section>
  );
}
