// Row shapes of the management tables (migration 0005). Times are epoch
// milliseconds; JSON columns are text on SQLite and jsonb on PostgreSQL.

/** Management facts about a device that the agent does not report (owner, location, retirement). */
export interface DeviceProfilesTable {
  device_id: string;
  org_id: string;
  owner: string | null;
  location: string | null;
  notes: string | null;
  retired_at: number | null;
  updated_at: number;
}

/** A named set of devices: a static list of members, or every device carrying all `match_tags`. */
export interface DeviceGroupsTable {
  id: string;
  org_id: string;
  name: string;
  description: string | null;
  /** `static` or `tags`. */
  kind: string;
  match_tags: string;
  created_at: number;
  updated_at: number;
}

export interface DeviceGroupMembersTable {
  group_id: string;
  device_id: string;
  org_id: string;
  added_at: number;
}

/** A versioned agent configuration. */
export interface PoliciesTable {
  id: string;
  org_id: string;
  name: string;
  description: string | null;
  enabled: number;
  version: number;
  document: string;
  created_by: string | null;
  created_at: number;
  updated_at: number;
}

export interface PolicyVersionsTable {
  id: string;
  org_id: string;
  policy_id: string;
  version: number;
  document: string;
  created_by: string | null;
  created_at: number;
}

/** A policy applied to the organization, a group or a device, with a priority inside its level. */
export interface PolicyAssignmentsTable {
  id: string;
  org_id: string;
  policy_id: string;
  /** `org`, `group` or `device`. */
  target_type: string;
  target_id: string | null;
  priority: number;
  /** Seed 000's `applied`, `pending`, `failed`. */
  status: string;
  created_at: number;
  updated_at: number;
}

/** Seed 000's rules: a name, a type and a definition (JSON or DSL text), optionally under a policy. */
export interface PolicyRulesTable {
  id: string;
  org_id: string;
  policy_id: string | null;
  name: string;
  type: string;
  definition: string;
  enabled: number;
  created_at: number;
  updated_at: number;
}

/** Named parameter sets for detectors (seed 000's detector configurations). */
export interface DetectorConfigsTable {
  id: string;
  org_id: string;
  name: string;
  description: string | null;
  params: string;
  rule_packs: string;
  enabled: number;
  version: number;
  created_at: number;
  updated_at: number;
}

/** A response action queued for one device (seed 004), pulled and completed by its agent. */
export interface ResponseActionsTable {
  id: string;
  org_id: string;
  device_id: string;
  type: string;
  params: string;
  /** pending → delivered → succeeded | failed | rejected; or expired, cancelled. */
  status: string;
  reason: string | null;
  requested_by: string | null;
  decision_id: string | null;
  created_at: number;
  expires_at: number;
  delivered_at: number | null;
  completed_at: number | null;
  result: string | null;
  error: string | null;
}

/** A recommendation of the decision engine for one alert (seed 000). */
export interface DecisionsTable {
  id: string;
  org_id: string;
  alert_id: string;
  device_id: string | null;
  event_type: string;
  severity: string;
  score: number;
  recommended_action: string;
  priority: number;
  rule_name: string;
  rationale: string;
  /** pending → executed | dismissed. */
  status: string;
  action_id: string | null;
  decided_by: string | null;
  created_at: number;
  updated_at: number;
}

export interface ManagementTables {
  device_profiles: DeviceProfilesTable;
  device_groups: DeviceGroupsTable;
  device_group_members: DeviceGroupMembersTable;
  policies: PoliciesTable;
  policy_versions: PolicyVersionsTable;
  policy_assignments: PolicyAssignmentsTable;
  policy_rules: PolicyRulesTable;
  detector_configs: DetectorConfigsTable;
  response_actions: ResponseActionsTable;
  decisions: DecisionsTable;
}
