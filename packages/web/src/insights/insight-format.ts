import type { TrendPoint } from '../api/insights-api.ts';

const DAY_MS = 86_400_000;

/** `YYYY-MM-DD` (UTC) of an instant. */
export function utcDay(ms: number): string {
  return new Date(ms).toISOString().slice(0, 10);
}

/**
 * One point per calendar day of the window ending `today` (UTC), oldest first; days the
 * engine computed nothing for (no events) are `null`, so a chart shows a gap, not a zero.
 */
export function dailySeries(
  points: readonly TrendPoint[],
  days: number,
  today: string,
): Array<{ day: string; risk_score: number | null }> {
  const end = Date.parse(`${today}T00:00:00Z`);
  if (Number.isNaN(end) || days <= 0) return [];
  const byDay = new Map(points.map((p) => [p.day, p.risk_score]));
  const out: Array<{ day: string; risk_score: number | null }> = [];
  for (let i = days - 1; i >= 0; i--) {
    const day = utcDay(end - i * DAY_MS);
    out.push({ day, risk_score: byDay.get(day) ?? null });
  }
  return out;
}

/** The risk delta against the 7-day average, signed, one decimal: "+91.0", "−3.5", "0.0". */
export function formatDelta(delta: number | string | null | undefined): string {
  const n = typeof delta === 'string' ? Number(delta) : delta;
  if (n === null || n === undefined || !Number.isFinite(n)) return '—';
  const text = Math.abs(n).toFixed(1);
  if (text === '0.0') return '0.0';
  return n > 0 ? `+${text}` : `\u2212${text}`;
}

/** The severity band a 0–100 risk score is shown with. */
export function riskBand(score: number): 'low' | 'medium' | 'high' | 'critical' {
  if (score >= 75) return 'critical';
  if (score >= 50) return 'high';
  if (score >= 25) return 'medium';
  return 'low';
}

const DRIVER_LABELS: Record<string, string> = {
  auth: 'Authentication',
  network_exposure: 'Network exposure',
  process: 'Processes',
  filewatch: 'File changes',
  none: 'None',
};

/** A risk driver category as people read it. */
export function driverLabel(category: string): string {
  return DRIVER_LABELS[category] ?? category.replaceAll('_', ' ');
}

const METRIC_LABELS: Record<string, string> = {
  failed_logins: 'Failed logins',
  new_listeners: 'New listeners',
  new_processes: 'New processes',
  suspicious_execs: 'Runs from temp paths',
};

/** One of the four daily metrics as people read it. */
export function metricLabel(metric: string): string {
  return METRIC_LABELS[metric] ?? metric.replaceAll('_', ' ');
}
