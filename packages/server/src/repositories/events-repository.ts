import type { Kysely, Selectable } from 'kysely';
import type { Database, EventsTable } from '../db/tables.ts';

export type EventRecord = Selectable<EventsTable>;

/** Reads of stored events outside hunting (hunts run compiled SQL through HuntRepository). */
export class EventsRepository {
  constructor(private readonly db: Kysely<Database>) {}

  /** One event of the organization, or undefined (another organization's id included). */
  findById(orgId: string, id: string): Promise<EventRecord | undefined> {
    return this.db
      .selectFrom('events')
      .selectAll()
      .where('org_id', '=', orgId)
      .where('id', '=', id)
      .executeTakeFirst();
  }
}
