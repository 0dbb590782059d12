/**
 * The event shape the agent puts on the wire (`POST /api/v1/ingest`, platform issue).
 * The server stamps org, device and arrival; the agent gives every event an id so a
 * resent batch can never create duplicates.
 */
export interface AgentEvent {
  id: string;
  /** RFC 3339 UTC instant. */
  ts: string;
  type: AgentEventType;
  logsource?: { product?: string; category?: string; service?: string };
  severity?: 'informational' | 'low' | 'medium' | 'high' | 'critical';
  title?: string;
  /** Sigma field names (`Image`, `CommandLine`, `User`, …). */
  fields: Record<string, string | number | boolean | null>;
}

export type AgentEventType =
  | 'process_start'
  | 'network_listen'
  | 'auth'
  | 'persistence'
  | 'file_change'
  | 'software'
  | 'os_facts'
  /** A connection (or name) an active threat-intel indicator names (seed 004's `ioc_hit`). */
  | 'ioc_hit'
  /** A log line forwarded as it is, for keyword rules (notable sshd, sudo, pkexec lines). */
  | 'log';

/** Host identity sent with enrollment and heartbeats. */
export interface OsInfo {
  name: string;
  version: string;
  platform: string;
}
