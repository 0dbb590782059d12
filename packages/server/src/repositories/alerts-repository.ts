import type { Compilable, Insertable, Kysely, Selectable } from 'kysely';
import type { AlertsTable } from '../db/detection-tables.ts';
import type { Database } from '../db/tables.ts';
import { containsPattern, likeEscaped } from './like-pattern.ts';

export type AlertRow = Selectable<AlertsTable>;

export interface AlertFilter {
  orgId: string;
  status?: string[] | undefined;
  minSeverityRank?: number | undefined;
  ruleUid?: string | undefined;
  deviceId?: string | undefined;
  kind?: string | undefined;
  since?: number | undefined;
  until?: number | undefined;
  search?: string | undefined;
  /** Alerts before this id (newest first). */
  before?: string | undefined;
  limit: number;
}

/** What an update of an open alert changes. */
export interface AlertGrowth {
  first_seen: number;
  last_seen: number;
  count: number;
  matched_event_ids: string;
  updated_at: number;
}

/** Queries on `alerts`. */
export class AlertsRepository {
  constructor(private readonly db: Kysely<Database>) {}

  list(f: AlertFilter): Promise<AlertRow[]> {
    let q = this.db.selectFrom('alerts').selectAll().where('org_id', '=', f.orgId);
    if (f.status && f.status.length > 0) q = q.where('status', 'in', f.status);
    if (f.minSeverityRank !== undefined) q = q.where('severity_rank', '>=', f.minSeverityRank);
    if (f.ruleUid) q = q.where('rule_uid', '=', f.ruleUid);
    if (f.deviceId) q = q.where('device_id', '=', f.deviceId);
    if (f.kind) q = q.where('kind', '=', f.kind);
    if (f.since !== undefined) q = q.where('last_seen', '>=', f.since);
    if (f.until !== undefined) q = q.where('first_seen', '<', f.until);
    if (f.search) {
      const pattern = containsPattern(f.search.toLowerCase());
      q = q.where((eb) =>
        eb.or([
          likeEscaped(eb.fn('lower', ['title']), pattern),
          likeEscaped(eb.fn('lower', ['rule_title']), pattern),
          likeEscaped(eb.fn('lower', ['rule_uid']), pattern),
        ]),
      );
    }
    if (f.before) q = q.where('id', '<', f.before);
    return q.orderBy('id', 'desc').limit(f.limit).execute();
  }

  findById(orgId: string, id: string): Promise<AlertRow | undefined> {
    return this.db
      .selectFrom('alerts')
      .selectAll()
      .where('org_id', '=', orgId)
      .where('id', '=', id)
      .executeTakeFirst();
  }

  /**
   * Alerts that may still absorb matches of these (rule, group key) pairs: not
   * closed and seen at or after `since`. The newest per pair comes first.
   */
  findOpenForGroups(
    orgId: string,
    groups: ReadonlyArray<{ ruleUid: string; groupKey: string }>,
    since: number,
    closedStatuses: readonly string[],
  ): Promise<AlertRow[]> {
    if (groups.length === 0) return Promise.resolve([]);
    const ruleUids = [...new Set(groups.map((g) => g.ruleUid))];
    const keys = [...new Set(groups.map((g) => g.groupKey))];
    let q = this.db
      .selectFrom('alerts')
      .selectAll()
      .where('org_id', '=', orgId)
      .where('rule_uid', 'in', ruleUids)
      .where('group_key', 'in', keys)
      .where('last_seen', '>=', since);
    if (closedStatuses.length > 0) q = q.where('status', 'not in', closedStatuses);
    return q.orderBy('last_seen', 'desc').execute();
  }

  /** Insert statements for new alerts (not executed: for the store's writer). */
  insertQueries(rows: Insertable<AlertsTable>[]): Compilable[] {
    const out: Compilable[] = [];
    for (let i = 0; i < rows.length; i += 200)
      out.push(this.db.insertInto('alerts').values(rows.slice(i, i + 200)));
    return out;
  }

  /** The update of an alert that absorbed new matches (not executed). */
  growQuery(orgId: string, id: string, growth: AlertGrowth): Compilable {
    return this.db.updateTable('alerts').set(growth).where('org_id', '=', orgId).where('id', '=', id);
  }

  async insertMany(rows: Insertable<AlertsTable>[]): Promise<void> {
    // Chunks keep each statement under both dialects' parameter limits.
    for (let i = 0; i < rows.length; i += 200) {
      await this.db
        .insertInto('alerts')
        .values(rows.slice(i, i + 200))
        .execute();
    }
  }

  async grow(orgId: string, id: string, growth: AlertGrowth): Promise<void> {
    await this.db
      .updateTable('alerts')
      .set(growth)
      .where('org_id', '=', orgId)
      .where('id', '=', id)
      .execute();
  }
}
