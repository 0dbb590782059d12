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
  /** Triage fields (absent on servers before alert triage). */
  assignee?: { user_id: string | null; group_id: string | null };
  escalation_level?: number;
  conclusion?: string | null;
  status_changed_at?: string | null;
  created_at: string | null;
  updated_at: string | null;
}

/** One entry of an alert's history. */
export interface AlertHistoryEntry {
  id: string;
  action: string;
  actor_id: string | null;
  from_status: string | null;
  to_status: string | null;
  reason: string | null;
  details: Record<string, unknown>;
  at: string | null;
}

/** A Markdown comment (kept as text; rendered by lib/markdown.tsx). */
export interface AlertComment {
  id: string;
  author_id: string | null;
  body: string;
  created_at: string | null;
}

export interface Assignees {
  users: Array<{ id: string; display_name: string; email: string; role: string }>;
  groups: Array<{ id: string; name: string; lead_user_id: string | null }>;
}

export interface BulkResult {
  succeeded: number;
  failed: number;
  results: Array<{ id: string; ok: boolean; status?: string; error?: { code: string; message: string } }>;
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
  device?: { id: string; hostname: string; display_name: string | null } | null;
  history?: AlertHistoryEntry[];
  comments?: AlertComment[];
}

export interface AlertFilters {
  status: string;
  severity: string;
  q: string;
  /** A user id, `me`, `none`, or '' for anyone. */
  assignee?: string;
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
        query: {
          cursor: f.cursor,
          limit: f.limit,
          status: f.status,
          severity: f.severity,
          q: f.q,
          assignee: f.assignee ?? '',
        },
        signal,
      }),
    ),
  get: (http: HttpClient, id: string, signal: AbortSignal) =>
    http.get<AlertDetail>(`/api/v1/alerts/${encodeURIComponent(id)}`, { signal }),
  setStatus: (http: HttpClient, id: string, status: string, reason?: string) =>
    http.post<AlertSummary>(`/api/v1/alerts/${encodeURIComponent(id)}/status`, {
      status,
      ...(reason ? { reason } : {}),
    }),
  assign: (http: HttpClient, id: string, to: { user_id: string | null; group_id: string | null }) =>
    http.post<AlertSummary>(`/api/v1/alerts/${encodeURIComponent(id)}/assign`, to),
  escalate: (http: HttpClient, id: string, to: { user_id?: string; group_id?: string }, reason: string) =>
    http.post<AlertSummary>(`/api/v1/alerts/${encodeURIComponent(id)}/escalate`, { ...to, reason }),
  comment: (http: HttpClient, id: string, body: string) =>
    http.post<AlertComment>(`/api/v1/alerts/${encodeURIComponent(id)}/comments`, { body }),
  /** `GET /api/v1/alerts/counts` for the queue's filters other than status. */
  counts: (http: HttpClient, f: { severity: string; q: string; assignee: string }, signal: AbortSignal) =>
    http.get<{ total: number; by_status: Record<string, number>; by_severity: Record<string, number> }>(
      '/api/v1/alerts/counts',
      { query: { severity: f.severity, q: f.q, assignee: f.assignee }, signal },
    ),
  assignees: (http: HttpClient, signal: AbortSignal) =>
    http.get<Assignees>('/api/v1/alerts/assignees', { signal }),
  bulkStatus: (http: HttpClient, ids: string[], status: string) =>
    http.post<BulkResult>('/api/v1/alerts/bulk', { ids, status }),
  bulkAssign: (http: HttpClient, ids: string[], to: { user_id: string | null; group_id: string | null }) =>
    http.post<BulkResult>('/api/v1/alerts/bulk', { ids, assign: to }),
};
