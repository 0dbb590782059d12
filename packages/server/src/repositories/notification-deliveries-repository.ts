import type { Kysely, Selectable } from 'kysely';
import type { NotificationDeliveriesTable } from '../db/notification-tables.ts';
import type { Database } from '../db/tables.ts';

export type DeliveryRow = Selectable<NotificationDeliveriesTable>;

/** Queries on `notification_deliveries`: the retry queue and the delivery log. */
export class NotificationDeliveriesRepository {
  constructor(private readonly db: Kysely<Database>) {}

  async insertMany(rows: DeliveryRow[]): Promise<void> {
    if (rows.length === 0) return;
    await this.db.insertInto('notification_deliveries').values(rows).execute();
  }

  get(orgId: string, id: string): Promise<DeliveryRow | undefined> {
    return this.db
      .selectFrom('notification_deliveries')
      .selectAll()
      .where('org_id', '=', orgId)
      .where('id', '=', id)
      .executeTakeFirst();
  }

  /** A destination's log, newest first, `limit + 1` rows for the page split. */
  listForDestination(f: {
    orgId: string;
    destinationId: string;
    status?: string | undefined;
    before?: string | undefined;
    limit: number;
  }): Promise<DeliveryRow[]> {
    let q = this.db
      .selectFrom('notification_deliveries')
      .selectAll()
      .where('org_id', '=', f.orgId)
      .where('destination_id', '=', f.destinationId);
    if (f.status) q = q.where('status', '=', f.status);
    if (f.before) q = q.where('id', '<', f.before);
    return q
      .orderBy('id', 'desc')
      .limit(f.limit + 1)
      .execute();
  }

  /** Pending deliveries whose next attempt is due, oldest first (across organizations: the worker). */
  listDue(now: number, limit: number): Promise<DeliveryRow[]> {
    return this.db
      .selectFrom('notification_deliveries')
      .selectAll()
      .where('status', '=', 'pending')
      .where('next_attempt_at', '<=', now)
      .orderBy('next_attempt_at')
      .orderBy('id')
      .limit(limit)
      .execute();
  }

  /**
   * Takes a due delivery for one attempt by moving its next attempt past the
   * lease; false when another worker (another process) took it first.
   */
  async claim(id: string, expectedNextAttemptAt: number, leaseUntil: number): Promise<boolean> {
    const result = await this.db
      .updateTable('notification_deliveries')
      .set({ next_attempt_at: leaseUntil })
      .where('id', '=', id)
      .where('status', '=', 'pending')
      .where('next_attempt_at', '=', expectedNextAttemptAt)
      .executeTakeFirst();
    return Number(result.numUpdatedRows) === 1;
  }

  async recordAttempt(
    id: string,
    changes: Pick<
      DeliveryRow,
      'status' | 'attempts' | 'next_attempt_at' | 'last_attempt_at' | 'response_status' | 'last_error'
    > & { delivered_at?: number | null },
  ): Promise<void> {
    await this.db.updateTable('notification_deliveries').set(changes).where('id', '=', id).execute();
  }

  /** Deletes finished deliveries (delivered or failed) created before `before`; returns how many. */
  async pruneFinished(before: number): Promise<number> {
    const result = await this.db
      .deleteFrom('notification_deliveries')
      .where('status', 'in', ['delivered', 'failed'])
      .where('created_at', '<', before)
      .executeTakeFirst();
    return Number(result.numDeletedRows);
  }
}
