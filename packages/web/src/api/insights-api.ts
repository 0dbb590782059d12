import type { HttpClient } from './http-client.ts';
import { type Page, toPage } from './pages.ts';

/** `{day, risk_score}` of a daily risk trend (days are `YYYY-MM-DD`, UTC). */
export interface TrendPoint {
  day: string;
  risk_score: number;
}

export interface DriverShare {
  category: string;
  score: number;
  percent: number;
}

export interface DailyBrief {
  day: string;
  risk_score: number;
  delta_vs_7d_avg: number;
  top_driver: string;
  anomalies: string[];
  recommended_actions: string[];
}

export interface BaselineMetric {
  metric: string;
  today: number;
  baseline: number;
  ratio: number;
  classification: 'normal' | 'elevated' | 'anomalous';
}

/** One computed device-day (presenters/insight-presenter.ts `presentRiskDay`). */
export interface RiskDay {
  day: string;
  risk_score: number;
  raw_risk_score: number;
  delta_vs_7d: number;
  top_driver: string;
  metrics: { failed_logins: number; new_listeners: number; new_processes: number; suspicious_execs: number };
  counts: Record<string, number>;
  baseline: Record<string, BaselineMetric>;
  drivers: DriverShare[];
  new_changes: string[];
  resolved_changes: string[];
  brief: DailyBrief | null;
  updated_at: string | null;
}

export interface FleetRisk extends RiskDay {
  device_id: string;
  hostname: string;
  platform: string | null;
  trend_7d: TrendPoint[];
  trend_30d: TrendPoint[];
}

export type SeveritySummary = { INFO: number; WARN: number; HIGH: number };

export interface Insight {
  id: string;
  device_id: string;
  hostname: string | null;
  day: string;
  ts: string | null;
  insight_type: 'anomaly' | 'driver' | 'delta';
  source: string;
  severity: 'INFO' | 'WARN' | 'HIGH';
  title: string;
  explanation: string;
  evidence: Record<string, unknown>;
  fingerprint: string;
  status: 'open' | 'resolved';
  count: number;
  first_seen: string | null;
  last_seen: string | null;
}

export interface DeviceRisk {
  device: { id: string; hostname: string; platform: string | null };
  latest: RiskDay | null;
  trend: TrendPoint[];
  insights: Insight[];
  summary: SeveritySummary;
}

export interface InsightFilter {
  severity: string;
  source: string;
  status: string;
  type: string;
  device_id: string;
}

export const insightsApi = {
  fleet: (http: HttpClient, limit: number, signal: AbortSignal) =>
    http.get<{ items: FleetRisk[]; summary: SeveritySummary }>('/api/v1/insights/fleet', {
      query: { limit },
      signal,
    }),
  deviceRisk: (http: HttpClient, id: string, days: number, signal: AbortSignal) =>
    http.get<DeviceRisk>(`/api/v1/devices/${encodeURIComponent(id)}/risk`, { query: { days }, signal }),
  async list(
    http: HttpClient,
    f: InsightFilter & { cursor: string | null; limit: number },
    signal: AbortSignal,
  ): Promise<Page<Insight>> {
    const query: Record<string, string | number> = { limit: f.limit };
    for (const key of ['severity', 'source', 'status', 'type', 'device_id'] as const) {
      if (f[key]) query[key] = f[key];
    }
    if (f.cursor) query.cursor = f.cursor;
    return toPage<Insight>(await http.get('/api/v1/insights', { query, signal }));
  },
};
