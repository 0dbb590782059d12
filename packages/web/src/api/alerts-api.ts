import type { HttpClient } from './http-client.ts';
import { type Page, toPage } from './pages.ts';

/** `GET /api/v1/alerts` items (packages/server/src/presenters/alert-presenter.ts). */
export interface AlertSummary {
  id: string;
  title: string;
  severity: string;
  status: string;
  kind: string;
  rule: { id: string | null; rule_id: string | null; title: string | null; version: number | null };
  device_id: string | null;
  group_key: string | null;
  first_seen: string | null;
  last_seen: string | null;
  count: number;
  matched_event_ids: string[];
  mitre: { techniques: string[]; tactics: string[] };
  details: Record<string, unknown>;
  created_at: string | null;
  updated_at: string | null;
}

export interface MatchedEvent {
  id: string;
  device_id: string | null;
  ts: string | null;
  received_at: string | null;
  source: string;
  logsource: Record<string, string>;
  severity: string | null;
  title: string | null;
  fields: Record<string, unknown>;
}

export interface AlertDetail extends AlertSummary {
  events: MatchedEvent[];
  rule_version: {
    rule: string;
    version: number;
    title: string;
    yaml: string;
    created_at: string | null;
  } | null;
}

export interface AlertFilters {
  status: string;
  severity: string;
  q: string;
}

export const ALERT_STATUSES = ['open', 'acknowledged', 'in_progress', 'resolved', 'false_positive'] as const;

export const alertsApi = {
  list: async (
    http: HttpClient,
    f: AlertFilters & { cursor: string | null; limit: number },
    signal: AbortSignal,
  ): Promise<Page<AlertSummary>> =>
    toPage<AlertSummary>(
      await http.get('/api/v1/alerts', {
        query: { cursor: f.cursor, limit: f.limit, status: f.status, severity: f.severity, q: f.q },
        signal,
      }),
    ),
  get: (http: HttpClient, id: string, signal: AbortSignal) =>
    http.get<AlertDetail>(`/api/v1/alerts/${encodeURIComponent(id)}`, { signal }),
};
