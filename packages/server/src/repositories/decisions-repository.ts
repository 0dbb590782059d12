import type { Kysely, Selectable } from 'kysely';
import type { DecisionsTable } from '../db/management-tables.ts';
import type { Database } from '../db/tables.ts';

export type DecisionRow = Selectable<DecisionsTable>;

/** An alert without a decision, with its first matched event's category and fields. */
export interface UndecidedAlert {
  id: string;
  org_id: string;
  device_id: string | null;
  kind: string;
  severity: string;
  title: string;
  details: unknown;
  matched_event_ids: unknown;
  created_at: number;
}

/** Queries on `decisions` and the alerts they are made from. */
export class DecisionsRepository {
  constructor(private readonly db: Kysely<Database>) {}

  /** Alerts of the organization created since `since` that have no decision yet, newest first. */
  undecidedAlerts(orgId: string, since: number, limit: number): Promise<UndecidedAlert[]> {
    return this.db
      .selectFrom('alerts')
      .leftJoin('decisions', 'decisions.alert_id', 'alerts.id')
      .select([
        'alerts.id',
        'alerts.org_id',
        'alerts.device_id',
        'alerts.kind',
        'alerts.severity',
        'alerts.title',
        'alerts.details',
        'alerts.matched_event_ids',
        'alerts.created_at',
      ])
      .where('alerts.org_id', '=', orgId)
      .where('alerts.created_at', '>=', since)
      .where('decisions.id', 'is', null)
      .orderBy('alerts.created_at', 'desc')
      .limit(limit)
      .execute();
  }

  firstEvent(orgId: string, id: string) {
    return this.db
      .selectFrom('events')
      .select(['category', 'product', 'fields'])
      .where('org_id', '=', orgId)
      .where('id', '=', id)
      .executeTakeFirst();
  }

  /** Inserts unless the alert already has a decision; true when inserted. */
  async insert(row: DecisionRow): Promise<boolean> {
    const r = await this.db
      .insertInto('decisions')
      .values(row)
      .onConflict((oc) => oc.column('alert_id').doNothing())
      .executeTakeFirst();
    return Number(r.numInsertedOrUpdatedRows ?? 0n) > 0;
  }

  list(f: {
    orgId: string;
    status?: string | undefined;
    limit: number;
    offset: number;
  }): Promise<DecisionRow[]> {
    let q = this.db.selectFrom('decisions').selectAll().where('org_id', '=', f.orgId);
    if (f.status) q = q.where('status', '=', f.status);
    return q.orderBy('created_at', 'desc').orderBy('id', 'desc').limit(f.limit).offset(f.offset).execute();
  }

  get(orgId: string, id: string): Promise<DecisionRow | undefined> {
    return this.db
      .selectFrom('decisions')
      .selectAll()
      .where('org_id', '=', orgId)
      .where('id', '=', id)
      .executeTakeFirst();
  }

  /** Moves a pending decision to a final status; false when it was no longer pending. */
  async decide(orgId: string, id: string, changes: Partial<DecisionRow>): Promise<boolean> {
    const r = await this.db
      .updateTable('decisions')
      .set(changes)
      .where('org_id', '=', orgId)
      .where('id', '=', id)
      .where('status', '=', 'pending')
      .executeTakeFirst();
    return Number(r.numUpdatedRows) === 1;
  }

  orgIds(): Promise<Array<{ id: string }>> {
    return this.db.selectFrom('organizations').select('id').execute();
  }
}
