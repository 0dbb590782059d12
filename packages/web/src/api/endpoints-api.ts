import { ApiError } from './api-error.ts';
import type { HttpClient } from './http-client.ts';
import { type Page, toPage } from './pages.ts';
import type { QueryValue } from './query-string.ts';

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
  risk?: string;
  q?: string;
}

/**
 * The management issue names the fleet "endpoints"; the identity routes
 * already address one as `/api/v1/devices/:id`. The console asks for the
 * first and falls back to the second, and remembers which one answered.
 */
export const FLEET_PATHS = ['/api/v1/endpoints', '/api/v1/devices'] as const;
let fleetPath: string | undefined;

async function fleetGet<T>(
  http: HttpClient,
  suffix: string,
  options: { query?: Record<string, QueryValue>; signal: AbortSignal },
): Promise<T> {
  if (fleetPath) return http.get<T>(`${fleetPath}${suffix}`, options);
  let last: unknown;
  for (const base of FLEET_PATHS) {
    try {
      const body = await http.get<T>(`${base}${suffix}`, options);
      fleetPath = base;
      return body;
    } catch (err) {
      if (!(err instanceof ApiError && err.routeMissing)) throw err;
      last = err;
    }
  }
  throw last;
}

export const endpointsApi = {
  list: async (
    http: HttpClient,
    params: EndpointFilters & { cursor: string | null; limit: number; sort?: string | undefined },
    signal: AbortSignal,
  ): Promise<Page<Endpoint>> =>
    toPage<Endpoint>(await fleetGet(http, '', { query: { ...params }, signal }), 'endpoints'),
  get: (http: HttpClient, id: string, signal: AbortSignal) =>
    fleetGet<Endpoint>(http, `/${encodeURIComponent(id)}`, { signal }),
  /** Identity API: the device's credentials stop working at once. */
  revoke: (http: HttpClient, id: string) =>
    http.post<unknown>(`/api/v1/devices/${encodeURIComponent(id)}/revoke`),
};

/** `GET /api/v1/devices/:id/heartbeats` items. */
export interface HeartbeatPoint {
  ts: string;
  cpu_pct: number | null;
  memory_pct: number | null;
  disk_pct: number | null;
  uptime_s: number | null;
}

/** A response action (presenters/response-action-presenter.ts). */
export interface ResponseAction {
  id: string;
  device_id: string;
  type: string;
  params: Record<string, unknown>;
  status: string;
  reason: string | null;
  requested_by: string | null;
  decision_id: string | null;
  created_at: string | null;
  expires_at: string | null;
  completed_at: string | null;
  result: unknown;
  error: string | null;
}

/** The response actions the server knows (services/policy-document.ts); a policy allows a subset. */
export const RESPONSE_ACTIONS = [
  { type: 'isolate', label: 'Isolate from the network' },
  { type: 'release', label: 'Release from isolation' },
  { type: 'kill_process', label: 'Kill a process' },
  { type: 'collect_triage', label: 'Collect a triage package' },
  { type: 'run_command', label: 'Run an approved command' },
] as const;

const device = (id: string) => `/api/v1/devices/${encodeURIComponent(id)}`;

export const responseApi = {
  heartbeats: async (http: HttpClient, id: string, sinceMs: number, signal: AbortSignal) =>
    (
      await http.get<{ items: HeartbeatPoint[] }>(`${device(id)}/heartbeats`, {
        query: { since: new Date(sinceMs).toISOString(), limit: 1000 },
        signal,
      })
    ).items,
  actions: async (http: HttpClient, id: string, signal: AbortSignal) =>
    toPage<ResponseAction>(await http.get(`${device(id)}/actions`, { query: { limit: 20 }, signal })),
  queue: (
    http: HttpClient,
    id: string,
    body: { type: string; params?: Record<string, unknown>; reason?: string },
  ) => http.post<ResponseAction>(`${device(id)}/actions`, body),
  settings: (http: HttpClient, signal: AbortSignal) =>
    http.get<{ enabled: boolean }>('/api/v1/response/settings', { signal }),
  setEnabled: (http: HttpClient, enabled: boolean) =>
    http.request<{ enabled: boolean; cancelled: number }>('PUT', '/api/v1/response/settings', {
      body: { enabled },
    }),
  cancel: (http: HttpClient, actionId: string) =>
    http.post<ResponseAction>(`/api/v1/response-actions/${encodeURIComponent(actionId)}/cancel`),
};

/** For tests: forget which fleet route answered. */
export function resetFleetPath(): void {
  fleetPath = undefined;
}

export function osLabel(os: Endpoint['os']): string {
  if (!os) return '—';
  if (typeof os === 'string') return os;
  return [os.name, os.version].filter(Boolean).join(' ') || os.platform || '—';
}
