import type { TableDescription } from '@harrier/query';
import type { HttpClient } from '../api/http-client.ts';
import { type Page, toPage } from '../api/pages.ts';
import type { HistogramBucket } from '../charts/HistogramChart.tsx';

/** `POST /api/v1/hunt` (packages/server/src/presenters/hunt-presenter.ts). */
export interface HuntResult {
  columns: Array<{ name: string; type: string }>;
  rows: unknown[][];
  histogram: { bucket_ms: number; buckets: HistogramBucket[] } | null;
  statistics: { row_count: number; truncated: boolean; query_ms: number };
  warnings: Array<{ message: string; line: number; column: number; offset?: number }>;
  elapsed_ms: number;
}

/** `GET /api/v1/saved-queries` items (presenters/saved-query-presenter.ts). */
export interface SavedQuery {
  id: string;
  name: string;
  description: string | null;
  query: string;
  visibility: 'private' | 'shared';
  owned: boolean;
  schedule: {
    enabled: boolean;
    interval_seconds: number;
    threshold: number;
    severity: string;
    last_run_at: string | null;
    last_status: string | null;
    last_row_count: number | null;
  } | null;
  updated_at: string;
}

/** `GET /api/v1/hunt/history` items. */
export interface HistoryEntry {
  id: string;
  query: string;
  status: string;
  error_code: string | null;
  row_count: number | null;
  elapsed_ms: number | null;
  created_at: string;
}

/** Look-back windows the page offers; the server caps what a query may span. */
export const TIME_RANGES = [
  { id: '1h', label: 'Last hour', ms: 3_600_000 },
  { id: '24h', label: 'Last 24 hours', ms: 86_400_000 },
  { id: '7d', label: 'Last 7 days', ms: 7 * 86_400_000 },
  { id: '30d', label: 'Last 30 days', ms: 30 * 86_400_000 },
] as const;

export type TimeRangeId = (typeof TIME_RANGES)[number]['id'];

/** The `from`/`to` of a look-back window ending now. */
export function rangeBounds(range: TimeRangeId, now = Date.now()): { from: string; to: string } {
  const ms = TIME_RANGES.find((r) => r.id === range)?.ms ?? 86_400_000;
  return { from: new Date(now - ms).toISOString(), to: new Date(now).toISOString() };
}

export const huntApi = {
  run: (http: HttpClient, query: string, range: TimeRangeId, signal: AbortSignal, now = Date.now()) =>
    http.post<HuntResult>('/api/v1/hunt', { query, ...rangeBounds(range, now), limit: 500 }, { signal }),
  /** The export as text: CSV as sent, JSON re-serialized (the client parses JSON answers). */
  export: async (http: HttpClient, query: string, range: TimeRangeId, format: 'csv' | 'json') => {
    const body = await http.post<unknown>('/api/v1/hunt/export', { query, ...rangeBounds(range), format });
    return typeof body === 'string' ? body : JSON.stringify(body, null, 2);
  },
  saved: async (http: HttpClient, signal: AbortSignal): Promise<Page<SavedQuery>> =>
    toPage<SavedQuery>(await http.get('/api/v1/saved-queries', { query: { limit: 100 }, signal })),
  save: (
    http: HttpClient,
    body: {
      name: string;
      query: string;
      visibility: 'private' | 'shared';
      schedule?: { interval_seconds: number; threshold: number; severity: string };
    },
  ) => http.post<SavedQuery>('/api/v1/saved-queries', body),
  share: (http: HttpClient, id: string, visibility: 'private' | 'shared') =>
    http.patch<SavedQuery>(`/api/v1/saved-queries/${encodeURIComponent(id)}`, { visibility }),
  remove: (http: HttpClient, id: string) =>
    http.delete<void>(`/api/v1/saved-queries/${encodeURIComponent(id)}`),
  schema: async (http: HttpClient, signal: AbortSignal) =>
    (await http.get<{ tables: TableDescription[] }>('/api/v1/hunt/schema', { signal })).tables,
  history: async (http: HttpClient, signal: AbortSignal): Promise<Page<HistoryEntry>> =>
    toPage<HistoryEntry>(await http.get('/api/v1/hunt/history', { query: { limit: 25 }, signal })),
  clearHistory: (http: HttpClient) => http.delete<{ deleted: number }>('/api/v1/hunt/history'),
};
