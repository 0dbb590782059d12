import type { HttpClient } from './http-client.ts';
import { type Page, toPage } from './pages.ts';

/** `GET /api/v1/decisions` items (presenters/decision-presenter.ts). */
export interface Decision {
  id: string;
  alert_id: string | null;
  device_id: string | null;
  event_type: string | null;
  severity: string;
  score: number;
  recommended_action: string;
  priority: number;
  rule: string | null;
  rationale: Record<string, unknown>;
  status: string;
  action_id: string | null;
  created_at: string | null;
}

/**
 * The decision queue pages by offset; the console's pager speaks cursors, so the next offset
 * travels as the cursor. A full page means there may be more.
 */
export async function listDecisions(
  http: HttpClient,
  f: { status: string; cursor: string | null; limit: number },
  signal: AbortSignal,
): Promise<Page<Decision>> {
  const offset = Number(f.cursor ?? 0) || 0;
  const page = toPage<Decision>(
    await http.get('/api/v1/decisions', { query: { status: f.status, limit: f.limit, offset }, signal }),
  );
  return { ...page, nextCursor: page.items.length === f.limit ? String(offset + f.limit) : null };
}

export const decisionsApi = {
  execute: (http: HttpClient, id: string) =>
    http.post<Decision>(`/api/v1/decisions/${encodeURIComponent(id)}/execute`),
  dismiss: (http: HttpClient, id: string) =>
    http.post<Decision>(`/api/v1/decisions/${encodeURIComponent(id)}/dismiss`),
  run: (http: HttpClient) => http.post<{ created: number }>('/api/v1/decisions/run'),
};
