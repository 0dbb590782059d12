import type { Insertable, Kysely, Selectable, Updateable } from 'kysely';
import type { CaseAlertsTable, CasesTable, CaseTimelineTable } from '../db/case-tables.ts';
import type { Database } from '../db/tables.ts';
import { containsPattern, likeEscaped } from './like-pattern.ts';

export type CaseRow = Selectable<CasesTable>;
export type CaseTimelineRow = Selectable<CaseTimelineTable>;
export type CaseAlertRow = Selectable<CaseAlertsTable>;

export interface CaseFilter {
  orgId: string;
  status?: string[] | undefined;
  minSeverityRank?: number | undefined;
  ownerId?: string | undefined;
  alertId?: string | undefined;
  source?: string | undefined;
  search?: string | undefined;
  /** Cases before this id (newest first). */
  before?: string | undefined;
  limit: number;
}

/** An alert linked to a case, with what a war room shows of it. */
export interface LinkedAlert {
  id: string;
  title: string;
  severity: string;
  status: string;
  device_id: string | null;
  linked_by: string | null;
  linked_at: number;
}

/** Queries on `cases`, `case_alerts` and `case_timeline`. */
export class CasesRepository {
  constructor(private readonly db: Kysely<Database>) {}

  /** Runs `work` in one transaction (a case, its links and its first timeline entries). */
  transaction<T>(work: (repo: CasesRepository, trx: Kysely<Database>) => Promise<T>): Promise<T> {
    return this.db.transaction().execute((trx) => work(new CasesRepository(trx), trx));
  }

  /** Inserts a case; false when an automatic case for its alert already exists. */
  async insert(row: Insertable<CasesTable>): Promise<boolean> {
    const r = await this.db
      .insertInto('cases')
      .values(row)
      .onConflict((oc) => oc.columns(['org_id', 'origin_alert_id']).doNothing())
      .executeTakeFirst();
    return Number(r.numInsertedOrUpdatedRows ?? 0n) > 0;
  }

  findById(orgId: string, id: string): Promise<CaseRow | undefined> {
    return this.db
      .selectFrom('cases')
      .selectAll()
      .where('org_id', '=', orgId)
      .where('id', '=', id)
      .executeTakeFirst();
  }

  findByOriginAlert(orgId: string, alertId: string): Promise<CaseRow | undefined> {
    return this.db
      .selectFrom('cases')
      .selectAll()
      .where('org_id', '=', orgId)
      .where('origin_alert_id', '=', alertId)
      .executeTakeFirst();
  }

  list(f: CaseFilter): Promise<CaseRow[]> {
    let q = this.db.selectFrom('cases').selectAll().where('org_id', '=', f.orgId);
    if (f.status && f.status.length > 0) q = q.where('status', 'in', f.status);
    if (f.minSeverityRank !== undefined) q = q.where('severity_rank', '>=', f.minSeverityRank);
    if (f.ownerId) q = q.where('owner_id', '=', f.ownerId);
    if (f.source) q = q.where('source', '=', f.source);
    if (f.alertId) {
      const alertId = f.alertId;
      q = q.where('id', 'in', (eb) =>
        eb
          .selectFrom('case_alerts')
          .select('case_id')
          .where('org_id', '=', f.orgId)
          .where('alert_id', '=', alertId),
      );
    }
    if (f.search) {
      const pattern = containsPattern(f.search.toLowerCase());
      q = q.where((eb) =>
        eb.or([
          likeEscaped(eb.fn('lower', ['title']), pattern),
          likeEscaped(eb.fn('lower', ['description']), pattern),
        ]),
      );
    }
    if (f.before) q = q.where('id', '<', f.before);
    return q.orderBy('id', 'desc').limit(f.limit).execute();
  }

  async update(orgId: string, id: string, changes: Updateable<CasesTable>): Promise<void> {
    await this.db
      .updateTable('cases')
      .set(changes)
      .where('org_id', '=', orgId)
      .where('id', '=', id)
      .execute();
  }

