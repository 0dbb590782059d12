// Row shapes of the hunting tables (migration 0004). Times are epoch milliseconds.

export interface SavedQueriesTable {
  id: string;
  org_id: string;
  owner_id: string;
  name: string;
  description: string | null;
  query: string;
  visibility: 'private' | 'shared';
  lookback_ms: number | null;
  schedule_interval_ms: number | null;
  schedule_enabled: number;
  alert_threshold: number;
  alert_severity: string;
  next_run_at: number | null;
  last_run_at: number | null;
  last_status: string | null;
  last_error: string | null;
  last_row_count: number | null;
  last_alert_id: string | null;
  created_at: number;
  updated_at: number;
}

export interface QueryHistoryTable {
  id: string;
  org_id: string;
  user_id: string;
  kind: 'hunt' | 'kql' | 'filter' | 'export';
  query: string;
  time_from: number | null;
  time_to: number | null;
  status: 'ok' | 'error' | 'timeout';
  error_code: string | null;
  row_count: number | null;
  elapsed_ms: number | null;
  created_at: number;
}

export interface HuntingTables {
  saved_queries: SavedQueriesTable;
  query_history: QueryHistoryTable;
}
