import type { HttpClient } from './http-client.ts';

/** `GET /api/v1/policies` items (presenters/policy-presenter.ts). */
export interface Policy {
  id: string;
  name: string;
  description: string | null;
  enabled: boolean;
  version: number;
  document: Record<string, unknown>;
  updated_at: string | null;
}

export interface Assignment {
  id: string;
  policy_id: string;
  target_type: 'org' | 'group' | 'device';
  target_id: string | null;
  priority: number;
  status: string;
  created_at: string | null;
}

/** `GET /api/v1/detectors` items (presenters/detector-presenter.ts). */
export interface Detector {
  id: string;
  name: string;
  description: string | null;
  params: Record<string, unknown>;
  rule_packs: string[];
  enabled: boolean;
  version: number;
  updated_at: string | null;
}

export interface PolicyVersion {
  version: number;
  document: Record<string, unknown>;
  created_by: string | null;
  created_at: string | null;
}

export interface PolicyInput {
  name?: string;
  description?: string | null;
  enabled?: boolean;
  document?: Record<string, unknown>;
}

export interface DetectorInput {
  name?: string;
  description?: string | null;
  enabled?: boolean;
  params?: Record<string, unknown>;
  rule_packs?: string[];
}

/** A device group or a device, as an assignment target. */
export interface Target {
  id: string;
  name: string;
}

const items = async <T>(p: Promise<{ items: T[] }>) => (await p).items;
const enc = encodeURIComponent;

export const policiesApi = {
  list: (http: HttpClient, signal: AbortSignal) =>
    items(http.get<{ items: Policy[] }>('/api/v1/policies', { signal })),
  create: (http: HttpClient, body: PolicyInput) => http.post<Policy>('/api/v1/policies', body),
  update: (http: HttpClient, id: string, body: PolicyInput) =>
    http.patch<Policy>(`/api/v1/policies/${enc(id)}`, body),
  remove: (http: HttpClient, id: string) => http.delete<void>(`/api/v1/policies/${enc(id)}`),
  versions: (http: HttpClient, id: string, signal: AbortSignal) =>
    items(http.get<{ items: PolicyVersion[] }>(`/api/v1/policies/${enc(id)}/versions`, { signal })),
  assignments: (http: HttpClient, signal: AbortSignal) =>
    items(http.get<{ items: Assignment[] }>('/api/v1/policy-assignments', { signal })),
  assign: (
    http: HttpClient,
    body: {
      policy_id: string;
      target_type: Assignment['target_type'];
      target_id: string | null;
      priority: number;
    },
  ) => http.post<Assignment>('/api/v1/policy-assignments', body),
  unassign: (http: HttpClient, id: string) => http.delete<void>(`/api/v1/policy-assignments/${enc(id)}`),
  /** Groups and devices to assign to; empty when the role may not list them (the id is typed then). */
  targets: async (http: HttpClient, signal: AbortSignal) => {
    const [groups, devices] = await Promise.all([
      items(
        http.get<{ items: Array<{ id: string; name: string }> }>('/api/v1/device-groups', { signal }),
      ).catch(() => []),
      items(
        http.get<{ items: Array<{ id: string; hostname: string }> }>('/api/v1/devices', {
          query: { limit: 200 },
          signal,
        }),
      ).catch(() => []),
    ]);
    return {
      group: groups.map((g): Target => ({ id: g.id, name: g.name })),
      device: devices.map((d): Target => ({ id: d.id, name: d.hostname })),
    };
  },
  detectors: (http: HttpClient, signal: AbortSignal) =>
    items(http.get<{ items: Detector[] }>('/api/v1/detectors', { signal })),
  createDetector: (http: HttpClient, body: DetectorInput) => http.post<Detector>('/api/v1/detectors', body),
  updateDetector: (http: HttpClient, id: string, body: DetectorInput) =>
    http.patch<Detector>(`/api/v1/detectors/${enc(id)}`, body),
  removeDetector: (http: HttpClient, id: string) => http.delete<void>(`/api/v1/detectors/${enc(id)}`),
};

/** A JSON object typed into a textarea; the message says where it went wrong. */
export function parseJsonObject(text: string, what: string): Record<string, unknown> {
  let v: unknown;
  try {
    v = JSON.parse(text.trim() === '' ? '{}' : text);
  } catch (err) {
    throw new Error(`${what} is not valid JSON: ${(err as Error).message}`);
  }
  if (v === null || typeof v !== 'object' || Array.isArray(v))
    throw new Error(`${what} must be a JSON object.`);
  return v as Record<string, unknown>;
}
