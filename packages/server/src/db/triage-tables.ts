// Row shapes of alert triage (migration 0006). Times are epoch milliseconds;
// JSON columns are text on SQLite and jsonb on PostgreSQL.

/** One recorded change of an alert: status, assignment, escalation, an action or a deletion note. */
export interface AlertHistoryTable {
  id: string;
  org_id: string;
  alert_id: string;
  /** The user who made the change; null for the platform itself. */
  actor_id: string | null;
  /** `status`, `assign`, `escalate`, `action`. */
  action: string;
  from_status: string | null;
  to_status: string | null;
  reason: string | null;
  details: string;
  created_at: number;
}

export interface WorkGroupsTable {
  id: string;
  org_id: string;
  name: string;
  description: string | null;
  lead_user_id: string | null;
  created_at: number;
  updated_at: number;
}

export interface WorkGroupMembersTable {
  group_id: string;
  user_id: string;
  org_id: string;
  added_at: number;
}

/** A Markdown comment on an alert or a case (stored as text, rendered by the console). */
export interface CommentsTable {
  id: string;
  org_id: string;
  /** `alert` or `case`. */
  subject_type: string;
  subject_id: string;
  author_id: string | null;
  body: string;
  created_at: number;
  updated_at: number;
}

export interface TriageTables {
  alert_history: AlertHistoryTable;
  work_groups: WorkGroupsTable;
  work_group_members: WorkGroupMembersTable;
  comments: CommentsTable;
}
