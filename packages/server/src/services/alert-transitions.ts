/**
 * The alert lifecycle as data: `open → acknowledged → in_progress → resolved |
 * false_positive`, forward shortcuts allowed (an obvious false positive is
 * closed straight from open), and `reopen` from any closed status back to open.
 * Nothing here touches storage: the triage service asks, then writes.
 */

/** Every status an alert can have. `closed` is seed 004's word for resolved; stored alerts may carry it. */
export const ALERT_STATUSES = [
  'open',
  'acknowledged',
  'in_progress',
  'resolved',
  'false_positive',
  'closed',
] as const;
export type AlertStatus = (typeof ALERT_STATUSES)[number];

/** Statuses an analyst may move an alert to (`closed` is only read, never set). */
export const SETTABLE_ALERT_STATUSES = [
  'open',
  'acknowledged',
  'in_progress',
  'resolved',
  'false_positive',
] as const;
export type SettableAlertStatus = (typeof SETTABLE_ALERT_STATUSES)[number];

/** Where each status may go. Reaching `open` again from a closed status is a reopen. */
export const ALERT_TRANSITIONS: Readonly<Record<AlertStatus, readonly SettableAlertStatus[]>> = {
  open: ['acknowledged', 'in_progress', 'resolved', 'false_positive'],
  acknowledged: ['in_progress', 'resolved', 'false_positive'],
  in_progress: ['resolved', 'false_positive'],
  resolved: ['open'],
  false_positive: ['open'],
  closed: ['open'],
};

/** Statuses in which an alert no longer absorbs new matches and counts as done. */
export const CLOSED_STATUSES: readonly AlertStatus[] = ['resolved', 'false_positive', 'closed'];

export function isAlertStatus(value: unknown): value is AlertStatus {
  return typeof value === 'string' && (ALERT_STATUSES as readonly string[]).includes(value);
}

export function isSettableAlertStatus(value: unknown): value is SettableAlertStatus {
  return typeof value === 'string' && (SETTABLE_ALERT_STATUSES as readonly string[]).includes(value);
}

/** True when an alert in `from` may move to `to`. */
export function canTransition(from: string, to: string): boolean {
  if (!isAlertStatus(from) || !isSettableAlertStatus(to)) return false;
  return ALERT_TRANSITIONS[from].includes(to);
}

/** What a move is called in history and events: `reopen` when a closed alert opens again. */
export function transitionName(from: string, to: string): 'reopen' | 'status' {
  return to === 'open' && (CLOSED_STATUSES as readonly string[]).includes(from) ? 'reopen' : 'status';
}
