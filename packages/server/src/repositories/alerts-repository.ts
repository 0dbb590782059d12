import { SEVERITIES } from '@harrier/schema';
import {
  type Compilable,
  type Insertable,
  type Kysely,
  type Selectable,
  type SelectQueryBuilder,
  sql,
  type Updateable,
} from 'kysely';
import type { AlertsTable } from '../db/detection-tables.ts';
import type { Database, Dialect } from '../db/tables.ts';
import { containsPattern, likeEscaped } from './like-pattern.ts';

export type AlertRow = Selectable<AlertsTable>;

export interface AlertFilter {
  orgId: string;
  status?: string[] | undefined;
  minSeverityRank?: number | undefined;
  /** Exactly these severities (seed filters); `minSeverityRank` is the native one. */
  severities?: string[] | undefined;
  ruleUid?: string | undefined;
  deviceId?: string | undefined;
  kind?: string | undefined;
  since?: number | undefined;
  until?: number | undefined;
  /** Created at or after / at or before (seed 000 filters on creation time). */
  createdSince?: number | undefined;
  createdUntil?: number | undefined;
  search?: string | undefined;
  /**
   * Also match `search` in the fields of the alert's first event (seed 003
   * searches its event's source, description and type). One indexed lookup per
   * alert: for the seeds' small lists, not the native API.
   */
  searchFirstEvent?: boolean | undefined;
  /** A user id, or `none` for alerts assigned to nobody. */
  assigneeUserId?: string | undefined;
  assigneeGroupId?: string | undefined;
  /** A MITRE technique (`T1059` also finds `T1059.001`) or tactic tag. */
  technique?: string | undefined;
  /** Restricts to these ids (bulk changes by list). */
  ids?: string[] | undefined;
  /** Alerts before this id (newest first). */
  before?: string | undefined;
  /** Order of the page; the default is newest first by id. */
  sort?: AlertSort | undefined;
  /** Position after which the page starts, for sorts other than the default. */
  after?: AlertSortCursor | undefined;
  limit: number;
}

export const ALERT_SORTS = ['newest', 'oldest', 'severity', 'last_seen'] as const;
export type AlertSort = (typeof ALERT_SORTS)[number];

/** A keyset position: the sort column's value (absent for id orders) and the id. */
export interface AlertSortCursor {
  value?: number | undefined;
  id: string;
}

/** What triage changes on an alert row. */
export type AlertTriageChange = Pick<
  Updateable<AlertsTable>,
  | 'status'
  | 'assignee_user_id'
  | 'assignee_group_id'
  | 'escalation_level'
  | 'conclusion'
  | 'status_changed_at'
  | 'updated_at'
>;

