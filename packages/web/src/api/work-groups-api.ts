import type { HttpClient } from './http-client.ts';

/** `/api/v1/work-groups` (packages/server/src/presenters/work-group-presenter.ts). */
export interface WorkGroup {
  id: string;
  name: string;
  description: string | null;
  lead_user_id: string | null;
  member_ids: string[];
  created_at: string | null;
  updated_at: string | null;
}

export interface WorkGroupInput {
  name?: string;
  description?: string | null;
  lead_user_id?: string | null;
  member_ids?: string[];
}

export const workGroupsApi = {
  list: async (http: HttpClient, signal: AbortSignal) =>
    (await http.get<{ items: WorkGroup[] }>('/api/v1/work-groups', { signal })).items,
  create: (http: HttpClient, body: WorkGroupInput & { name: string }) =>
    http.post<WorkGroup>('/api/v1/work-groups', body),
  update: (http: HttpClient, id: string, body: WorkGroupInput) =>
    http.patch<WorkGroup>(`/api/v1/work-groups/${encodeURIComponent(id)}`, body),
  remove: (http: HttpClient, id: string) =>
    http.delete<void>(`/api/v1/work-groups/${encodeURIComponent(id)}`),
};
