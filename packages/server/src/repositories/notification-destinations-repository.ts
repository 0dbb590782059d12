import type { Kysely, Selectable } from 'kysely';
import type { NotificationDestinationsTable } from '../db/notification-tables.ts';
import type { Database } from '../db/tables.ts';

export type DestinationRow = Selectable<NotificationDestinationsTable>;
export type DestinationKind = 'webhook' | 'email';

/** Queries on `notification_destinations`. */
export class NotificationDestinationsRepository {
  constructor(private readonly db: Kysely<Database>) {}

  list(orgId: string, kind: DestinationKind): Promise<DestinationRow[]> {
    return this.db
      .selectFrom('notification_destinations')
      .selectAll()
      .where('org_id', '=', orgId)
      .where('kind', '=', kind)
      .orderBy('name')
      .orderBy('id')
      .execute();
  }

  /** Every enabled destination of the organization (the dispatcher filters by event). */
  listEnabled(orgId: string): Promise<DestinationRow[]> {
    return this.db
      .selectFrom('notification_destinations')
      .selectAll()
      .where('org_id', '=', orgId)
      .where('enabled', '=', 1)
      .execute();
  }

  get(orgId: string, kind: DestinationKind, id: string): Promise<DestinationRow | undefined> {
    return this.db
      .selectFrom('notification_destinations')
      .selectAll()
      .where('org_id', '=', orgId)
      .where('kind', '=', kind)
      .where('id', '=', id)
      .executeTakeFirst();
  }

  /** By id alone: the delivery worker, which holds the org id of the delivery. */
  getById(orgId: string, id: string): Promise<DestinationRow | undefined> {
    return this.db
      .selectFrom('notification_destinations')
      .selectAll()
      .where('org_id', '=', orgId)
      .where('id', '=', id)
      .executeTakeFirst();
  }

  async insert(row: DestinationRow): Promise<void> {
    await this.db.insertInto('notification_destinations').values(row).execute();
  }

  async update(orgId: string, id: string, changes: Partial<DestinationRow>): Promise<void> {
    await this.db
      .updateTable('notification_destinations')
      .set(changes)
      .where('org_id', '=', orgId)
      .where('id', '=', id)
      .execute();
  }

  /** Deletes the destination and its delivery log. */
  async delete(orgId: string, id: string): Promise<void> {
    await this.db.transaction().execute(async (tx) => {
      await tx
        .deleteFrom('notification_deliveries')
        .where('org_id', '=', orgId)
        .where('destination_id', '=', id)
        .execute();
      await tx
        .deleteFrom('notification_destinations')
        .where('org_id', '=', orgId)
        .where('id', '=', id)
        .execute();
    });
  }
}