type AlertQuery<O> = SelectQueryBuilder<Database, 'alerts', O>;

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
  constructor(
    private readonly db: Kysely<Database>,
    /** Needed only for `searchFirstEvent` (reading the first id out of the JSON column). */
    private readonly dialect?: Dialect,
  ) {}

  private filtered<O>(q: AlertQuery<O>, f: Omit<AlertFilter, 'limit'>): AlertQuery<O> {
    q = q.where('alerts.org_id', '=', f.orgId);
    if (f.ids) q = q.where('alerts.id', 'in', f.ids.length > 0 ? f.ids : ['']);
    if (f.status && f.status.length > 0) q = q.where('status', 'in', f.status);
    if (f.minSeverityRank !== undefined) q = q.where('severity_rank', '>=', f.minSeverityRank);
    if (f.severities) q = q.where('severity', 'in', f.severities.length > 0 ? f.severities : ['']);
    if (f.ruleUid) q = q.where('rule_uid', '=', f.ruleUid);
    if (f.deviceId) q = q.where('device_id', '=', f.deviceId);
    if (f.kind) q = q.where('kind', '=', f.kind);
    if (f.since !== undefined) q = q.where('last_seen', '>=', f.since);
    if (f.until !== undefined) q = q.where('first_seen', '<', f.until);
    if (f.createdSince !== undefined) q = q.where('created_at', '>=', f.createdSince);
    if (f.createdUntil !== undefined) q = q.where('created_at', '<=', f.createdUntil);
    if (f.assigneeUserId === 'none') q = q.where('assignee_user_id', 'is', null);
    else if (f.assigneeUserId) q = q.where('assignee_user_id', '=', f.assigneeUserId);
    if (f.assigneeGroupId === 'none') q = q.where('assignee_group_id', 'is', null);
    else if (f.assigneeGroupId) q = q.where('assignee_group_id', '=', f.assigneeGroupId);
    if (f.technique) {
      // Both JSON forms (SQLite text, PostgreSQL jsonb) print each tag in double quotes.
      const pattern = containsPattern(`"${f.technique.toLowerCase()}`);
      q = q.where((eb) =>
        eb.or([
          likeEscaped(sql`lower(cast(mitre_techniques as text))`, pattern),
          likeEscaped(sql`lower(cast(mitre_tactics as text))`, pattern),
        ]),
      );
    }
    if (f.search) {
      const pattern = containsPattern(f.search.toLowerCase());
      const orgId = f.orgId;
      q = q.where((eb) =>
        eb.or([
          likeEscaped(eb.fn('lower', ['title']), pattern),
          likeEscaped(eb.fn('lower', ['rule_title']), pattern),
          likeEscaped(eb.fn('lower', ['rule_uid']), pattern),
          eb(
            'device_id',
            'in',
            eb
              .selectFrom('devices')
              .select('devices.id')
              .where('devices.org_id', '=', orgId)
              .where((d) =>
                d.or([
                  likeEscaped(d.fn('lower', ['devices.hostname']), pattern),
                  likeEscaped(d.fn('lower', ['devices.display_name']), pattern),
                ]),
              ),
          ),
          ...(f.searchFirstEvent && this.dialect ? [this.firstEventMatches(pattern)] : []),
        ]),
      );
    }
    return q;
  }

  private firstEventMatches(pattern: string) {
    const firstId =
      this.dialect === 'postgres'
        ? sql`(alerts.matched_event_ids ->> 0)`
        : sql`json_extract(alerts.matched_event_ids, '$[0]')`;
    return sql<boolean>`exists (select 1 from events e where e.org_id = alerts.org_id and e.id = ${firstId} and ${likeEscaped(sql`lower(cast(e.fields as text))`, pattern)})`;
  }

  list(f: AlertFilter): Promise<AlertRow[]> {
    let q = this.filtered(this.db.selectFrom('alerts').selectAll(), f);
    const sort = f.sort ?? 'newest';
    if (sort === 'newest') {
      const before = f.before ?? f.after?.id;
      if (before) q = q.where('id', '<', before);
      return q.orderBy('id', 'desc').limit(f.limit).execute();
    }
    if (sort === 'oldest') {
      if (f.after) q = q.where('id', '>', f.after.id);
      return q.orderBy('id', 'asc').limit(f.limit).execute();
    }
    const column = sort === 'severity' ? 'severity_rank' : 'last_seen';
    const after = f.after;
    if (after?.value !== undefined) {
      const value = after.value;
      q = q.where((eb) =>
        eb.or([eb(column, '<', value), eb.and([eb(column, '=', value), eb('id', '<', after.id)])]),
      );
    }
    return q.orderBy(column, 'desc').orderBy('id', 'desc').limit(f.limit).execute();
  }

  /**
   * A numbered page for the seeds' offset pagination: newest or oldest first,
   * or by status (then newest).
   */
  offsetPage(
    f: Omit<AlertFilter, 'limit'>,
    order: 'newest' | 'oldest' | 'status' | '-status',
    offset: number,
    limit: number,
  ): Promise<AlertRow[]> {
    let q = this.filtered(this.db.selectFrom('alerts').selectAll(), f);
    if (order === 'status' || order === '-status')
      q = q.orderBy('status', order === 'status' ? 'asc' : 'desc');
    q = q.orderBy('id', order === 'oldest' ? 'asc' : 'desc');
    return q.limit(limit).offset(offset).execute();
  }

  async count(f: Omit<AlertFilter, 'limit'>): Promise<number> {
    const row = await this.filtered(
      this.db.selectFrom('alerts').select((eb) => eb.fn.countAll<number>().as('n')),
      f,
    ).executeTakeFirst();
    return Number(row?.n ?? 0);
  }

  /** How many alerts match, by status and by severity. */
  async counts(
    f: Omit<AlertFilter, 'limit'>,
  ): Promise<{ byStatus: Record<string, number>; bySeverity: Record<string, number> }> {
    // One pass grouped by both; severity by its rank, which the severity index covers.
    const rows = await this.filtered(
      this.db
        .selectFrom('alerts')
        .select(['status', 'severity_rank', (eb) => eb.fn.countAll<number>().as('n')]),
      f,
    )
      .groupBy(['status', 'severity_rank'])
      .execute();
    const byStatus: Record<string, number> = {};
    const bySeverity: Record<string, number> = {};
    for (const r of rows) {
      const n = Number(r.n);
      const severity = SEVERITIES[Number(r.severity_rank)] ?? 'unknown';
      byStatus[r.status] = (byStatus[r.status] ?? 0) + n;
      bySeverity[severity] = (bySeverity[severity] ?? 0) + n;
    }
    return { byStatus, bySeverity };
  }

  /** Ids of the alerts a filter selects, newest first, at most `limit` (bulk changes by filter). */
  async idsMatching(f: Omit<AlertFilter, 'limit'>, limit: number): Promise<string[]> {
    const rows = await this.filtered(this.db.selectFrom('alerts').select('id'), f)
      .orderBy('id', 'desc')
      .limit(limit)
      .execute();
    return rows.map((r) => r.id);
  }

  /**
   * Applies a triage change. With `expectedStatus` the update only happens while
   * the alert still has that status (two analysts racing: one wins, one gets a 409).
   * Returns whether a row changed.
   */
  async updateTriage(
    orgId: string,
    id: string,
    change: AlertTriageChange,
    expectedStatus?: string,
  ): Promise<boolean> {
    let q = this.db.updateTable('alerts').set(change).where('org_id', '=', orgId).where('id', '=', id);
    if (expectedStatus !== undefined) q = q.where('status', '=', expectedStatus);
    const r = await q.executeTakeFirst();
    return Number(r.numUpdatedRows) > 0;
  }

  async delete(orgId: string, id: string): Promise<boolean> {
    const r = await this.db
      .deleteFrom('alerts')
      .where('org_id', '=', orgId)
      .where('id', '=', id)
      .executeTakeFirst();
    return Number(r.numDeletedRows) > 0;
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
