import type { Insertable, Kysely, Selectable, Updateable } from 'kysely';
import type { IocFeedsTable } from '../db/intel-tables.ts';
import type { Database } from '../db/tables.ts';

export type IocFeedRow = Selectable<IocFeedsTable>;

/** Queries on `ioc_feeds`. */
export class IocFeedsRepository {
  constructor(private readonly db: Kysely<Database>) {}

  list(orgId: string): Promise<IocFeedRow[]> {
    return this.db.selectFrom('ioc_feeds').selectAll().where('org_id', '=', orgId).orderBy('name').execute();
  }

  /** Enabled feeds of every organization (the scheduler's pass). */
  enabled(): Promise<IocFeedRow[]> {
    return this.db.selectFrom('ioc_feeds').selectAll().where('enabled', '=', 1).orderBy('id').execute();
  }

  findById(orgId: string, id: string): Promise<IocFeedRow | undefined> {
    return this.db
      .selectFrom('ioc_feeds')
      .selectAll()
      .where('org_id', '=', orgId)
      .where('id', '=', id)
      .executeTakeFirst();
  }

  findByName(orgId: string, name: string): Promise<IocFeedRow | undefined> {
    return this.db
      .selectFrom('ioc_feeds')
      .selectAll()
      .where('org_id', '=', orgId)
      .where('name', '=', name)
      .executeTakeFirst();
  }

  async insert(row: Insertable<IocFeedsTable>): Promise<void> {
    await this.db.insertInto('ioc_feeds').values(row).execute();
  }

  async update(orgId: string, id: string, set: Updateable<IocFeedsTable>): Promise<void> {
    await this.db
      .updateTable('ioc_feeds')
      .set(set)
      .where('org_id', '=', orgId)
      .where('id', '=', id)
      .execute();
  }

  async delete(orgId: string, id: string): Promise<boolean> {
    const r = await this.db
      .deleteFrom('ioc_feeds')
      .where('org_id', '=', orgId)
      .where('id', '=', id)
      .executeTakeFirst();
    return Number(r.numDeletedRows) > 0;
  }
}
