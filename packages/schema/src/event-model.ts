import type { Severity } from './severity.ts';

/** Sigma's logsource taxonomy; any part may be absent. */
export interface Logsource {
  product?: string;
  category?: string;
  service?: string;
}

/**
 * The normalized event every source is turned into (DESIGN.md §3).
 * `fields` uses Sigma's field names (`Image`, `CommandLine`, `EventID`, …) so rules
 * match without translation. Times are UTC instants in epoch milliseconds.
 */
export interface HarrierEvent {
  id: string;
  org_id: string;
  device_id: string | null;
  ts: number;
  received_at: number;
  source: EventSource;
  logsource: Logsource;
  fields: Record<string, unknown>;
  severity?: Severity;
  title?: string;
  raw?: unknown;
}

/** Where an event came from; decides which normalizer produced it. */
export type EventSource =
  | 'native'
  | 'windows'
  | 'santamon'
  | 'sec44'
  | 'seed003'
  | 'syslog'
  | 'journal'
  | 'auditd'
  | 'suricata'
  | 'zeek'
  | 'bulk';

/**
 * What a normalizer returns before the server stamps identity and arrival
 * (`id`, `org_id`, `device_id`, `received_at`).
 */
export type NormalizedEvent = Omit<HarrierEvent, 'id' | 'org_id' | 'device_id' | 'received_at'>;

/**
 * Event fields that are also stored as real columns, so hunting and the
 * console can filter on them without reading the JSON field map.
 * Key: Sigma field name; value: column name in the `events` table.
 */
export const EVENT_COLUMN_FIELDS = {
  EventID: 'event_code',
  Computer: 'hostname',
  User: 'user_name',
  Image: 'image',
  CommandLine: 'command_line',
  ParentImage: 'parent_image',
  TargetFilename: 'target_filename',
  SourceIp: 'source_ip',
  DestinationIp: 'destination_ip',
  DestinationPort: 'destination_port',
} as const;
