/** Alert statuses that still need someone: everything but resolved, false positive and closed. */
export const OPEN_ALERT_STATUSES = 'open,acknowledged,in_progress';
