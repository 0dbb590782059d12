import type { Insertable, Kysely, Selectable, Updateable } from 'kysely';
import type { HandoversTable } from '../db/case-tables.ts';
import type { Database } from '../db/tables.ts';

export type HandoverRow = Selectable<HandoversTable>;

/** An open alert or case as a handover lists it. */
export interface HandoverItem {
  id: string;
  title: string;
  severity: string;
  status: string;
}

/** Queries on `handovers`, and the open work a new handover snapshots. */
export class HandoversRepository {
  constructor(private readonly db: Kysely<Database>) {}

  async insert(row: Insertable<HandoversTable>): Promise<void> {
    await this.db.insertInto('handovers').values(row).execute();
  }

  async update(orgId: string, id: string, changes: Updateable<HandoversTable>): Promise<void> {
    await this.db
      .updateTable('handovers')
      .set(changes)
      .where('org_id', '=', orgId)
      .where('id', '=', id)
      .execute();
  }

  find(orgId: string, id: string): Promise<HandoverRow | undefined> {
    return this.db
      .selectFrom('handovers')
      .selectAll()
      .where('org_id', '=', orgId)
      .where('id', '=', id)
      .executeTakeFirst();
  }

  list(orgId: string, before: string | undefined, limit: number): Promise<HandoverRow[]> {
    let q = this.db.selectFrom('handovers').selectAll().where('org_id', '=', orgId);
    if (before) q = q.where('id', '<', before);
    return q.orderBy('id', 'desc').limit(limit).execute();
  }

  /** Alerts not closed that were active during the shift (seen at or after its start). */
  openAlerts(
    orgId: string,
    closedStatuses: readonly string[],
    since: number,
    limit: number,
  ): Promise<HandoverItem[]> {
    return this.db
      .selectFrom('alerts')
      .select(['id', 'title', 'severity', 'status'])
      .where('org_id', '=', orgId)
      .where('status', 'not in', [...closedStatuses])
      .where('last_seen', '>=', since)
      .orderBy('severity_rank', 'desc')
      .orderBy('id', 'desc')
      .limit(limit)
      .execute();
  }

  /** Cases still being worked, however old (a handover passes on all open work). */
  openCases(orgId: string, openStatuses: readonly string[], limit: number): Promise<HandoverItem[]> {
    return this.db
      .selectFrom('cases')
      .select(['id', 'title', 'severity', 'status'])
      .where('org_id', '=', orgId)
      .where('status', 'in', [...openStatuses])
      .orderBy('severity_rank', 'desc')
      .orderBy('id', 'desc')
      .limit(limit)
      .execute();
  }
}
