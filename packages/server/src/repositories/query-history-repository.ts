import type { Compilable, Insertable, Kysely, Selectable } from 'kysely';
import type { QueryHistoryTable } from '../db/hunting-tables.ts';
import type { Database } from '../db/tables.ts';

export type QueryHistoryRow = Selectable<QueryHistoryTable>;

/** Queries on `query_history`: each user's own hunts, newest first. */
export class QueryHistoryRepository {
  constructor(private readonly db: Kysely<Database>) {}

  /** The insert of one entry, for the store's writer (see services/committed-writes.ts). */
  insertQuery(row: Insertable<QueryHistoryTable>): Compilable {
    return this.db.insertInto('query_history').values(row);
  }

  /** The user's entries older than `before` (ids are time-ordered). */
  list(orgId: string, userId: string, before: string | undefined, limit: number): Promise<QueryHistoryRow[]> {
    let q = this.db
      .selectFrom('query_history')
      .selectAll()
      .where('org_id', '=', orgId)
      .where('user_id', '=', userId);
    if (before) q = q.where('id', '<', before);
    return q.orderBy('id', 'desc').limit(limit).execute();
  }

  /** Removes the user's history (the console's "clear history"). */
  async clear(orgId: string, userId: string): Promise<number> {
    const r = await this.db
      .deleteFrom('query_history')
      .where('org_id', '=', orgId)
      .where('user_id', '=', userId)
      .executeTakeFirst();
    return Number(r.numDeletedRows);
  }
}
