import type { HttpClient } from './http-client.ts';
import { type Page, toPage } from './pages.ts';

/** `GET /api/v1/cases` items (packages/server/src/presenters/case-presenter.ts). */
export interface CaseSummary {
  id: string;
  title: string;
  description: string | null;
  severity: string;
  status: string;
  next_statuses: string[];
  owner_id: string | null;
  owner_name: string | null;
  tags: string[];
  source: 'manual' | 'auto';
  origin_alert_id: string | null;
  created_at: string | null;
  updated_at: string | null;
  closed_at: string | null;
}

export interface LinkedAlert {
  id: string;
  title: string;
  severity: string;
  status: string;
  device_id: string | null;
  linked_at: string | null;
}

export interface CaseAttachment {
  id: string;
  case_id: string;
  filename: string;
  content_type: string;
  size: number;
  sha256: string;
  uploaded_by: string | null;
  created_at: string | null;
}

export interface CaseDetail extends CaseSummary {
  alerts: LinkedAlert[];
  attachments: CaseAttachment[];
}

export interface TimelineEntry {
  id: string;
  kind: string;
  actor_id: string | null;
  actor_name: string | null;
  body: string | null;
  data: Record<string, unknown>;
  created_at: string | null;
}

export interface WorkplanTask {
  id: string;
  title: string;
  owner_id: string | null;
  due_at: string | null;
  status: string;
  position: number;
}

export interface Workplan {
  id: string;
  title: string;
  description: string | null;
  subject_type: 'alert' | 'case';
  subject_id: string;
  owner_id: string | null;
  progress: { done: number; total: number };
  tasks: WorkplanTask[];
}

export interface HandoverItem {
  id: string;
  title: string;
  severity: string;
  status: string;
}

export interface Handover {
  id: string;
  author_id: string | null;
  shift_start: string | null;
  shift_end: string | null;
  notes: string;
  recipients: string[];
  open_alerts: HandoverItem[];
  open_cases: HandoverItem[];
  delivery: { status: string; error: string | null; sent_at: string | null };
  created_at: string | null;
}

export interface CaseFilters {
  status: string;
  severity: string;
  q: string;
}

const caseUrl = (id: string) => `/api/v1/cases/${encodeURIComponent(id)}`;

export const casesApi = {
  list: async (
    http: HttpClient,
    f: CaseFilters & { cursor: string | null; limit: number; alertId?: string },
    signal: AbortSignal,
  ): Promise<Page<CaseSummary>> =>
    toPage<CaseSummary>(
      await http.get('/api/v1/cases', {
        query: {
          cursor: f.cursor,
          limit: f.limit,
          status: f.status,
          severity: f.severity,
          q: f.q,
          alert_id: f.alertId,
        },
        signal,
      }),
    ),
  get: (http: HttpClient, id: string, signal?: AbortSignal) =>
    http.get<CaseDetail>(caseUrl(id), signal ? { signal } : {}),
  create: (http: HttpClient, body: { title?: string; severity?: string; alert_ids?: string[] }) =>
    http.post<CaseDetail>('/api/v1/cases', body),
  changeStatus: (http: HttpClient, id: string, status: string, reason?: string) =>
    http.post<CaseSummary>(`${caseUrl(id)}/status`, { status, ...(reason ? { reason } : {}) }),
  timeline: async (http: HttpClient, id: string, signal?: AbortSignal): Promise<TimelineEntry[]> =>
    (
      await http.get<{ items: TimelineEntry[] }>(`${caseUrl(id)}/timeline`, {
        query: { limit: 500 },
        ...(signal ? { signal } : {}),
      })
    ).items,
  addNote: (http: HttpClient, id: string, body: string) =>
    http.post<TimelineEntry>(`${caseUrl(id)}/notes`, { body }),
  linkAlerts: (http: HttpClient, id: string, alertIds: string[]) =>
    http.post<{ results: Array<{ alert_id: string; linked: boolean }> }>(`${caseUrl(id)}/alerts`, {
      alert_ids: alertIds,
    }),
  unlinkAlert: (http: HttpClient, id: string, alertId: string) =>
    http.delete<void>(`${caseUrl(id)}/alerts/${encodeURIComponent(alertId)}`),
  upload: (http: HttpClient, id: string, file: File) =>
    http.post<CaseAttachment>(`${caseUrl(id)}/attachments`, undefined, {
      query: { filename: file.name },
      raw: { type: file.type || 'application/octet-stream', data: file },
    }),
  removeAttachment: (http: HttpClient, id: string, attachmentId: string) =>
    http.delete<void>(`${caseUrl(id)}/attachments/${encodeURIComponent(attachmentId)}`),
  /** Opened by the browser itself (a download: the session cookie authenticates a GET). */
  attachmentUrl: (id: string, attachmentId: string) =>
    `${caseUrl(id)}/attachments/${encodeURIComponent(attachmentId)}`,
};

export const workplansApi = {
  forSubject: async (
    http: HttpClient,
    subjectType: 'alert' | 'case',
    subjectId: string,
    signal?: AbortSignal,
  ) =>
    toPage<Workplan>(
      await http.get('/api/v1/workplans', {
        query: { subject_type: subjectType, subject_id: subjectId, limit: 100 },
        ...(signal ? { signal } : {}),
      }),
    ).items,
  create: (http: HttpClient, body: { title: string; subject_type: 'alert' | 'case'; subject_id: string }) =>
    http.post<Workplan>('/api/v1/workplans', body),
  addTask: (http: HttpClient, planId: string, body: { title: string; due_at?: string | null }) =>
    http.post<WorkplanTask>(`/api/v1/workplans/${encodeURIComponent(planId)}/tasks`, body),
  setTaskStatus: (http: HttpClient, planId: string, taskId: string, status: string) =>
    http.patch<WorkplanTask>(
      `/api/v1/workplans/${encodeURIComponent(planId)}/tasks/${encodeURIComponent(taskId)}`,
      { status },
    ),
};

export const handoversApi = {
  list: async (http: HttpClient, cursor: string | null, limit: number, signal: AbortSignal) =>
    toPage<Handover>(await http.get('/api/v1/handovers', { query: { cursor, limit }, signal })),
  create: (http: HttpClient, body: { notes: string; recipients: string[] }) =>
    http.post<Handover>('/api/v1/handovers', body),
  resend: (http: HttpClient, id: string) =>
    http.post<Handover>(`/api/v1/handovers/${encodeURIComponent(id)}/send`),
};
