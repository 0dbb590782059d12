import type { Kysely, Selectable } from 'kysely';
import type { Database } from '../db/tables.ts';
import type { AlertHistoryTable } from '../db/triage-tables.ts';

export type AlertHistoryRow = Selectable<AlertHistoryTable>;

/** Queries on `alert_history`: who changed what on an alert, and when. */
export class AlertHistoryRepository {
  constructor(private readonly db: Kysely<Database>) {}

  async insert(row: AlertHistoryRow): Promise<void> {
    await this.db.insertInto('alert_history').values(row).execute();
  }

  /** An alert's history, oldest first. */
  list(orgId: string, alertId: string, limit = 500): Promise<AlertHistoryRow[]> {
    return this.db
      .selectFrom('alert_history')
      .selectAll()
      .where('org_id', '=', orgId)
      .where('alert_id', '=', alertId)
      .orderBy('id', 'asc')
      .limit(limit)
      .execute();
  }

  async deleteForAlert(orgId: string, alertId: string): Promise<void> {
    await this.db
      .deleteFrom('alert_history')
      .where('org_id', '=', orgId)
      .where('alert_id', '=', alertId)
      .execute();
  }
}
