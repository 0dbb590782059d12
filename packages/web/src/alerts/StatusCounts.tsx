import { ALERT_STATUSES } from '../api/alerts-api.ts';
import type { ResourceState } from '../hooks/resource-state.ts';

/** How many alerts each status holds under the other filters; a count picks that status. */
export function StatusCounts({
  state,
  current,
  onPick,
}: {
  state: ResourceState<{ total: number; by_status: Record<string, number> }>;
  current: string;
  onPick: (status: string) => void;
}) {
  if (state.status !== 'ready') return null;
  const c = state.data;
  return (
    <nav className="tabs" aria-label="Alerts by status">
      <button type="button" className="button ghost" aria-pressed={current === ''} onClick={() => onPick('')}>
        All {c.total.toLocaleString('en-US')}
      </button>
      {ALERT_STATUSES.map((s) => (
        <button
          key={s}
          type="button"
          className="button ghost"
          aria-pressed={current === s}
          onClick={() => onPick(s)}
        >
          {s.replaceAll('_', ' ')} {(c.by_status[s] ?? 0).toLocaleString('en-US')}
        </button>
      ))}
    </nav>
  );
}