  /** Links an alert; false when it was linked already. */
  async linkAlert(row: Insertable<CaseAlertsTable>): Promise<boolean> {
    const r = await this.db
      .insertInto('case_alerts')
      .values(row)
      .onConflict((oc) => oc.columns(['case_id', 'alert_id']).doNothing())
      .executeTakeFirst();
    return Number(r.numInsertedOrUpdatedRows ?? 0n) > 0;
  }

  /** Unlinks an alert; false when it was not linked. */
  async unlinkAlert(orgId: string, caseId: string, alertId: string): Promise<boolean> {
    const r = await this.db
      .deleteFrom('case_alerts')
      .where('org_id', '=', orgId)
      .where('case_id', '=', caseId)
      .where('alert_id', '=', alertId)
      .executeTakeFirst();
    return Number(r.numDeletedRows) > 0;
  }

  linkedAlerts(orgId: string, caseId: string): Promise<LinkedAlert[]> {
    return this.db
      .selectFrom('case_alerts')
      .innerJoin('alerts', 'alerts.id', 'case_alerts.alert_id')
      .select([
        'alerts.id',
        'alerts.title',
        'alerts.severity',
        'alerts.status',
        'alerts.device_id',
        'case_alerts.linked_by',
        'case_alerts.linked_at',
      ])
      .where('case_alerts.org_id', '=', orgId)
      .where('alerts.org_id', '=', orgId)
      .where('case_alerts.case_id', '=', caseId)
      .orderBy('case_alerts.linked_at', 'asc')
      .orderBy('alerts.id', 'asc')
      .execute();
  }

  /** Alerts of the organization among `ids` (what may be linked). */
  alertsByIds(orgId: string, ids: readonly string[]) {
    if (ids.length === 0) return Promise.resolve([]);
    return this.db
      .selectFrom('alerts')
      .select(['id', 'title', 'severity'])
      .where('org_id', '=', orgId)
      .where('id', 'in', [...ids])
      .execute();
  }

  /** Changes a case only while it is still in status `from`; the number of rows changed. */
  async updateStatus(
    orgId: string,
    id: string,
    from: string,
    changes: Updateable<CasesTable>,
  ): Promise<number> {
    const r = await this.db
      .updateTable('cases')
      .set(changes)
      .where('org_id', '=', orgId)
      .where('id', '=', id)
      .where('status', '=', from)
      .executeTakeFirst();
    return Number(r.numUpdatedRows);
  }

  /** Display names of users of the organization. */
  async userNames(orgId: string, ids: readonly string[]): Promise<Map<string, string>> {
    if (ids.length === 0) return new Map();
    const rows = await this.db
      .selectFrom('users')
      .select(['id', 'display_name', 'email'])
      .where('org_id', '=', orgId)
      .where('id', 'in', [...ids])
      .execute();
    return new Map(rows.map((r) => [r.id, r.display_name || r.email]));
  }

  async eventExists(orgId: string, id: string): Promise<boolean> {
    const row = await this.db
      .selectFrom('events')
      .select('id')
      .where('org_id', '=', orgId)
      .where('id', '=', id)
      .executeTakeFirst();
    return row !== undefined;
  }

  /** Events recorded as evidence of a case (the data of its `event_linked` entries), oldest first. */
  linkedEventEntries(orgId: string, caseId: string): Promise<CaseTimelineRow[]> {
    return this.db
      .selectFrom('case_timeline')
      .selectAll()
      .where('org_id', '=', orgId)
      .where('case_id', '=', caseId)
      .where('kind', '=', 'event_linked')
      .orderBy('id', 'asc')
      .execute();
  }

  async appendTimeline(rows: Insertable<CaseTimelineTable>[]): Promise<void> {
    if (rows.length > 0) await this.db.insertInto('case_timeline').values(rows).execute();
  }

  /** The war room in order of time (ids are time-ordered, so they break ties stably). */
  timeline(
    orgId: string,
    caseId: string,
    after: string | undefined,
    limit: number,
  ): Promise<CaseTimelineRow[]> {
    let q = this.db
      .selectFrom('case_timeline')
      .selectAll()
      .where('org_id', '=', orgId)
      .where('case_id', '=', caseId);
    if (after) q = q.where('id', '>', after);
    return q.orderBy('id', 'asc').limit(limit).execute();
  }
}
