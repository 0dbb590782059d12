import type { Insertable, Kysely, Selectable, Updateable } from 'kysely';
import type { SavedQueriesTable } from '../db/hunting-tables.ts';
import type { Database } from '../db/tables.ts';

export type SavedQueryRow = Selectable<SavedQueriesTable>;

export interface SavedQueryFilter {
  orgId: string;
  /** The caller: their private queries are listed with the organization's shared ones. */
  userId: string;
  scope: 'all' | 'mine' | 'shared';
  scheduled?: boolean | undefined;
  /** Continue after this id (ascending by id, i.e. creation order). */
  after?: string | undefined;
  limit: number;
}

/** Queries on `saved_queries`. */
export class SavedQueriesRepository {
  constructor(private readonly db: Kysely<Database>) {}

  async insert(row: Insertable<SavedQueriesTable>): Promise<void> {
    await this.db.insertInto('saved_queries').values(row).execute();
  }

  /** A query the user may see: their own, or one shared in their organization. */
  findVisible(orgId: string, userId: string, id: string): Promise<SavedQueryRow | undefined> {
    return this.db
      .selectFrom('saved_queries')
      .selectAll()
      .where('org_id', '=', orgId)
      .where('id', '=', id)
      .where((eb) => eb.or([eb('owner_id', '=', userId), eb('visibility', '=', 'shared')]))
      .executeTakeFirst();
  }

  list(f: SavedQueryFilter): Promise<SavedQueryRow[]> {
    let q = this.db.selectFrom('saved_queries').selectAll().where('org_id', '=', f.orgId);
    if (f.scope === 'mine') q = q.where('owner_id', '=', f.userId);
    else if (f.scope === 'shared') q = q.where('visibility', '=', 'shared');
    else q = q.where((eb) => eb.or([eb('owner_id', '=', f.userId), eb('visibility', '=', 'shared')]));
    if (f.scheduled !== undefined) q = q.where('schedule_enabled', '=', f.scheduled ? 1 : 0);
    if (f.after) q = q.where('id', '>', f.after);
    return q.orderBy('id', 'asc').limit(f.limit).execute();
  }

  async update(orgId: string, id: string, changes: Updateable<SavedQueriesTable>): Promise<void> {
    await this.db
      .updateTable('saved_queries')
      .set(changes)
      .where('org_id', '=', orgId)
      .where('id', '=', id)
      .execute();
  }

  async delete(orgId: string, id: string): Promise<boolean> {
    const r = await this.db
      .deleteFrom('saved_queries')
      .where('org_id', '=', orgId)
      .where('id', '=', id)
      .executeTakeFirst();
    return Number(r.numDeletedRows) > 0;
  }

  /** Scheduled queries whose next run is due, oldest due first (every organization). */
  due(now: number, limit: number): Promise<SavedQueryRow[]> {
    return this.db
      .selectFrom('saved_queries')
      .selectAll()
      .where('schedule_enabled', '=', 1)
      .where('next_run_at', '<=', now)
      .orderBy('next_run_at', 'asc')
      .limit(limit)
      .execute();
  }

  /**
   * Claims a due run: moves `next_run_at` on only if nobody else did since it was read, so two
   * server processes never run the same schedule twice. True when this caller won.
   */
  async claim(id: string, expectedNextRun: number, nextRun: number): Promise<boolean> {
    const r = await this.db
      .updateTable('saved_queries')
      .set({ next_run_at: nextRun })
      .where('id', '=', id)
      .where('next_run_at', '=', expectedNextRun)
      .where('schedule_enabled', '=', 1)
      .executeTakeFirst();
    return Number(r.numUpdatedRows) > 0;
  }
}
