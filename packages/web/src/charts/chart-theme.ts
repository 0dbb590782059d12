/** Chart styling shared by the console's charts: theme tokens, so both themes apply. */
export const TOOLTIP_STYLE = {
  background: 'var(--surface-2)',
  border: '1px solid var(--border)',
  color: 'var(--text)',
} as const;

/** `HH:MM` of an ISO time, for time axes within a day. */
export const hhmm = (iso: unknown) => (typeof iso === 'string' ? iso.slice(11, 16) : '');
