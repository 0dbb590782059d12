// Row shapes of the case-work tables (migration 0007): cases and their war
// room, attachments, workplans and shift handovers. Times are epoch
// milliseconds; JSON columns are text on SQLite and jsonb on PostgreSQL.

export interface CasesTable {
  id: string;
  org_id: string;
  title: string;
  description: string | null;
  severity: string;
  severity_rank: number;
  /** `new`, `triage`, `in_progress`, `contained`, `resolved` or `closed`. */
  status: string;
  owner_id: string | null;
  tags: string;
  /** `manual` or `auto` (raised by the automatic case rule). */
  source: string;
  /** The alert an automatic case was raised for: unique per organization, so one case per alert. */
  origin_alert_id: string | null;
  created_by: string | null;
  created_at: number;
  updated_at: number;
  closed_at: number | null;
}

export interface CaseAlertsTable {
  case_id: string;
  alert_id: string;
  org_id: string;
  linked_by: string | null;
  linked_at: number;
}

/** One entry of a case's war room: a note, a status change, linked evidence. */
export interface CaseTimelineTable {
  id: string;
  org_id: string;
  case_id: string;
  /** `created`, `note`, `status`, `severity`, `owner`, `alert_linked`, `alert_unlinked`, `event_linked`, `attachment`. */
  kind: string;
  actor_id: string | null;
  body: string | null;
  data: string;
  created_at: number;
}

export interface CaseAttachmentsTable {
  id: string;
  org_id: string;
  case_id: string;
  filename: string;
  content_type: string;
  size: number;
  sha256: string;
  uploaded_by: string | null;
  created_at: number;
}

export interface WorkplansTable {
  id: string;
  org_id: string;
  title: string;
  description: string | null;
  /** `alert` or `case`. */
  subject_type: string;
  subject_id: string;
  owner_id: string | null;
  created_by: string | null;
  created_at: number;
  updated_at: number;
}

export interface WorkplanTasksTable {
  id: string;
  org_id: string;
  workplan_id: string;
  title: string;
  owner_id: string | null;
  due_at: number | null;
  /** `todo`, `in_progress`, `blocked` or `done`. */
  status: string;
  position: number;
  created_at: number;
  updated_at: number;
}

export interface HandoversTable {
  id: string;
  org_id: string;
  author_id: string | null;
  shift_start: number;
  shift_end: number;
  notes: string;
  recipients: string;
  /** The open alerts and cases of the shift as they were when the handover was written. */
  open_alerts: string;
  open_cases: string;
  /** `sent`, `failed` or `not_sent` (no recipients or no SMTP configured). */
  delivery_status: string;
  delivery_error: string | null;
  sent_at: number | null;
  created_at: number;
}

/** The case-work tables, merged into `Database` in tables.ts. */
export interface CaseTables {
  cases: CasesTable;
  case_alerts: CaseAlertsTable;
  case_timeline: CaseTimelineTable;
  case_attachments: CaseAttachmentsTable;
  workplans: WorkplansTable;
  workplan_tasks: WorkplanTasksTable;
  handovers: HandoversTable;
}
