/** Timestamps from the API are epoch milliseconds or ISO strings; both become Dates. */
export function toDate(value: unknown): Date | null {
  if (typeof value === 'number' && Number.isFinite(value)) return new Date(value);
  if (typeof value === 'string' && value !== '') {
    const d = new Date(value);
    return Number.isNaN(d.getTime()) ? null : d;
  }
  return null;
}

/** "3 min ago", "2 h ago", "5 d ago"; future times (clock skew) read as "just now". */
export function relativeTime(value: unknown, now: number = Date.now()): string {
  const d = toDate(value);
  if (!d) return '—';
  const s = Math.round((now - d.getTime()) / 1000);
  if (s < 45) return 'just now';
  if (s < 3600) return `${Math.round(s / 60)} min ago`;
  if (s < 86_400) return `${Math.round(s / 3600)} h ago`;
  return `${Math.round(s / 86_400)} d ago`;
}

/** Absolute UTC time, the way analysts compare across time zones. */
export function formatUtc(value: unknown): string {
  const d = toDate(value);
  if (!d) return '—';
  return `${d.toISOString().slice(0, 19).replace('T', ' ')} UTC`;
}

export function formatNumber(n: number | null | undefined, digits = 0): string {
  if (n === null || n === undefined || !Number.isFinite(n)) return '—';
  return n.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: 0 });
}

/** "1 row", "2 rows", "1,234 rows". */
export function countOf(n: number, singular: string, plural = `${singular}s`): string {
  return `${formatNumber(n)} ${n === 1 ? singular : plural}`;
}
