// Row shapes of notifications (migration 0008). Times are epoch milliseconds;
// JSON columns are text on SQLite and jsonb on PostgreSQL.

/** Where notifications go: a webhook URL or a list of e-mail recipients, with an event filter. */
export interface NotificationDestinationsTable {
  id: string;
  org_id: string;
  /** `webhook` or `email`. */
  kind: string;
  name: string;
  /** Webhooks only. */
  url: string | null;
  /** The webhook's signing secret is derived from the server secret and this; rotation bumps it. */
  secret_generation: number;
  /** E-mail destinations: JSON array of addresses. */
  recipients: string;
  /** JSON array of domain event types the destination wants. */
  event_types: string;
  /** Events below this severity are not sent; null: every severity. */
  min_severity: string | null;
  enabled: number;
  created_by: string | null;
  created_at: number;
  updated_at: number;
}

/** One notification to send, with its attempts: the durable retry queue and the delivery log. */
export interface NotificationDeliveriesTable {
  id: string;
  org_id: string;
  /** Null for direct notifications (the assignee of an alert). */
  destination_id: string | null;
  /** `webhook` or `email`. */
  channel: string;
  event_type: string;
  subject_id: string | null;
  /** E-mail: JSON array of addresses; webhooks: `[]`. */
  recipients: string;
  /** The JSON document sent (webhook body; e-mail rendered from it). */
  payload: string;
  /** `pending`, `delivered` or `failed` (attempts used up). */
  status: string;
  attempts: number;
  next_attempt_at: number | null;
  last_attempt_at: number | null;
  /** The receiver's HTTP status of the last attempt. */
  response_status: number | null;
  last_error: string | null;
  created_at: number;
  delivered_at: number | null;
}

export interface NotificationTables {
  notification_destinations: NotificationDestinationsTable;
  notification_deliveries: NotificationDeliveriesTable;
}
