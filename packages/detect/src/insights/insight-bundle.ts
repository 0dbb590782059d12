import { compareCodePoints } from '@harrier/schema';
import {
  aggregateEvents,
  type DayFacts,
  DRIVER_CATEGORIES,
  type DriverCategory,
  dayFactsOf,
  SEVERITY_WEIGHTS,
} from './day-aggregate.ts';
import { buildFingerprint } from './fingerprint.ts';
import type { InsightEvent, InsightSeverity, InsightSource } from './insight-event.ts';
import { PyFloat } from './python-json.ts';
import { formatFixed, roundHalfEven } from './python-numbers.ts';

export const INSIGHT_METRICS = [
  'failed_logins',
  'new_listeners',
  'new_processes',
  'suspicious_execs',
] as const;
export type InsightMetric = (typeof INSIGHT_METRICS)[number];
export type BaselineClassification = 'normal' | 'elevated' | 'anomalous';

/** One metric of the target day against its 14-day median. */
export interface BaselineMetric {
  metric: InsightMetric;
  today: number;
  baseline: number;
  /** today / max(1, baseline), rounded to 4 places. */
  ratio: number;
  classification: BaselineClassification;
}

export interface DriverShare {
  category: DriverCategory;
  score: number;
  /** Share of the day's weighted score, 0–100, rounded to 2 places. */
  percent: number;
}

export type InsightType = 'anomaly' | 'driver' | 'delta';

export interface Insight {
  ts: number;
  day: number;
  insight_type: InsightType;
  source: InsightSource;
  severity: InsightSeverity;
  title: string;
  explanation: string;
  evidence: Record<string, unknown>;
  fingerprint: string;
  status: 'open' | 'resolved';
}

export interface DailyBrief {
  day: number;
  risk_score: number;
  delta_vs_7d_avg: number;
  top_driver: DriverCategory | 'none';
  anomalies: string[];
  recommended_actions: string[];
}

/** Everything seed 002 computes for one device's latest day. */
export interface InsightBundle {
  day: number;
  risk_score: number;
  raw_risk_score: number;
  counts: Record<InsightSeverity, number>;
  metrics: Record<InsightMetric, number>;
  baseline: Record<InsightMetric, BaselineMetric>;
  drivers: DriverShare[];
  new_changes: string[];
  resolved_changes: string[];
  insights: Insight[];
  daily_brief: DailyBrief;
}

const METRIC_SOURCE: Record<InsightMetric, InsightSource> = {
  failed_logins: 'auth',
  new_listeners: 'network',
  new_processes: 'process',
  suspicious_execs: 'process',
};

export const ACTIONS = {
  failedLogins: 'Review failed login bursts and enforce MFA where missing.',
  newListeners: 'Validate newly exposed listening ports and close unneeded services.',
  suspiciousExecs: 'Investigate binaries running from temporary paths.',
  processDriver: 'Reconcile new process inventory against approved software baseline.',
  newChanges: 'Validate high-severity changes introduced since yesterday.',
  none: 'Maintain current hardening baseline and monitor for drift.',
} as const;

