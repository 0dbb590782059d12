import { ApiError } from './api-error.ts';
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

/** One reason a rule was refused (a 422 `invalid_rule` lists them in `details`). */
export interface RuleProblem {
  line: number;
  column: number;
  message: string;
  code?: string;
  path?: string;
  title?: string;
}

/** `POST /api/v1/rules/test`: what the rule made of each sample event. */
export interface RuleTestReport {
  rules: Array<{ rule_id: string; title: string; kind: string }>;
  results: Array<{
    index: number;
    matched: boolean;
    error?: string;
    rules: Array<{
      rule_id: string;
      matched: boolean;
      logsource_matched: boolean;
      selections: Record<string, boolean>;
    }>;
  }>;
  correlations: Array<{ rule_id: string; title: string; index: number; count: number }>;
}

/** `POST /api/v1/rules/import`: a result per rule (or refused document). */
export interface RuleImportSummary {
  created: number;
  updated: number;
  unchanged: number;
  invalid: number;
  results: Array<{
    status: 'created' | 'updated' | 'unchanged' | 'invalid';
    path?: string;
    rule_id?: string;
    title?: string;
    id?: string;
    version?: number;
    line?: number;
    column?: number;
    message?: string;
  }>;
}

/** `GET /api/v1/suppressions` items (presenters/suppression-presenter.ts). */
export interface Suppression {
  id: string;
  rule_id: string | null;
  conditions: Record<string, unknown>;
  reason: string;
  expires_at: string | null;
  expired: boolean;
  suppressed_count: number;
  last_suppressed_at: string | null;
  created_at: string | null;
}

/** `GET /api/v1/rules/:id/versions` items. */
export interface RuleVersion {
  version: number;
  title: string;
  yaml: string;
  created_by: string | null;
  created_at: string | null;
}

export const rulesApi = {
  list: async (
    http: HttpClient,
    f: { q: string; enabled: string; level?: string; cursor: string | null; limit: number },
    signal: AbortSignal,
  ): Promise<Page<RuleSummary>> =>
    toPage<RuleSummary>(
      await http.get('/api/v1/rules', {
        query: { q: f.q, enabled: f.enabled, level: f.level, cursor: f.cursor, limit: f.limit },
        signal,
      }),
    ),
  get: (http: HttpClient, id: string, signal: AbortSignal) =>
    http.get<Rule>(`/api/v1/rules/${encodeURIComponent(id)}`, { signal }),
  setEnabled: (http: HttpClient, id: string, enabled: boolean) =>
    http.post<Rule>(`/api/v1/rules/${encodeURIComponent(id)}/${enabled ? 'enable' : 'disable'}`),
  versions: async (http: HttpClient, id: string, signal: AbortSignal) =>
    (await http.get<{ items: RuleVersion[] }>(`/api/v1/rules/${encodeURIComponent(id)}/versions`, { signal }))
      .items,
  create: (http: HttpClient, yaml: string, enabled: boolean) =>
    http.post<Rule>('/api/v1/rules', { yaml, enabled }),
  replace: (http: HttpClient, id: string, yaml: string) =>
    http.request<Rule>('PUT', `/api/v1/rules/${encodeURIComponent(id)}`, { body: { yaml } }),
  test: (http: HttpClient, yaml: string, events: unknown[]) =>
    http.post<RuleTestReport>('/api/v1/rules/test', { yaml, events }),
  /** A zip goes as it is; YAML files as text. */
  importFile: (http: HttpClient, file: { name: string; data: Blob | string }, enabled: boolean) =>
    http.request<RuleImportSummary>('POST', '/api/v1/rules/import', {
      query: { enabled },
      raw: {
        type: /\.zip$/i.test(file.name) ? 'application/zip' : 'application/yaml',
        data: file.data,
      },
    }),
  suppressions: async (http: HttpClient, cursor: string | null, limit: number, signal: AbortSignal) =>
    toPage<Suppression>(await http.get('/api/v1/suppressions', { query: { cursor, limit }, signal })),
  createSuppression: (
    http: HttpClient,
    body: {
      rule_id: string | null;
      conditions: Record<string, unknown>;
      reason: string;
      expires_at: string | null;
    },
  ) => http.post<Suppression>('/api/v1/suppressions', body),
  deleteSuppression: (http: HttpClient, id: string) =>
    http.delete<void>(`/api/v1/suppressions/${encodeURIComponent(id)}`),
};

/** The problems of a refused rule, from a 422's details; empty for any other error. */
export function ruleProblems(err: unknown): RuleProblem[] {
  if (!(err instanceof ApiError) || err.status !== 422 || !Array.isArray(err.details)) return [];
  return (err.details as Partial<RuleProblem>[])
    .filter((p) => typeof p.line === 'number' && typeof p.message === 'string')
    .map((p) => ({ ...p, line: p.line!, column: p.column ?? 1, message: p.message! }));
}
