import type { Generated } from 'kysely';
// Row shapes of the detection tables (migration 0003). Times are epoch
// milliseconds; JSON columns are text on SQLite and jsonb on PostgreSQL.

/** A stored rule: Sigma YAML (or a converted seed rule) plus what lists and routing need. */
export interface RulesTable {
  id: string;
  org_id: string;
  /** The Sigma `id` (unique per organization). */
  rule_uid: string;
  name: string | null;
  title: string;
  description: string | null;
  level: string | null;
  severity: string;
  status: string | null;
  /** `rule` (a Sigma detection) or `correlation`. */
  kind: string;
  enabled: number;
  yaml: string;
  version: number;
  logsource: string;
  tags: string;
  mitre_techniques: string;
  mitre_tactics: string;
  /** Event fields whose values group matches into one alert; empty: rule + device. */
  group_by: string;
  /** `sigma`, `condition_map`, `ioc` or `builtin`. */
  source: string;
  created_by: string | null;
  updated_by: string | null;
  created_at: number;
  updated_at: number;
}

export interface RuleVersionsTable {
  id: string;
  org_id: string;
  rule_id: string;
  version: number;
  title: string;
  yaml: string;
  created_by: string | null;
  created_at: number;
}

export interface AlertsTable {
  id: string;
  org_id: string;
  rule_id: string | null;
  rule_uid: string;
  rule_version: number | null;
  rule_title: string;
  /** `rule`, `correlation`, `signal`, `severity`, `ioc`. */
  kind: string;
  title: string;
  severity: string;
  severity_rank: number;
  status: string;
  device_id: string | null;
  group_key: string;
  first_seen: number;
  last_seen: number;
  count: number;
  matched_event_ids: string;
  mitre_techniques: string;
  mitre_tactics: string;
  details: string;
  created_at: number;
  updated_at: number;
  /** Triage (migration 0006): the user and/or work group working the alert. */
  assignee_user_id: string | null;
  assignee_group_id: string | null;
  /** How many times it was escalated. */
  escalation_level: Generated<number>;
  /** The closing note (seed 004's conclusion). */
  conclusion: string | null;
  status_changed_at: number | null;
}

export interface SuppressionsTable {
  id: string;
  org_id: string;
  /** The Sigma id of the rule it applies to; null: every rule. */
  rule_uid: string | null;
  /** Field → expected value (or list of values); all must hold. */
  conditions: string;
  reason: string;
  author_id: string | null;
  expires_at: number | null;
  suppressed_count: number;
  last_suppressed_at: number | null;
  created_at: number;
  updated_at: number;
}

export interface IocIndicatorsTable {
  id: string;
  org_id: string;
  /** `hash`, `ip`, `cidr`, `domain` or `url`. */
  type: string;
  value: string;
  severity: string;
  source: string | null;
  description: string | null;
  expires_at: number | null;
  active: number;
  hit_count: number;
  created_by: string | null;
  created_at: number;
  updated_at: number;
}

/** The detection tables, merged into `Database` in tables.ts. */
export interface DetectionTables {
  rules: RulesTable;
  rule_versions: RuleVersionsTable;
  alerts: AlertsTable;
  suppressions: SuppressionsTable;
  ioc_indicators: IocIndicatorsTable;
}
