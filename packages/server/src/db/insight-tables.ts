// Row shapes of the insight tables (migration 0009). Days are epoch days (days since
// 1970-01-01 UTC); times are epoch milliseconds; JSON columns are text on SQLite and jsonb on
// PostgreSQL.

/** Incremental per device-day aggregate of committed events (counters add up). */
export interface DeviceDayMetricsTable {
  org_id: string;
  device_id: string;
  day: number;
  info_count: number;
  warn_count: number;
  high_count: number;
  failed_logins: number;
  suspicious_execs: number;
  score_auth: number;
  score_network_exposure: number;
  score_process: number;
  score_filewatch: number;
  first_auth: number | null;
  first_network_exposure: number | null;
  first_process: number | null;
  first_filewatch: number | null;
  updated_at: number;
}

/** A distinct key of a device-day: `listener`, `process` (hashed) or `change` (fingerprint, with its title). */
export interface DeviceDayKeysTable {
  org_id: string;
  device_id: string;
  day: number;
  kind: string;
  key: string;
  title: string | null;
}

/** The computed risk, metrics and daily brief of a device-day (seed 002's `daily_metrics`). */
export interface DeviceRiskScoresTable {
  org_id: string;
  device_id: string;
  day: number;
  risk_score: number;
  raw_risk_score: number;
  failed_logins: number;
  new_listeners: number;
  new_processes: number;
  suspicious_execs: number;
  counts: string;
  baseline: string;
  drivers: string;
  new_changes: string;
  resolved_changes: string;
  brief: string;
  /** Python's `str()` of the brief's delta (seed 002 stores it as text: "91.0"). */
  delta_vs_7d: string;
  top_driver: string;
  updated_at: number;
}

export interface InsightsTable {
  id: string;
  org_id: string;
  device_id: string;
  day: number;
  ts: number;
  insight_type: string;
  source: string;
  severity: string;
  title: string;
  explanation: string;
  evidence: string;
  fingerprint: string;
  status: string;
  count: number;
  first_seen: number;
  last_seen: number;
}

export interface InsightTables {
  device_day_metrics: DeviceDayMetricsTable;
  device_day_keys: DeviceDayKeysTable;
  device_risk_scores: DeviceRiskScoresTable;
  insights: InsightsTable;
}
