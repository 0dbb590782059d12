import type { Compilable, Insertable, Kysely, Selectable, Updateable } from 'kysely';
import type { SuppressionsTable } from '../db/detection-tables.ts';
import type { Database } from '../db/tables.ts';

export type SuppressionRow = Selectable<SuppressionsTable>;

/** Queries on `suppressions`. */
export class SuppressionsRepository {
  constructor(private readonly db: Kysely<Database>) {}

  list(orgId: string, opts: { ruleUid?: string | undefined; after?: string | undefined; limit: number }) {
    let q = this.db.selectFrom('suppressions').selectAll().where('org_id', '=', orgId);
    if (opts.ruleUid) q = q.where('rule_uid', '=', opts.ruleUid);
    if (opts.after) q = q.where('id', '>', opts.after);
    return q.orderBy('id', 'asc').limit(opts.limit).execute();
  }

  /** Suppressions not expired at `now` (what detection applies). */
  active(orgId: string, now: number): Promise<SuppressionRow[]> {
    return this.db
      .selectFrom('suppressions')
      .selectAll()
      .where('org_id', '=', orgId)
      .where((eb) => eb.or([eb('expires_at', 'is', null), eb('expires_at', '>', now)]))
      .execute();
  }

  findById(orgId: string, id: string): Promise<SuppressionRow | undefined> {
    return this.db
      .selectFrom('suppressions')
      .selectAll()
      .where('org_id', '=', orgId)
      .where('id', '=', id)
      .executeTakeFirst();
  }

  async insert(row: Insertable<SuppressionsTable>): Promise<void> {
    await this.db.insertInto('suppressions').values(row).execute();
  }

  async update(orgId: string, id: string, changes: Updateable<SuppressionsTable>): Promise<boolean> {
    const r = await this.db
      .updateTable('suppressions')
      .set(changes)
      .where('org_id', '=', orgId)
      .where('id', '=', id)
      .executeTakeFirst();
    return Number(r.numUpdatedRows) > 0;
  }

  async delete(orgId: string, id: string): Promise<boolean> {
    const r = await this.db
      .deleteFrom('suppressions')
      .where('org_id', '=', orgId)
      .where('id', '=', id)
      .executeTakeFirst();
    return Number(r.numDeletedRows) > 0;
  }

  /** Adds what a suppression held back in one batch (not executed: for the store's writer). */
  addSuppressedQuery(orgId: string, id: string, n: number, at: number): Compilable {
    return this.db
      .updateTable('suppressions')
      .set((eb) => ({ suppressed_count: eb('suppressed_count', '+', n), last_suppressed_at: at }))
      .where('org_id', '=', orgId)
      .where('id', '=', id);
  }

  async fingerprint(orgId: string): Promise<string> {
    const r = await this.db
      .selectFrom('suppressions')
      .select((eb) => [eb.fn.countAll<number>().as('n'), eb.fn.max('updated_at').as('at')])
      .where('org_id', '=', orgId)
      .executeTakeFirstOrThrow();
    return `${Number(r.n)}:${Number(r.at ?? 0)}`;
  }
}