/** Python's `statistics.median` of integers (0 for none). */
export function median(values: readonly number[]): number {
  if (values.length === 0) return 0;
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

/** normal below 1.5×, elevated below 3×, anomalous from 3× the median. */
export function classifyRatio(ratio: number): BaselineClassification {
  if (ratio < 1.5) return 'normal';
  if (ratio < 3.0) return 'elevated';
  return 'anomalous';
}

/** Each metric of `today` against the median of the same metric over `prior` days. */
export function computeBaseline(
  today: Record<InsightMetric, number>,
  prior: ReadonlyArray<Record<InsightMetric, number>>,
): Record<InsightMetric, BaselineMetric> {
  const out = {} as Record<InsightMetric, BaselineMetric>;
  for (const metric of INSIGHT_METRICS) {
    const baseline = median(prior.map((p) => p[metric]));
    const ratio = today[metric] / Math.max(1, baseline);
    out[metric] = {
      metric,
      today: today[metric],
      baseline,
      ratio: roundHalfEven(ratio, 4),
      classification: classifyRatio(ratio),
    };
  }
  return out;
}

/** Sum of severity weights of a day's events. */
export function weightedSum(counts: Record<InsightSeverity, number>): number {
  return (
    counts.INFO * SEVERITY_WEIGHTS.INFO +
    counts.WARN * SEVERITY_WEIGHTS.WARN +
    counts.HIGH * SEVERITY_WEIGHTS.HIGH
  );
}

/** `int(min(100, round(raw / denominator * 100)))`, with Python's half-to-even `round`. */
export function riskScore(raw: number, denominator: number): number {
  return Math.trunc(Math.min(100, roundHalfEven((raw / denominator) * 100)));
}

/**
 * Driver shares by weighted score, highest first; ties keep the order in which seed 002 met
 * the categories (its events are read in time order), then the fixed category order.
 */
export function driverShares(facts: Pick<DayFacts, 'scores' | 'firstSeen'>): DriverShare[] {
  const present = DRIVER_CATEGORIES.filter((c) => facts.firstSeen[c] !== undefined || facts.scores[c] > 0);
  const total = present.reduce((sum, c) => sum + facts.scores[c], 0);
  if (total <= 0) return [];
  const order = (c: DriverCategory) => facts.firstSeen[c] ?? Number.MAX_SAFE_INTEGER;
  return [...present]
    .sort(
      (a, b) =>
        facts.scores[b] - facts.scores[a] ||
        order(a) - order(b) ||
        DRIVER_CATEGORIES.indexOf(a) - DRIVER_CATEGORIES.indexOf(b),
    )
    .map((category) => ({
      category,
      score: roundHalfEven(facts.scores[category], 3),
      percent: roundHalfEven((facts.scores[category] / total) * 100, 2),
    }));
}

/** The recommended actions of the brief, at most three, in seed 002's order. */
export function recommendedActions(
  metrics: Record<InsightMetric, number>,
  topDriver: string,
  newChanges: readonly string[],
): string[] {
  const actions: string[] = [];
  if (metrics.failed_logins > 0) actions.push(ACTIONS.failedLogins);
  if (metrics.new_listeners > 0) actions.push(ACTIONS.newListeners);
  if (metrics.suspicious_execs > 0) actions.push(ACTIONS.suspiciousExecs);
  if (topDriver === 'process') actions.push(ACTIONS.processDriver);
  if (newChanges.length > 0) actions.push(ACTIONS.newChanges);
  if (actions.length === 0) actions.push(ACTIONS.none);
  return actions.slice(0, 3);
}

function metricsOf(f: DayFacts): Record<InsightMetric, number> {
  return {
    failed_logins: f.failedLogins,
    new_listeners: f.newListeners,
    new_processes: f.newProcesses,
    suspicious_execs: f.suspiciousExecs,
  };
}

function baselineEvidence(m: BaselineMetric): Record<string, unknown> {
  return {
    metric: m.metric,
    today: m.today,
    baseline: new PyFloat(m.baseline),
    ratio: new PyFloat(m.ratio),
    classification: m.classification,
  };
}

/** Thrown when there is nothing to compute (seed 002 raises ValueError). */
export class NoEventsError extends Error {
  constructor() {
    super('events cannot be empty');
    this.name = 'NoEventsError';
  }
}

/**
 * Seed 002's insight bundle (CONTRACTS.md §2.7) from per-day facts of one device. The target
 * day is the latest day with events; history is the earlier days with events (prior 14 for
 * baselines, prior 30 for the rolling maximum, last 7 for the brief's average). `now` stamps
 * the insights. Days without events must not be passed.
 *
 * Where the seed depends on the order it read events in, aggregates cannot: drivers tied on
 * score and on their first event's instant follow the fixed category order, and a change keeps
 * the title of the first event seen with its fingerprint (the seed: the last one read).
 */
export function buildInsightBundle(days: readonly DayFacts[], now: number): InsightBundle {
  const withEvents = days.filter((d) => d.counts.INFO + d.counts.WARN + d.counts.HIGH > 0);
  if (withEvents.length === 0) throw new NoEventsError();
  const sorted = [...withEvents].sort((a, b) => a.day - b.day);
  const target = sorted[sorted.length - 1]!;
  const history = sorted.slice(0, -1);
  const prior14 = history.slice(-14);
  const prior30 = history.slice(-30);
  const yesterday = days.find((d) => d.day === target.day - 1);

  const metrics = metricsOf(target);
  const baseline = computeBaseline(metrics, prior14.map(metricsOf));

  const rawToday = weightedSum(target.counts);
  const raw30 = prior30.map((d) => weightedSum(d.counts));
  const rollingMax = raw30.length > 0 || rawToday > 0 ? Math.max(...raw30, rawToday) : 30;
  const denominator = Math.max(rollingMax, 30);
  const risk = riskScore(rawToday, denominator);

  const drivers = driverShares(target);

  const todayChanges = target.changes ?? new Map<string, string>();
  const yesterdayChanges = yesterday?.changes ?? new Map<string, string>();
  const newChanges = [...todayChanges]
    .filter(([fp]) => !yesterdayChanges.has(fp))
    .map(([, title]) => title)
    .sort(compareCodePoints);
  const resolvedChanges = [...yesterdayChanges]
    .filter(([fp]) => !todayChanges.has(fp))
    .map(([, title]) => title)
    .sort(compareCodePoints);

  const insights: Insight[] = [];
  const base = { ts: now, day: target.day };
  for (const metric of INSIGHT_METRICS) {
    const m = baseline[metric];
    if (m.classification === 'normal') continue;
    const title = `${m.metric} is ${formatFixed(m.ratio, 1)}x above 14-day median`;
    const evidence = baselineEvidence(m);
    insights.push({
      ...base,
      insight_type: 'anomaly',
      source: METRIC_SOURCE[metric],
      severity: m.classification === 'anomalous' ? 'HIGH' : 'WARN',
      title,
      explanation: 'Anomaly rule: normal <1.5x, elevated 1.5x-2.9x, anomalous >=3x versus 14-day median.',
      evidence,
      fingerprint: buildFingerprint(METRIC_SOURCE[metric], title, evidence),
      status: 'open',
    });
  }
  for (const driver of drivers.slice(0, 2)) {
    if (driver.percent <= 0) continue;
    const title = `Risk driver: ${driver.category} (${formatFixed(driver.percent, 1)}%)`;
    const evidence = {
      category: driver.category,
      score: new PyFloat(driver.score),
      percent: new PyFloat(driver.percent),
    };
    insights.push({
      ...base,
      insight_type: 'driver',
      source: 'system',
      severity: driver.percent >= 40 ? 'WARN' : 'INFO',
      title,
      explanation: 'Driver share is weighted category score divided by total weighted score for the day.',
      evidence,
      fingerprint: buildFingerprint('system', title, evidence),
      status: 'open',
    });
  }
  for (const change of newChanges.slice(0, 10)) {
    const title = `New risk since yesterday: ${change}`;
    const evidence = { change, change_type: 'new' };
    insights.push({
      ...base,
      insight_type: 'delta',
      source: 'system',
      severity: 'WARN',
      title,
      explanation: "Change was observed in today's WARN/HIGH set but not in yesterday's.",
      evidence,
      fingerprint: buildFingerprint('system', title, evidence),
      status: 'open',
    });
  }
  for (const change of resolvedChanges.slice(0, 10)) {
    const title = `Resolved since yesterday: ${change}`;
    const evidence = { change, change_type: 'resolved' };
    insights.push({
      ...base,
      insight_type: 'delta',
      source: 'system',
      severity: 'INFO',
      title,
      explanation: "Change was present yesterday but not found in today's WARN/HIGH set.",
      evidence,
      fingerprint: buildFingerprint('system', title, evidence),
      status: 'resolved',
    });
  }

  const recentScores = history.slice(-7).map((d) => riskScore(weightedSum(d.counts), denominator));
  const avg7 = recentScores.length > 0 ? recentScores.reduce((s, x) => s + x, 0) / recentScores.length : risk;
  const delta = roundHalfEven(risk - avg7, 2);
  const topDriver = drivers[0]?.category ?? 'none';

  return {
    day: target.day,
    risk_score: risk,
    raw_risk_score: rawToday,
    counts: { ...target.counts },
    metrics,
    baseline,
    drivers,
    new_changes: newChanges,
    resolved_changes: resolvedChanges,
    insights,
    daily_brief: {
      day: target.day,
      risk_score: risk,
      delta_vs_7d_avg: delta,
      top_driver: topDriver,
      anomalies: insights
        .filter((i) => i.insight_type === 'anomaly')
        .map((i) => i.title)
        .slice(0, 4),
      recommended_actions: recommendedActions(metrics, topDriver, newChanges),
    },
  };
}

/**
 * Seed 002's `build_insight_bundle` over raw events of one device (the last 31 days): the
 * reference the incremental path is checked against. Throws {@link NoEventsError} for none.
 */
export function buildInsightBundleFromEvents(events: readonly InsightEvent[], now: number): InsightBundle {
  if (events.length === 0) throw new NoEventsError();
  return buildInsightBundle(dayFactsOf(aggregateEvents(events)), now);
}
