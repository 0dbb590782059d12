import { isoDay } from '@harrier/detect';
import { readJson } from '../db/json-column.ts';
import type { InsightRow, RiskRow } from '../repositories/insights-repository.ts';
import { isoTime } from './time.ts';

interface DriverJson {
  category: string;
  score: number;
  percent: number;
}

interface BriefJson {
  day: string;
  risk_score: number;
  delta_vs_7d_avg: number;
  top_driver: string;
  anomalies: string[];
  recommended_actions: string[];
}

/** One stored insight. */
export function presentInsight(row: InsightRow, device?: { hostname: string } | undefined) {
  return {
    id: row.id,
    device_id: row.device_id,
    hostname: device?.hostname ?? null,
    day: isoDay(Number(row.day)),
    ts: isoTime(Number(row.ts)),
    insight_type: row.insight_type,
    source: row.source,
    severity: row.severity,
    title: row.title,
    explanation: row.explanation,
    evidence: readJson<Record<string, unknown>>(row.evidence, {}),
    fingerprint: row.fingerprint,
    status: row.status,
    count: Number(row.count),
    first_seen: isoTime(Number(row.first_seen)),
    last_seen: isoTime(Number(row.last_seen)),
  };
}

/** The drivers and brief of a risk row, parsed. */
export function riskDetails(row: RiskRow) {
  return {
    drivers: readJson<DriverJson[]>(row.drivers, []),
    brief: readJson<BriefJson | null>(row.brief, null),
  };
}

/** One computed device-day: risk, the four metrics against their baselines, drivers, changes, brief. */
export function presentRiskDay(row: RiskRow) {
  const { drivers, brief } = riskDetails(row);
  return {
    day: isoDay(Number(row.day)),
    risk_score: Number(row.risk_score),
    raw_risk_score: Number(row.raw_risk_score),
    delta_vs_7d: Number(row.delta_vs_7d),
    top_driver: row.top_driver,
    metrics: {
      failed_logins: Number(row.failed_logins),
      new_listeners: Number(row.new_listeners),
      new_processes: Number(row.new_processes),
      suspicious_execs: Number(row.suspicious_execs),
    },
    counts: readJson<Record<string, number>>(row.counts, {}),
    baseline: readJson<Record<string, unknown>>(row.baseline, {}),
    drivers,
    new_changes: readJson<string[]>(row.new_changes, []),
    resolved_changes: readJson<string[]>(row.resolved_changes, []),
    brief,
    updated_at: isoTime(Number(row.updated_at)),
  };
}

/** A `{day, risk_score}` trend point. */
export function presentTrendPoint(row: Pick<RiskRow, 'day' | 'risk_score'>) {
  return { day: isoDay(Number(row.day)), risk_score: Number(row.risk_score) };
}
