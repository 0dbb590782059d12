/** Seed 002's insight engine: daily metrics, baselines, risk score, drivers, deltas, brief (pure). */
export type {
  DayAggregate,
  DayFacts,
  DriverCategory,
  EventContribution,
} from './day-aggregate.ts';
export {
  addContribution,
  aggregateEvents,
  contributionOf,
  DRIVER_CATEGORIES,
  dayFactsOf,
  driverCategoryOf,
  emptyDayAggregate,
  epochDay,
  isFailedLogin,
  isoDay,
  isSuspiciousExec,
  listenerKey,
  mergeDayAggregates,
  parseIsoDay,
  processKey,
  SEVERITY_WEIGHTS,
} from './day-aggregate.ts';
export {
  buildFingerprint,
  INSIGHT_DEDUP_WINDOW_MS,
  STABLE_EVIDENCE_KEYS,
  suppressRepeated,
} from './fingerprint.ts';
export type {
  BaselineClassification,
  BaselineMetric,
  DailyBrief,
  DriverShare,
  Insight,
  InsightBundle,
  InsightMetric,
  InsightType,
} from './insight-bundle.ts';
export {
  ACTIONS,
  buildInsightBundle,
  buildInsightBundleFromEvents,
  classifyRatio,
  computeBaseline,
  driverShares,
  INSIGHT_METRICS,
  median,
  NoEventsError,
  recommendedActions,
  riskScore,
  weightedSum,
} from './insight-bundle.ts';
export type { InsightEvent, InsightSeverity, InsightSource } from './insight-event.ts';
export { insightEventOf, insightSeverityOf } from './insight-event.ts';
export { PyFloat, pythonJsonDumps } from './python-json.ts';
export { formatFixed, roundHalfEven } from './python-numbers.ts';
