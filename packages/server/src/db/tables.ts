import type { Generated } from 'kysely';
import type { CaseTables } from './case-tables.ts';
import type { DetectionTables } from './detection-tables.ts';
import type { ExposureTables } from './exposure-tables.ts';
import type { HuntingTables } from './hunting-tables.ts';
import type { InsightTables } from './insight-tables.ts';
import type { IntelTables } from './intel-tables.ts';
import type { ManagementTables } from './management-tables.ts';
import type { NotificationTables } from './notification-tables.ts';
import type { TriageTables } from './triage-tables.ts';

// Row shapes as stored. Times are epoch milliseconds (bigint on PostgreSQL,
// integer on SQLite) so both dialects compare and bucket them the same way.
// JSON columns hold text on SQLite and jsonb on PostgreSQL; repositories
// serialize on the way in and parse on the way out.

export interface OrganizationsTable {
  id: string;
  slug: string;
  name: string;
  ingest_rate_limit_per_minute: number;
  response_enabled: number;
  created_at: number;
}

export interface UsersTable {
  id: string;
  org_id: string;
  email: string;
  username: string;
  display_name: string;
  password_hash: string;
  role: string;
  is_instance_admin: number;
  team: string | null;
  manager: string | null;
  phone: string | null;
  computer: string | null;
  disabled_at: number | null;
  created_at: number;
  updated_at: number;
  last_login_at: number | null;
  password_changed_at: number;
}

export interface EnrollmentKeysTable {
  id: string;
  org_id: string;
  name: string;
  key_hash: string;
  prefix: string;
  created_at: number;
  created_by: string | null;
  expires_at: number | null;
  max_uses: number | null;
  uses: number;
  revoked_at: number | null;
}

export interface DevicesTable {
  id: string;
  org_id: string;
  hostname: string;
  external_id: string | null;
  display_name: string | null;
  os_name: string | null;
  os_version: string | null;
  platform: string | null;
  agent_version: string | null;
  ip_address: string | null;
  tags: string;
  metadata: string;
  secret_version: number;
  secret_generation: number;
  enrollment_key_id: string | null;
  enrolled_at: number | null;
  revoked_at: number | null;
  first_seen_at: number;
  last_seen_at: number | null;
  last_heartbeat_at: number | null;
  created_at: number;
}

export interface AgentKeysTable {
  id: string;
  org_id: string;
  device_id: string | null;
  kind: string;
  name: string;
  key_hash: string | null;
  prefix: string;
  secret_version: number;
  created_at: number;
  revoked_at: number | null;
  last_used_at: number | null;
}

export interface HeartbeatsTable {
  id: string;
  org_id: string;
  device_id: string;
  ts: number;
  received_at: number;
  reported_ts: string;
  agent_version: string | null;
  os_version: string | null;
  uptime_s: number | null;
  cpu_pct: number | null;
  mem_used_bytes: number | null;
  mem_total_bytes: number | null;
  disk_used_bytes: number | null;
  disk_total_bytes: number | null;
  data: string;
}

export interface EventsTable {
  id: string;
  org_id: string;
  device_id: string | null;
  ts: number;
  received_at: number;
  source: string;
  product: string | null;
  category: string | null;
  service: string | null;
  event_code: number | null;
  severity: string | null;
  title: string | null;
  hostname: string | null;
  user_name: string | null;
  image: string | null;
  command_line: string | null;
  parent_image: string | null;
  target_filename: string | null;
  source_ip: string | null;
  destination_ip: string | null;
  destination_port: number | null;
  fields: string;
  raw: string | null;
  batch_id: string | null;
}

export interface SignalsTable {
  id: string;
  org_id: string;
  device_id: string | null;
  signal_id: string;
  ts: number;
  ts_text: string;
  host_id: string;
  rule_id: string;
  rule_description: string | null;
  status: string;
  severity: string;
  title: string;
  tags: string;
  context: string;
  received_at: number;
  updated_at: number;
}

export interface NoncesTable {
  scope: string;
  nonce: string;
  expires_at: number;
}

export interface IngestBatchesTable {
  device_id: string;
  batch_id: string;
  org_id: string;
  result: string;
  created_at: number;
}

export interface AuthSessionsTable {
  id: string;
  org_id: string;
  user_id: string;
  created_at: number;
  expires_at: number;
  last_used_at: number;
  revoked_at: number | null;
  revoked_reason: string | null;
  ip: string | null;
  user_agent: string | null;
}

export interface RefreshTokensTable {
  id: string;
  session_id: string;
  user_id: string;
  token_hash: string;
  created_at: number;
  expires_at: number;
  used_at: number | null;
}

export interface ApiTokensTable {
  id: string;
  org_id: string;
  user_id: string;
  name: string;
  token_hash: string;
  prefix: string;
  permissions: string;
  created_at: number;
  expires_at: number | null;
  last_used_at: number | null;
  revoked_at: number | null;
}

export interface AuditLogTable {
  id: string;
  org_id: string | null;
  actor_type: string;
  actor_id: string | null;
  actor_label: string | null;
  action: string;
  target_type: string | null;
  target_id: string | null;
  outcome: string;
  status_code: number;
  method: string;
  path: string;
  ip: string | null;
  user_agent: string | null;
  details: string;
  created_at: number;
}

export interface Database
  extends DetectionTables,
    HuntingTables,
    ManagementTables,
    TriageTables,
    CaseTables,
    NotificationTables,
    InsightTables,
    IntelTables,
    ExposureTables {
  organizations: OrganizationsTable;
  users: UsersTable;
  enrollment_keys: EnrollmentKeysTable;
  devices: DevicesTable;
  agent_keys: AgentKeysTable;
  heartbeats: HeartbeatsTable;
  events: EventsTable;
  signals: SignalsTable;
  nonces: NoncesTable;
  ingest_batches: IngestBatchesTable;
  settings: { key: string; value: string; updated_at: Generated<number> };
  auth_sessions: AuthSessionsTable;
  refresh_tokens: RefreshTokensTable;
  api_tokens: ApiTokensTable;
  audit_log: AuditLogTable;
  bus_outbox: BusOutboxTable;
}

/** Batches committed but not yet acknowledged by JetStream (see bus/outbox-relay.ts). */
export interface BusOutboxTable {
  id: string;
  created_at: number;
  /** JSON array of the batch's events, as published. */
  events: string;
}

export type Dialect = 'sqlite' | 'postgres';
