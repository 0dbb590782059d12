import type { HttpClient } from '../api/http-client.ts';
import { type Page, toPage } from '../api/pages.ts';

/** `GET /api/v1/iocs` items (server presenters/ioc-presenter.ts). */
export interface Indicator {
  id: string;
  type: string;
  value: string;
  severity: string;
  source: string | null;
  description: string | null;
  expires_at: string | null;
  active: boolean;
  hit_count: number;
  created_at: string | null;
}

/** What became of one entry of an uploaded list. */
export interface ImportItem {
  line: number;
  status: 'created' | 'refreshed' | 'rejected' | 'skipped';
  type?: string;
  value?: string;
  message?: string;
}

export interface ImportResult {
  imported: number;
  created: number;
  refreshed: number;
  rejected: number;
  skipped: number;
  items: ImportItem[];
}

export const IMPORT_FORMATS = [
  { id: 'auto', label: 'By file type', type: '' },
  { id: 'stix', label: 'STIX 2.1 bundle (JSON)', type: 'application/json' },
  { id: 'misp', label: 'MISP export (JSON)', type: 'application/json' },
  { id: 'csv', label: 'CSV (header with value, type, severity…)', type: 'text/csv' },
  { id: 'text', label: 'Plain list (one per line)', type: 'text/plain' },
] as const;
export type ImportFormat = (typeof IMPORT_FORMATS)[number]['id'];

/** The upload's media type and `format` from the chosen format or the file's name. */
export function uploadTypeOf(format: ImportFormat, fileName: string): { type: string; format?: string } {
  if (format !== 'auto') {
    const f = IMPORT_FORMATS.find((x) => x.id === format)!;
    return { type: f.type, format };
  }
  const name = fileName.toLowerCase();
  if (name.endsWith('.json')) return { type: 'application/json' };
  if (name.endsWith('.csv')) return { type: 'text/csv' };
  return { type: 'text/plain' };
}

/** A source address of the threat map (server services/threat-map-aggregation.ts). */
export interface ThreatPoint {
  src_ip: string;
  country: string;
  city: string | null;
  lat: number;
  lon: number;
  count: number;
  max_severity: number;
  attack_types: Record<string, number>;
  last_seen: string;
}

export interface ThreatMapSnapshot {
  window: { from: string; to: string };
  total: number;
  located: number;
  unlocated: number;
  private_excluded: number;
  points: ThreatPoint[];
  countries: Array<{ country: string; count: number }>;
  attack_types: Array<{ attack_type: string; count: number }>;
}

/** One attack pushed live over `/ws/threatmap`. */
export interface LiveThreat {
  type: 'threat';
  origin: string;
  ts: string;
  src_ip: string;
  attack_type: string;
  severity: number;
  geo: { country: string; city: string | null; lat: number; lon: number } | null;
}

export const intelApi = {
  indicators: async (
    http: HttpClient,
    filter: { type: string; q: string },
    cursor: string | null,
    limit: number,
    signal: AbortSignal,
  ): Promise<Page<Indicator>> =>
    toPage<Indicator>(
      await http.get('/api/v1/iocs', {
        query: { cursor, limit, type: filter.type || undefined, q: filter.q || undefined },
        signal,
      }),
    ),
  create: (http: HttpClient, body: { type: string; value: string; severity: string; source?: string }) =>
    http.post<Indicator>('/api/v1/iocs', body),
  setActive: (http: HttpClient, id: string, active: boolean) =>
    http.patch<Indicator>(`/api/v1/iocs/${encodeURIComponent(id)}`, { active }),
  remove: (http: HttpClient, id: string) => http.delete<void>(`/api/v1/iocs/${encodeURIComponent(id)}`),
  upload: (http: HttpClient, file: Blob, fileName: string, format: ImportFormat, source: string) => {
    const { type, format: f } = uploadTypeOf(format, fileName);
    return http.post<ImportResult>('/api/v1/iocs/import', undefined, {
      query: { format: f, source: source || undefined },
      raw: { type, data: file },
    });
  },
  threatMap: (http: HttpClient, windowSeconds: number, signal?: AbortSignal) =>
    http.get<ThreatMapSnapshot>('/api/v1/threat-map', {
      query: { window: windowSeconds },
      ...(signal ? { signal } : {}),
    }),
};
