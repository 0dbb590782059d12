import { parseSeverity, severityRank, uuidv7 } from '@harrier/schema';
import type { HarrierDatabase } from '../db/database.ts';
import { AlertsRepository } from '../repositories/alerts-repository.ts';
import type { SavedQueryRow } from '../repositories/saved-queries-repository.ts';
import { commitThroughWriter } from './committed-writes.ts';
import { CLOSED_ALERT_STATUSES, MAX_MATCHED_EVENT_IDS } from './detection-service.ts';
import type { HuntResult } from './hunt-service.ts';

/** Rows kept as evidence on an alert: enough to triage, small enough for the alert's JSON. */
export const EVIDENCE_ROWS = 50;

/** The rule id alerts of a scheduled query carry (rule_uid): stable per saved query. */
export function scheduledRuleUid(savedQueryId: string): string {
  return `hunt:${savedQueryId}`;
}

/**
 * Raises the alert of a scheduled query whose run crossed its threshold, grouped like every
 * other alert: while an alert of the same query is open and was seen within two intervals, a
 * new crossing updates it (count, last seen, newest evidence) instead of opening another. The
 * query's result rows are the evidence; event ids in them become the alert's matched events.
 */
export class ScheduledQueryAlerts {
  private readonly alerts: AlertsRepository;

  constructor(private readonly database: HarrierDatabase) {
    this.alerts = new AlertsRepository(database.db);
  }

  /** Creates or grows the alert; returns its id. */
  async raise(saved: SavedQueryRow, result: HuntResult, now: number): Promise<string> {
    const ruleUid = scheduledRuleUid(saved.id);
    const groupKey = saved.id;
    const window = 2 * (saved.schedule_interval_ms ?? 3_600_000);
    const eventIds = matchedEventIds(result);
    const details = evidence(saved, result, now);
    const [open] = await this.alerts.findOpenForGroups(
      saved.org_id,
      [{ ruleUid, groupKey }],
      now - window,
      CLOSED_ALERT_STATUSES,
    );
    if (open) {
      const known = readIds(open.matched_event_ids);
      const merged = [...new Set([...known, ...eventIds])].slice(-MAX_MATCHED_EVENT_IDS);
      // Alert writes go through the store's writer, as the detection pipeline's do.
      await commitThroughWriter(this.database, [
        this.alerts.growQuery(saved.org_id, open.id, {
          first_seen: open.first_seen,
          last_seen: now,
          count: open.count + 1,
          matched_event_ids: JSON.stringify(merged),
          updated_at: now,
        }),
      ]);
      return open.id;
    }
    const severity = parseSeverity(saved.alert_severity) ?? 'medium';
    const id = uuidv7(now);
    await commitThroughWriter(
      this.database,
      this.alerts.insertQueries([
        {
          id,
          org_id: saved.org_id,
          rule_id: null,
          rule_uid: ruleUid,
          rule_version: null,
          rule_title: saved.name,
          kind: 'scheduled_query',
          title: `${saved.name}: ${result.rows.length} result rows (threshold ${saved.alert_threshold})`,
          severity,
          severity_rank: severityRank(severity),
          status: 'open',
          device_id: null,
          group_key: groupKey,
          first_seen: now,
          last_seen: now,
          count: 1,
          matched_event_ids: JSON.stringify(eventIds.slice(0, MAX_MATCHED_EVENT_IDS)),
          mitre_techniques: '[]',
          mitre_tactics: '[]',
          details: JSON.stringify(details),
          created_at: now,
          updated_at: now,
        },
      ]),
    );
    return id;
  }
}

function evidence(saved: SavedQueryRow, result: HuntResult, now: number) {
  return {
    saved_query: { id: saved.id, name: saved.name, query: saved.query, owner_id: saved.owner_id },
    condition: { rows_greater_than: saved.alert_threshold },
    run_at: now,
    time_range: result.range,
    row_count: result.rows.length,
    truncated: result.truncated,
    columns: result.columns.map((c) => ({ name: c.name, type: c.type })),
    rows: result.rows.slice(0, EVIDENCE_ROWS),
  };
}

/** Event ids found in the result's `Id` column (row queries over Events). */
function matchedEventIds(result: HuntResult): string[] {
  if (result.table !== 'Events') return [];
  const i = result.columns.findIndex((c) => c.name === 'Id');
  if (i < 0) return [];
  return result.rows.map((r) => r[i]).filter((v): v is string => typeof v === 'string');
}

function readIds(value: unknown): string[] {
  if (Array.isArray(value)) return value.filter((v): v is string => typeof v === 'string');
  if (typeof value !== 'string') return [];
  try {
    const parsed = JSON.parse(value) as unknown;
    return Array.isArray(parsed) ? parsed.filter((v): v is string => typeof v === 'string') : [];
  } catch {
    return [];
  }
}
