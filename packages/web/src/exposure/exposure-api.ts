import type { HttpClient } from '../api/http-client.ts';
import { type Page, toPage } from '../api/pages.ts';

/** `GET /api/v1/vulnerabilities` items (server presenters/exposure-presenter.ts). */
export interface Finding {
  device_id: string;
  hostname: string | null;
  advisory_id: string;
  package: string;
  installed_version: string;
  fixed_versions: string[];
  severity: string;
  cves: string[];
  known_exploited: boolean;
  first_seen: string | null;
  last_seen: string | null;
}

export interface Risk {
  score: number;
  level: string;
  findings: number;
  kev: number;
  by_severity: Record<'critical' | 'high' | 'medium' | 'low', number>;
}

export interface VulnSummary {
  totals: Risk;
  catalogue: { advisories: number; kev: number };
  devices: Array<{ device_id: string } & Risk>;
}

export interface FindingFilter {
  severity?: string;
  kev?: boolean;
  device_id?: string;
  package?: string;
}

export interface AnalysisSummary {
  id: string;
  kind: 'file' | 'email';
  name: string;
  size: number;
  sha256: string;
  verdict: 'clean' | 'suspicious' | 'malicious';
  case_id: string | null;
  alert_id: string | null;
  created_at: string | null;
}

export interface Reason {
  level: 'malicious' | 'suspicious' | 'info';
  reason: string;
}

/** The stored report: a file's (detect's FileReport) or an e-mail's (EmailReport). */
export interface Analysis extends AnalysisSummary {
  report: {
    verdict: string;
    reasons: Reason[];
    md5?: string;
    sha1?: string;
    sha256?: string;
    type?: { kind: string; mime: string; description: string };
    entropy?: number;
    pe?: {
      machine: string;
      format: string;
      timestamp: number;
      subsystem: string;
      sections: Array<{ name: string; entropy: number | null; executable: boolean; writable: boolean }>;
      imports: Array<{ dll: string; functions: string[] }>;
    } | null;
    elf?: {
      bits: number;
      type: string;
      machine: string;
      interpreter: string | null;
      stripped: boolean;
    } | null;
    strings?: {
      urls: string[];
      ipv4: string[];
      emails: string[];
      suspicious: Array<{ text: string; reason: string }>;
    };
    ruleMatches?: Array<{ rule: string; meta: Record<string, string>; strings: string[] }>;
    indicatorMatches?: Array<{ type: string; value: string; severity: string }>;
    subject?: string;
    from?: string | null;
    authentication?: { spf: string | null; dkim: string | null; dmarc: string | null };
    links?: Array<{ href: string; text: string; problems: string[] }>;
    attachments?: Array<{
      filename: string;
      contentType: string;
      problems: string[];
      report: { verdict: string; sha256: string };
    }>;
  };
}

export interface PatternRule {
  id: string;
  name: string;
  source: string;
  enabled: boolean;
  updated_at: string | null;
}

/** Which analysis an upload asks for: `.eml` files and `message/rfc822` are e-mails. */
export function analysisKindOf(file: { name: string; type: string }): 'file' | 'email' {
  return file.name.toLowerCase().endsWith('.eml') || file.type === 'message/rfc822' ? 'email' : 'file';
}

/** Byte counts as people read them (1 KiB = 1024 bytes). */
export function formatBytes(n: number): string {
  if (n < 1024) return `${n} B`;
  const units = ['KiB', 'MiB', 'GiB'];
  let v = n / 1024;
  let i = 0;
  while (v >= 1024 && i < units.length - 1) {
    v /= 1024;
    i++;
  }
  return `${v.toFixed(v >= 100 ? 0 : 1)} ${units[i]}`;
}

export interface Software {
  name: string;
  version: string;
  source: string;
  arch: string | null;
  vendor: string | null;
  ecosystem: string | null;
}

export interface Inventory {
  device_id: string;
  hardware: Record<string, unknown> | null;
  hardware_collected_at: string | null;
  software: Software[];
}

export const exposureApi = {
  inventory: (http: HttpClient, id: string, q: string, signal?: AbortSignal) =>
    http.get<Inventory>(`/api/v1/devices/${encodeURIComponent(id)}/inventory`, { query: { q }, signal }),
  deviceVulnerabilities: (http: HttpClient, id: string, signal?: AbortSignal) =>
    http.get<{ risk: Risk; findings: Finding[] }>(
      `/api/v1/devices/${encodeURIComponent(id)}/vulnerabilities`,
      {
        signal,
      },
    ),
  summary: (http: HttpClient, signal?: AbortSignal) =>
    http.get<VulnSummary>('/api/v1/vulnerabilities/summary', { signal }),
  findings: (http: HttpClient, f: FindingFilter, offset: number, limit: number, signal?: AbortSignal) =>
    http.get<{ items: Finding[]; next_offset: number | null }>('/api/v1/vulnerabilities', {
      query: { ...f, offset, limit },
      signal,
    }),
  importAdvisories: (http: HttpClient, file: Blob) =>
    http.post<{
      imported: number;
      problems: Array<{ index: number; message: string }>;
      devices_rescanned: number;
    }>('/api/v1/vulnerabilities/advisories', undefined, { raw: { type: 'application/json', data: file } }),
  importKev: (http: HttpClient, file: Blob) =>
    http.post<{
      imported: number;
      problems: Array<{ row: number; message: string }>;
      findings_flagged: number;
    }>('/api/v1/vulnerabilities/kev', undefined, { raw: { type: 'text/csv', data: file } }),
  analyze: (http: HttpClient, file: File, caseId?: string) =>
    http.post<Analysis>(
      `/api/v1/analysis/${analysisKindOf(file) === 'email' ? 'emails' : 'files'}`,
      undefined,
      {
        query: { filename: file.name, case_id: caseId || undefined },
        raw: { type: 'application/octet-stream', data: file },
      },
    ),
  analyses: async (
    http: HttpClient,
    cursor: string | null,
    limit: number,
    signal?: AbortSignal,
  ): Promise<Page<AnalysisSummary>> =>
    toPage<AnalysisSummary>(
      await http.get<unknown>('/api/v1/analysis', { query: { cursor, limit }, signal }),
    ),
  analysis: (http: HttpClient, id: string, signal?: AbortSignal) =>
    http.get<Analysis>(`/api/v1/analysis/${encodeURIComponent(id)}`, { signal }),
  rules: (http: HttpClient, signal?: AbortSignal) =>
    http.get<{ items: PatternRule[] }>('/api/v1/analysis-rules', { signal }),
  createRule: (http: HttpClient, source: string) =>
    http.post<PatternRule>('/api/v1/analysis-rules', { source }),
  setRuleEnabled: (http: HttpClient, id: string, enabled: boolean) =>
    http.patch<PatternRule>(`/api/v1/analysis-rules/${encodeURIComponent(id)}`, { enabled }),
  deleteRule: (http: HttpClient, id: string) =>
    http.delete<void>(`/api/v1/analysis-rules/${encodeURIComponent(id)}`),
};
