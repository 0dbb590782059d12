/**
 * Alert grouping, pure: which alert a match belongs to. Matches of the same rule with the same
 * group key inside the grouping window update one alert instead of raising another. The group
 * key is the rule id plus the values of the rule's group fields, or the device id by default.
 * Time is passed in; the clock is never read.
 */

/** What grouping needs from a match's event. */
export interface GroupableEvent {
  device_id?: string | null;
  fields: Readonly<Record<string, unknown>>;
}

/** An open alert as grouping sees it. */
export interface OpenAlertWindow {
  group_key: string;
  first_seen: number;
  last_seen: number;
}

/** How long an alert stays open for new matches. */
export interface GroupingWindow {
  /** A match joins the alert if it is at most this long after the alert's last match (ms). */
  idleMs: number;
  /** And at most this long after its first match (ms); unbounded when absent. */
  maxSpanMs?: number;
}

/** Default: 1 h since the last match, at most 24 h in total. */
export const DEFAULT_GROUPING_WINDOW: GroupingWindow = { idleMs: 3_600_000, maxSpanMs: 86_400_000 };

function keyPart(v: unknown): string {
  if (v === undefined || v === null) return '';
  if (typeof v === 'string') return v.toLowerCase();
  if (typeof v === 'number' || typeof v === 'boolean' || typeof v === 'bigint') return String(v);
  return JSON.stringify(v);
}

/**
 * Group key of a match: `ruleId` + the event's values of `groupFields` (case-insensitive), or
 * `ruleId` + device id when no group fields are configured. Parts are JSON-encoded so values
 * containing separators cannot collide.
 */
export function alertGroupKey(
  ruleId: string,
  event: GroupableEvent,
  groupFields: readonly string[] = [],
): string {
  if (groupFields.length === 0) return JSON.stringify([ruleId, 'device', event.device_id ?? '']);
  return JSON.stringify([ruleId, ...groupFields.map((f) => [f, keyPart(event.fields[f])])]);
}

/**
 * True when a match at `ts` with `groupKey` belongs to `alert`: same key, not before the alert
 * started (late events still join), within `idleMs` of its last match and `maxSpanMs` of its first.
 */
export function fallsInAlertWindow(
  alert: OpenAlertWindow,
  groupKey: string,
  ts: number,
  window: GroupingWindow = DEFAULT_GROUPING_WINDOW,
): boolean {
  if (alert.group_key !== groupKey) return false;
  if (ts - alert.last_seen > window.idleMs) return false;
  if (window.maxSpanMs !== undefined && ts - alert.first_seen > window.maxSpanMs) return false;
  return alert.first_seen - ts <= window.idleMs;
}

/** The alert window after adding a match at `ts` (first/last seen widen; the count grows). */
export function extendAlertWindow<T extends OpenAlertWindow & { count: number }>(alert: T, ts: number): T {
  return {
    ...alert,
    first_seen: Math.min(alert.first_seen, ts),
    last_seen: Math.max(alert.last_seen, ts),
    count: alert.count + 1,
  };
}
