// Threat intelligence tables (migration 0010): indicator feeds fetched on a schedule and
// the threat map's ingested attack items. Indicators themselves live in `ioc_indicators`.

/** A URL the scheduler fetches indicators from (HARRIER_IOC_FEED_INTERVAL). */
export interface IocFeedsTable {
  id: string;
  org_id: string;
  name: string;
  url: string;
  /** csv | text | stix | misp */
  format: string;
  /** Severity given to indicators the feed does not rate. */
  severity: string;
  enabled: number;
  last_fetched_at: number | null;
  /** ok | error */
  last_status: string | null;
  last_error: string | null;
  last_imported: number | null;
  created_by: string | null;
  created_at: number;
  updated_at: number;
}

/** Seed 004's threat-map items (`POST /ingest`), with their deterministic GeoIP position. */
export interface ThreatMapItemsTable {
  id: string;
  org_id: string;
  ts: number;
  src_ip: string | null;
  dst_ip: string | null;
  attack_type: string;
  /** 1..10 */
  severity: number;
  volume_pps: number | null;
  volume_bps: number | null;
  /** JSON array of strings. */
  tags: string;
  confidence: number;
  source: string;
  created_at: number;
}

export interface IntelTables {
  ioc_feeds: IocFeedsTable;
  threat_map_items: ThreatMapItemsTable;
}
