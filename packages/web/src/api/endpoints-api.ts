import type { HttpClient } from './http-client.ts';
import { type Page, toPage } from './pages.ts';

/**
 * The fleet as the management API (issue 6) lists it. The server's `devices`
 * and `heartbeats` tables feed it; fields beyond id and hostname are optional
 * so a partial answer still renders.
 */
export interface Endpoint {
  id: string;
  hostname: string;
  status?: 'online' | 'offline' | string;
  os?: { name?: string; version?: string; platform?: string } | string | null;
  agent_version?: string | null;
  last_seen_at?: number | string | null;
  enrolled_at?: number | string | null;
  tags?: string[];
  risk_score?: number | null;
  open_alerts?: number | null;
  [key: string]: unknown;
}

export interface EndpointFilters {
  status?: string;
  q?: string;
}

export const ENDPOINTS_PATH = '/api/v1/endpoints';

export const endpointsApi = {
  list: async (
    http: HttpClient,
    params: EndpointFilters & { cursor: string | null; limit: number; sort?: string | undefined },
    signal: AbortSignal,
  ): Promise<Page<Endpoint>> =>
    toPage<Endpoint>(await http.get(ENDPOINTS_PATH, { query: { ...params }, signal }), 'endpoints'),
  get: (http: HttpClient, id: string, signal: AbortSignal) =>
    http.get<Endpoint>(`${ENDPOINTS_PATH}/${encodeURIComponent(id)}`, { signal }),
  heartbeats: async (http: HttpClient, id: string, signal: AbortSignal) =>
    toPage<Record<string, unknown>>(
      await http.get(`${ENDPOINTS_PATH}/${encodeURIComponent(id)}/heartbeats`, {
        query: { limit: 200 },
        signal,
      }),
      'heartbeats',
    ),
};

export function osLabel(os: Endpoint['os']): string {
  if (!os) return '—';
  if (typeof os === 'string') return os;
  return [os.name, os.version].filter(Boolean).join(' ') || os.platform || '—';
}
