import type { SavedQueryRow } from '../repositories/saved-queries-repository.ts';
import { isoTime } from './time.ts';

/** A saved query as the API returns it; `schedule` is null unless it is a scheduled detection. */
export function presentSavedQuery(q: SavedQueryRow, callerId: string) {
  return {
    id: q.id,
    name: q.name,
    description: q.description,
    query: q.query,
    visibility: q.visibility,
    owner_id: q.owner_id,
    owned: q.owner_id === callerId,
    lookback_seconds: q.lookback_ms === null ? null : Math.round(q.lookback_ms / 1000),
    schedule:
      q.schedule_interval_ms === null
        ? null
        : {
            enabled: q.schedule_enabled === 1,
            interval_seconds: Math.round(q.schedule_interval_ms / 1000),
            threshold: q.alert_threshold,
            severity: q.alert_severity,
            next_run_at: isoTime(q.next_run_at),
            last_run_at: isoTime(q.last_run_at),
            last_status: q.last_status,
            last_error: q.last_error,
            last_row_count: q.last_row_count,
            last_alert_id: q.last_alert_id,
          },
    created_at: isoTime(q.created_at)!,
    updated_at: isoTime(q.updated_at)!,
  };
}
