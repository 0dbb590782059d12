import type { HttpClient } from './http-client.ts';
import { type Page, toPage } from './pages.ts';

/** `GET /api/v1/rules` items (packages/server/src/presenters/rule-presenter.ts). */
export interface RuleSummary {
  id: string;
  rule_id: string;
  name: string;
  title: string;
  level: string | null;
  severity: string;
  status: string | null;
  kind: string;
  enabled: boolean;
  version: number;
  logsource: Record<string, string>;
  tags: string[];
  mitre: { techniques: string[]; tactics: string[] };
  source: string;
  updated_at: string | null;
}

export interface Rule extends RuleSummary {
  description: string | null;
  yaml: string;
}

export const rulesApi = {
  list: async (
    http: HttpClient,
    f: { q: string; enabled: string; cursor: string | null; limit: number },
    signal: AbortSignal,
  ): Promise<Page<RuleSummary>> =>
    toPage<RuleSummary>(
      await http.get('/api/v1/rules', {
        query: { q: f.q, enabled: f.enabled, cursor: f.cursor, limit: f.limit },
        signal,
      }),
    ),
  get: (http: HttpClient, id: string, signal: AbortSignal) =>
    http.get<Rule>(`/api/v1/rules/${encodeURIComponent(id)}`, { signal }),
  setEnabled: (http: HttpClient, id: string, enabled: boolean) =>
    http.post<Rule>(`/api/v1/rules/${encodeURIComponent(id)}/${enabled ? 'enable' : 'disable'}`),
};
